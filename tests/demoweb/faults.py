"""The ``faultyreprint`` site: a normal republisher plus every failure a crawler meets.

Each fault lives at a path that names it (see :data:`FAULTS`).  Stateful faults (500
then OK, 429 then OK) keep their counters in a :class:`FaultState` owned by one
``DemoWeb``, so every server instance starts from the same state.
"""

from __future__ import annotations

import functools
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator

from tests.demoweb import discovery, response, templates
from tests.demoweb.response import HTML, Response
from tests.demoweb.templates import SiteContext, SitePages, esc, text

# path -> (kind, behaviour).  Paths are what the sitemap and homepage link to.
FAULTS: dict[str, tuple[str, str]] = {
    "/faults/status-404-missing/": ("not_found", "404 Not Found"),
    "/faults/flaky-500-then-ok/": ("flaky_500", "500 on the first request, then 200 with an article"),
    "/faults/rate-limited-429-then-ok/": (
        "rate_limited", "429 with Retry-After: 1 until a second has passed since the first 429, then 200"),
    "/faults/slow-response-page/": ("slow", "sleeps slow_seconds before sending anything, then 200"),
    "/faults/redirect-chain-start/": ("redirect_chain", "301 -> 302 -> 307 -> a good article (3 hops)"),
    "/faults/redirect-loop-a/": ("redirect_loop", "302 to /faults/redirect-loop-b/, which 302s back"),
    "/faults/cyrillic-windows-1251-page/": (
        "cp1251", "Cyrillic page in windows-1251; header has no charset, <meta charset> says windows-1251"),
    "/faults/latin1-wrong-charset-utf8/": ("latin1_wrong_charset", "latin-1 bytes served as charset=utf-8"),
    "/faults/latin1-no-charset-header/": ("latin1_no_charset", "latin-1 bytes, no charset in header or page"),
    "/faults/malformed-truncated-html/": ("malformed", "unclosed tags, document cut off mid-tag"),
    "/faults/huge-20mb-page/": ("huge", "20 MiB HTML page, streamed with a Content-Length"),
    "/faults/gzip-bomb-1gb/": ("gzip_bomb", "Content-Encoding: gzip, ~1 MB on the wire, 1 GiB of zeros inflated"),
    "/faults/empty-200-body/": ("empty", "200 with an empty body"),
    "/faults/png-served-as-html/": ("binary_as_html", "a PNG image served as text/html"),
    "/faults/soft-404-page-not-found/": ("soft_404", "'Page not found' page served with status 200"),
    "/private/members-only-notes/": (
        "robots_disallowed", "disallowed by robots.txt but linked from the homepage (200 if fetched)"),
    "/feed.xml": ("feed_is_html", "linked as the RSS feed, answers an HTML page"),
    "/sitemap-broken.xml": ("invalid_sitemap", "second sitemap in robots.txt, not well-formed XML"),
}

HUGE_SIZE = 20 * 1024 * 1024
BOMB_SIZE = 1 << 30  # inflated bytes of zeros
_BOMB_CHUNK = 1 << 20
_BOMB_PREFIX = b"<!DOCTYPE html><html><body><p>"
TRACKING_SUFFIXES = ("?utm_source=x", "?fbclid=y", "#frag", "?utm_source=newsletter&utm_medium=email")
EXTERNAL_LINKS = ("http://example.com/news/world-story-123.html", "https://example.org/", "mailto:tips@example.com",
                  "ftp://example.org/pub/archive.txt", "javascript:void(0)", "tel:+15550100")


