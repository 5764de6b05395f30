"""The ``clipper`` command line: a thin layer over the library.

Only light modules are imported at start-up (``clipper select`` is timed
against a bare YAML parse); commands that render import Pillow or yt-dlp
inside their function body, and output that only some commands print imports
its helpers (textwrap, shutil) where it is made. Shared options live in
``options``, stderr reporting in ``report``, printed text in ``views``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import sys
from dataclasses import replace
from pathlib import Path

import click

from clipper import DISTRIBUTION
from clipper.cli.options import (
    CAPTION_STYLE_OPTION,
    READ_OPTIONS,
    SOURCE_ARG,
    THEME_OPTION,
    TIMING_OPTION,
    episode_source,
    loudness_option,
    out_option,
    quotes_file_option,
    selection_options,
)
from clipper.cli.report import (
    echo_warning,
    finish,
    report_problems,
    report_warnings,
    resolve_quotes,
    selection_warnings,
    timed_quotes,
)
from clipper.cli.views import describe_episode, explanation, quote_table, quotes_json
from clipper.episode import Episode
from clipper.episode.sources import open_episode
from clipper.errors import ClipperError
from clipper.render.options import FRAME_MODES, ClipOptions
from clipper.select.quote import save_quotes
from clipper.select.selector import SelectOptions, select


class ClipperGroup(click.Group):
    """Turns a ClipperError into a one-line ``Error: ...`` (as click's own usage
    errors) and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ClipperError as exc:
            if exc.field and not exc.key:
                exc.key = "--" + exc.field.replace("_", "-")
            raise click.ClickException(str(exc)) from None


@click.group(cls=ClipperGroup)
@click.version_option(package_name=DISTRIBUTION)
def main() -> None:
    """Turn a podcast episode page into quote cards, video clips and post text."""
    # What start-up made (modules, click's commands) lives as long as the process:
    # the garbage collector need not go through it again on every full pass.
    gc.freeze()


@main.command()
@episode_source
def inspect(episode: Episode) -> None:
    """Summarise an episode: guests, speakers (and why each got its role),
    sections, duration, warnings.

    \b
    Example:
      clipper inspect assets/example/_podcast/from-warehouse-floor-to-analytics-engineering.md
      clipper inspect talk.mp3 --transcript talk.vtt
    """
    click.echo(describe_episode(episode))


@main.command("select")
@episode_source
@selection_options
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON list of quotes with their features."
)
@click.option(
    "--explain", is_flag=True, help="Show why each quote was picked and why its rivals lost."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an editable quotes.yaml for --quotes.",
)
@TIMING_OPTION
def select_command(
    episode: Episode,
    selection: SelectOptions,
    as_json: bool,
    explain: bool,
    output: Path | None,
    timing_file: Path | None,
) -> None:
    """Pick the most quotable lines of an episode.

    With --timing, each quote's start and end come from the captions' words
    (--json then shows its 'timing' source and 'confidence').

    \b
    Example:
      clipper select EPISODE.md --kind advice --top 5 -o quotes.yaml
      clipper select EPISODE.md --top 5 --explain
      clipper select talk.mp3 --transcript talk.srt
    """
    with selection_warnings():
        chosen = select(episode, selection)
    quotes = chosen.quotes
    report_warnings(episode)
    if timing_file:
        quotes = timed_quotes(episode, quotes, timing_file)
    if output:
        save_quotes(output, quotes)
        click.echo(f"wrote {len(quotes)} quotes to {output}", err=True)
    if as_json:
        click.echo(json.dumps(quotes_json(quotes, chosen), indent=2, ensure_ascii=False))
    elif explain:
        click.echo(explanation(quotes, chosen))
    elif not output:
        click.echo(quote_table(quotes))


