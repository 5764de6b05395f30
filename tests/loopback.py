"""A web server on 127.0.0.1 serving a folder, for tests that read URLs
without the network: ``with serve(folder) as site:`` gives ``site.url``
(``http://127.0.0.1:<port>/``) and ``site.requests``, the paths asked for. A
file ``<name>.redirect`` answers with a redirect to the URL written in it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".vtt": "text/vtt",
        ".srt": "application/x-subrip",
        ".xml": "application/rss+xml",
    }

    def do_GET(self) -> None:
        """A ``<name>.redirect`` file answers with a redirect to the URL it holds."""
        if self.path.endswith(".redirect"):
            target = Path(self.translate_path(self.path)).read_text(encoding="utf-8").strip()
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]


@dataclass
class Served:
    url: str
    requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[Served]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    served = Served(f"http://127.0.0.1:{server.server_address[1]}/")
    server.requests = served.requests  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
