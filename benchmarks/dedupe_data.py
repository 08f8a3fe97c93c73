#!/usr/bin/env python3
"""Labelled data for the dedupe benchmarks.

``labelled_set()``: record-like dicts (url, site, text, title, published_at, ...) with a
``label`` (the URL of the original: docs with the same label are copies of one article)
and a ``variant``. Two parts:

- the demo web's planted articles (``tests.demoweb``: exact, near, truncated, extended,
  uncredited copies, same-event and follow-up look-alikes, short pages);
- generated variants of fresh demo-style stories: boilerplate added, editor's intro added,
  truncated to 60% ("Read the rest at ..."), 2% of words changed, headline changed, and
  a combination (intro + boilerplate + 2% edits); with distractors per story: a
  same-event story sharing one or two quotes, a follow-up quoting two paragraphs, and
  short notices (< 50 words) that share only a boilerplate sentence.

``synthetic_texts(n, seed)``: fast bulk text for the speed benchmark (Zipf words, 400-800
per doc, 10% of docs near copies of an earlier doc).

Run it to print the set's composition.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.demoweb import build_corpus, textgen, vocab  # noqa: E402

VARIANTS = ("boilerplate", "intro", "truncated", "edited", "headline", "combo")
# Harder than the brief's variants, to show where matching stops (not in the target set).
STRESS_VARIANTS = ("teaser40", "teaser25", "edited5", "edited10", "truncated60+edited5")
START = dt.datetime(2026, 10, 1, 6, 0)
BOILERPLATE = (
    "This article is republished under a Creative Commons licence. You are free to share it as long as "
    "you credit the original author and publication and link back to the source.",
    "Subscribe to our free daily newsletter to get the stories that matter in your inbox every morning. "
    "We never share your address and you can unsubscribe at any time.",
    "Support independent journalism. Our reporting is funded by readers like you. If you value this work, "
    "please consider a monthly donation of any size.",
    "The views expressed in this article are those of the author and do not necessarily reflect the "
    "editorial policy of this website. Comments are moderated.",
    "Follow us on social media for live updates, and share this story with your friends and family if "
    "you found it useful. Tips and corrections can be sent to our newsroom.",
)
NOTICES = (
    "Correction: an earlier version of this note gave the wrong time for the {what} in {place}. "
    "It starts at {hour} o'clock. We regret the error.",
    "Programming note: our coverage of the {what} in {place} pauses today and resumes on {day}. "
    "Thank you for reading.",
    "Service update: the {what} page for {place} is down for maintenance until {day}. Thank you for your patience.",
)


def _doc(url: str, site: str, text: str, title: str, when: dt.datetime, label: str, variant: str,
         credited: str | None = None) -> dict:
    return {"url": url, "site": site, "status": "ok", "text": text, "title": title,
            "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "fetched_at": (when + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credited_source_url": credited, "label": label, "variant": variant}


def fixture_docs() -> tuple[list[dict], list[tuple[str, str, str]]]:
    """The demo corpus (every site but the fault site) as docs, and its distractor pairs."""
    corpus = build_corpus()
    url = {a.key: f"http://{a.site}.demo{a.path}" for a in corpus.articles}
    docs = []
    for a in corpus.articles:
        if "faulty" in a.site:
            continue
        label = url[a.origin]
        credited = label if a.source and a.credited else None
        docs.append(_doc(url[a.key], a.site, a.text, a.title, a.published, label,
                         "fixture:" + (a.variant if a.variant != "plain" else a.relation), credited))
    pairs = [(url[x], url[y], why) for x, y, why in corpus.distractors]
    return docs, pairs


def _words_cut(paragraphs: tuple[str, ...], share: float) -> str:
    """The first ``share`` of the words, keeping paragraph breaks."""
    budget = round(sum(len(p.split()) for p in paragraphs) * share)
    out = []
    for p in paragraphs:
        w = p.split()
        out.append(" ".join(w[:budget]))
        budget -= len(w)
        if budget <= 0:
            break
    return "\n\n".join(out)


def _edit(rng: random.Random, text: str, share: float, pool: list[str]) -> str:
    """Replace ``share`` of the words by other words."""
    words = text.split(" ")
    for i in rng.sample(range(len(words)), max(1, round(len(words) * share))):
        words[i] = rng.choice(pool)
    return " ".join(words)


def _variant(rng, kind: str, story, event, site_name: str, pool: list[str]) -> tuple[str, str]:
    """(text, title) of one variant of ``story``."""
    text, title = story.text, story.title
    if kind in ("boilerplate", "combo"):
        text = f"{text}\n\n{rng.choice(BOILERPLATE)}"
    if kind in ("intro", "combo"):
        text = f"{textgen.editor_note(rng, event)}\n\n{text}"
    if kind in ("edited", "combo"):
        text = _edit(rng, text, 0.02, pool)
    if kind == "truncated":
        text = f"{_words_cut(story.paragraphs, 0.6)}\n\nRead the rest at {site_name}."
    if kind.startswith("teaser"):
        text = f"{_words_cut(story.paragraphs, int(kind[6:]) / 100)}\n\nRead the rest at {site_name}."
    if kind.startswith("edited") and kind != "edited":
        text = _edit(rng, text, int(kind[6:]) / 100, pool)
    if kind == "truncated60+edited5":
        text = _edit(rng, _words_cut(story.paragraphs, 0.6), 0.05, pool)
    if kind == "headline":
        title = textgen.headline(event, rng, (event.headline_index + 1) % len(event.topic.headlines))
    return text, title


def generated_docs(n_bases: int = 300, seed: int = 7, variants: tuple[str, ...] = VARIANTS,
                   one_each: bool = False) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """Fresh stories with every variant (``one_each``: story i gets only variant i mod n, so no
    other copy can link it to its original), plus distractors; and the distractor pairs."""
    rng = random.Random(f"dedupe-bench:{seed}")
    docs, pairs = [], []
    pool = sorted({w for t in vocab.GENERIC for w in t.split() if w.isalpha()})
    for i in range(n_bases):
        topic = vocab.TOPICS[i % len(vocab.TOPICS)]
        when = START + dt.timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 14), minutes=rng.randint(0, 59))
        event = textgen.make_event(rng, topic, when.date())
        story = textgen.write_story(rng, event)
        label = f"http://origin.gen/{i}"
        docs.append(_doc(label, "origin", story.text, story.title, when, label, "original"))
        for k, kind in enumerate(variants):
            if one_each and k != i % len(variants):
                continue
            text, title = _variant(rng, kind, story, event, "Origin News", pool)
            lag = dt.timedelta(days=rng.choice((0, 0, 1, 2)), hours=rng.randint(1, 8))
            docs.append(_doc(f"http://copy{k}.gen/{i}", f"copy{k}", text, title, when + lag, label, kind,
                             label if rng.random() < 0.7 else None))
        docs_pairs = _distractors(rng, i, event, story, when)
        docs += [d for d, _ in docs_pairs]
        pairs += [(label, d["url"], why) for d, why in docs_pairs]
    short, short_pairs = _notices(rng, n_bases // 6)
    return docs + short, pairs + short_pairs


def _distractors(rng, i: int, event, story, when) -> list[tuple[dict, str]]:
    """A same-event story sharing quotes; every third story, a follow-up quoting two paragraphs."""
    out = []
    other = textgen.related_event(rng, event)
    first = [q for q in story.quotes if q[0] == 1][: 1 + i % 2]
    same = textgen.write_story(rng, other, min_words=330, max_words=560, exclude=story.used, borrowed=tuple(first))
    url = f"http://rival.gen/{i}"
    out.append((_doc(url, "rival", same.text, same.title, when + dt.timedelta(hours=5), url, "same_event"),
                f"same event, {len(first)} shared quote(s)"))
    if i % 3 == 0:
        follow = textgen.write_story(rng, other, min_words=330, max_words=480, exclude=story.used, follow_up=True)
        start = rng.randint(1, len(story.paragraphs) - 2)
        paragraphs = follow.paragraphs[:2] + story.paragraphs[start : start + 2] + follow.paragraphs[2:]
        url = f"http://followup.gen/{i}"
        out.append((_doc(url, "followup", "\n\n".join(paragraphs), follow.title, when + dt.timedelta(days=1), url,
                         "follow_up"), "follow-up quoting two paragraphs"))
    return out


def _notices(rng, n: int) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """Pairs of short notices (< 50 words) from one template: alike but not copies."""
    docs, pairs = [], []
    for i in range(n):
        template = NOTICES[i % len(NOTICES)]
        made = []
        for side in ("a", "b"):
            text = template.format(what=rng.choice(("council meeting", "budget hearing", "match", "vote")),
                                   place=vocab.PLACES[i % len(vocab.PLACES)], hour=rng.randint(1, 12),
                                   day=rng.choice(("Monday", "Tuesday", "Friday")))
            url = f"http://notice-{side}.gen/{i}"
            made.append(_doc(url, f"notice-{side}", text, "Notice", START + dt.timedelta(hours=i), url, "short"))
        if made[0]["text"] != made[1]["text"]:
            docs += made
            pairs.append((made[0]["url"], made[1]["url"], "short notices sharing boilerplate"))
    return docs, pairs


def labelled_set(n_bases: int = 300) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """Fixture docs plus generated docs, and every distractor pair."""
    fixture, fixture_pairs = fixture_docs()
    generated, generated_pairs = generated_docs(n_bases)
    return fixture + generated, fixture_pairs + generated_pairs


def synthetic_texts(n: int, seed: int = 1, copy_share: float = 0.10):
    """``n`` texts of 400-800 Zipf-distributed words; ``copy_share`` of them are near copies
    (2% words changed, or truncated to 60%) of an earlier text. A generator: texts are made
    on demand."""
    import numpy as np

    rng = np.random.default_rng(seed)
    letters = np.array(list("etaoinshrdlucmfwypvbgkjqxz"))
    lexicon = np.array(["".join(rng.choice(letters, rng.integers(2, 10))) for _ in range(50_000)])
    cdf = np.cumsum(1.0 / np.arange(1, len(lexicon) + 1) ** 1.05)
    cdf /= cdf[-1]
    recent: collections.deque = collections.deque(maxlen=2000)
    for _ in range(n):
        if recent and rng.random() < copy_share:
            ids = recent[rng.integers(len(recent))].copy()
            if rng.random() < 0.5:
                spots = rng.integers(0, len(ids), max(1, len(ids) // 50))
                ids[spots] = np.searchsorted(cdf, rng.random(len(spots)))
            else:
                ids = ids[: int(len(ids) * 0.6)]
        else:
            ids = np.searchsorted(cdf, rng.random(int(rng.integers(400, 801))))
            recent.append(ids)
        yield " ".join(lexicon[ids].tolist())


def main() -> None:
    docs, pairs = labelled_set()
    print(f"{len(docs)} docs, {len({d['label'] for d in docs})} articles, {len(pairs)} distractor pairs")
    for variant, count in sorted(collections.Counter(d["variant"] for d in docs).items()):
        print(f"  {variant:28} {count}")


if __name__ == "__main__":
    main()
