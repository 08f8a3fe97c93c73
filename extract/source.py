"""What a page credits as its source: attribution lines, JSON-LD, a cross-domain canonical.

Evidence, strongest first: an attribution line in the page ("The original source of this
article is ...", "Originally published on ...", "Republished from ... under Creative
Commons", "Source: ..."), JSON-LD ``isBasedOn`` / ``sourceOrganization``, then a
``rel=canonical`` or ``og:url`` pointing to another site.  A page crediting itself
credits no source.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from urllib.parse import urljoin, urlparse

from lxml.etree import XPath

from crosspost.common.dates import parse_timestamp, text_date
from crosspost.common.text import normal_key
from extract.dates import format_utc, plausible
from extract.jsonld import names

ATTRIBUTION = re.compile(
    r"^\W{0,3}(?:"
    r"the\s+original\s+source\s+of\s+this\s+(?:article|story|post|report)\s+is"
    r"|(?:this\s+(?:article|story|piece|post|report|column)\s+(?:was|is|has\s+been)\s+)?"
    r"(?:originally|first)\s+(?:published|posted|appeared)(?:\s+(?:on|at|in|by))?"
    r"|this\s+(?:article|story|piece|post|report)\s+first\s+appeared(?:\s+(?:on|at|in))?"
    r"|(?:this\s+(?:article|story|piece|post)\s+(?:was|is)\s+)?(?:republished|reprinted|reposted|cross-?posted)"
    r"(?:\s+with\s+permission)?\s+(?:from|by)"
    r"|read\s+the\s+(?:rest|full\s+(?:article|story|report)|original(?:\s+article)?)(?:\s+(?:at|on))?"
    r"|source\s*:"
    r")\s*:?\s*",
    re.I,
)
# Word stems of the attribution phrases, first letter dropped so that "Originally" and
# "originally" both match; ALL-CAPS lines are not looked for.  A plain substring test on the
# page's text skips the tree walk on most pages (they credit nothing), and the walk looks
# only for the stems found.  "ource\n": a text node ending in "Source" (``<b>Source</b>: X``).
_STEMS = ("riginal source", "riginally", "irst published", "irst appeared", "irst posted", "epublished",
          "eprinted", "eposted", "ross-posted", "rossposted", "ead the rest", "ead the full", "ead the original",
          "ource:", "ource :", "ource\n")
_LONE_SOURCE = "normalize-space(.) = 'Source' or normalize-space(.) = 'source'"
_BLOCKS = {"p", "div", "li", "em", "i", "small", "span", "cite", "aside", "footer", "section", "blockquote",
           "td", "strong", "b", "figcaption", "header"}
_SKIP = {"script", "style", "noscript", "template", "title", "head", "option", "textarea"}
_NAME_END = re.compile(r"\s+(?:under|on|at|in|by|and|with|via|from)\s+|[.,;(|]\s|[.,;(|]$|\s[-–—]\s")
_NOT_OUTLET = re.compile(r"\b(?:photos?|images?|pictures?|getty|shutterstock|istock|file|graphic|chart|data)\b", re.I)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')]+")
_NONE = {"credited_source_name": None, "credited_source_url": None, "credited_source_evidence": None,
         "original_published_at": None, "original_published_evidence": None}


def credited_source(page, site_name: str | None, crawl_date: dt.date | None) -> dict:
    """``credited_source_*`` and ``original_published_*`` from the strongest evidence found."""
    for finder in (_from_attribution, _from_json_ld, _from_canonical):
        found = finder(page, site_name)
        if found:
            return _with_date(found, crawl_date)
    return dict(_NONE)


def _with_date(found: dict, crawl_date: dt.date | None) -> dict:
    when = found.pop("date", None)
    out = {**_NONE, **found}
    if plausible(when, crawl_date):
        out["original_published_at"] = format_utc(when)
        out["original_published_evidence"] = found["credited_source_evidence"]
    return out


def _from_attribution(page, site_name):
    """The first attribution line naming another outlet; its date may come from a sibling line.

    ("The original source of this article is X" above "First published on September 20, 2025")
    """
    found, date = None, None
    for node, rest in _attribution_lines(page):
        found = found or _attribution(node, rest, page, site_name)
        date = date or text_date(rest)
    return {**found, "date": found.get("date") or date} if found else None


def _attribution_lines(page):
    """``(block, text after the attribution phrase)`` of every attribution line, in page order."""
    found = tuple(stem for stem in _STEMS if stem in page.text)
    if not found:
        return
    seen: set[str] = set()
    for text_node in _candidate_texts(found)(page.tree):
        node, text, match = _attribution_block(text_node.getparent(), seen)
        if match and not _credit_line(match.group(0), text[match.end():]):
            yield node, text[match.end():]


@lru_cache(maxsize=256)
def _candidate_texts(stems: tuple[str, ...]) -> XPath:
    """The text nodes (outside scripts and styles) holding one of ``stems``."""
    tests = [f"contains(., '{stem}')" for stem in stems if not stem.endswith("\n")]
    return XPath(f"//text()[not(parent::script or parent::style)][{' or '.join([*tests, _LONE_SOURCE])}]")


def _base_url(page) -> str:
    """The URL relative links resolve against (``<base href>`` when the page sets one)."""
    base = page.links.get("base")
    return urljoin(page.url, base) if base else page.url


def _attribution_block(node, seen: set):
    """The smallest block (up to three levels up) whose text starts with an attribution phrase.

    Stops at the first match: a larger block around a rejected line (a page crediting itself)
    must not be read as a second, longer attribution.
    """
    for _ in range(3):
        if node is None or node.tag in _SKIP or node in seen:
            break
        seen.add(node)
        text = " ".join(node.text_content().split())
        if len(text) > 400:
            break
        match = ATTRIBUTION.match(text) if node.tag in _BLOCKS else None
        if match:
            return node, text, match
        node = node.getparent()
    return None, "", None


def _credit_line(trigger: str, rest: str) -> bool:
    """``Source: Getty Images``, ``Source: census data``: a picture or data credit, not an outlet."""
    return "source" in trigger.lower() and bool(_NOT_OUTLET.search(rest[:80]))


def _attribution(node, rest: str, page, site_name: str | None) -> dict | None:
    """Name, link and date of one attribution line (None when it credits the page's own site)."""
    base = _base_url(page)
    if _links_to_itself(node, base, page.url):
        return None  # "The original source of this article is <a href=(this page)>Us</a>"
    link, link_text = _offsite_link(node, base, page.url)
    in_text = _URL_IN_TEXT.search(rest)
    link = link or (in_text.group(0).rstrip(".,;") if in_text else None)
    if link_text and ATTRIBUTION.match(link_text):  # the whole line is the link: "Read the rest at X"
        link_text = None
    name = link_text or source_name(rest) or (_host(link) if link else None)
    if not link and (not name or _same_name(name, site_name)):
        return None
    return {"credited_source_name": name, "credited_source_url": link,
            "credited_source_evidence": "attribution_text", "date": text_date(rest)}


def _links_to_itself(node, base: str, url: str) -> bool:
    """Whether ``node`` links to this very page or to its site's homepage."""
    home = urljoin(url, "/")
    for anchor in node.iter("a"):
        full = urljoin(base, (anchor.get("href") or "").strip()).split("#")[0]
        if full in (url.split("#")[0], home):
            return True
    return False


def _offsite_link(node, base: str, url: str) -> tuple[str | None, str | None]:
    """First link to another site than ``url``'s inside ``node``: (absolute URL, its text unless it is a URL)."""
    for anchor in node.iter("a"):
        full = urljoin(base, (anchor.get("href") or "").strip())
        if urlparse(full).scheme in ("http", "https") and not same_site(full, url):
            text = " ".join(anchor.text_content().split())
            return full, (text if text and not _URL_IN_TEXT.match(text) and len(text) < 100 else None)
    return None, None


def source_name(rest: str) -> str | None:
    """The outlet named right after an attribution phrase (``"Northwire on May 2."`` -> ``"Northwire"``)."""
    rest = rest.strip(" :.,*")
    if not rest or _URL_IN_TEXT.match(rest):
        return None
    name = _NAME_END.split(rest, maxsplit=1)[0].strip(" .,:;*")
    return name[:80] if name and len(name.split()) <= 8 else None


def _from_json_ld(page, site_name):
    based = page.ld.get("isBasedOn")
    based = based[0] if isinstance(based, list) and based else based
    if isinstance(based, dict):
        link = based.get("url") or based.get("@id")
        publishers: list[str | None] = list(names(based.get("publisher"))) or [None]
        name = publishers[0] or (based.get("name") if not link else None)
        date = parse_timestamp(based.get("datePublished"))
        if isinstance(link, str) and link.strip():
            return _ld(name, urljoin(page.url, link.strip()), "json-ld:isBasedOn", date)
    if isinstance(based, str) and based.strip():
        return _ld(None, urljoin(page.url, based.strip()), "json-ld:isBasedOn", None)
    org = page.ld.get("sourceOrganization")
    org = org[0] if isinstance(org, list) and org else org
    if isinstance(org, dict) and (org.get("name") or org.get("url")):
        link = org.get("url")
        return _ld(org.get("name"), urljoin(page.url, link) if isinstance(link, str) else None,
                   "json-ld:sourceOrganization", None)
    return None


def _ld(name, link, evidence, date):
    return {"credited_source_name": name if isinstance(name, str) else None, "credited_source_url": link,
            "credited_source_evidence": evidence, "date": date}


def _from_canonical(page, site_name):
    og_url = page.first_meta("og:url")
    for evidence, link in (("canonical", page.canonical_link), ("og:url", og_url and urljoin(page.url, og_url))):
        if link and _host(link) and not same_site(link, page.url):
            return {"credited_source_name": None, "credited_source_url": link,
                    "credited_source_evidence": evidence}
    return None


def _same_name(name: str, site_name: str | None) -> bool:
    return bool(site_name) and normal_key(name) == normal_key(site_name)


def _host(url: str | None) -> str:
    host = urlparse(url or "").netloc.lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url_a: str | None, url_b: str | None) -> bool:
    """Whether two URLs are on the same host (and port); ``www.`` does not count."""
    return bool(url_a and url_b) and _host(url_a) == _host(url_b)
