"""Credits as evidence: name-only credits, credit chains, the uncrawled origin, and teasers
linked to the page they credit (crosspost.credits through provenance)."""

from __future__ import annotations

from crosspost.dedupe.clusters import Member, dedupe_records
from crosspost.dedupe.credits import choose_original, origin
from tests.crosspost.dedupe.test_clusters import rec, story


def member(url, site, published=None, credited_url=None, credited_name=None, site_name=None) -> Member:
    meta = {"url": url, "site": site, "site_name": site_name, "published_at": published, "fetched_at": None,
            "credited_source_url": credited_url, "credited_source_name": credited_name}
    return Member(url, url, "x", 100, meta, pos=0)


ORIGINAL = member("http://daily.test/a", "daily", "2026-11-20T10:00:00Z", site_name="The Example Daily")
EARLY_COPY = member("http://copy.test/a", "copy", "2026-11-20T06:00:00Z", credited_name="The Example Daily")


def test_a_name_only_credit_beats_an_earlier_time():
    assert choose_original([ORIGINAL, EARLY_COPY]) == (ORIGINAL, "credited_name")
    assert origin([ORIGINAL, EARLY_COPY], ORIGINAL, "credited_name") == {
        "origin_url": "http://daily.test/a", "origin_name": "The Example Daily", "origin_evidence": "crawled_original"}


def test_a_name_matching_two_sites_is_no_evidence():
    other = member("http://daily2.test/a", "daily2", "2026-11-20T11:00:00Z", site_name="The Example Daily")
    assert choose_original([ORIGINAL, other, EARLY_COPY]) == (EARLY_COPY, "earliest_published")


def test_a_name_matches_the_sites_file_name_or_the_host():
    plain = member("http://northwire.test/a", "nw", "2026-11-20T10:00:00Z")
    assert choose_original([plain, member("http://x.test/1", "x", "2026-11-20T01:00:00Z",
                                          credited_name="Northwire")])[0] is plain


def test_a_credit_chain_ends_at_the_member_crediting_no_member():
    a = member("http://a.test/1", "a", "2026-11-20T10:00:00Z")
    b = member("http://b.test/1", "b", "2026-11-20T09:00:00Z", credited_url="http://a.test/1")
    c = member("http://c.test/1", "c", "2026-11-20T08:00:00Z", credited_url="http://b.test/1")
    assert choose_original([a, b, c]) == (a, "credited_url")


def test_without_dates_the_earliest_fetched_says_so():
    a = member("http://a.test/1", "a")
    assert choose_original([a])[1] == "earliest_fetched"


def test_an_uncrawled_credited_source_is_the_origin():
    rt = "https://www.rt.test/news/1"
    gr = member("http://gr.test/1", "gr", "2026-11-20T10:00:00Z", credited_url=rt, credited_name="RT News")
    copy = member("http://x.test/1", "x", "2026-11-20T12:00:00Z", credited_url="http://gr.test/1")
    assert origin([gr, copy], gr, "credited_url") == {"origin_url": rt, "origin_name": "RT News",
                                                      "origin_evidence": "credited_url"}
    named = member("http://y.test/1", "y", "2026-11-20T09:00:00Z", credited_name="Agence Test")
    assert origin([named], named, "earliest_published")["origin_evidence"] == "credited_name"


def test_a_teaser_crediting_its_source_joins_it_as_an_excerpt():
    """A teaser of 30% of the article, a promo and a "read the full article" line around it, too
    short and too padded for MinHash; and one under 50 words."""
    full = story(1, 600)
    words = full.split()
    promo = story(99, 60)
    teaser = promo + "\n\n" + " ".join(words[:180]) + "\n\nRead the full article at the Daily."
    tiny = " ".join(words[:35])
    night = dedupe_records([rec("http://daily.test/a", full),
                            rec("http://teaser.test/a", teaser, credited_source_url="http://daily.test/a"),
                            rec("http://tiny.test/a", tiny, credited_source_url="http://daily.test/a"),
                            rec("http://unrelated.test/a", story(5, 300), credited_source_url="http://daily.test/a")])
    got = {a["url"]: a for a in night.assignments}
    for url in ("http://teaser.test/a", "http://tiny.test/a"):
        assert got[url]["cluster_id"] == got["http://daily.test/a"]["cluster_id"], url
        assert (got[url]["relation"], got[url]["original_url"]) == ("excerpt", "http://daily.test/a")
    assert got["http://unrelated.test/a"]["cluster_size"] == 1  # crediting is not enough: the text must be there
    [state] = [c for c in night.clusters if c["size"] == 3]
    assert state["original_evidence"] == "credited_url" and state["origin_evidence"] == "crawled_original"
