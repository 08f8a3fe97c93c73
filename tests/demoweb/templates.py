"""HTML of the demo sites: one set of render functions per site.

Each site has its own markup (class names, layout, boilerplate blocks) so extraction
is tested against several CMS styles rather than one.  A site builder returns every
static route of the site, rendered once the ports (hence absolute URLs) are known.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.demoweb import discovery, response
from tests.demoweb.articles import DEMO_DATE, DISPLAY_NAMES, UNCRAWLED, Article, Corpus, slugify
from tests.demoweb.response import Response

Route = Response | Callable  # a callable route gets the request state (see web.py)


@dataclass
class SiteContext:
    """What a site builder needs: its articles and every site's base URL."""

    site: str
    bases: dict[str, str]  # site -> "http://127.0.0.1:8001" (no trailing slash)
    corpus: Corpus
    extra: dict = field(default_factory=dict)  # builder-specific options (fault site)

    @property
    def base(self) -> str:
        """Base URL of this site."""
        return self.bases[self.site]

    @property
    def name(self) -> str:
        """Display name of this site."""
        return DISPLAY_NAMES[self.site]

    def url(self, path: str, site: str | None = None) -> str:
        """Absolute URL of ``path`` on ``site`` (this site by default; an uncrawled outlet's own host)."""
        site = site or self.site
        return (self.bases[site] if site in self.bases else UNCRAWLED[site]) + path

    def article_url(self, art: Article) -> str:
        """Absolute URL of an article."""
        return self.url(art.path, art.site)

    def source_url(self, art: Article) -> str:
        """Absolute URL of the article's original (itself for originals)."""
        site, path = art.origin
        return self.url(path, site)

    def source_name(self, art: Article) -> str:
        """Display name of the site that first published the article."""
        return DISPLAY_NAMES[art.origin[0]]

    @property
    def articles(self) -> list[Article]:
        """This site's articles, newest first."""
        return self.corpus.site(self.site)

    @property
    def sections(self) -> list[str]:
        """Sections used by this site's articles, in a stable order."""
        return sorted({a.section for a in self.articles})


@dataclass
class SitePages:
    """All routes of one site plus the page it answers for unknown paths."""

    routes: dict[str, Route]
    not_found: Response


# --------------------------------------------------------------------------- helpers

def esc(text: str) -> str:
    """Escape for attributes and text."""
    return html.escape(text, quote=True)


def text(value: str) -> str:
    """Escape a text node, leaving quotes as typed (as most CMSs do)."""
    return html.escape(value, quote=False)


def long_date(when: dt.date | dt.datetime) -> str:
    """November 18, 2026."""
    return f"{when:%B} {when.day}, {when.year}"


def byline(art: Article) -> str:
    """Authors joined for display: 'A', 'A and B'."""
    return " and ".join(art.authors)


def paragraphs(art: Article, quote_tag: str = "blockquote", quote_class: str = "") -> str:
    """Body paragraphs; follow-ups show their quoted paragraphs inside a blockquote."""
    out, in_quote = [], False
    for i, para in enumerate(art.paragraphs):
        quoted = i in art.quoted
        if quoted and not in_quote:
            out.append(f'<{quote_tag} class="{quote_class}">' if quote_class else f"<{quote_tag}>")
        if in_quote and not quoted:
            out.append(f"</{quote_tag}>")
        in_quote = quoted
        out.append(f"<p>{text(para)}</p>")
    if in_quote:
        out.append(f"</{quote_tag}>")
    return "\n".join(out)


def pick(items: list, count: int, step: int = 3) -> list:
    """A deterministic spread of ``count`` items (for 'most read' boxes)."""
    return [items[(i * step) % len(items)] for i in range(min(count, len(items)))] if items else []


def json_ld(data: dict) -> str:
    """A JSON-LD script block (``</`` escaped so it cannot close the script early)."""
    body = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{body}\n</script>'


def news_article_ld(ctx: SiteContext, art: Article) -> dict:
    """schema.org NewsArticle for an article page."""
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art.title,
        "author": [{"@type": "Person", "name": a} for a in art.authors],
        "datePublished": discovery.w3c(art.published),
        "dateModified": discovery.w3c(art.modified),
        "mainEntityOfPage": ctx.article_url(art),
        "articleSection": art.section,
        "inLanguage": "en",
        "publisher": {"@type": "Organization", "name": ctx.name},
    }


def dated_listing(ctx: SiteContext, items: list[Article], cls: str) -> str:
    """A <ul> of article links with their dates (used by several sites' section pages)."""
    rows = [f'<li class="{cls}-item"><a href="{esc(a.path)}">{text(a.title)}</a> '
            f'<span class="{cls}-date">{long_date(a.published)}</span></li>' for a in items]
    return f'<ul class="{cls}-list">\n' + "\n".join(rows) + "\n</ul>"


STYLE = "<style>body{font-family:Georgia,serif;margin:0}a{color:#135}main,article{max-width:46em}</style>"


# --------------------------------------------------------------------------- northwire

