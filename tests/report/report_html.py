"""Reading a report back: its tables as rows of numbers, its clusters and links (lxml)."""

from __future__ import annotations

from lxml import html as lxml_html


def parse(text: str):
    """The page as an lxml tree."""
    return lxml_html.fromstring(text)


def table(page, table_id: str) -> list[list]:
    """A table's body rows: each cell's ``data-value`` (as a number) or its text."""
    rows = []
    for tr in page.xpath(f'//table[@id="{table_id}"]/tbody/tr'):
        rows.append([_value(td) for td in tr.xpath("./td")])
    return rows


def _value(td):
    raw = td.get("data-value")
    if raw is None:
        return td.text_content().strip()
    number = float(raw)
    return int(number) if number.is_integer() and "." not in raw else number


def links(element) -> list[str]:
    """Every href under an element."""
    return [a.get("href") for a in element.xpath(".//a[@href]")]
