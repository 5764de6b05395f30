"""``clipper init --github-actions``: batch runs in the site repository's own CI.

The workflow it writes (``.github/workflows/clipper.yml``) has two paths:

- On a push that touches ``_podcast/**``, job ``batch`` restores the output
  folder and the video downloads from the Actions cache, runs ``clipper batch
  . --since`` (the manifest in the restored output skips unchanged episodes;
  ``--since`` keeps a cold cache from rebuilding the whole back catalogue on a
  push), saves the cache again, and job ``kit`` uploads the kit zip of every
  episode made in this run as its own artifact ``kit-<slug>``.
- Run by hand (``workflow_dispatch``) with ``rebuild`` ticked, jobs
  ``shard`` rebuild every episode as a matrix of ``--shard K/N`` runs, and
  job ``merge`` joins their outputs with ``clipper merge`` into the cached
  output folder and uploads all kits.

With ``feed`` (``clipper init --github-actions --feed URL``) the workflow
watches a podcast feed instead of a site: the batch job runs on a schedule
(every six hours) on the feed's items, the way a site's runs on a push, so
each new episode's kit is made once; the rebuild by hand is the same.

Output and downloads are cached under separate keys (a cache's paths are
part of its identity), each saved under a new key per run and restored by
prefix, the way Actions caches are meant to be updated.
"""

from __future__ import annotations

from pathlib import Path

from clipper import DISTRIBUTION, fsutil
from clipper.errors import ClipperError

WORKFLOW_PATH = Path(".github") / "workflows" / "clipper.yml"
DEFAULT_SHARDS = 4
SINCE_DAYS = 60

SITE_TRIGGER = """\
# - Push touching _podcast/: kits of new and changed episodes, each uploaded as
#   an artifact kit-<slug> (unchanged ones are skipped thanks to the cached
#   output folder; episodes added more than SINCE_DAYS days ago are left out).
"""
SITE_ON = """\
  push:
    paths:
      - "_podcast/**"
"""
FEED_TRIGGER = """\
# - Every six hours: kits of the feed's new and changed items, each uploaded as
#   an artifact kit-<slug> (unchanged ones are skipped thanks to the cached
#   output folder; items published more than SINCE_DAYS days ago are left out).
"""
FEED_ON = """\
  schedule:
    - cron: "17 */6 * * *"
"""

