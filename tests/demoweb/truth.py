"""Ground truth planted in the demo web, with absolute URLs of a running DemoWeb."""

from __future__ import annotations

from tests.demoweb import faults
from tests.demoweb.articles import FAULT_SITE, Article


def _article(web, art: Article) -> dict:
    """Truth record of one article page."""
    origin_site, origin_path = art.origin
    return {
        "url": web.url(art.site, art.path),
        "site": art.site,
        "title": art.title,
        "authors": list(art.authors),
        "published": art.published.date().isoformat(),
        "text": art.text,
        "original_url": web.url(origin_site, origin_path),
        "relation": art.relation,
        "credited": art.credited,
    }


def planted_truth(web) -> dict:
    """What a perfect pipeline would find on ``web`` (a started DemoWeb).

    ``articles``: every article page of the served sites (originals: ``original_url`` is the
    page itself and ``credited`` is True).  ``distractors``: (url_a, url_b, why) pairs that
    look related but must not share a cluster.  ``short_pages``: article-like pages with
    fewer than 50 words (not articles).  ``faults`` (fault site only): what each bad URL does.
    """
    if not web.bases:
        raise RuntimeError("planted_truth needs a started DemoWeb (URLs carry its ports)")
    corpus, active = web.corpus, set(web.sites)
    articles, short = [], []
    for site in web.sites:
        for art in corpus.site(site):
            if art.variant == "short":
                short.append(web.url(art.site, art.path))
            elif art.origin[0] in active:
                articles.append(_article(web, art))
    distractors = [(web.url(*a), web.url(*b), why) for a, b, why in corpus.distractors
                   if a[0] in active and b[0] in active]
    truth = {"articles": articles, "distractors": distractors, "short_pages": short}
    if FAULT_SITE in active:
        truth["faults"] = faults.fault_truth(web.context(FAULT_SITE))
    return truth
