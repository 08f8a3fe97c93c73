"""The report's numbers on hand-made rows: origins (crawled or only credited), alignment from
stored spans or a word diff, elision, run health with a missing site."""

from __future__ import annotations

import datetime as dt

from crosspost.report import alignment, health, stats
from crosspost.report.data import ReportData

NIGHT = dt.date(2026, 11, 20)
ORIGINAL = "One two three four five six seven eight nine ten."
COPY = "Editor's note. One two three four five six seven."


def _data(crossposts, articles, clusters=None, runs=None, status=None) -> ReportData:
    return ReportData(NIGHT, NIGHT, "/lake/", [NIGHT], [], crossposts, {a["url"]: a for a in articles},
                      clusters or {}, runs or {NIGHT: {}}, status or {NIGHT: {}})


def _article(url, site, **kw):
    return {"url": url, "site": site, "status": "ok", "is_original": True, "cluster_id": None, **kw}


def _copy(url, site, original_url, **kw):
    return {"cluster_id": "c1", "url": url, "site": site, "original_url": original_url, "is_original": False,
            "relation": "truncated", "lag_hours": 5.0, "credits_original": True, "title_changed": False,
            "dt": NIGHT, **kw}


ARTICLES = [_article("http://a.test/1", "alpha", cluster_id="c1", text=ORIGINAL),
            _article("http://b.test/1", "beta", cluster_id="c1", is_original=False, text=COPY),
            _article("http://b.test/2", "beta", cluster_id="c2", credited_source_name="RT News",
                     credited_source_url="http://rt.example/news/1")]
CROSSPOSTS = [{**_copy("http://a.test/1", "alpha", "http://a.test/1"), "is_original": True, "relation": "original"},
              _copy("http://b.test/1", "beta", "http://a.test/1")]


def test_copies_of_crawled_and_of_only_credited_outlets():
    pairs = {(p.republisher, p.origin): p for p in stats.pairs(_data(CROSSPOSTS, ARTICLES))}
    assert set(pairs) == {("beta", "alpha"), ("beta", "RT News")}
    assert pairs["beta", "alpha"].copies == 1 and pairs["beta", "alpha"].crawled
    rt = pairs["beta", "RT News"]
    assert not rt.crawled and rt.url == "http://rt.example/news/1" and rt.credited_share == 1.0


def test_the_clusters_table_names_the_origin_when_present():
    clusters = {"c2": {"cluster_id": "c2", "origin_url": "http://rt.example/", "origin_name": "RT",
                       "origin_evidence": "credited_name"}}
    origins = {p.origin for p in stats.pairs(_data(CROSSPOSTS, ARTICLES, clusters))}
    assert origins == {"alpha", "RT"}


def test_a_credit_to_a_crawled_site_is_not_an_uncrawled_origin():
    credited = [*ARTICLES[:2], _article("http://b.test/3", "beta", credited_source_url="http://a.test/old")]
    assert {p.origin for p in stats.pairs(_data(CROSSPOSTS, credited))} == {"alpha"}


def test_word_diff_marks_kept_cut_and_added():
    found = alignment.align(ORIGINAL, COPY)
    assert found.source == "word diff" and found.changed
    assert found.original == [("kept", "One two three four five six "), ("cut", "seven eight nine ten.")]
    assert found.copy == [("added", "Editor's note. "), ("kept", "One two three four five six "), ("added", "seven.")]
    assert 0 < found.kept_share() < 1 and 0 < found.added_share() < 0.5


def test_stored_spans_and_shares_win_over_the_word_diff():
    spans = [{"original_start": 0, "original_end": 29, "copy_start": 15, "copy_end": 44}]
    row = _copy("http://b.test/1", "beta", "http://a.test/1", spans=spans, kept_share=0.6, added_share=0.3)
    data = _data([CROSSPOSTS[0], row], ARTICLES)
    found = stats.alignment_of(data, row)
    assert found.source == "spans"
    assert found.original == [("kept", ORIGINAL[:29]), ("cut", ORIGINAL[29:])]
    assert found.copy == [("added", COPY[:15]), ("kept", COPY[15:44]), ("added", COPY[44:])]
    assert stats.kept_added(data, row) == (0.6, 0.3)
    assert stats.stored_alignment(data)


def test_relations_in_the_reports_words():
    assert [stats.relation({"relation": r}) for r in ("exact", "truncated", "excerpt", "extended", "near")] == \
        ["exact", "excerpt", "excerpt", "extended", "edited"]


def test_long_kept_passages_are_elided_at_word_edges():
    text = " ".join(f"word{i}" for i in range(400))
    runs = alignment.elide([("kept", text), ("added", "new words")], context=100)
    assert [kind for kind, _ in runs] == ["kept", "elided", "kept", "added"]
    assert runs[0][1].endswith(" ") and runs[2][1].startswith("word")
    assert len(runs[0][1]) <= 100 and len(runs[2][1]) <= 100 and "characters kept" in runs[1][1]


def test_health_flags_a_missing_site_and_sums_failures():
    runs = {NIGHT: {"sites": {
        "alpha": {"status": "complete", "discovered": 10, "fetched": 8, "extracted": 7,
                  "crawl": {"failed": {"http_500": 2}}},
        "gamma": {"status": "missing", "crawl": {"discovered": {"sitemap": 3}, "failed": {"dns": 1}}}}}}
    sites = health.sites(_data([], [], runs=runs, status={NIGHT: {"alpha": "complete", "gamma": "missing",
                                                                 "delta": "missing"}}))
    by_name = {s.site: s for s in sites}
    assert [s.site for s in sites] == ["delta", "gamma", "alpha"]  # missing first
    assert by_name["gamma"].missing == [NIGHT] and by_name["gamma"].discovered == 3
    assert by_name["alpha"].missing == [] and by_name["alpha"].failed == {"http_500": 2}
    assert (by_name["alpha"].discovered, by_name["alpha"].fetched, by_name["alpha"].extracted) == (10, 8, 7)


def test_shingle_shares_estimate_kept_and_added():
    text = " ".join(f"w{i}" for i in range(100))
    assert alignment.shingle_shares(text, text) == (1.0, 0.0)
    kept, added = alignment.shingle_shares(text, " ".join(f"w{i}" for i in range(50)))
    assert 0.45 < kept < 0.5 and added == 0.0
    kept, added = alignment.shingle_shares(text, "intro words here and more " + text)
    assert kept == 1.0 and 0 < added < 0.1
    assert alignment.shingle_shares("a b", "a b") == (1.0, 0.0) and alignment.shingle_shares("a b", "c") == (0.0, 1.0)


def test_the_clusters_table_gives_the_current_original():
    """A later night found the real original (gamma's): beta's copy is a copy of it, and the older
    row that called gamma's article a copy no longer counts as one."""
    articles = [*ARTICLES[:2], _article("http://g.test/1", "gamma", cluster_id="c1", text=ORIGINAL)]
    clusters = {"c1": {"cluster_id": "c1", "original_url": "http://g.test/1", "original_evidence": "credited_url",
                       "origin_evidence": "crawled_original"}}
    moved = [*CROSSPOSTS, {**_copy("http://g.test/1", "gamma", "http://a.test/1"), "relation": "exact"}]
    data = _data(moved, articles, clusters)
    assert [r["url"] for r in stats.copies(data)] == ["http://b.test/1"]
    assert {(p.republisher, p.origin) for p in stats.pairs(data)} >= {("beta", "gamma")}
    from crosspost.report.clusters import biggest

    (shown,) = biggest(data)
    assert shown.original_url == "http://g.test/1" and shown.evidence == "credited_url"
