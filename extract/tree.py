"""One lxml tree per page, parsed once and shared by trafilatura, metadata and source detection."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin

from lxml.etree import ElementDefaultClassLookup, HTMLParser, XPath
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
from trafilatura.utils import is_dubious_html, load_html, repair_faulty_html

from crosspost.common.text import normal_key
from extract.exceptions import NotAnArticle
from extract.jsonld import article_ld
from extract.limits import check_depth

_TEXT_NODES = XPath("//text()", smart_strings=False)
_STRING = XPath("string()")  # an element's text_content(), without the method call's own XPath compilation
_CODE = XPath("//script/text() | //style/text()", smart_strings=False)


@dataclass
class Page:
    """A parsed page: the tree plus the lookups every metadata field needs."""

    html: str
    tree: Any  # lxml.html.HtmlElement; trafilatura works on its own copy
    url: str
    meta: dict = field(default_factory=dict)  # lower-cased name/property/itemprop -> every content, in order
    links: dict = field(default_factory=dict)  # lower-cased rel (canonical, image_src) or "base" -> first href
    ld: dict = field(default_factory=dict)  # the Article-like JSON-LD object, flattened

    @cached_property
    def headings(self) -> list[str]:
        """Texts of the first ``<h1>`` elements, then of the first ``<h2>`` elements."""
        return self._h1 + self._h2

    @property
    def title_headings(self) -> list[str]:
        """The headings that state the title: the first two ``<h1>``, else the first ``<h2>``.

        Not an ``<h2>`` below an ``<h1>``: that is the standfirst, part of the article.
        """
        return self._h1[:2] or self._h2[:1]

    @cached_property
    def _h1(self) -> list[str]:
        return _texts(self.tree.xpath("(//h1)[position() <= 3]"))

    @cached_property
    def _h2(self) -> list[str]:
        return _texts(self.tree.xpath("(//h2)[position() <= 3]"))

    @cached_property
    def title_element(self) -> str | None:
        """Text of ``<title>``."""
        node = self.tree.find(".//title")
        text = " ".join(node.text_content().split()) if node is not None else ""
        return text or None

    @cached_property
    def text(self) -> str:
        """Every text of the page but its scripts and styles, one text node a line: where a word
        that is not in it cannot be read (cheaper to search than the HTML, which is mostly code).

        (A text equal to a script's is left out too: two plain XPath queries and a set cost less
        than one query asking each text node for its parent.)"""
        code = set(_CODE(self.tree))
        return "\n".join([text for text in _TEXT_NODES(self.tree) if text not in code])

    @property
    def canonical_link(self) -> str | None:
        """``<link rel=canonical>`` made absolute."""
        href = self.links.get("canonical")
        return urljoin(self.url, href) if href else None

    @cached_property
    def link_texts(self) -> frozenset[str]:
        """Normalised texts of the page's links (two words or more, not bare URLs)."""
        texts = (_STRING(a).strip() for a, _ in self._links)
        return frozenset(normal_key(t) for t in texts if " " in t and not t.startswith(("http:", "https:", "www.")))

    @property
    def tag_link_texts(self) -> list[str]:
        """The texts of ``rel=tag`` links (their own text nodes, as ``//a[@rel='tag']/text()``)."""
        return [text for a, rel in self._links if rel == "tag" for text in (a.text, *(c.tail for c in a)) if text]

    @cached_property
    def _links(self) -> list:
        """``(a, rel)`` of every ``<a>``, in page order."""
        return [(a, a.get("rel")) for a in self.tree.iter("a")]

    def first_meta(self, *names: str) -> str | None:
        """The first of ``names`` present among the meta tags."""
        return next((self.meta[n][0] for n in names if n in self.meta), None)


def _texts(nodes) -> list[str]:
    return [t for t in (" ".join(n.text_content().split()) for n in nodes) if t]


def _html_parser() -> HTMLParser:
    """trafilatura's HTML parser (its ``utils.HTML_PARSER`` options), whose elements are made
    by lxml's C class lookup: lxml.html's own lookup is a Python method, called for every
    element proxy that any query, iteration or copy of the tree creates (~4% of a page's
    extraction). Every element is an ``HtmlElement``: no ``FormElement`` or ``InputElement``,
    whose form methods nothing here uses."""
    parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                        remove_pis=True)
    parser.set_element_class_lookup(ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    return parser


HTML_PARSER = _html_parser()


def parse_page(html: str, url: str) -> Page:
    """Parse ``html`` once; raise NotAnArticle when there is no HTML document in it."""
    tree = load_tree(html)
    if tree is None or len(tree) == 0:
        raise NotAnArticle("not_html", "no HTML document")
    check_depth(tree)
    meta, links = head_tags(tree)
    return Page(html, tree, url, meta, links, article_ld(tree, url))


def load_tree(html: str):
    """trafilatura's ``load_html`` of ``html``, parsed from its UTF-8 bytes: lxml converts a
    Python string before parsing it, which costs a third more than the encoding. The same
    repairs and checks; trafilatura's own path (with its fallbacks) when this parse fails."""
    beginning = html[:50].lower()
    try:
        tree = fromstring(repair_faulty_html(html, beginning).encode("utf-8", "surrogatepass"), parser=HTML_PARSER)
    except Exception:  # lxml's ParserError for an empty document, and whatever load_html handles
        tree = None
    if tree is None or len(tree) == 0:
        return load_html(html)
    return None if is_dubious_html(beginning) and len(tree) < 2 else tree


def head_tags(tree) -> tuple[dict, dict]:
    """``<meta>`` contents by lower-cased name/property/itemprop, ``<link>``/``<base>`` hrefs by rel.

    One pass over the tree instead of one XPath query per field.
    """
    meta: dict[str, list[str]] = {}
    links: dict[str, str] = {}
    for node in tree.iter("meta", "link", "base"):
        if node.tag == "meta":
            key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
            content = (node.get("content") or "").strip()
            if key and content:
                meta.setdefault(key, []).append(content)
        else:
            key = "base" if node.tag == "base" else (node.get("rel") or "").strip().lower()
            href = (node.get("href") or "").strip()
            if key and href:
                links.setdefault(key, href)
    return meta, links