class FaultState:
    """Per-server counters for faults that change answer after the first request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, int] = {}
        self.limited_until: float | None = None

    def hit(self, key: str) -> int:
        """Count a request to ``key``; returns how many there have been (1 for the first)."""
        with self._lock:
            self._hits[key] = self._hits.get(key, 0) + 1
            return self._hits[key]

    def rate_limited(self, now: float) -> bool:
        """True while the 429 window (1 s after the first request) is open."""
        with self._lock:
            if self.limited_until is None:
                self.limited_until = now + 1.0
            return now < self.limited_until


# --------------------------------------------------------------------------- byte-level faults

@functools.lru_cache(maxsize=1)
def _bomb_parts() -> tuple[bytes, bytes, bytes, bytes]:
    """gzip header, deflated prefix, one deflated MiB of zeros, final block.

    A full flush resets the compressor, so every MiB of zeros compresses to the same
    bytes: the bomb is streamed by repeating one block instead of compressing 1 GiB.
    """
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # magic, deflate, no flags, mtime 0
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(_BOMB_PREFIX) + comp.flush(zlib.Z_FULL_FLUSH)
    zeros = bytes(_BOMB_CHUNK)
    block = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    if block != again:  # would make the stream corrupt; never seen with zlib, but check
        raise RuntimeError("zlib full flush is not repeatable")
    return header, first, block, comp.flush(zlib.Z_FINISH)


def _bomb_blocks() -> int:
    """How many zero blocks make BOMB_SIZE inflated bytes."""
    return BOMB_SIZE // _BOMB_CHUNK


@functools.lru_cache(maxsize=1)
def _bomb_trailer() -> bytes:
    """gzip trailer: CRC32 and size of the inflated data (computed once, when needed)."""
    crc = zlib.crc32(_BOMB_PREFIX)
    zeros = bytes(_BOMB_CHUNK)
    for _ in range(_bomb_blocks()):
        crc = zlib.crc32(zeros, crc)
    return struct.pack("<II", crc & 0xFFFFFFFF, (len(_BOMB_PREFIX) + BOMB_SIZE) & 0xFFFFFFFF)


def gzip_bomb() -> Response:
    """Small on the wire, 1 GiB once a client honours Content-Encoding: gzip."""
    header, first, block, tail = _bomb_parts()
    length = len(header) + len(first) + len(block) * _bomb_blocks() + len(tail) + 8

    def chunks() -> Iterator[bytes]:
        yield header + first
        batch = block * 64  # ~64 KB writes
        full, rest = divmod(_bomb_blocks(), 64)
        for _ in range(full):
            yield batch
        yield block * rest + tail + _bomb_trailer()

    return Response(200, b"", HTML, (("Content-Encoding", "gzip"),), chunks, length)


def huge_page(ctx: SiteContext) -> Response:
    """A 20 MiB HTML page; generated while streaming so it never sits in memory."""
    head = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Huge page :: '
            f'{ctx.name}</title></head><body><div class="fr-text">\n').encode()
    tail = b"</div></body></html>\n"
    para = (b"<p>This page is deliberately enormous so that crawlers must cap how much they read. "
            b"Nothing here is news; the same paragraph repeats until the page reaches twenty megabytes.</p>\n")
    filler = HUGE_SIZE - len(head) - len(tail)
    count, pad = divmod(filler, len(para))

    def chunks() -> Iterator[bytes]:
        yield head
        batch = para * 512
        full, rest = divmod(count, 512)
        for _ in range(full):
            yield batch
        yield para * rest + b" " * pad + tail

    return Response(200, b"", HTML, (), chunks, HUGE_SIZE)


def tiny_png() -> bytes:
    """A valid 8x8 red PNG (built by hand: no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


# --------------------------------------------------------------------------- encodings

_RUSSIAN = (
    "Городской совет Северогорска в четверг утвердил новый план ремонта дорог. По словам "
    "чиновников, работы начнутся весной и продлятся около двух лет.",
    "Жители давно жалуются на ямы и разбитые тротуары в старом центре города. Стоимость "
    "программы оценивается в сорок миллионов рублей, часть средств выделит областной бюджет.",
    "«Мы слишком долго откладывали этот ремонт», — заявила заместитель мэра Анна Журавлёва. "
    "Депутаты оппозиции потребовали опубликовать подробную смету расходов.",
    "Следующее заседание совета назначено на декабрь. Общественные слушания пройдут в здании "
    "библиотеки, и каждый житель сможет задать вопрос.",
)

_FRENCH = (
    "Le conseil municipal de Valmont-sur-Mer a approuvé jeudi un budget révisé pour l'année "
    "prochaine, après près de cinq heures de débat.",
    "« Nous avons fait des choix difficiles », a déclaré la trésorière Hélène Lefèvre. Les "
    "associations de quartier réclament davantage de moyens pour les écoles et la bibliothèque.",
    "Selon les chiffres publiés, la dette de la commune a légèrement diminué. Die Bürger äußerten "
    "sich überwiegend zufrieden, während Händler über höhere Gebühren klagten.",
)

_SPANISH = (
    "El ayuntamiento de Villarreal del Campo aprobó el martes una nueva ordenanza sobre el uso "
    "del agua, tras un año de sequía.",
    "¿Quién pagará las obras? Según la concejala Begoña Núñez, la región aportará la mitad del "
    "presupuesto y el municipio cubrirá el resto.",
    "Los vecinos del barrio antiguo celebraron la decisión, aunque algunos comerciantes temen "
    "subidas de tarifas. ¡Por fin hay un plan!, dijo un agricultor.",
)


def _encoded_page(title: str, paras: tuple[str, ...], lang: str, encoding: str,
                  meta_charset: str | None) -> bytes:
    """A small article page encoded in ``encoding``, with or without a <meta charset>."""
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "\n".join(f"<p>{text(p)}</p>" for p in paras)
    page = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>{meta}<title>{text(title)}</title></head>\n'
            f'<body><div class="fr-article"><h1>{text(title)}</h1>\n<div class="fr-text">\n{body}\n'
            f"</div></div></body>\n</html>\n")
    return page.encode(encoding)


