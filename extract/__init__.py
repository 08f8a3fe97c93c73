"""Turn archived pages into clean article records (trafilatura + crosspost's rules).

``from extract import extract_page`` works as before; importing the package itself loads
neither trafilatura nor lxml, so code that only needs a submodule stays light.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "extract_page":
        from extract.page import extract_page

        return extract_page
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
