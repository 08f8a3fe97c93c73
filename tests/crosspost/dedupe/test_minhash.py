"""Matching: vectorised words/shingles/MinHash, LSH candidates, verification."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from crosspost.common.text import WORD_TOKEN, words
from crosspost.dedupe import minhash

TEXTS = [
    "新华社北京4月24日电 题：促进航天技术更好惠及人民——“中国－拉美”论坛",
    "カタカナー・ひらがなです。東京２０２５年 ＡＢＣ",
    "ภาษาไทยเป็นภาษาที่ไม่มีช่องว่าง ลาว ພາສາລາວ မြန်မာ ខ្មែរ 한국어 단어",
    "𠀀𠀁中文 mixed中文words and 中",
    "The Council voted 7-2 on Tuesday; residents said “no” to the plan.",
    "Ünïcödé straße İstanbul ǅemal ½ ² ﬁne x_y 12,5 ١٢٣ 中文字 日本語 𝔘𝔫𝔦 end",
    "",
    "   ...   ",
    "a",
    "two words",
    "tabs\tand\nnew\r\nlines — dashes–and’apostrophes",
    "lone \udcff surrogate and more words here",
]


def story(seed: int, n: int = 300) -> str:
    """A random text of ``n`` words (a different article for every seed)."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]
    return " ".join(rng.choice(vocab) for _ in range(n))


@pytest.mark.parametrize("text", TEXTS)
def test_words_are_those_of_extract(text):
    hashes, counts = minhash.word_hashes([text])
    assert counts.tolist() == [len(words(text))]
    again, _ = minhash.word_hashes([" ".join(words(text))])
    assert np.array_equal(hashes, again)


def test_token_spans_are_the_regex_spans_of_the_texts_as_they_are():
    texts = TEXTS + ["Straße ﬁnal Œuvre ½ ² ǅ", "ﬂ", story(3, 40)]
    lens, starts, ends = minhash.token_spans(texts)
    firsts = np.concatenate(([0], np.cumsum(lens))).tolist()
    for i, text in enumerate(texts):
        got = list(zip(starts[firsts[i]:firsts[i + 1]].tolist(), ends[firsts[i]:firsts[i + 1]].tolist()))
        assert got == [m.span() for m in WORD_TOKEN.finditer(text)]


def test_joined_words_are_the_words_of_each_text_in_a_batch():
    texts = TEXTS + ["Straße ﬁnal ½", story(4, 80), "x", "", "same words", "same words"]
    assert list(minhash.joined_words(texts)) == [" ".join(words(t)) for t in texts]
    assert list(minhash.joined_words(["plain ascii only", "and more"])) == ["plain ascii only", "and more"]


def test_batch_gives_the_same_sketches_as_one_by_one():
    texts = TEXTS + [story(1), "", story(2, 60), "x y"]
    sigs, mh = minhash.sign(texts)
    for text, sig, row in zip(texts, sigs, mh):
        alone = minhash.shingle_hashes(text)
        assert np.array_equal(sig.sketch, alone)  # no shingle crosses into the next text
        assert sig.n_words == len(words(text))
        assert np.array_equal(row, minhash.minhashes([alone])[0])


def test_minhash_equals_datasketch_on_the_same_hashes():
    sketches = [minhash.shingle_hashes(story(seed)) for seed in range(3)]
    ours = minhash.minhashes(sketches)
    for sketch, row in zip(sketches, ours):
        m = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, hashfunc=int)
        m.update_batch(sketch.tolist())
        assert np.array_equal(m.hashvalues, row)


def test_shingles_are_ordered_and_exact_hash_ignores_spacing_case_and_punctuation():
    a = minhash.sign(["Alpha beta gamma delta", "delta gamma beta alpha", "ALPHA,  beta; gamma\ndelta!"])[0]
    assert not np.array_equal(a[0].sketch, a[1].sketch)
    assert a[0].exact == a[2].exact != a[1].exact
    assert a[0].sketch.dtype == np.uint32 and np.all(np.diff(a[0].sketch.astype(np.int64)) > 0)


