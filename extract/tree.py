"""One lxml tree per page, parsed once and shared by trafilatura, metadata and source detection."""

from __future__ import annotations

from dataclasses import dataclass, field

from trafilatura.utils import load_html

from extract.exceptions import NotAnArticle
from extract.jsonld import article_ld


@dataclass
class Page:
    """A parsed page: the tree plus the lookups every metadata field needs."""

    tree: object  # lxml.html.HtmlElement; trafilatura works on its own copy
    url: str
    meta: dict = field(default_factory=dict)  # lower-cased name/property/itemprop -> first content
    ld: dict = field(default_factory=dict)  # the Article-like JSON-LD object, flattened

    def first_meta(self, *names: str) -> str | None:
        """The first of ``names`` present among the meta tags."""
        return next((self.meta[n] for n in names if self.meta.get(n)), None)


def parse_page(html: str, url: str) -> Page:
    """Parse ``html`` once; raise NotAnArticle when there is no HTML document in it."""
    tree = load_html(html)
    if tree is None or len(tree) == 0:
        raise NotAnArticle("not_html", "no HTML document")
    return Page(tree, url, meta_tags(tree), article_ld(tree))


def meta_tags(tree) -> dict:
    """``<meta>`` contents by lower-cased name, property or itemprop (the first one wins)."""
    out = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        content = (node.get("content") or "").strip()
        if key and content and key not in out:
            out[key] = content
    return out