_TEMPLATE = """\
# Made by `clipper init --github-actions`. Makes the social media kit (quote
# cards, clips, post text, review page) of each new or changed episode.
#
__TRIGGER__\
# - Actions tab > clipper > Run workflow, "rebuild" ticked: the whole back
#   catalogue in __SHARDS__ parallel shards, merged into one output folder.
name: clipper

on:
__ON__\
  workflow_dispatch:
    inputs:
      rebuild:
        description: "Rebuild every episode (the back catalogue) in parallel shards"
        type: boolean
        default: false

concurrency:
  group: clipper-${{ github.ref }}
  cancel-in-progress: false

env:
  # pip requirement for clipper (distribution clipper-podcast on PyPI): a version
  # on your index, a wheel URL, or git+https://<host>/<owner>/clipper.git@<tag>
  CLIPPER: "__INSTALL__"
  SINCE_DAYS: "__SINCE__"
  # What to make kits of: the site (this repository) or a podcast feed's URL.
  SOURCE: "__SOURCE__"

jobs:
  batch:
    if: ${{ github.event_name != 'workflow_dispatch' || !inputs.rebuild }}
    runs-on: ubuntu-latest
    outputs:
      kits: ${{ steps.kits.outputs.kits }}
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Install clipper
        run: python -m pip install "$CLIPPER"
      - name: Restore the output folder
        uses: actions/cache/restore@v5
        with:
          path: output
          key: clipper-output-${{ github.run_id }}
          restore-keys: clipper-output-
      - name: Restore the video downloads
        uses: actions/cache/restore@v5
        with:
          path: ~/.cache/clipper
          key: clipper-downloads-${{ github.run_id }}
          restore-keys: clipper-downloads-
      - name: Make the kits of new and changed episodes
        run: |
          touch .clipper-started
          clipper batch "$SOURCE" --out output --since "$(date -u -d "-$SINCE_DAYS days" +%F)"
      - name: Collect the kits made in this run
        id: kits
        if: ${{ !cancelled() }}
        run: |
          slugs=()
          for zip in output/*/*-kit.zip; do
            [ "$zip" -nt .clipper-started ] || continue
            slug=$(basename "$(dirname "$zip")")
            mkdir -p "new-kits/$slug" && cp "$zip" "new-kits/$slug/"
            slugs+=("\\"$slug\\"")
          done
          echo "kits=[$(IFS=,; echo "${slugs[*]}")]" >> "$GITHUB_OUTPUT"
      - name: Save the output folder
        if: ${{ !cancelled() }}
        uses: actions/cache/save@v5
        with:
          path: output
          key: clipper-output-${{ github.run_id }}
      - name: Save the video downloads
        if: ${{ !cancelled() }}
        uses: actions/cache/save@v5
        with:
          path: ~/.cache/clipper
          key: clipper-downloads-${{ github.run_id }}
      - name: Hand the new kits to the kit job
        if: ${{ !cancelled() && steps.kits.outputs.kits != '[]' }}
        uses: actions/upload-artifact@v6
        with:
          name: new-kits
          path: new-kits
          retention-days: 1

  kit:
    needs: batch
    if: ${{ !cancelled() && needs.batch.outputs.kits != '[]' && needs.batch.outputs.kits != '' }}
    runs-on: ubuntu-latest
    strategy:
      matrix:
        slug: ${{ fromJSON(needs.batch.outputs.kits) }}
    steps:
      - uses: actions/download-artifact@v7
        with:
          name: new-kits
          path: new-kits
      - name: Upload the episode's kit
        uses: actions/upload-artifact@v6
        with:
          name: kit-${{ matrix.slug }}
          path: new-kits/${{ matrix.slug }}/${{ matrix.slug }}-kit.zip

  shard:
    if: ${{ github.event_name == 'workflow_dispatch' && inputs.rebuild }}
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [__SHARD_LIST__]
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Install clipper
        run: python -m pip install "$CLIPPER"
      - name: Restore the video downloads
        uses: actions/cache/restore@v5
        with:
          path: ~/.cache/clipper
          key: clipper-downloads-${{ github.run_id }}-${{ matrix.shard }}
          restore-keys: clipper-downloads-
      - name: Make this shard's kits
        run: clipper batch "$SOURCE" --out output --shard ${{ matrix.shard }}/__SHARDS__
      - name: Save the video downloads
        if: ${{ !cancelled() }}
        uses: actions/cache/save@v5
        with:
          path: ~/.cache/clipper
          key: clipper-downloads-${{ github.run_id }}-${{ matrix.shard }}
      - name: Upload this shard's output
        if: ${{ !cancelled() }}
        uses: actions/upload-artifact@v6
        with:
          name: shard-${{ matrix.shard }}
          path: output
          retention-days: 1

  merge:
    needs: shard
    if: ${{ !cancelled() && github.event_name == 'workflow_dispatch' && inputs.rebuild }}
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Install clipper
        run: python -m pip install "$CLIPPER"
      - uses: actions/download-artifact@v7
        with:
          pattern: shard-*
          path: shards
      - name: Merge the shards
        run: clipper merge shards/* --out output
      - name: Save the output folder
        uses: actions/cache/save@v5
        with:
          path: output
          key: clipper-output-${{ github.run_id }}
      - name: Upload every kit
        uses: actions/upload-artifact@v6
        with:
          name: kits
          path: output/*/*-kit.zip
"""


def default_install() -> str:
    """The pip requirement of the clipper that is running: this project's
    distribution name and its installed version."""
    from importlib.metadata import version

    return f"{DISTRIBUTION}=={version(DISTRIBUTION)}"


def _plain(text: str) -> bool:
    """Safe inside a double-quoted YAML value and a shell word."""
    return bool(text.strip()) and not any(c in text for c in '"\n\\$`')


def render_workflow(install: str, shards: int = DEFAULT_SHARDS, feed: str | None = None) -> str:
    """The workflow text: ``install`` is the pip requirement that installs
    clipper on the runner, ``shards`` the number of parallel rebuild jobs,
    ``feed`` the URL of a podcast feed to watch instead of the site."""
    if not 1 <= shards <= 64:
        raise ClipperError(f"--shards {shards}: use 1 to 64 parallel jobs")
    if not _plain(install):
        raise ClipperError(f"--install {install!r}: not a plain pip requirement")
    if feed is not None and not (_plain(feed) and feed.startswith(("https://", "http://"))):
        raise ClipperError(f"--feed {feed!r}: not an http(s) URL")
    return (
        _TEMPLATE.replace("__TRIGGER__", FEED_TRIGGER if feed else SITE_TRIGGER)
        .replace("__ON__", FEED_ON if feed else SITE_ON)
        .replace("__SOURCE__", feed.strip() if feed else ".")
        .replace("__INSTALL__", install.strip())
        .replace("__SINCE__", str(SINCE_DAYS))
        .replace("__SHARD_LIST__", ", ".join(str(k) for k in range(1, shards + 1)))
        .replace("__SHARDS__", str(shards))
    )


def write_workflow(
    site_dir: Path, install: str, shards: int, force: bool = False, feed: str | None = None
) -> Path:
    """Write ``.github/workflows/clipper.yml`` under ``site_dir``."""
    path = site_dir / WORKFLOW_PATH
    if path.exists() and not force:
        raise ClipperError(f"{path}: already exists (use --force to overwrite)")
    fsutil.write_text(path, render_workflow(install, shards, feed))
    return path
