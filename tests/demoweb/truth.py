"""Ground truth planted in the demo web, with absolute URLs of a running DemoWeb."""

from __future__ import annotations

from tests.demoweb import faults
from tests.demoweb.articles import DISPLAY_NAMES, FAULT_SITE, UNCRAWLED, Article


def _article(web, art: Article, original: Article | None = None) -> dict:
    """Truth record of one article page. ``original``: the crawled member that is the original
    of a copy of an uncrawled outlet (the earliest of its copies)."""
    source = web.url(*art.origin)
    credited = art.source is not None and art.credited
    return {
        "url": web.url(art.site, art.path),
        "site": art.site,
        "title": art.title,
        "authors": list(art.authors),
        "published": art.published.date().isoformat(),
        "published_at": art.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text": art.text,
        "original_url": web.url(original.site, original.path) if original else source,
        "relation": ("original" if original is art else "exact") if original else art.relation,
        "credited": credited and not original,  # a copy of an uncrawled outlet credits it, not the original
        # what the page credits, as extraction should find it
        "credited_source_url": source if credited and art.credit == "url" else None,
        "credited_source_name": DISPLAY_NAMES[art.origin[0]] if credited and art.credit == "name" else None,
        # where the article came from (crawled or not), and what should pick the original
        "origin_url": source,
        "original_evidence": ("credited_name" if art.credit == "name" else "credited_url") if credited and not original
        else None,
    }


def planted_truth(web) -> dict:
    """What a perfect pipeline would find on ``web`` (a started DemoWeb).

    ``articles``: every article page of the served sites (originals: ``original_url`` is the
    page itself and ``credited`` is True). Copies of an outlet that is never crawled
    (``UNCRAWLED``) have the earliest of them as their original and that outlet's page as
    ``origin_url``.  ``distractors``: (url_a, url_b, why) pairs that
    look related but must not share a cluster.  ``short_pages``: article-like pages with
    fewer than 50 words (not articles).  ``faults`` (fault site only): what each bad URL does.
    """
    if not web.bases:
        raise RuntimeError("planted_truth needs a started DemoWeb (URLs carry its ports)")
    corpus, active = web.corpus, set(web.sites)
    articles, short, uncrawled = [], [], {}
    for art in corpus.articles:
        if art.site in active and art.origin[0] in UNCRAWLED:
            uncrawled.setdefault(art.origin, []).append(art)
    first = {origin: min(copies, key=lambda a: (a.published, a.site)) for origin, copies in uncrawled.items()}
    for site in web.sites:
        for art in corpus.site(site):
            if art.variant == "short":
                short.append(web.url(art.site, art.path))
            elif art.origin[0] in active or art.origin in first:
                articles.append(_article(web, art, first.get(art.origin)))
    distractors = [(web.url(*a), web.url(*b), why) for a, b, why in corpus.distractors
                   if a[0] in active and b[0] in active]
    truth = {"articles": articles, "distractors": distractors, "short_pages": short}
    if FAULT_SITE in active:
        truth["faults"] = faults.fault_truth(web.context(FAULT_SITE))
    return truth