def test_lsh_pairs_match_brute_force():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 50, size=(300, 4)).astype(np.uint64)
    brute = {(i, j) for i in range(300) for j in range(i + 1, 300) if (keys[i] == keys[j]).any()}
    assert {tuple(p) for p in minhash.pairs_within(keys).tolist()} == brute
    new, old = keys[:100], keys[100:]
    brute = {(i, j) for i in range(100) for j in range(200) if (new[i] == old[j]).any()}
    assert {tuple(p) for p in minhash.pairs_across(new, old).tolist()} == brute


def test_similarity_counts_shared_shingles():
    a = np.array([1, 3, 5, 7], dtype=np.uint32)
    b = np.array([3, 5, 9], dtype=np.uint32)
    assert minhash.overlap(a, b) == 2
    assert minhash.similarity(a, b) == (2 / 5, 2 / 3)
    assert minhash.similarity(a, np.array([], dtype=np.uint32)) == (0.0, 0.0)


def test_truncated_copy_passes_on_containment_and_short_texts_never_near_match():
    text = story(5, 600)
    cut = " ".join(text.split()[:240]) + " Read the rest at Northwire."  # 40%: Jaccard ~0.4
    jac, cont = minhash.similarity(minhash.shingle_hashes(text), minhash.shingle_hashes(cut))
    assert jac < minhash.ACCEPT_JACCARD and cont > 0.95
    assert minhash.accept(600, 245, jac, cont)
    assert not minhash.accept(600, minhash.MIN_NEAR_WORDS - 1, 1.0, 1.0)


def edges(texts: list[str]) -> set[tuple[int, int, str]]:
    sigs, mh = minhash.sign(texts)
    return {(e.a, e.b, e.kind) for e in minhash.verified_edges([f"u{i}" for i in range(len(texts))], sigs, mh)}


def test_verified_edges_find_copies_and_keep_look_alikes_apart():
    base = story(10, 500).split()
    quote = " ".join(base[100:180])  # a follow-up quoting about two paragraphs
    texts = [
        " ".join(base),
        " ".join(base[:300]),  # truncated
        "Editor's note: we republish this. " + " ".join(base) + " Subscribe to our newsletter.",  # extended
        " ".join(w if i % 50 else "changed" for i, w in enumerate(base)),  # 2% edited
        story(11, 300) + " " + quote + " " + story(12, 150),  # follow-up
        " ".join(base).upper(),  # exact copy (case only)
        "short note " * 10,
        "short note " * 10,  # short and equal: exact
        "short note about something else " * 4,  # short, alike, not equal
    ]
    found = {(a, b) for a, b, _ in edges(texts)}
    assert {(0, 1), (0, 2), (0, 3)} <= found
    assert (0, 5, "exact") in edges(texts) and (6, 7) in found
    assert not {p for p in found if 4 in p or 8 in p}


def _hanzi_story(seed: int, n: int = 400) -> str:
    """A Chinese-like text of ``n`` characters in sentences (no spaces between words)."""
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
    sentences = ["".join(rng.choice(chars) for _ in range(rng.randint(12, 30))) + "。" for _ in range(n // 20)]
    return "\n\n".join("".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def test_a_chinese_copy_with_characters_changed_is_still_a_copy():
    """Each Han character is a token: a copy with two characters changed per paragraph and a
    credit line added shares most shingles (as whole clauses it shared almost none)."""
    original = _hanzi_story(1)
    rng = random.Random(7)
    paragraphs = []
    for paragraph in original.split("\n\n"):
        chars = list(paragraph)
        for _ in range(2):
            chars[rng.randrange(len(chars))] = "的"
        paragraphs.append("".join(chars))
    copy = "\n\n".join(paragraphs + ["本文来源：新华社。版权归原作者所有。"])
    sigs, _ = minhash.sign([original, copy, _hanzi_story(2)])
    jaccard, containment = minhash.similarity(sigs[0].sketch, sigs[1].sketch)
    assert sigs[0].n_words >= 390 and minhash.accept(sigs[0].n_words, sigs[1].n_words, jaccard, containment)
    other = minhash.similarity(sigs[0].sketch, sigs[2].sketch)
    assert not minhash.accept(sigs[0].n_words, sigs[2].n_words, *other)
