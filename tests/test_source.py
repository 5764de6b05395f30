"""Video sources: yt-dlp against a real HTTP server on 127.0.0.1, the cache, ids."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from clipper.errors import ClipperError
from clipper.media.ffmpeg import probe
from clipper.media.source import download, resolve_video, youtube_url
from clipper.render.clips import render_clips
from tests.factories import clip_episode, clip_quote
from tests.videos import decode_gray_frames, read_label, test_videos

__all__ = ["test_videos"]

pytestmark = pytest.mark.slow


class VideoServer(ThreadingHTTPServer):
    """Serves one video at /video.mp4, the same bytes cut short at
    /truncated.mp4 (Content-Length promises more), and 404 elsewhere."""

    daemon_threads = True

    def __init__(self, payload: bytes) -> None:
        super().__init__(("127.0.0.1", 0), VideoHandler)
        self.payload = payload
        self.hits: Counter[str] = Counter()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"


class VideoHandler(BaseHTTPRequestHandler):
    server: VideoServer

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self.server.hits[self.path] += 1
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        if self.path not in ("/video.mp4", "/truncated.mp4"):
            self.send_error(404)
            return
        payload = self.server.payload
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            sent = payload if self.path == "/video.mp4" else payload[: len(payload) // 2]
            self.wfile.write(sent)
            self.close_connection = True

    def log_message(self, *args) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server(test_videos):
    httpd = VideoServer(test_videos["25"].path.read_bytes())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_download_then_reuse_the_cached_file(server, tmp_path, test_videos):
    url = server.url("video.mp4")
    first = download(url, tmp_path, retries=1)
    assert first.parent == tmp_path and first.suffix == ".mp4"
    assert probe(first).duration == pytest.approx(test_videos["25"].duration, abs=0.1)
    requests = server.hits["/video.mp4"]
    assert requests >= 1
    assert download(url, tmp_path, retries=1) == first
    assert server.hits["/video.mp4"] == requests  # no network on the second run


def test_a_damaged_cached_file_is_downloaded_again(server, tmp_path):
    url = server.url("video.mp4")
    cached = download(url, tmp_path, retries=1)
    requests = server.hits["/video.mp4"]
    cached.write_bytes(cached.read_bytes()[:5000])
    again = download(url, tmp_path, retries=1)
    assert server.hits["/video.mp4"] > requests
    assert probe(again).duration > 3


def test_a_missing_video_is_a_one_line_error(server, tmp_path):
    with pytest.raises(ClipperError, match="404") as caught:
        download(server.url("gone.mp4"), tmp_path, retries=1)
    assert "\n" not in str(caught.value) and "gone.mp4" in str(caught.value)


def test_a_truncated_download_is_never_used(server, tmp_path):
    with pytest.raises(ClipperError, match=r"truncated.mp4: download failed: .*expected \d+ bytes"):
        download(server.url("truncated.mp4"), tmp_path, retries=1)
    assert server.hits["/truncated.mp4"] >= 1
    assert list(tmp_path.iterdir()) == []  # no partial file, no leftover folder


def test_clips_from_a_url(server, tmp_path):
    result = render_clips(
        clip_episode(tmp_path),
        [clip_quote("q1", 1.0, 2.0)],
        tmp_path / "out",
        url=server.url("video.mp4"),
        cache_dir=tmp_path / "cache",
        shapes=("16:9",),
        captions=False,
    )[0]
    assert result.error is None and probe(result.video).duration == pytest.approx(1.6, abs=0.05)


def test_youtube_ids_are_validated_and_passed_as_urls():
    assert youtube_url("-abcDEF_123") == "https://www.youtube.com/watch?v=-abcDEF_123"
    for bad in ("short", "abcdefghijkl", "abc/../x.mp4", "--exec=rm -r"):
        with pytest.raises(ClipperError, match="invalid YouTube id"):
            youtube_url(bad)


def test_an_episode_without_any_video_says_what_to_do(tmp_path):
    with pytest.raises(
        ClipperError, match=r"^test-episode: no video: .*give a video file or a URL"
    ):
        resolve_video(clip_episode(tmp_path))
    with pytest.raises(ClipperError, match="not found"):
        resolve_video(clip_episode(tmp_path), video=tmp_path / "none.mp4")


def test_only_http_urls_are_downloaded(tmp_path):
    with pytest.raises(ClipperError, match="not an http"):
        download(f"file://{Path('/etc/passwd')}", tmp_path)


def test_sections_download_only_the_quotes(server, tmp_path):
    results = render_clips(
        clip_episode(tmp_path),
        [clip_quote("q1", 2.0, 2.6), clip_quote("bad", 2.0, 1.0)],
        tmp_path / "out",
        url=server.url("video.mp4"),
        cache_dir=tmp_path / "cache",
        shapes=("16:9",),
        captions=False,
        pad=0.2,
        sections=True,
    )
    good, bad = results
    assert bad.error and "quote bad" in bad.error
    assert good.error is None
    assert (good.start, good.end) == (pytest.approx(1.8, abs=0.04), pytest.approx(2.8, abs=0.04))
    cached = sorted((tmp_path / "cache").glob("*.mp4"))
    assert len(cached) == 1 and probe(cached[0]).duration < 3.5  # not the whole 4 s video
    frames, _ = decode_gray_frames(good.video)
    assert read_label(frames[0]) == pytest.approx(1.8 * 25, abs=1)


def test_a_failed_episode_download_names_the_episode(server, tmp_path):
    episode = clip_episode(tmp_path)
    with pytest.raises(ClipperError) as caught:
        resolve_video(episode, url=server.url("gone.mp4"), cache_dir=tmp_path / "cache")
    assert str(caught.value).startswith(f"{episode.slug}: ")
    assert "404" in str(caught.value) and "\n" not in str(caught.value)
