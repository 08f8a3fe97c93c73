"""What each copy changed: kept and added shares and the aligned spans (crosspost.align)."""

from __future__ import annotations

import pytest

from crosspost.common.text import WORD_TOKEN, words
from crosspost.dedupe.align import _sides, align, align_assignments

ORIGINAL = ("The mayor of Saltmere opened the new bridge on Tuesday morning.\n\n"
            "Officials said the project cost twelve million and took three years to finish.\n\n"
            "Residents welcomed the shorter commute across the river.")


def _texts(original: str, copy: str, result: dict) -> list[tuple[str, str]]:
    return [(original[s["original_start"]:s["original_end"]], copy[s["copy_start"]:s["copy_end"]])
            for s in result["spans"]]


def test_an_exact_copy_keeps_everything_and_adds_nothing():
    got = align(ORIGINAL, ORIGINAL)
    assert (got["kept_share"], got["added_share"]) == (1.0, 0.0)
    assert _texts(ORIGINAL, ORIGINAL, got) == [(ORIGINAL[:-1], ORIGINAL[:-1])]  # word to word: no final stop


def test_intro_edit_and_cut_are_seen():
    intro = "Editor's note: we republish this report with permission."
    edited = ORIGINAL.replace("twelve million", "12 million dollars").rsplit("\n\n", 1)[0]
    copy = intro + "\n\n" + edited + "\n\nRead the full article at the Saltmere Post."
    got = align(ORIGINAL, copy)
    pieces = _texts(ORIGINAL, copy, got)
    assert all(a == b for a, b in pieces)  # the spans point at the same words on both sides
    assert pieces[0][0].startswith("The mayor of Saltmere") and pieces[-1][0].endswith("three years to finish")
    assert not any("Residents" in a or "Editor" in b for a, b in pieces)
    assert 0.6 < got["kept_share"] < 0.85 and 0.2 < got["added_share"] < 0.5
    assert all(s["copy_start"] >= len(intro) for s in got["spans"])


def test_stray_common_words_are_not_a_passage():
    got = align(ORIGINAL, "A completely different note about the weather of the week.")
    assert got == {"kept_share": 0.0, "added_share": 1.0, "spans": []}


def test_assignments_of_copies_are_aligned_and_originals_are_not():
    texts = {"http://a/1": ORIGINAL, "http://b/1": ORIGINAL + "\n\nSubscribe to our newsletter today please."}
    rows = align_assignments([{"url": "http://a/1", "original_url": "http://a/1", "is_original": True},
                              {"url": "http://b/1", "original_url": "http://a/1", "is_original": False},
                              {"url": "http://c/1", "original_url": "http://a/1", "is_original": False}], texts.get)
    assert rows[0]["spans"] is None and rows[2]["kept_share"] is None  # c's text is unknown
    assert rows[1]["kept_share"] == 1.0 and 0 < rows[1]["added_share"] < 0.3


def _regex_side(text: str) -> tuple[list, list]:
    """What alignment used before: the words found one by one by the regex, hashed as dedupe does."""
    spans = [m.span() for m in WORD_TOKEN.finditer(text)]
    return spans, [words(text[a:b]) for a, b in spans]


@pytest.mark.parametrize("text", ["Die Straße ist ﬁnal gesperrt, sagte der Bürgermeister.",
                                  "ǅemal und Œuvre: ½ Liter, x² und ﬂüssig.\n\nZweiter Absatz ß ẞ.",
                                  "東京の天気は晴れ ＡＢＣ ｶﾀｶﾅ straße", "ﬁ", "No change at all here."])
def test_sides_of_texts_that_normalising_moves_are_at_the_words_of_the_text(text):
    side = _sides([text, ORIGINAL])[0]
    spans, expected = _regex_side(text)
    assert list(zip(side.starts.tolist(), side.ends.tolist())) == spans
    found = [words(text[a:b]) for a, b in zip(side.starts.tolist(), side.ends.tolist())]
    assert found == expected


def test_a_copy_with_eszett_and_ligatures_aligns_at_its_own_characters():
    original = "Die Straße wurde am Dienstag für den Verkehr gesperrt.\n\nDie Arbeiten dauern bis Freitag."
    copy = "Vorab: DIE STRASSE wurde am Dienstag für den Verkehr gesperrt.\n\nDie Arbeiten dauern bis ﬁnal Freitag."
    got = align(original, copy)
    pieces = _texts(original, copy, got)
    assert pieces[0][0].startswith("Die Straße wurde") and pieces[0][1].startswith("DIE STRASSE wurde")
    assert pieces[-1][0].endswith("dauern bis") and pieces[-1][1].endswith("dauern bis")  # "ﬁnal" was added
    assert all(words(a) == words(b) for a, b in pieces)


def test_a_text_with_a_token_that_normalises_into_two_words_still_matches_its_copy():
    """``½`` becomes ``1⁄2`` (two words): the text's words are found one by one, and every other
    word must keep the hash it has in the copy, which has no such token."""
    from crosspost.dedupe.align import align

    kept = "The mayor said the road and the school would wait until next year, after the vote."
    original = f"The council voted ½ of the budget to the new bridge over the river this week.\n\n{kept}"
    result = align(original, f"{kept}\n\nRead more at our site.")
    assert result["kept_share"] > 0.5
    assert result["spans"] == [{"original_start": original.index(kept), "original_end": len(original) - 1,
                                "copy_start": 0, "copy_end": len(kept) - 1}]