def _malformed(ctx: SiteContext, art) -> bytes:
    """Real article text in broken markup: unclosed tags, then the bytes just stop."""
    p = [text(x) for x in art.paragraphs]
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{text(art.title)}'
            f'</title>\n<body><div class="fr-article"><h1>{text(art.title)}\n'
            f'<div class="fr-text"><p>{p[0]} <b>bold that never closes\n<p>{p[1]} <i>an italic <a href="/">link\n'
            f'<table><tr><td>{p[2]}\n<p>{p[3]}\n<div><div><span>{p[4][: len(p[4]) // 2]}</span>'
            f'<p class="fr-te')
    return page.encode("utf-8")


# --------------------------------------------------------------------------- routes

def _article_response(ctx: SiteContext, art) -> Response:
    """A good article page whose canonical link names its real URL."""
    return response.html(templates.fr_article(ctx, art, canonical=ctx.article_url(art)))


def _stateful_routes(ctx: SiteContext, state: FaultState, slow_seconds: float, arts) -> dict:
    """500-then-OK, 429-then-OK and the slow page: callables evaluated per request."""
    flaky_art, limited_art, slow_art = arts[2], arts[3], arts[4]

    def flaky() -> Response:
        if state.hit("flaky") == 1:
            return response.html("<html><body><h1>500 Internal Server Error</h1></body></html>", 500)
        return _article_response(ctx, flaky_art)

    def limited() -> Response:
        if state.rate_limited(time.monotonic()):
            page = response.html("<html><body><h1>429 Too Many Requests</h1></body></html>", 429)
            return Response(429, page.body, HTML, (("Retry-After", "1"),))
        return _article_response(ctx, limited_art)

    def slow() -> Response:
        time.sleep(slow_seconds)
        return _article_response(ctx, slow_art)

    return {"/faults/flaky-500-then-ok/": flaky, "/faults/rate-limited-429-then-ok/": limited,
            "/faults/slow-response-page/": slow}


