"""Helpers for the extract tests: golden pages on disk, the benchmark metric, HTML and WARC builders."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
from collections import Counter
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

GOLDEN = Path(__file__).resolve().parent / "golden"
CRAWL_DATE = dt.date(2026, 11, 20)
_TOKEN = re.compile(r"\w+", re.UNICODE)


def golden_cases() -> list[Path]:
    """Every golden case folder (``<site>/<case>``)."""
    return sorted(p.parent for p in GOLDEN.glob("*/*/meta.json"))


def load_case(folder: Path) -> tuple[bytes, dict, dict]:
    """(page bytes, meta, expected) of one golden case."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return gzip.decompress((folder / "page.html.gz").read_bytes()), meta, expected


def f1(true: str, predicted: str) -> float:
    """The extraction benchmark's per-page F1 on word 4-grams (multiset), as in its scorer."""
    def shingles(text):
        tokens = _TOKEN.findall(text or "")
        return Counter(tuple(tokens[i:i + 4]) for i in range(max(1, len(tokens) - 3)) if tokens[i:i + 4])
    t, p = shingles(true), shingles(predicted)
    tp = sum((t & p).values())
    if not tp:
        return 0.0
    precision, recall = tp / sum(p.values()), tp / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def article_html(title: str, paragraphs: list[str], *, head: str = "", before: str = "", after: str = "",
                 lang: str = "en") -> str:
    """A plain article page: ``before`` and ``after`` go around the body inside the article."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Test Site</title>'
            f'<meta property="og:site_name" content="Test Site">{head}</head><body>'
            f'<header><a href="/">Test Site</a></header><article><h1>{title}</h1>{before}'
            f'<div class="body">{body}</div>{after}</article><footer>Test Site footer</footer></body></html>')


def write_warc(pages: list[dict]) -> io.BytesIO:
    """A gzipped WARC holding article responses, as the crawler writes them."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for page in pages:
        body = page["body"] if isinstance(page["body"], bytes) else page["body"].encode("utf-8")
        http = StatusAndHeaders(f"{page.get('status', 200)} OK", [
            ("Content-Type", page.get("content_type", "text/html; charset=utf-8")),
            ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        headers = {"WARC-Crosspost-Kind": page.get("kind", "article")}
        if page.get("listed_date"):
            headers["WARC-Crosspost-Listed-Date"] = page["listed_date"]
        record = writer.create_warc_record(page["url"], "response", payload=io.BytesIO(body), length=len(body),
                                           http_headers=http, warc_headers_dict=headers)
        writer.write_record(record)
    out.seek(0)
    return out


_WORDS = ("harbour council budget river school clinic ferry bridge market library station tunnel orchard "
          "quarry museum festival court hospital reservoir depot garden factory airport stadium").split()


def prose(seed: int, sentences: int = 4) -> str:
    """A paragraph of distinct, deterministic sentences (no two seeds share a sentence)."""
    out = []
    for i in range(sentences):
        a, b, c = (_WORDS[(seed * 7 + i * 3 + k) % len(_WORDS)] for k in range(3))
        out.append(f"Officials in district {seed}-{i} said the {a} plan would change how the {b} "
                   f"and the {c} are run, after a long review of costs and local objections.")
    return " ".join(out)
