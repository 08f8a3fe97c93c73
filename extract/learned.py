"""Second pass over a site's batch: drop the paragraphs the boilerplate model recognises."""

from __future__ import annotations

import datetime as dt

from crosspost.common.text import count_words, join_paragraphs, split_paragraphs
from extract.boilerplate import BoilerplateDetector, BoilerplateModel, batch_articles
from extract.edges import strip_edges
from extract.exceptions import NotAnArticle
from extract.pagekind import length_doubt


def strip_learned(records: list[dict], model: BoilerplateModel, day: dt.date) -> list[dict]:
    """``records`` without learned boilerplate; ``model`` learns this batch as ``day``'s."""
    batch = batch_articles(records)
    detector = model.detector(day, batch)
    model.update(day, batch)
    return [strip_record(record, detector) for record in records]


def strip_record(record: dict, detector: BoilerplateDetector) -> dict:
    """One record without the paragraphs ``detector`` calls boilerplate (a new dict when it changes)."""
    if record.get("status") != "ok":
        return record
    paragraphs = split_paragraphs(record["text"])
    kept = [p for p in paragraphs if not detector.is_boilerplate(p)]
    if len(kept) == len(paragraphs):
        return record
    # with a learned block gone, an attribution line may now sit at the edge
    kept = strip_edges(kept, [record.get("title") or ""], record.get("authors") or [])
    text = join_paragraphs(kept)
    removed = (record.get("boilerplate_paragraphs") or 0) + len(paragraphs) - len(kept)
    out = {**record, "text": text, "word_count": count_words(text), "boilerplate_paragraphs": removed}
    try:  # the page had a headline if extract_page kept it short: judge the shorter text alike
        doubt = length_doubt(out["word_count"], bool(record.get("title")),
                             teaser=bool(record.get("credited_source_url")))
    except NotAnArticle as exc:
        out.update(status="no_article", reason=exc.reason, text=None, word_count=None)
        return out
    out["reason"] = record.get("reason") or doubt
    return out
