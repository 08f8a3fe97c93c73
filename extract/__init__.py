"""Turn archived pages into clean article records (trafilatura + crosspost's rules)."""

from extract.page import extract_page  # noqa: F401
