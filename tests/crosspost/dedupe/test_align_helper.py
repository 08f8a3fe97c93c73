"""A second process aligning batches too (crosspost.dedupe.align_helper): same result as alone,
and the same when the helper dies."""

from __future__ import annotations

import os
import random
import signal
import time

from crosspost.dedupe.align import align_assignments
from crosspost.dedupe.align_helper import AlignHelper, shared


def _story(rng: random.Random, n: int) -> str:
    vocab = ["bridge", "mayor", "council", "river", "Straße", "ﬁnal", "½", "東京", "vote", "budget", "school", "road"]
    paragraphs = [" ".join(rng.choice(vocab) for _ in range(n // 4)) + "." for _ in range(4)]
    return "\n\n".join(paragraphs)


def _night(copies: int = 40) -> tuple[list[dict], dict[str, str]]:
    rng = random.Random(7)
    texts, rows = {}, []
    for k in range(copies):
        original, copy = f"http://a/{k % 5}", f"http://b/{k}"
        texts.setdefault(original, _story(rng, 120))
        texts[copy] = "Intro words here.\n\n" + texts[original][: rng.randint(50, len(texts[original]))]
        rows.append({"url": copy, "original_url": original, "is_original": False})
    rows += [{"url": u, "original_url": u, "is_original": True} for u in texts if u.startswith("http://a/")]
    rows.append({"url": "http://c/unknown", "original_url": "http://a/0", "is_original": False})
    return rows, texts


def _counted(helper: AlignHelper) -> list[int]:
    """Count the items the helper does (and wait until it is up: it imports first)."""
    shared(time.sleep, [(0.2,), (0.2,)], helper)
    done, run = [], helper.run
    helper.run = lambda i: done.append(i) or run(i)  # type: ignore[method-assign]
    return done


def test_alignment_with_a_helper_equals_alignment_alone():
    rows, texts = _night(120)
    alone = align_assignments(rows, texts.get, batch=2)
    with AlignHelper() as helper:
        done = _counted(helper)
        assert align_assignments(rows, texts.get, batch=2, helper=helper) == alone
    assert done, "the helper aligned no batch"


def test_a_helper_that_dies_changes_nothing():
    rows, texts = _night()
    alone = align_assignments(rows, texts.get, batch=4)
    with AlignHelper() as helper:
        os.kill(helper.proc.pid, signal.SIGKILL)
        assert align_assignments(rows, texts.get, batch=4, helper=helper) == alone


def test_shared_work_keeps_the_order_of_the_items():
    items = [(-i,) for i in range(25)]
    with AlignHelper() as helper:
        _counted(helper)
        assert shared(abs, items, helper) == list(range(25))
    assert shared(abs, items, None) == list(range(25))
    assert shared(abs, [], None) == []


def test_a_stuck_helper_is_killed_and_its_batch_done_here(monkeypatch):
    import crosspost.dedupe.align_helper as align_helper

    monkeypatch.setattr(align_helper, "STUCK_S", 1.0)
    rows, texts = _night()
    alone = align_assignments(rows, texts.get, batch=4)
    with AlignHelper() as helper:
        _counted(helper)
        os.kill(helper.proc.pid, signal.SIGSTOP)  # alive, never answers
        started = time.monotonic()
        assert align_assignments(rows, texts.get, batch=4, helper=helper) == alone
        assert time.monotonic() - started < 30


def test_signing_with_a_helper_equals_signing_alone(monkeypatch):
    """dedupe_records signs batches of texts in the helper too: the same clusters and signatures."""
    import numpy as np

    from crosspost.dedupe import minhash
    from crosspost.dedupe.clusters import dedupe_records

    monkeypatch.setattr(minhash, "BATCH", 8)  # many batches for a small night
    _, texts = _night(60)
    records = [{"url": url, "status": "ok", "text": text, "site": url.split("/")[2]} for url, text in texts.items()]
    alone = dedupe_records(records)
    with AlignHelper() as helper:
        done = _counted(helper)
        night = dedupe_records(records, helper=helper)
    assert done, "the helper signed no batch"
    assert night.assignments == alone.assignments and night.clusters == alone.clusters
    assert np.array_equal(night.minhash, alone.minhash)
    assert [s.exact for s in night.sigs] == [s.exact for s in alone.sigs]