def _nw_page(ctx: SiteContext, title: str, body: str, head: str = "", cls: str = "nw-page") -> str:
    """Northwire shell: masthead, section nav, footer."""
    nav = "".join(f'<li><a href="/section/{slugify(s)}/">{text(s)}</a></li>' for s in ctx.sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text(title)}</title>
<link rel="alternate" type="application/rss+xml" title="Northwire - latest" href="{esc(ctx.url('/feed.xml'))}">
{head}
{STYLE}
</head>
<body class="{cls}">
<header class="nw-masthead">
<div class="nw-brand"><a href="/">Northwire</a></div>
<p class="nw-tagline">Independent reporting from the towns of the north coast</p>
</header>
<nav class="nw-nav"><ul><li><a href="/">Home</a></li>{nav}<li><a href="/about/">About us</a></li></ul></nav>
{body}
<footer class="nw-footer">
<p>&copy; 2026 Northwire Media Cooperative. All rights reserved.</p>
<p><a href="/about/">About Northwire</a> · <a href="/feed.xml">RSS</a> ·
<a href="/about/#corrections">Corrections policy</a></p>
</footer>
</body>
</html>
"""


def _nw_trending(ctx: SiteContext, exclude: Article | None = None) -> str:
    """'Most read' sidebar."""
    items = [a for a in pick(ctx.articles, 6, 7) if a is not exclude][:5]
    rows = "".join(f'<li><a href="{esc(a.path)}">{text(a.title)}</a></li>' for a in items)
    return f'<aside class="nw-trending"><h2>Most read</h2><ol>{rows}</ol></aside>'


def _nw_article(ctx: SiteContext, art: Article) -> str:
    """A Northwire story page with full metadata."""
    url = ctx.article_url(art)
    head = "\n".join([
        f'<meta name="description" content="{esc(art.summary)}">',
        f'<link rel="canonical" href="{esc(url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(art.title)}">',
        f'<meta property="og:url" content="{esc(url)}">',
        '<meta property="og:site_name" content="Northwire">',
        f'<meta property="article:published_time" content="{discovery.w3c(art.published)}">',
        f'<meta property="article:modified_time" content="{discovery.w3c(art.modified)}">',
        f'<meta property="article:section" content="{esc(art.section)}">',
        *[f'<meta property="article:author" content="{esc(a)}">' for a in art.authors],
        json_ld(news_article_ld(ctx, art)),
    ])
    body = f"""<main class="nw-main">
<article class="nw-story">
<p class="nw-kicker"><a href="/section/{slugify(art.section)}/">{text(art.section)}</a></p>
<h1 class="nw-headline">{text(art.title)}</h1>
<div class="nw-meta">By <span class="nw-author">{text(byline(art))}</span> ·
<time datetime="{discovery.w3c(art.published)}">{long_date(art.published)}</time></div>
<div class="nw-body">
{paragraphs(art)}
</div>
<div class="nw-share">Share this story: <a href="mailto:?subject={esc(art.title)}">Email</a></div>
</article>
{_nw_trending(ctx, art)}
</main>"""
    return _nw_page(ctx, f"{art.title} | Northwire", body, head, "nw-article")


def _nw_home(ctx: SiteContext) -> str:
    """Homepage: lead story plus the 20 latest."""
    lead, rest = ctx.articles[0], ctx.articles[1:21]
    rows = "\n".join(
        f'<li class="nw-teaser"><a href="{esc(a.path)}">{text(a.title)}</a> '
        f'<time datetime="{discovery.w3c(a.published)}">{long_date(a.published)}</time></li>'
        for a in rest)
    body = f"""<main class="nw-main nw-front">
<section class="nw-lead"><h2><a href="{esc(lead.path)}">{text(lead.title)}</a></h2>
<p>{text(lead.summary)}</p></section>
<section class="nw-latest"><h2>Latest</h2><ul>
{rows}
</ul></section>
{_nw_trending(ctx)}
</main>"""
    return _nw_page(ctx, "Northwire | Independent news from the north coast", body, cls="nw-home")


def northwire(ctx: SiteContext) -> SitePages:
    """Original outlet: sitemap index of daily sitemaps, RSS, full article metadata."""
    arts = ctx.articles
    routes: dict[str, Route] = {a.path: response.html(_nw_article(ctx, a)) for a in arts}
    routes["/"] = response.html(_nw_home(ctx))
    for section in ctx.sections:
        items = [a for a in arts if a.section == section]
        body = f'<main class="nw-main"><h1 class="nw-section-title">{text(section)}</h1>' \
               f'{dated_listing(ctx, items, "nw-section")}</main>'
        routes[f"/section/{slugify(section)}/"] = response.html(
            _nw_page(ctx, f"{section} | Northwire", body, cls="nw-section"))
    routes["/about/"] = response.html(_nw_page(ctx, "About | Northwire", """<main class="nw-main">
