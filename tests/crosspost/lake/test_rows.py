"""Output rows joined from records and assignments (crosspost.lake.rows)."""

from __future__ import annotations

from crosspost.common.text import text_hash
from crosspost.dedupe.minhash import text_hashes
from crosspost.lake.rows import article_rows


def test_article_text_hashes_are_those_of_common_text():
    texts = ["The mayor opened the bridge.", "", None, "Die Straße ist ﬁnal gesperrt: ½ Liter.", "東京の天気 ＡＢＣ",
             "THE   mayor, opened the bridge!"]
    records = [{"url": f"https://a.example/{i}", "status": "ok" if t else "no_article", "text": t}
               for i, t in enumerate(texts)]
    rows = article_rows(records, [])
    assert [r["text_hash"] for r in rows] == [text_hash(t) if t else None for t in texts]
    assert rows[0]["text_hash"] == rows[-1]["text_hash"]  # only spacing, case and punctuation differ
    assert article_rows(records, [], text_hashes(t for t in texts if t)) == rows  # found many at once
