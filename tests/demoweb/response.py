"""What a demo route answers: status, headers and a body (whole or streamed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

HTML = "text/html; charset=utf-8"
XML = "application/xml"
RSS = "application/rss+xml"
ATOM = "application/atom+xml"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Response:
    """A ready answer.  ``chunks`` (with ``length``) streams bodies too big to hold."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = HTML
    headers: tuple[tuple[str, str], ...] = ()
    chunks: Callable[[], Iterable[bytes]] | None = None
    length: int | None = None

    @property
    def content_length(self) -> int:
        """Value of the Content-Length header."""
        return self.length if self.chunks is not None else len(self.body)


def html(text: str, status: int = 200) -> Response:
    """An HTML page in UTF-8."""
    return Response(status, text.encode("utf-8"), HTML)


def xml(text: str, content_type: str = XML) -> Response:
    """An XML document (sitemap, RSS or Atom) in UTF-8."""
    return Response(200, text.encode("utf-8"), content_type)


def plain(text: str) -> Response:
    """A plain-text file such as robots.txt."""
    return Response(200, text.encode("utf-8"), TEXT)


def redirect(location: str, status: int = 301) -> Response:
    """A redirect with a tiny HTML body, as most servers send."""
    body = f'<html><body>Moved to <a href="{location}">{location}</a></body></html>'
    return Response(status, body.encode("utf-8"), HTML, (("Location", location),))
