#!/usr/bin/env python3
"""Regenerate the golden pages under ``tests/extract/golden/`` from the demo web.

For every site template a few pages (originals, each kind of copy, pages without an
article, the fault site's broken pages) are fetched from a running ``DemoWeb`` and saved
as ``<site>/<case>/page.html.gz`` + ``meta.json`` (url, crawl date, HTTP status and
content type) + ``expected.json``.  Expected values come from the demo's planted truth
(title, authors, date, text, original) and from the template's known boilerplate
(``must_not_contain``), never from crosspost's own output.

Usage: .venv/bin/python tests/extract/make_golden.py [--base-port 18400]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from tests.demoweb import DEMO_DATE, DemoWeb, planted_truth
from tests.demoweb.articles import DISPLAY_NAMES

GOLDEN = Path(__file__).resolve().parent / "golden"

# Text every article page of a template shows around the article, which the body must not keep.
BOILERPLATE = {
    "northwire": ["Share this story", "Most read", "Northwire Media Cooperative", "Independent reporting from"],
    "worldreprint": ["Click the share button", "Order our new book", "The original source of this article",
                     "Disclaimer", "Dear Readers", "funded by its readers", "Copyright", "Most Popular"],
    "freepressmirror": ["This article was originally published", "Get the Mirror in your inbox", "Sign up",
                        "Related articles", "republishes public-interest journalism"],
    "commonsdigest": ["Republished from", "Creative Commons", "Posted on", "licensed CC BY", "volunteer project"],
    "newsbeacon": ["Most viewed", "Advertisement", "Topics:", "News Beacon Ltd"],
    "truthecho": ["Source:", "Read the rest at", "Comments are closed", "Share this", "Support independent media",
                  "Recent posts", "Posted by"],
    "faultyreprint": ["Originally published by", "reprints with character"],
}
# Which evidence each template gives for the credited source of its copies.
SOURCE_EVIDENCE = {"worldreprint": "attribution_text", "freepressmirror": "attribution_text",
                   "commonsdigest": "attribution_text", "truthecho": "attribution_text",
                   "faultyreprint": "attribution_text"}
# Article pages to keep per site: (case name, predicate on the corpus Article).
ARTICLE_CASES = {
    "northwire": [("original", lambda a: True), ("two-authors", lambda a: len(a.authors) == 2)],
    "worldreprint": [("copy", lambda a: a.relation == "exact"), ("original", lambda a: a.relation == "original")],
    "freepressmirror": [("copy", lambda a: a.relation == "exact"), ("original", lambda a: a.relation == "original")],
    "commonsdigest": [("copy", lambda a: a.relation == "exact"), ("original", lambda a: a.relation == "original")],
    "newsbeacon": [("original", lambda a: a.relation == "original" and a.variant == "plain"),
                   ("uncredited", lambda a: a.relation == "uncredited"),
                   ("same-event", lambda a: a.variant == "same_event")],
    "truthecho": [("truncated", lambda a: a.variant == "truncated"), ("extended", lambda a: a.variant == "extended"),
                  ("near", lambda a: a.variant == "near"), ("followup", lambda a: a.variant == "followup"),
                  ("from-newsbeacon", lambda a: a.relation == "exact")],
    "faultyreprint": [("copy", lambda a: a.relation == "exact")],
}
# Pages without an article: (site, case, path, status served as, reason expected).
NO_ARTICLE_CASES = [
    ("northwire", "homepage", "/", None, "index_page"),
    ("northwire", "not-found-served-200", "/no-such-page/", 200, "not_found_page"),
    ("worldreprint", "homepage", "/", None, "index_page"),
    ("commonsdigest", "listing-page-2", "/page/2/", None, "index_page"),
    ("newsbeacon", "homepage", "/", None, "index_page"),
    ("truthecho", "homepage", "/", None, "index_page"),
    ("faultyreprint", "soft-404", "/faults/soft-404-page-not-found/", None, "not_found_page"),
    ("faultyreprint", "empty-body", "/faults/empty-200-body/", None, "empty_body"),
    ("faultyreprint", "png-as-html", "/faults/png-served-as-html/", None, "binary_content"),
    ("faultyreprint", "members-only-stub", "/private/members-only-notes/", None, "too_short"),
    ("faultyreprint", "feed-answers-html", "/feed.xml", None, "too_short"),
]
# Fault pages that do carry text: (case, path, language, snippet of the body).
ENCODING_CASES = [
    ("cp1251-declared", "/faults/cyrillic-windows-1251-page/", "ru", "Городской совет Северогорска в четверг"),
    ("latin1-served-as-utf8", "/faults/latin1-wrong-charset-utf8/", "fr", "a approuvé jeudi un budget révisé"),
    ("latin1-no-charset", "/faults/latin1-no-charset-header/", "es", "aprobó el martes una nueva ordenanza"),
]


def fetch(url: str) -> tuple[int, str | None, bytes]:
    """Status, content type and body of one page (error statuses too)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read()


