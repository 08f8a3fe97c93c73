"""Load and validate the sites YAML file before any request goes out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import yaml

from crawler.exceptions import SitesFileError, UnknownSite

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class SiteConfig:
    """One site to crawl: a name and a homepage are enough; the rest overrides discovery."""

    name: str
    url: str
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    article_pattern: str | None = None
    max_pages: int = 2000
    listing_depth: int = 3
    max_listing_pages: int = 200
    lookback_days: int = 2
    download_delay: float | None = None
    download_timeout: float | None = None
    concurrency: int | None = None
    user_agent: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def netloc(self) -> str:
        """``host:port`` of the homepage: requests never leave it."""
        return urlparse(self.url).netloc

    def scrapy_settings(self) -> dict:
        """Per-site politeness as Scrapy settings (applied with ``-s``)."""
        out: dict[str, Any] = {}
        if self.download_delay is not None:
            out["DOWNLOAD_DELAY"] = self.download_delay
        if self.download_timeout is not None:
            out["DOWNLOAD_TIMEOUT"] = self.download_timeout
        if self.concurrency is not None:
            out["CONCURRENT_REQUESTS_PER_DOMAIN"] = self.concurrency
        if self.user_agent:
            out["USER_AGENT"] = self.user_agent
        return out


_LIST_KEYS = ("sitemaps", "feeds", "allow", "deny")
_REGEX_KEYS = ("allow", "deny", "article_pattern")
_INT_KEYS = ("max_pages", "listing_depth", "max_listing_pages", "lookback_days", "concurrency")
_NUMBER_KEYS = ("download_delay", "download_timeout")
_STRING_KEYS = ("article_pattern", "user_agent")
_KNOWN = set(SiteConfig.__dataclass_fields__) - {"extra"}


def load_sites(path: str | Path) -> list[SiteConfig]:
    """Read and validate a sites file; raise SitesFileError naming the site and key."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SitesFileError(f"cannot read sites file {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sites"), list):
        raise SitesFileError(f"{path}: expected a mapping with a 'sites' list")
    if set(data) - {"sites"}:
        raise SitesFileError(f"{path}: unknown top-level key(s) {', '.join(sorted(map(str, set(data) - {'sites'})))}")
    sites = [_parse_site(entry, i, path) for i, entry in enumerate(data["sites"])]
    names = [s.name for s in sites]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SitesFileError(f"{path}: duplicate site names: {', '.join(dupes)}")
    return sites


def get_site(path: str | Path, name: str) -> SiteConfig:
    """The one site called ``name`` from a sites file."""
    for site in load_sites(path):
        if site.name == name:
            return site
    raise UnknownSite(f"site {name!r} is not in {path}")


def _parse_site(entry, index: int, path) -> SiteConfig:
    if not isinstance(entry, dict):
        raise SitesFileError(f"{path}: sites[{index}] must be a mapping")
    label = f"{path}: site {entry.get('name', f'#{index}')!r}"
    unknown = sorted(set(entry) - _KNOWN)
    if unknown:
        raise SitesFileError(f"{label}: unknown key(s) {', '.join(unknown)}")
    for key in ("name", "url"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise SitesFileError(f"{label}: key '{key}' is required (a string)")
    _check_values(entry, label)
    values: dict[str, Any] = {k: tuple(v) if k in _LIST_KEYS else v for k, v in entry.items()}
    return SiteConfig(**values)


def _check_values(entry: dict, label: str) -> None:
    if not _NAME.match(entry["name"]):
        raise SitesFileError(f"{label}: key 'name' must match {_NAME.pattern}")
    if urlparse(entry["url"]).scheme not in ("http", "https") or not urlparse(entry["url"]).netloc:
        raise SitesFileError(f"{label}: key 'url' must be an http(s) URL")
    for key in _LIST_KEYS:
        if key in entry and not (isinstance(entry[key], list) and all(isinstance(v, str) for v in entry[key])):
            raise SitesFileError(f"{label}: key '{key}' must be a list of strings")
    for key in _INT_KEYS:
        if key in entry and (not _is_number(entry[key], int) or entry[key] < 0):
            raise SitesFileError(f"{label}: key '{key}' must be a non-negative integer")
    for key in _NUMBER_KEYS:
        if key in entry and (not _is_number(entry[key], (int, float)) or entry[key] < 0):
            raise SitesFileError(f"{label}: key '{key}' must be a non-negative number")
    for key in _STRING_KEYS:
        if key in entry and not (isinstance(entry[key], str) and entry[key]):
            raise SitesFileError(f"{label}: key '{key}' must be a non-empty string")
    _check_urls(entry, label)
    for key in _REGEX_KEYS:
        for pattern in _as_list(entry.get(key)):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SitesFileError(f"{label}: key '{key}' has a bad regex {pattern!r}: {exc}") from None


def _check_urls(entry: dict, label: str) -> None:
    # Extra sitemaps and feeds must be on the site itself: the spider never leaves it.
    home = urlparse(entry["url"])
    for key in ("sitemaps", "feeds"):
        for url in entry.get(key, []):
            parsed = urlparse(urljoin(entry["url"], url))
            if parsed.scheme not in ("http", "https") or parsed.netloc != home.netloc:
                raise SitesFileError(f"{label}: key '{key}' has {url!r}, which is not on {home.netloc}")


def _is_number(value, types) -> bool:
    # YAML turns ``yes``/``no`` into booleans, which Python counts as ints.
    return isinstance(value, types) and not isinstance(value, bool)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