<h1>About Northwire</h1>
<p>Northwire is a reader-funded newsroom covering councils, courts, hospitals and harbours
in the towns of the north coast. We publish every day and correct our mistakes in public.</p>
<h2 id="corrections">Corrections</h2><p>Write to the desk editor and we will review the story.</p>
</main>""", cls="nw-about"))
    days = sorted({a.date for a in arts})
    routes["/robots.txt"] = response.plain(
        discovery.robots(["/search", "/preview/"], [ctx.url("/sitemap_index.xml")]))
    children = [(ctx.url(f"/sitemaps/{d.isoformat()}.xml"),
                 max(a.modified for a in arts if a.date == d)) for d in days]
    children.append((ctx.url("/sitemaps/pages.xml"), None))
    routes["/sitemap_index.xml"] = response.xml(discovery.sitemap_index(children))
    for d in days:
        entries = [(ctx.article_url(a), a.modified) for a in arts if a.date == d]
        routes[f"/sitemaps/{d.isoformat()}.xml"] = response.xml(discovery.urlset(entries))
    pages = ["/", "/about/"] + [f"/section/{slugify(s)}/" for s in ctx.sections]
    routes["/sitemaps/pages.xml"] = response.xml(discovery.urlset([(ctx.url(p), None) for p in pages]))
    routes["/feed.xml"] = response.xml(discovery.rss(
        "Northwire", ctx.url("/"), ctx.url("/feed.xml"), "Latest stories from Northwire",
        [_feed_item(ctx, a) for a in arts[:25]]), response.RSS)
    missing = _nw_page(ctx, "Page not found | Northwire",
                       '<main class="nw-main"><h1>Page not found</h1><p>Try the <a href="/">homepage</a>.</p></main>')
    return SitePages(routes, response.html(missing, 404))


def _feed_item(ctx: SiteContext, art: Article) -> dict:
    """An RSS item / Atom entry for an article."""
    return {"title": art.title, "link": ctx.article_url(art), "date": art.published,
            "published": art.published, "updated": art.modified, "summary": art.summary,
            "authors": art.authors, "section": art.section}


# --------------------------------------------------------------------------- worldreprint

_WR_PROMO = """<div class="wr-book-promo">
<p><strong>Click the share button above to email/forward this article to your friends and colleagues.</strong></p>
<p>*** Order our new book: <em>The Reprint Reader: Ten Years of Second Opinions</em>.
Available in paperback and e-book. Every purchase supports our work. ***</p>
</div>"""

_WR_DISCLAIMER = """<div class="wr-disclaimer"><p><strong>Disclaimer:</strong> The contents of this article are of
sole responsibility of the author(s). World Reprint will not be responsible for any inaccurate or incorrect
statement in this article. World Reprint grants permission to cross-post original World Reprint articles
on community internet sites as long as the source and copyright are acknowledged together with a hyperlink
to the original article. This site contains copyrighted material the use of which has not always been
specifically authorized by the copyright owner. We are making such material available in an effort to advance
understanding of public affairs. We believe this constitutes a fair use of any such copyrighted material.</p></div>"""

_WR_DONATE = """<div class="wr-donate"><h3>Dear Readers,</h3><p>World Reprint is funded by its readers. We receive
no money from governments or corporations. If you value what we republish, please consider a monthly donation.
Even a small amount keeps the presses turning. <a href="/about-us/#donate">Donate now</a>.</p></div>"""


def _wr_page(ctx: SiteContext, title: str, body: str, head: str = "") -> str:
    """World Reprint shell: old-school WordPress theme with a top bar and a sidebar."""
    themes = " | ".join(f'<a href="/theme/{slugify(s)}/">{text(s)}</a>' for s in ctx.sections)
    popular = "".join(f'<li><a href="{esc(a.path)}">{text(a.title)}</a></li>' for a in pick(ctx.articles, 5, 5))
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{text(title)}</title>
<link rel="alternate" type="application/rss+xml" title="World Reprint &raquo; Feed" href="{esc(ctx.url('/feed/'))}">
{head}
{STYLE}
</head>
<body class="wr-body">
<div id="wr-top-bar"><a href="/">WORLD REPRINT</a> — Centre for the Study of Second Opinions</div>
<div id="wr-wrapper">
<div id="wr-menu"><a href="/">Home</a> | {themes} | <a href="/about-us/">About</a></div>
<div class="wr-columns">
<div class="wr-content">
{body}
</div>
<div class="wr-sidebar">
<div class="wr-widget"><h4>Most Popular</h4><ul>{popular}</ul></div>
<div class="wr-widget"><h4>Newsletter</h4><p>Get our articles in your inbox every morning.</p></div>
<div class="wr-widget"><h4>Support Us</h4><p>Reader donations keep this site free.</p></div>
</div>
</div>
<div id="wr-footer"><p>Copyright &copy; World Reprint, 2026. <a href="/about-us/">Contact us</a>.</p></div>
</div>
</body>
</html>
"""