def save(site: str, case: str, url: str, status: int | None, fetched: tuple, expected: dict) -> None:
    """Write one golden case (``status`` overrides the served HTTP status, e.g. a 404 page served as 200)."""
    folder = GOLDEN / site / case
    folder.mkdir(parents=True, exist_ok=True)
    served, content_type, body = fetched
    (folder / "page.html.gz").write_bytes(gzip.compress(body, mtime=0))
    meta = {"url": url, "site": site, "crawl_date": DEMO_DATE.isoformat(),
            "http_status": status or served, "content_type": content_type}
    for name, data in (("meta.json", meta), ("expected.json", expected)):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def article_expected(truth_row: dict, art) -> dict:
    """Expected fields of an article page, from the planted truth."""
    paragraphs = art.paragraphs
    credited = truth_row["relation"] != "original" and truth_row["credited"]
    return {
        "status": "ok", "reason": None, "title": art.title, "authors": list(art.authors),
        "published_date": art.published.date().isoformat(), "language": "en",
        "site_name": DISPLAY_NAMES[art.site],
        "credited_source_url": truth_row["original_url"] if credited else None,
        "credited_source_name": DISPLAY_NAMES[art.origin[0]] if credited else None,
        "credited_source_evidence": SOURCE_EVIDENCE.get(art.site) if credited else None,
        "text": truth_row["text"],
        "must_contain": [paragraphs[0][:80], paragraphs[-1][-80:]],
        "must_not_contain": BOILERPLATE[art.site] + [f"By {' and '.join(art.authors)}"],
    }


def check_expected(expected: dict) -> dict:
    """Fail early if a template snippet also occurs in the true text (the test could never pass)."""
    clash = [s for s in expected["must_not_contain"] if s in expected["text"]]
    if clash:
        raise ValueError(f"boilerplate snippets found in the true text: {clash}")
    return expected


def article_cases(web, truth: dict) -> None:
    """Save the article pages of every site."""
    rows = {row["url"]: row for row in truth["articles"]}
    for site, cases in ARTICLE_CASES.items():
        articles = [a for a in web.corpus.site(site) if web.url(site, a.path) in rows]
        for case, wanted in cases:
            art = next(a for a in articles if wanted(a))
            url = web.url(site, art.path)
            save(site, case, url, None, fetch(url), check_expected(article_expected(rows[url], art)))


def other_cases(web) -> None:
    """Save the pages without an article and the encoding faults."""
    for site, case, path, status, reason in NO_ARTICLE_CASES:
        url = web.url(site, path)
        save(site, case, url, status, fetch(url), {"status": "no_article", "reason": reason})
    for case, path, language, snippet in ENCODING_CASES:
        url = web.url("faultyreprint", path)
        save("faultyreprint", case, url, None, fetch(url),
             {"status": "ok", "reason": None, "language": language, "must_contain": [snippet],
              "must_not_contain": ["\ufffd", "Ã"]})


def main(argv=None) -> None:
    """Serve the demo web on fixed ports and rewrite every golden case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-port", type=int, default=18400, help="fixed ports keep regenerated URLs stable")
    args = parser.parse_args(argv)
    shutil.rmtree(GOLDEN, ignore_errors=True)
    with DemoWeb(base_port=args.base_port, faults=True, slow_seconds=0.1) as web:
        truth = planted_truth(web)
        article_cases(web, truth)
        other_cases(web)
        short = truth["short_pages"][0]
        save("truthecho", "short-note", short, None, fetch(short), {"status": "no_article", "reason": "too_short"})
    print(f"golden pages written under {GOLDEN}")


if __name__ == "__main__":
    main()