@main.command()
@episode_source
@selection_options
@quotes_file_option("Render")
@click.option(
    "--size",
    "sizes",
    multiple=True,
    metavar="NAME|WxH",
    help="instagram, square, story, x, linkedin, youtube, WxH, or all (repeatable) [all].",
)
@THEME_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["png", "jpg", "webp"]), default="png", show_default=True
)
@out_option("cards")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of the cards.")
def cards(
    episode: Episode,
    selection: SelectOptions,
    quotes_file: Path | None,
    sizes: tuple[str, ...],
    theme: str,
    fmt: str,
    out: Path,
    as_json: bool,
) -> None:
    """Render quote cards (images with alt-text sidecars) for an episode.

    \b
    Example:
      clipper cards EPISODE.md --top 3 --size square --size story --theme light
    """
    from clipper.render.cards import render_cards

    quotes = resolve_quotes(episode, quotes_file, selection)
    report_warnings(episode)
    results = render_cards(episode, quotes, out, sizes=sizes or ("all",), theme=theme, fmt=fmt)
    report_problems(results)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            if not result.error:
                click.echo(str(result.path))
    finish(results, quotes, "cards")


@main.command()
@episode_source
@selection_options
@quotes_file_option("Cut")
@click.option("--video", type=click.Path(path_type=Path), help="Local episode video file.")
@click.option("--url", help="Video URL for yt-dlp [the episode's YouTube video].")
@click.option(
    "--audio",
    type=click.Path(path_type=Path),
    help="Episode audio (mp3/m4a/wav): make audiograms instead of video clips.",
)
@click.option(
    "--frame",
    type=click.Choice(FRAME_MODES),
    default=ClipOptions.frame,
    show_default=True,
    help="1:1 and 9:16: crop on the speaker's face, or fit the whole picture; 9:16: stack "
    "both faces of a call, or auto (stack when the listener reacts).",
)
@click.option(
    "--shape",
    "shapes",
    multiple=True,
    type=click.Choice(ClipOptions.shapes),
    help="Clip shape (repeatable) [all three].",
)
@click.option("--captions/--no-captions", default=True, show_default=True, help="Burn in captions.")
@click.option(
    "--pad",
    type=click.FloatRange(0, 5),
    default=ClipOptions.pad,
    show_default=True,
    help="Seconds around each quote.",
)
@click.option("--sections", is_flag=True, help="Download only the quotes' parts of the video.")
@loudness_option(f"{ClipOptions.loudness:g}")
@click.option(
    "--max-pause",
    type=click.FloatRange(0.05, 10),
    default=ClipOptions.max_pause,
    show_default=True,
    help="Shorten a pause inside a quote longer than this many seconds "
    f"to {ClipOptions.keep_pause:g} s.",
)
@click.option("--keep-pauses", is_flag=True, help="Leave every pause as spoken.")
@click.option(
    "--cut-fillers",
    is_flag=True,
    help="Cut the spoken words the edited text leaves out (um, you know, repeats).",
)
@TIMING_OPTION
@THEME_OPTION
@CAPTION_STYLE_OPTION
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Download cache [~/.cache/clipper].",
)
@out_option("clips")
def clips(
    episode: Episode,
    selection: SelectOptions,
    quotes_file: Path | None,
    shapes: tuple[str, ...],
    timing_file: Path | None,
    out: Path,
    video: Path | None,
    url: str | None,
    audio: Path | None,
    frame: str,
    captions: bool,
    pad: float,
    sections: bool,
    loudness: float | None,
    max_pause: float,
    keep_pauses: bool,
    cut_fillers: bool,
    theme: str,
    caption_style: str | None,
    cache_dir: Path | None,
) -> None:
    """Cut quotes out of the episode video as captioned clips in every shape;
    with --audio, audiograms (artwork, photo, waveform, captions) instead.

    Each quote is cut on its spoken words, timed from a word-timed captions
    file, else speech recognition, else the transcript times (with a warning).

    \b
    Example:
      clipper clips EPISODE.md --quotes quotes.yaml --video episode.mp4 --shape 9:16
      clipper clips talk.mp4 --transcript talk.vtt --top 2
    """
    from clipper.cli.progress import terminal_progress
    from clipper.media.ffmpeg import probe
    from clipper.media.source import resolve_video
    from clipper.render.clips import render_clips
    from clipper.render.cutlist import Tightening
    from clipper.render.spoken import time_for_clips
    from clipper.render.theme import load_theme

    if sum(map(bool, (video, url, audio))) > 1:
        raise click.UsageError("give one of --video, --url and --audio")
    try:  # a bad pair of pause lengths is reported before any download
        tightening = Tightening(None if keep_pauses else max_pause, cut_fillers=cut_fillers)
    except ClipperError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-pause") from None
    load_theme(theme, caption_style)  # a bad theme or style fails before any work
    if not (video or url or audio) and episode.media:
        from clipper.media.tags import episode_media

        video, url, audio = episode_media(episode.media, cache_dir)
    if video or audio:  # a bad file stops the command here, before any other work
        probe(audio or video, need_video=not audio)
    quotes = resolve_quotes(episode, quotes_file, selection)
    report_warnings(episode)
    media = audio
    if not audio and (video or not sections):  # --sections downloads each quote's part later
        media = resolve_video(
            episode, video=video, url=url, cache_dir=cache_dir, progress=terminal_progress()
        )
    quotes, timings = time_for_clips(
        episode,
        quotes,
        media=media,
        timing_file=timing_file,
        keep_written=quotes_file is not None,
        warn=echo_warning,
        tightening=tightening,
    )
    if audio:
        from clipper.render.audiogram import render_audiograms

        render = functools.partial(render_audiograms, audio=audio)
    else:
        render = functools.partial(
            render_clips,
            video=media,
            url=url,
            cache_dir=cache_dir,
            sections=sections,
            progress=terminal_progress(),
            frame=frame,
        )
    results = render(
        episode,
        quotes,
        out,
        shapes=shapes or ClipOptions.shapes,
        captions=captions,
        pad=pad,
        theme=theme,
        timings=timings,
        loudness=loudness,
        caption_style=caption_style,
    )
    report_problems(results)
    for result in results:
        if result.video and not result.error:
            click.echo(f"{result.video}{' (kept)' if result.skipped else ''}")
    finish(results, quotes, "clips")