def fault_routes(ctx: SiteContext, state: FaultState, slow_seconds: float) -> dict[str, Callable | Response]:
    """Every fault path of :data:`FAULTS` (plus redirect hops) mapped to its answer."""
    arts = ctx.articles
    routes: dict = _stateful_routes(ctx, state, slow_seconds, arts)
    missing = templates.fr_page(ctx, "Not found :: Faulty Reprint", "<h1>Not found</h1>")
    routes["/faults/status-404-missing/"] = response.html(missing, 404)
    routes["/faults/redirect-chain-start/"] = response.redirect(ctx.url("/faults/redirect-chain-hop-2/"), 301)
    routes["/faults/redirect-chain-hop-2/"] = response.redirect(ctx.url("/faults/redirect-chain-hop-3/"), 302)
    routes["/faults/redirect-chain-hop-3/"] = response.redirect(ctx.article_url(arts[1]), 307)
    routes["/faults/redirect-loop-a/"] = response.redirect(ctx.url("/faults/redirect-loop-b/"), 302)
    routes["/faults/redirect-loop-b/"] = response.redirect(ctx.url("/faults/redirect-loop-a/"), 302)
    routes["/faults/cyrillic-windows-1251-page/"] = Response(
        200, _encoded_page("Совет утвердил план ремонта дорог", _RUSSIAN, "ru", "cp1251", "windows-1251"),
        "text/html")
    routes["/faults/latin1-wrong-charset-utf8/"] = Response(
        200, _encoded_page("Valmont-sur-Mer adopte un budget révisé", _FRENCH, "fr", "latin-1", None),
        "text/html; charset=utf-8")
    routes["/faults/latin1-no-charset-header/"] = Response(
        200, _encoded_page("Villarreal del Campo aprueba la ordenanza del agua", _SPANISH, "es", "latin-1", None),
        "text/html")
    routes["/faults/malformed-truncated-html/"] = Response(200, _malformed(ctx, arts[5]), HTML)
    routes["/faults/huge-20mb-page/"] = huge_page(ctx)
    routes["/faults/gzip-bomb-1gb/"] = gzip_bomb
    routes["/faults/empty-200-body/"] = Response(200, b"", HTML)
    routes["/faults/png-served-as-html/"] = Response(200, tiny_png(), HTML)
    routes["/faults/soft-404-page-not-found/"] = response.html(templates.fr_page(
        ctx, "Page not found :: Faulty Reprint",
        "<h1>Page not found</h1><p>Sorry, the page you were looking for does not exist or has moved.</p>"))
    routes["/private/members-only-notes/"] = response.html(templates.fr_page(
        ctx, "Members only :: Faulty Reprint", "<h1>Members only</h1><p>Notes for subscribers.</p>"))
    routes["/feed.xml"] = response.html(templates.fr_page(
        ctx, "Feed :: Faulty Reprint", "<h1>Our feed has moved</h1><p>Please visit the homepage.</p>"))
    routes["/sitemap-broken.xml"] = response.xml(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <url><loc>{ctx.article_url(arts[0])}?a=1&b=2</loc></url>\n  <url><loc>{ctx.url('/faults/')}")
    return routes


def _home(ctx: SiteContext, active_sites: tuple[str, ...]) -> str:
    """Homepage: latest articles, tracking-parameter twins, fault links, foreign links."""
    arts = ctx.articles
    latest = "".join(f'<li><a href="{esc(a.path)}">{text(a.title)}</a> ({templates.long_date(a.published)})</li>'
                     for a in arts[:20])
    twins = "".join(f'<li><a href="{esc(arts[0].path + s)}">{text(arts[0].title)} [{esc(s)}]</a></li>'
                    for s in TRACKING_SUFFIXES)
    bad = "".join(f'<li><a href="{esc(p)}">{esc(kind)}</a></li>' for p, (kind, _) in FAULTS.items()
                  if p not in ("/feed.xml", "/sitemap-broken.xml"))
    foreign = list(EXTERNAL_LINKS) + [ctx.url("/", s) for s in active_sites if s != ctx.site]
    others = ctx.corpus.site("northwire")[:2]
    foreign += [ctx.url(a.path, a.site) for a in others]
    links = "".join(f'<li><a href="{esc(u)}">{esc(u)}</a></li>' for u in foreign)
    body = f"""<div class="fr-home">
<h2>Latest reprints</h2><ul class="fr-latest">{latest}</ul>
<h2>Shared links</h2><ul class="fr-twins">{twins}</ul>
<h2>Archive oddities</h2><ul class="fr-faults">{bad}</ul>
<h2>Elsewhere</h2><ul class="fr-elsewhere">{links}</ul>
</div>"""
    return templates.fr_page(ctx, "Faulty Reprint", body)


def add_faults(ctx: SiteContext, pages: SitePages, state: FaultState, slow_seconds: float,
               active_sites: tuple[str, ...]) -> None:
    """Complete the fault site: homepage, robots, sitemaps and every fault route."""
    arts = ctx.articles
    pages.routes.update(fault_routes(ctx, state, slow_seconds))
    pages.routes["/"] = response.html(_home(ctx, active_sites))
    pages.routes["/robots.txt"] = response.plain(discovery.robots(
        ["/private/"], [ctx.url("/sitemap.xml"), ctx.url("/sitemap-broken.xml")]))
    entries = [(ctx.article_url(a), a.modified) for a in arts]
    entries.append((ctx.article_url(arts[0]) + TRACKING_SUFFIXES[3], arts[0].modified))
    entries += [(ctx.url(p), None) for p in FAULTS
                if p not in ("/feed.xml", "/sitemap-broken.xml", "/private/members-only-notes/")]
    pages.routes["/sitemap.xml"] = response.xml(discovery.urlset(entries))


def fault_truth(ctx: SiteContext) -> list[dict]:
    """What each fault URL does, and which good article (if any) it finally serves."""
    arts = ctx.articles
    serves = {"/faults/flaky-500-then-ok/": arts[2], "/faults/rate-limited-429-then-ok/": arts[3],
              "/faults/slow-response-page/": arts[4], "/faults/redirect-chain-start/": arts[1],
              "/faults/malformed-truncated-html/": arts[5]}
    out = [{"url": ctx.url(p), "kind": kind, "behaviour": what,
            "serves": ctx.article_url(serves[p]) if p in serves else None}
           for p, (kind, what) in FAULTS.items()]
    out += [{"url": ctx.article_url(arts[0]) + s, "kind": "tracking_variant",
             "behaviour": "same article as the URL without the suffix", "serves": ctx.article_url(arts[0])}
            for s in TRACKING_SUFFIXES]
    return out