def _wr_article(ctx: SiteContext, art: Article) -> str:
    """Global Research style: promo above, source box, disclaimer and donation below."""
    source_name, source_url = ctx.source_name(art), ctx.source_url(art)
    head = "\n".join([f'<meta name="author" content="{esc(byline(art))}">',
                      f'<meta name="description" content="{esc(art.summary)}">',
                      f'<meta property="og:title" content="{esc(art.title)}">'])
    authors = ", ".join(f'<a class="wr-author-link">{text(a)}</a>' for a in art.authors)
    body = f"""<div class="wr-breadcrumbs"><a href="/">Home</a> &raquo;
<a href="/theme/{slugify(art.section)}/">{text(art.section)}</a></div>
<h1 class="entry-title">{text(art.title)}</h1>
<div class="wr-byline">By <span class="wr-authors">{authors}</span><br>
Theme: <a href="/theme/{slugify(art.section)}/">{text(art.section)}</a><br>
<span class="wr-date">World Reprint, {long_date(art.published)}</span></div>
{_WR_PROMO}
<div class="entry-content">
{paragraphs(art)}
</div>
<div class="wr-source-box">
<p>The original source of this article is <a href="{esc(source_url)}">{text(source_name)}</a></p>
<p>Copyright &copy; {text(byline(art))}, <a href="{esc(source_url)}">{text(source_name)}</a>, 2026</p>
</div>
{_WR_DISCLAIMER}
{_WR_DONATE}"""
    return _wr_page(ctx, f"{art.title} - World Reprint", body, head)


def worldreprint(ctx: SiteContext) -> SitePages:
    """Republisher discovered only through its RSS feed (no sitemap anywhere)."""
    arts = ctx.articles
    routes: dict[str, Route] = {a.path: response.html(_wr_article(ctx, a)) for a in arts}
    latest = "\n".join(f'<div class="wr-teaser"><h3><a href="{esc(a.path)}">{text(a.title)}</a></h3>'
                       f'<p class="wr-teaser-meta">{text(byline(a))}, {long_date(a.published)}</p></div>'
                       for a in arts[:15])
    routes["/"] = response.html(_wr_page(ctx, "World Reprint - Second Opinions on the News",
                                         f'<h2 class="wr-latest">Latest Articles</h2>\n{latest}'))
    for section in ctx.sections:
        items = [a for a in arts if a.section == section]
        routes[f"/theme/{slugify(section)}/"] = response.html(_wr_page(
            ctx, f"{section} Archives - World Reprint",
            f'<h1 class="wr-archive-title">Theme: {text(section)}</h1>{dated_listing(ctx, items, "wr-archive")}'))
    routes["/about-us/"] = response.html(_wr_page(ctx, "About - World Reprint", """<h1>About World Reprint</h1>
<p>World Reprint collects and republishes articles from independent outlets, alongside our own analysis.</p>
<h2 id="donate">Donate</h2><p>We depend entirely on readers.</p>"""))
    routes["/robots.txt"] = response.plain(discovery.robots(["/wp-admin/", "/?s="]))
    routes["/feed/"] = response.xml(discovery.rss(
        "World Reprint", ctx.url("/"), ctx.url("/feed/"), "Second opinions on the news",
        [_feed_item(ctx, a) for a in arts]), response.RSS)
    missing = _wr_page(ctx, "Page not found - World Reprint", "<h1>Oops! That page can't be found.</h1>")
    return SitePages(routes, response.html(missing, 404))


# --------------------------------------------------------------------------- freepressmirror

def _fpm_page(ctx: SiteContext, title: str, body: str, head: str = "") -> str:
    """Free Press Mirror shell: modern header, category menu, footer."""
    menu = "".join(f'<a href="/category/{slugify(s)}.html">{text(s)}</a>' for s in ctx.sections)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{text(title)}</title>
{head}
{STYLE}
</head>
<body>
<div class="fpm-shell">
<header class="fpm-header"><a class="fpm-logo" href="/">Free Press Mirror</a>
<nav class="fpm-menu"><a href="/">Front page</a>{menu}<a href="/about.html">About</a></nav></header>
<main class="fpm-main">
{body}
</main>
<footer class="fpm-footer"><p>Free Press Mirror republishes public-interest journalism with permission.</p>
<p><a href="/about.html">About</a> · <a href="/about.html#newsletter">Newsletter</a></p></footer>
</div>
</body>
</html>
"""


def _fpm_article(ctx: SiteContext, art: Article) -> str:
    """Copy with an attribution line first and a cross-domain canonical link."""
    head = "\n".join([
        f'<link rel="canonical" href="{esc(ctx.source_url(art))}">',
        f'<meta property="og:title" content="{esc(art.title)}">',
        f'<meta property="article:published_time" content="{discovery.w3c(art.published)}">',
        f'<meta name="author" content="{esc(byline(art))}">',
    ])
    origin = ""
    if art.source:
        origin = (f'<p class="fpm-origin"><em>This article was originally published on '
                  f'<a href="{esc(ctx.source_url(art))}">{text(ctx.source_name(art))}</a>.</em></p>\n')
    readmore = ""
    if art.variant == "excerpt":  # a teaser: the rest is on the original's site
        readmore = (f'\n<p class="fpm-readmore"><a href="{esc(ctx.source_url(art))}">Read the full article at '
                    f'{text(ctx.source_name(art))}</a></p>')
    related = [a for a in pick(ctx.articles, 4, 11) if a is not art][:3]
    rel_html = "".join(f'<li><a href="{esc(a.path)}">{text(a.title)}</a></li>' for a in related)
    body = f"""<article class="fpm-post">