@main.command()
@click.argument("sources", nargs=-1, metavar="[SITE_DIR | EPISODE.md | FEED]...")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Settings file (default: ./clipper.yaml when present).",
)
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Only episodes added since."
)
@click.option(
    "--only", multiple=True, metavar="SLUG", help="Only this episode or feed guid (repeatable)."
)
@click.option(
    "--latest", type=click.IntRange(1), metavar="N", help="Only the N newest episodes or items."
)
@click.option("--jobs", "-j", type=click.IntRange(1), help="Parallel processes [cores].")
@click.option("--no-clips", is_flag=True, help="Skip video clips.")
@click.option("--no-cards", is_flag=True, help="Skip quote cards.")
@click.option("--force", is_flag=True, help="Redo every episode, changed or not.")
@click.option("--dry-run", is_flag=True, help="List what would be done, do nothing.")
@click.option("--shard", metavar="K/N", help="Take the K-th of N stable shares of episodes.")
@loudness_option(None)
@CAPTION_STYLE_OPTION
@click.option(
    "--cut-fillers",
    is_flag=True,
    help="Cut the spoken words the edited text leaves out [clips.cut_fillers].",
)
def batch(
    sources: tuple[str, ...],
    config_path: Path | None,
    out: Path | None,
    since: dt.datetime | None,
    only: tuple[str, ...],
    latest: int | None,
    jobs: int | None,
    no_clips: bool,
    no_cards: bool,
    force: bool,
    dry_run: bool,
    shard: str | None,
    loudness: float | None,
    caption_style: str | None,
    cut_fillers: bool,
) -> None:
    """Make the kit (quotes, cards, clips, post text, review page) for every
    new or changed episode of SITE_DIR (default: .), of the EPISODE.md files,
    or of a podcast FEED (an RSS or Atom URL or file): each item with a
    transcript, its media from the enclosure (audio: audiograms).

    \b
    Example:
      clipper batch assets/example --out output
      clipper batch assets/example-feed/feed.xml --latest 1
    """
    from clipper.batch.config import load_settings
    from clipper.batch.plan import BatchRequest, Shard
    from clipper.batch.run import Reporter, run_batch
    from clipper.cli.progress import BarReporter

    settings = load_settings(config_path, warn=echo_warning).override(
        output=out,
        cards__enabled=False if no_cards else None,
        clips__enabled=False if no_clips else None,
        clips__caption_style=caption_style,
        clips__cut_fillers=True if cut_fillers else None,
    )
    if click.get_current_context().get_parameter_source("loudness").name != "DEFAULT":
        settings = replace(settings, clips=replace(settings.clips, loudness=loudness))
    request = BatchRequest(
        sources=sources or (Path("."),),
        settings=settings,
        since=since.date() if since else None,
        only=only,
        latest=latest,
        shard=Shard.parse(shard) if shard else None,
        jobs=jobs,
        force=force,
        dry_run=dry_run,
    )
    import signal

    signal.signal(signal.SIGTERM, _interrupt)  # a cancelled CI job stops like Ctrl-C
    terminal = sys.stderr.isatty() and not dry_run
    reporter = BarReporter() if terminal else Reporter(lambda text: click.echo(text, err=True))
    summary = run_batch(request, reporter)
    for line in summary.lines():
        click.echo(line)
    sys.exit(summary.exit_code)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@main.command("import")
