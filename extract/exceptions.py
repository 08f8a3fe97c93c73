"""Typed errors of the extract package."""


class ExtractError(Exception):
    """Base class of every error the extract package raises on purpose."""


class NotAnArticle(ExtractError):
    """The page has no article (index page, empty body, binary content...)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class PageTooComplex(ExtractError):
    """The page's structure is beyond what an article needs (extract.limits): it is not parsed."""

    reason = "too_complex"


class ArchiveError(ExtractError):
    """A WARC file is unreadable."""


class BoilerplateStateError(ExtractError):
    """A stored per-site boilerplate model is unreadable (delete it to start learning afresh)."""