<header class="fpm-post-header"><h1 class="fpm-title">{text(art.title)}</h1>
<p class="fpm-dateline"><span class="fpm-by">By {text(byline(art))}</span>
<time datetime="{discovery.w3c(art.published)}">{long_date(art.published)}</time></p></header>
<section class="fpm-content">
{origin}{paragraphs(art)}{readmore}
</section>
<div class="fpm-newsletter"><h3>Get the Mirror in your inbox</h3>
<p>The best independent reporting, reflected once a day. No spam, unsubscribe any time.</p>
<form action="/about.html#newsletter"><input type="email" name="email"><button>Sign up</button></form></div>
<section class="fpm-related"><h2>Related articles</h2><ul>{rel_html}</ul></section>
</article>"""
    return _fpm_page(ctx, f"{art.title} — Free Press Mirror", body, head)


def freepressmirror(ctx: SiteContext) -> SitePages:
    """Republisher discovered only through a sitemap index with a gzipped child."""
    arts = ctx.articles
    routes: dict[str, Route] = {a.path: response.html(_fpm_article(ctx, a)) for a in arts}
    cards = "\n".join(f'<div class="fpm-card"><a href="{esc(a.path)}">{text(a.title)}</a>'
                      f'<span class="fpm-card-date">{long_date(a.published)}</span></div>' for a in arts[:18])
    routes["/"] = response.html(_fpm_page(ctx, "Free Press Mirror", f'<section class="fpm-front">{cards}</section>'))
    for section in ctx.sections:
        items = [a for a in arts if a.section == section]
        routes[f"/category/{slugify(section)}.html"] = response.html(_fpm_page(
            ctx, f"{section} — Free Press Mirror",
            f'<h1 class="fpm-cat">{text(section)}</h1>{dated_listing(ctx, items, "fpm-cat")}'))
    routes["/about.html"] = response.html(_fpm_page(ctx, "About — Free Press Mirror", """<h1>About us</h1>
<p>We mirror independent journalism so that it reaches more readers, always with a link to the source.</p>
<h2 id="newsletter">Newsletter</h2><p>One email a day.</p>"""))
    routes["/robots.txt"] = response.plain(
        discovery.robots(["/admin/", "/drafts/"], [ctx.url("/sitemap_index.xml")]))
    half = len(arts) // 2
    first = [(ctx.article_url(a), a.modified) for a in arts[:half]]
    second = [(ctx.article_url(a), a.modified) for a in arts[half:]]
    pages = [(ctx.url(p), None) for p in ["/", "/about.html"] +
             [f"/category/{slugify(s)}.html" for s in ctx.sections]]
    routes["/sitemap_index.xml"] = response.xml(discovery.sitemap_index([
        (ctx.url("/sitemaps/posts-1.xml"), arts[0].modified),
        (ctx.url("/sitemaps/posts-2.xml.gz"), arts[half].modified),
        (ctx.url("/sitemaps/pages.xml"), None)]))
    routes["/sitemaps/posts-1.xml"] = response.xml(discovery.urlset(first))
    gz = gzip.compress(discovery.urlset(second).encode("utf-8"), mtime=0)  # mtime=0: deterministic
    routes["/sitemaps/posts-2.xml.gz"] = Response(200, gz, "application/gzip")
    routes["/sitemaps/pages.xml"] = response.xml(discovery.urlset(pages))
    missing = _fpm_page(ctx, "Not found — Free Press Mirror", "<h1>404</h1><p>Nothing to mirror here.</p>")
    return SitePages(routes, response.html(missing, 404))


# --------------------------------------------------------------------------- commonsdigest

PER_PAGE = 10


def _cd_page(ctx: SiteContext, title: str, body: str, head: str = "") -> str:
    """Commons Digest shell: minimal blog with a sidebar of tags."""
    tags = " ".join(f'<a class="cd-tag" href="/tag/{slugify(s)}/">{text(s)}</a>' for s in ctx.sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{text(title)}</title>
{head}
{STYLE}
</head>
<body class="cd">
<div class="cd-header"><a class="cd-logo" href="/">Commons Digest</a>
<span class="cd-motto">Good journalism, shared under open licences</span></div>
<div class="cd-menu"><a href="/">Latest</a> <a href="/about/">About</a></div>
<div class="cd-layout">
<div class="cd-main">
{body}
</div>
<div class="cd-sidebar"><h4>Tags</h4><p>{tags}</p><h4>Licence</h4>
<p>Reprints keep the licence of their source. Our own posts are CC BY 4.0.</p></div>
</div>
<div class="cd-footer">Commons Digest · a volunteer project · <a href="/about/">About</a></div>
</body>
</html>
"""


def _cd_article(ctx: SiteContext, art: Article) -> str:
    """Reprint with the Creative Commons notice below the body."""
    if art.source:
        notice = (f'<p class="cd-licence">Republished from <a href="{esc(ctx.source_url(art))}">'
                  f'{text(ctx.source_name(art))}</a> under a Creative Commons licence '
                  '(<a href="https://creativecommons.org/licenses/by-nd/4.0/">CC BY-ND 4.0</a>).</p>')
    else:
        notice = '<p class="cd-licence">This post is licensed CC BY 4.0.</p>'
    body = f"""<div class="cd-post">
<h2 class="cd-post-title">{text(art.title)}</h2>
<p class="cd-post-meta">Posted on {long_date(art.published)} · by {text(byline(art))} ·
<a href="/tag/{slugify(art.section)}/">{text(art.section)}</a></p>
<div class="cd-post-body">
{paragraphs(art)}
</div>
{notice}
</div>"""
    head = f'<meta name="date" content="{art.published:%Y-%m-%d}">'
    return _cd_page(ctx, f"{art.title} · Commons Digest", body, head)


