"""Per-site boilerplate learning across nights, through the real pipeline (`crosspost run`'s
code path: Scrapy crawl of a local site, trafilatura, publish): night 2 removes a paragraph
that only night 1's pages showed to be boilerplate, counts it in ``articles``, and a
reprocess of night 2 gives the same rows."""

from __future__ import annotations

import random

import pytest
import yaml

from crosspost.lake import layout
from crosspost.lake.reader import read_table
from crosspost.lake.store import open_store
from crosspost.pipeline.runner import run_date
from tests.crawler.crawltest_helpers import FAST, LocalSite

NIGHT1, NIGHT2 = "2026-11-19", "2026-11-20"
PROMO = ("Residents are welcome at the harbour committee, which meets every second Tuesday "
         "evening in the old library hall on Quay Street.")
WORDS = ("council harbour ferry budget school river bridge nurses mayor vote market storm road "
         "station museum farmers court teachers rail fishing permit housing water library").split()


def _article(day: str, n: int, promo: bool) -> bytes:
    rng = random.Random(f"{day}-{n}")
    paras = [" ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(5)]
    if promo:
        paras.insert(3, PROMO)
    body = "".join(f"<p>{p}</p>" for p in paras)
    title = f"Story {n} of {day}: {' '.join(rng.sample(WORDS, 4))}"
    return (f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>"
            f"<meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='{day}T08:00:00Z'></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def _routes(site: LocalSite) -> None:
    pages = {f"/{day.replace('-', '/')}/story-number-{n}/": _article(day, n, promo)
             for day, n, promo in [(NIGHT1, 1, True), (NIGHT1, 2, True), (NIGHT1, 3, True),
                                   (NIGHT2, 4, True), (NIGHT2, 5, False)]}
    home = "".join(f'<a href="{p}">{p}</a> ' for p in pages)
    site.routes["/"] = lambda n: (200, {}, f"<html><body>{home}</body></html>".encode())
    site.routes.update({p: (lambda n, b=b: (200, {}, b)) for p, b in pages.items()})


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("learned")
    with LocalSite() as site:
        _routes(site)
        sites = tmp_path / "sites.yaml"
        sites.write_text(yaml.safe_dump({"sites": [{"name": "local", "url": site.url, "lookback_days": 0,
                                                    "user_agent": "crosspost-test/1.0"}]}))
        store = str(tmp_path / "lake")
        for night in (NIGHT1, NIGHT2):
            run_date(str(sites), store, night, settings=FAST)
        yield str(sites), store


def _rows(store: str, night: str) -> list[dict]:
    return sorted(read_table(open_store(store), "articles", night, night).to_pylist(), key=lambda r: r["url"])


def test_night_two_removes_what_night_one_taught(two_nights):
    _, store = two_nights
    keys = open_store(store).list(layout.boilerplate_prefix("local"))
    assert keys == [layout.boilerplate_key("local", NIGHT1), layout.boilerplate_key("local", NIGHT2)]
    night1, night2 = _rows(store, NIGHT1), _rows(store, NIGHT2)
    assert [r["status"] for r in night1 + night2] == ["ok"] * 5
    assert all(PROMO not in r["text"] and r["boilerplate_paragraphs"] >= 1 for r in night1)
    promo_page, plain_page = night2  # story 4 repeats the promo once on night 2: only night 1 makes it boilerplate
    assert PROMO not in promo_page["text"] and promo_page["boilerplate_paragraphs"] >= 1
    assert PROMO in _article(NIGHT2, 4, True).decode()
    assert promo_page["boilerplate_paragraphs"] == plain_page["boilerplate_paragraphs"] + 1


def test_reprocess_of_night_two_gives_identical_rows(two_nights):
    sites, store = two_nights
    before = _rows(store, NIGHT2)
    run_date(sites, store, NIGHT2, reprocess=True)
    assert _rows(store, NIGHT2) == before
