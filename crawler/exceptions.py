"""Typed errors of the crawler package."""


class CrawlerError(Exception):
    """Base class of every error the crawler raises on purpose."""


class SitesFileError(CrawlerError):
    """The sites YAML file is missing, malformed, or has a bad key or value."""


class UnknownSite(SitesFileError):
    """A site name asked for is not in the sites file."""


class DiscoveryError(CrawlerError):
    """A sitemap or feed could not be parsed (invalid XML, HTML instead of a feed...)."""


class CrawlFailed(CrawlerError):
    """The Scrapy process for a site exited without producing its archive."""