def _cd_listing_path(page: int) -> str:
    """/ for the first listing page, /page/N/ for the others."""
    return "/" if page == 1 else f"/page/{page}/"


def _cd_listing(ctx: SiteContext, page: int, n_pages: int) -> str:
    """One page of the paginated archive, 10 posts, newest first, each with its date."""
    items = ctx.articles[(page - 1) * PER_PAGE: page * PER_PAGE]
    posts = "\n".join(
        f'<div class="cd-entry"><h3><a href="{esc(a.path)}">{text(a.title)}</a></h3>'
        f'<p class="cd-entry-date">{long_date(a.published)}</p><p>{text(a.summary)}</p></div>' for a in items)
    head, nav = [], []
    if page > 1:
        head.append(f'<link rel="prev" href="{esc(ctx.url(_cd_listing_path(page - 1)))}">')
        nav.append(f'<a class="cd-newer" href="{_cd_listing_path(page - 1)}">&laquo; Newer posts</a>')
    if page < n_pages:
        head.append(f'<link rel="next" href="{esc(ctx.url(_cd_listing_path(page + 1)))}">')
        nav.append(f'<a class="cd-older" href="{_cd_listing_path(page + 1)}">Older posts &raquo;</a>')
    body = f'{posts}\n<div class="cd-pagination">{" ".join(nav)} <span>Page {page} of {n_pages}</span></div>'
    title = "Commons Digest" if page == 1 else f"Commons Digest · Page {page}"
    return _cd_page(ctx, title, body, "\n".join(head))


