"""Typed errors of the crosspost package (storage, dedupe, publish, read)."""


class CrosspostError(Exception):
    """Base class of every error crosspost raises on purpose."""


class StoreError(CrosspostError):
    """The store could not be reached or refused an operation."""


class StoreConfigError(StoreError):
    """The store URL, bucket or credentials are unusable; raised before any work."""


class ObjectNotFound(StoreError):
    """A key that was expected in the store is missing."""


class CommitConflict(StoreError):
    """Another writer committed the same partition first: refresh and try again."""


class PartitionNotCommitted(CrosspostError):
    """A partition has no `_SUCCESS` manifest, so readers must not see it."""


class ManifestError(CrosspostError):
    """A manifest is unreadable or lists a file that is missing."""


class ConfigError(CrosspostError):
    """A settings value (date, mode, path) is invalid."""


class SiteUnreachable(CrosspostError):
    """A crawl ended without a single response from the site (down, refusing, DNS): retry later."""


class NoSiteArrived(CrosspostError):
    """Every site of a date is missing: committing an empty partition would hide an outage."""


class DamagedState(CrosspostError):
    """A state object later nights read (a history index, its month segment, a sketch) cannot be
    read: crosspost stops rather than match against part of the history."""


class Interrupted(BaseException):
    """SIGTERM while a run had workers: like KeyboardInterrupt, not an error of the run."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum


class SiteBusy(CrosspostError):
    """Another run holds the site's crawl lease: try again after it ends (or expires)."""

    def __init__(self, site: str, holder: str, expires: float):
        super().__init__(f"{site} is being crawled by {holder} (lease expires at {expires:.0f}, unix time)")
        self.site, self.holder, self.expires = site, holder, expires


class PartitionWouldShrink(CrosspostError):
    """Sites that did not arrive have rows in the committed date: publishing would drop them."""