@SOURCE_ARG
@click.option(
    "--site",
    "target",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site to write the episode into (made when missing).",
)
@READ_OPTIONS[0]
@READ_OPTIONS[1]
@READ_OPTIONS[2]
@click.option("--force", is_flag=True, help="Replace the episode's page when it exists.")
def import_command(
    source: str, target: Path, item: str | None, transcript: Path | None, lang: str, force: bool
) -> None:
    """Write an episode from any SOURCE into a site: _podcast/<slug>.md, _people/,
    artwork, the media and its word times; edit the page by hand and rerun.

    \b
    Example:
      clipper import talk.mp3 --transcript talk.vtt --site mysite
      clipper batch mysite
    """
    from clipper.episode.importer import import_episode

    episode = open_episode(source, item=item, transcript=transcript, lang=lang)
    result = import_episode(episode, target, lang=lang, force=force)
    for path in result.written:
        click.echo(str(path))
    for path in result.kept:
        click.echo(f"{path} (kept)", err=True)


@main.command()
@click.argument(
    "parts", nargs=-1, required=True, type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="The output folder to merge into.",
)
def merge(parts: tuple[Path, ...], out: Path) -> None:
    """Merge the output folders of 'batch --shard K/N' runs into OUT, as one
    unsharded run would have made it.

    \b
    Example:
      clipper merge part-1 part-2 part-3 --out output
    """
    from clipper.batch.merge import merge_outputs

    for line in merge_outputs(out, list(parts)).lines():
        click.echo(line)


@main.command()
@click.argument("path", default="clipper.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option(
    "--github-actions",
    is_flag=True,
    help="Write .github/workflows/clipper.yml (run in the site repository) instead.",
)
@click.option(
    "--install",
    metavar="REQUIREMENT",
    help=f"How the workflow pip-installs clipper [{DISTRIBUTION}==<this version>].",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Parallel jobs of the workflow's back-catalogue rebuild.",
)
@click.option("--feed", metavar="URL", help="The workflow watches this podcast feed instead.")
@click.option(
    "--example",
    "example_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Copy the bundled example site to this folder instead.",
)
def init(
    path: Path,
    force: bool,
    github_actions: bool,
    install: str | None,
    shards: int,
    feed: str | None,
    example_dir: Path | None,
) -> None:
    """Write a commented clipper.yaml with the default settings; or the site's
    CI workflow (--github-actions); or a copy of the example site (--example).

    \b
    Example:
      clipper init site/clipper.yaml
      clipper init --github-actions --shards 8
      clipper init --github-actions --feed https://example.org/podcast.xml
      clipper init --example demo && clipper batch demo
    """
    if example_dir is not None:
        from clipper.resources import copy_example

        copy_example(example_dir)
        click.echo(f"copied the example site to {example_dir}; run: clipper batch {example_dir}")
    if github_actions:
        from clipper.batch.workflow import default_install, write_workflow

        written = write_workflow(Path("."), install or default_install(), shards, force, feed)
        click.echo(f"wrote {written}; commit it to run clipper on every new episode")
    if example_dir is None and not github_actions:
        from clipper.batch.config import write_init

        write_init(path, force)
        click.echo(f"wrote {path}; edit it, then run: clipper batch SITE_DIR")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
