"""Files a reader needs from elsewhere: a feed, its transcripts, chapters and
images, by http(s) URL or as local files next to a local feed.

A *location* is an http(s) URL or a local path. Links inside a document are
resolved against the document's own location: against a URL by the usual
rules, against a local file inside that file's folder (a link that climbs out
of it is refused, so a feed cannot make clipper read any file it likes).
Every other scheme (``file:``, ``ftp:``, ``data:``...) is refused, and so is
a link (or a redirect) from a document on the internet to this machine or a
private network (a feed must not make clipper read a cloud's metadata
service or an intranet page).

Downloads have a timeout and a size limit, follow redirects only to http(s),
and are written atomically: a failed download leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from clipper import fsutil
from clipper.errors import ClipperError

TIMEOUT = 20.0  # seconds without a byte before a download is given up
MB = 1 << 20
MEDIA_LIMIT = 4096 * MB  # an episode's audio or video
USER_AGENT = "clipper (podcast clips; +https://pypi.org/project/clipper/)"
WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Location:
    """Where a file is: ``url`` (http or https) or ``path`` (local), never both.
    ``root`` bounds what a local location's relative links may reach."""

    url: str | None = None
    path: Path | None = None
    root: Path | None = None

    @classmethod
    def of(cls, source: str | Path) -> Location:
        """A location given by the user: a URL or a local file."""
        text = str(source)
        scheme = urlsplit(text).scheme.lower()
        if scheme in WEB_SCHEMES:
            return cls(url=text)
        if len(scheme) > 1:  # c: on Windows is a drive, not a scheme
            raise ClipperError(f"{text}: only http(s) URLs and local files are read")
        path = Path(text).expanduser()
        return cls(path=path, root=path.resolve().parent)

    @property
    def is_web(self) -> bool:
        return self.url is not None

    def __str__(self) -> str:
        return self.url if self.url is not None else str(self.path)

    def join(self, link: str) -> Location:
        """``link`` as written in the document at this location."""
        link = link.strip()
        scheme = urlsplit(link).scheme.lower()
        if scheme in WEB_SCHEMES or (self.url is not None and not scheme):
            target = link if scheme else urljoin(self.url or "", link)
            if self.url is not None and reaches_inward(self.url, target):
                raise ClipperError(f"{link}: a link from the internet to a private address")
            return Location(url=target)
        if scheme:
            raise ClipperError(f"{link}: only http(s) links are followed")
        assert self.path is not None and self.root is not None
        parts = urlsplit(link)
        target = (self.path.resolve().parent / unquote(parts.path)).resolve()
        if not target.is_relative_to(self.root):
            raise ClipperError(f"{link}: outside the folder of {self.path}")
        return Location(path=target, root=self.root)

    def suffix(self) -> str:
        """The file name's suffix, lower case (``.vtt``), or ``""``."""
        name = urlsplit(self.url).path if self.url is not None else str(self.path)
        return Path(unquote(name)).suffix.lower()

    def cache_name(self) -> str:
        """A file name for a download of this location: a hash, and the
        suffix when it is a plain one (so no name can climb out of a cache)."""
        stem = hashlib.sha256(str(self).encode("utf-8")).hexdigest()[:20]
        suffix = self.suffix()
        return stem + (suffix if suffix[1:].isalnum() and len(suffix) <= 6 else "")


def _private(url: str) -> bool:
    """Whether the URL's host is this machine or on a private network (a name
    that does not resolve counts as public: fetching it fails anyway)."""
    host = urlsplit(url).hostname or ""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in found)


def reaches_inward(source: str, target: str) -> bool:
    """Whether a link from ``source`` to ``target`` goes from a public host to
    a private one."""
    return _private(target) and not _private(source)


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib also follows ftp), and never
    from a public host to a private one."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in WEB_SCHEMES or reaches_inward(req.full_url, newurl):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-http URL", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_WebOnlyRedirects)


def _too_big(location: Location, limit: int) -> ClipperError:
    return ClipperError(f"{location}: larger than {limit // MB} MB; not read")


def read_bytes(location: Location, limit: int, what: str) -> tuple[bytes, str]:
    """The content of ``location`` and its media type (from the server, or
    ``""`` for a local file). ``what`` names the file in errors ("feed")."""
    if location.path is not None:
        try:
            if location.path.stat().st_size > limit:
                raise _too_big(location, limit)
            return location.path.read_bytes(), ""
        except IsADirectoryError:
            raise ClipperError(f"{location}: a folder, not a {what} file") from None
        except OSError as exc:
            raise ClipperError(f"{location}: cannot read the {what}: {exc.strerror}") from None
    with _open(location, what) as response:
        data = response.read(limit + 1)
        if len(data) > limit:
            raise _too_big(location, limit)
        return data, response.headers.get_content_type()


def download(location: Location, target: Path, limit: int, what: str) -> Path:
    """Copy ``location`` to ``target`` atomically (streamed, at most ``limit``
    bytes); a local file is copied too, so that the result lives in the cache."""
    with fsutil.atomic_path(target) as tmp:
        if location.path is not None:
            data, _ = read_bytes(location, limit, what)
            tmp.write_bytes(data)
        else:
            with _open(location, what) as response, open(tmp, "wb") as out:
                copied = 0
                for block in iter(lambda: response.read(MB), b""):
                    copied += len(block)
                    if copied > limit:
                        raise _too_big(location, limit)
                    out.write(block)
    return target


def cached(location: Location, folder: Path, limit: int, what: str) -> Path:
    """``location`` downloaded once into ``folder`` (by a name made from its
    address, so it never lands outside ``folder``)."""
    target = folder / location.cache_name()
    if target.is_file():
        return target
    return download(location, target, limit, what)


def _open(location: Location, what: str) -> http.client.HTTPResponse:
    assert location.url is not None
    request = urllib.request.Request(location.url, headers={"User-Agent": USER_AGENT})
    try:
        return _OPENER.open(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        raise ClipperError(f"{location}: the {what} did not download (HTTP {exc.code})") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise ClipperError(f"{location}: the {what} did not download ({reason})") from None