def commonsdigest(ctx: SiteContext) -> SitePages:
    """Republisher discovered only by paging through its archive (no sitemap, no feed)."""
    arts = ctx.articles
    routes: dict[str, Route] = {a.path: response.html(_cd_article(ctx, a)) for a in arts}
    n_pages = -(-len(arts) // PER_PAGE)
    for page in range(1, n_pages + 1):
        routes[_cd_listing_path(page)] = response.html(_cd_listing(ctx, page, n_pages))
    for section in ctx.sections:
        items = [a for a in arts if a.section == section]
        routes[f"/tag/{slugify(section)}/"] = response.html(_cd_page(
            ctx, f"{section} · Commons Digest",
            f'<h2 class="cd-tag-title">Posts tagged {text(section)}</h2>{dated_listing(ctx, items, "cd-tag")}'))
    routes["/about/"] = response.html(_cd_page(ctx, "About · Commons Digest", """<h2>About</h2>
<p>Commons Digest reprints articles published under Creative Commons licences, with credit and a link.</p>"""))
    routes["/robots.txt"] = response.plain(discovery.robots(["/wp-login.php"]))
    missing = _cd_page(ctx, "Not found · Commons Digest", "<h2>Nothing here</h2>")
    return SitePages(routes, response.html(missing, 404))


# --------------------------------------------------------------------------- newsbeacon

def _nb_page(ctx: SiteContext, title: str, body: str, head: str = "") -> str:
    """News Beacon shell: top bar with the date, sections, right rail with ads."""
    sections = "".join(f'<a href="/{slugify(s)}/">{text(s)}</a>' for s in ctx.sections)
    most = "".join(f'<li><a href="{esc(a.path)}">{text(a.title)}</a></li>' for a in pick(ctx.articles, 5, 4))
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{text(title)}</title>
{head}
{STYLE}
</head>
<body>
<div id="nb-app">
<div class="nb-topbar">{DEMO_DATE:%A} {DEMO_DATE.day} {DEMO_DATE:%B %Y} · <a href="/about-us.html">About us</a></div>
<header class="nb-header"><a class="nb-logo" href="/">News Beacon</a>
<nav class="nb-sections"><a href="/">Home</a>{sections}</nav></header>
<div class="nb-grid">
<main class="nb-article-col">
{body}
</main>
<aside class="nb-rail"><div class="nb-most-viewed"><h3>Most viewed</h3><ol>{most}</ol></div>
<div class="nb-ad">Advertisement</div></aside>
</div>
<footer class="nb-footer"><p>&copy; 2026 News Beacon Ltd.</p><p><a href="/about-us.html">About us</a> ·
<a href="/about-us.html#complaints">Complaints</a></p></footer>
</div>
</body>
</html>
"""


def _nb_article(ctx: SiteContext, art: Article) -> str:
    """A News Beacon article (uncredited copies look exactly like originals)."""
    url = ctx.article_url(art)
    head = "\n".join([f'<link rel="canonical" href="{esc(url)}">',
                      f'<meta property="og:title" content="{esc(art.title)}">',
                      f'<meta name="description" content="{esc(art.summary)}">',
                      json_ld(news_article_ld(ctx, art))])
    body = f"""<div class="nb-article" itemscope itemtype="https://schema.org/NewsArticle">
<p class="nb-section-label"><a href="/{slugify(art.section)}/">{text(art.section)}</a></p>
<h1 itemprop="headline">{text(art.title)}</h1>
<div class="nb-byline"><span itemprop="author">{text(byline(art))}</span>
<time itemprop="datePublished" datetime="{discovery.w3c(art.published)}">
{art.published:%a} {art.published.day} {art.published:%b %Y %H.%M} GMT</time></div>
<div class="nb-article-body" itemprop="articleBody">
{paragraphs(art)}
</div>
<div class="nb-tags">Topics: <a href="/{slugify(art.section)}/">{text(art.section)}</a></div>
</div>"""
    return _nb_page(ctx, f"{art.title} - News Beacon", body, head)


def newsbeacon(ctx: SiteContext) -> SitePages:
    """Second original outlet, discovered through a Google News sitemap."""
    arts = ctx.articles
    routes: dict[str, Route] = {a.path: response.html(_nb_article(ctx, a)) for a in arts}
    top = "\n".join(f'<div class="nb-card"><h2><a href="{esc(a.path)}">{text(a.title)}</a></h2>'
                    f'<p>{text(a.summary)}</p></div>' for a in arts[:20])
    routes["/"] = response.html(_nb_page(ctx, "News Beacon - News, analysis and opinion", top))
    for section in ctx.sections:
        items = [a for a in arts if a.section == section]
        routes[f"/{slugify(section)}/"] = response.html(_nb_page(
            ctx, f"{section} - News Beacon",
            f'<h1 class="nb-front-title">{text(section)}</h1>{dated_listing(ctx, items, "nb-front")}'))
    routes["/about-us.html"] = response.html(_nb_page(ctx, "About us - News Beacon", """<h1>About News Beacon</h1>
<p>News Beacon is an independent regional newspaper.</p>
<h2 id="complaints">Complaints</h2><p>Email the readers' editor.</p>"""))
    routes["/robots.txt"] = response.plain(
        discovery.robots(["/search/", "/account/"], [ctx.url("/news-sitemap.xml")]))
    routes["/news-sitemap.xml"] = response.xml(discovery.news_sitemap(
        "News Beacon", [(ctx.article_url(a), a.published, a.title) for a in arts]))
    missing = _nb_page(ctx, "Page not found - News Beacon", "<h1>Sorry, we couldn't find that page</h1>")
    return SitePages(routes, response.html(missing, 404))


# --------------------------------------------------------------------------- truthecho

def _te_page(ctx: SiteContext, title: str, body: str, head: str = "") -> str:
    """Truth Echo shell: three columns, heavy widgets, comment box."""
    recent = "".join(f'<li><a href="{esc(a.path)}">{text(a.title)}</a></li>' for a in ctx.articles[:8])
    topics = "".join(f'<li><a href="/topics/{slugify(s)}/">{text(s)}</a></li>' for s in ctx.sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{text(title)}</title>
<link rel="alternate" type="application/atom+xml" title="Truth Echo" href="{esc(ctx.url('/atom.xml'))}">
{head}
{STYLE}
</head>
<body>
<div class="te-container">
<div class="te-banner"><a href="/">TRUTH ECHO</a> — the stories they hoped you would miss</div>
<ul class="te-nav"><li><a href="/">Home</a></li><li><a href="/about/">About</a></li>
<li><a href="/atom.xml">Feed</a></li></ul>
<div class="te-row">
<div class="te-left"><div class="te-widget"><h4>Support independent media</h4>
<p>We are 100% reader funded. Share our stories and tell your friends.</p></div>
<div class="te-widget"><h4>Topics</h4><ul>{topics}</ul></div></div>
<div class="te-center">
{body}
</div>
<div class="te-right"><div class="te-widget"><h4>Recent posts</h4><ul>{recent}</ul></div>
<div class="te-widget"><h4>Archives</h4><p>November 2026</p></div></div>
</div>
<div class="te-footer">Truth Echo · All opinions are our own · <a href="/about/">About</a></div>
</div>
</body>
</html>
"""


def _te_article(ctx: SiteContext, art: Article) -> str:
    """A Truth Echo post; the variant decides the credit block (read-more, source line)."""
    source_link = f'<a href="{esc(ctx.source_url(art))}">{text(ctx.source_name(art))}</a>'
    after = ""
    if art.variant == "truncated":
        after = (f'<p class="te-readmore"><a href="{esc(ctx.source_url(art))}">'
                 f'Read the rest at {text(ctx.source_name(art))}</a></p>')
    elif art.variant == "excerpt":
        after = f'<p class="te-readmore">Read the full article at {source_link}</p>'
    elif art.credit == "name":  # no link: the outlet's name only
        after = f'<p class="te-source"><em>Originally published by {text(ctx.source_name(art))}.</em></p>'
    elif art.source:
        after = f'<p class="te-source">Source: {source_link}</p>'
    body_html = paragraphs(art, "blockquote", "te-quote")
    if art.variant == "extended":  # the editor's note is part of the body, set in italics
        first, rest = body_html.split("\n", 1)
        body_html = first.replace("<p>", '<p class="te-editor-note"><i>', 1).replace("</p>", "</i></p>") + "\n" + rest
    body = f"""<div class="te-post">
<h1 class="te-post-title">{text(art.title)}</h1>
<div class="te-post-info">Posted by <b>{text(byline(art))}</b> on
<time class="te-date" datetime="{discovery.w3c(art.published)}">{art.published:%Y-%m-%d %H:%M}</time></div>
<div class="te-post-text">
{body_html}
{after}
</div>
<div class="te-share">Share this: <a href="mailto:?subject={esc(art.title)}">Email</a> | Print</div>
<div class="te-comments"><h3>Comments (0)</h3><p>Comments are closed.</p></div>
</div>"""
    head = f'<meta property="og:title" content="{esc(art.title)}">'
    return _te_page(ctx, f"TRUTH ECHO :: {art.title}", body, head)


def truthecho(ctx: SiteContext) -> SitePages:
    """Republisher with an Atom feed: truncated, extended and edited copies, look-alikes."""
    arts = ctx.articles
    routes: dict[str, Route] = {a.path: response.html(_te_article(ctx, a)) for a in arts}
    posts = "\n".join(f'<div class="te-teaser"><h2><a href="{esc(a.path)}">{text(a.title)}</a></h2>'
                      f'<p class="te-date">{a.published:%Y-%m-%d}</p></div>' for a in arts[:15])
    routes["/"] = response.html(_te_page(ctx, "TRUTH ECHO :: Home", posts))
    for section in ctx.sections:
        items = [a for a in arts if a.section == section]
        routes[f"/topics/{slugify(section)}/"] = response.html(_te_page(
            ctx, f"TRUTH ECHO :: {section}", f'<h1>{text(section)}</h1>{dated_listing(ctx, items, "te-topic")}'))
    routes["/about/"] = response.html(_te_page(ctx, "TRUTH ECHO :: About", """<h1>About Truth Echo</h1>
<p>We amplify reporting that deserves a wider audience, and add our own commentary.</p>"""))
    routes["/robots.txt"] = response.plain(discovery.robots(["/admin/"]))
    routes["/atom.xml"] = response.xml(discovery.atom(
        "Truth Echo", ctx.url("/"), ctx.url("/atom.xml"), [_feed_item(ctx, a) for a in arts]), response.ATOM)
    missing = _te_page(ctx, "TRUTH ECHO :: Not found", "<h1>Not found</h1>")
    return SitePages(routes, response.html(missing, 404))


# --------------------------------------------------------------------------- faultyreprint

def fr_page(ctx: SiteContext, title: str, body: str, head: str = "") -> str:
    """Faulty Reprint shell (also used by the fault pages)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{text(title)}</title>
<link rel="alternate" type="application/rss+xml" title="Faulty Reprint feed" href="{esc(ctx.url('/feed.xml'))}">
{head}
{STYLE}
</head>
<body>
<div class="fr-page">
<div class="fr-head"><a href="/">Faulty Reprint</a></div>
<div class="fr-nav"><a href="/">Home</a> · <a href="/about/">About</a></div>
{body}
<div class="fr-foot">Faulty Reprint · reprints with character</div>
</div>
</body>
</html>
"""


def fr_article(ctx: SiteContext, art: Article, canonical: str | None = None) -> str:
    """A Faulty Reprint article; ``canonical`` lets fault URLs point at the real page."""
    credit = ""
    if art.source:
        credit = (f'<p class="fr-credit">Originally published by <a href="{esc(ctx.source_url(art))}">'
                  f'{text(ctx.source_name(art))}</a>.</p>')
    head = f'<link rel="canonical" href="{esc(canonical or ctx.article_url(art))}">'
    body = f"""<div class="fr-article">
<h1>{text(art.title)}</h1>
<div class="fr-info">{text(byline(art))} · {long_date(art.published)}</div>
<div class="fr-text">
{paragraphs(art)}
</div>
{credit}
</div>"""
    return fr_page(ctx, f"{art.title} :: Faulty Reprint", body, head)


def faultyreprint(ctx: SiteContext) -> SitePages:
    """The good half of the fault site; web.py adds the fault routes from faults.py."""
    arts = ctx.articles
    routes: dict[str, Route] = {a.path: response.html(fr_article(ctx, a)) for a in arts}
    about = "<h1>About</h1><p>A reprint site with every fault a crawler can meet.</p>"
    routes["/about/"] = response.html(fr_page(ctx, "About :: Faulty Reprint", about))
    missing = fr_page(ctx, "Not found :: Faulty Reprint", "<h1>Not found</h1>")
    return SitePages(routes, response.html(missing, 404))


BUILDERS: dict[str, Callable[[SiteContext], SitePages]] = {
    "northwire": northwire,
    "worldreprint": worldreprint,
    "freepressmirror": freepressmirror,
    "commonsdigest": commonsdigest,
    "newsbeacon": newsbeacon,
    "truthecho": truthecho,
    "faultyreprint": faultyreprint,
}
