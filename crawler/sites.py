"""Load and validate the sites YAML file before any request goes out."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import yaml

from crawler.exceptions import SitesFileError, UnknownSite
from crawler.patterns import PatternError, compile_pattern

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
# Zero is nonsense for these: no request could ever go out (Scrapy waits forever on 0 slots)
# or every request would time out at once.
_POSITIVE_KEYS = ("max_pages", "concurrency", "download_timeout")
_STRING_KEYS = ("article_pattern", "user_agent")
_KNOWN = set(SiteConfig.__dataclass_fields__) - {"extra"}


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a key given twice in one mapping is an error
    (the plain loader keeps the last value silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def load_sites(path: str | Path) -> list[SiteConfig]:
    """Read and validate a sites file; raise SitesFileError naming the site and key."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except UnicodeDecodeError as exc:
        raise SitesFileError(f"cannot read sites file {path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} "
                             f"at offset {exc.start})") from None
    except (OSError, yaml.YAMLError) as exc:
        raise SitesFileError(f"cannot read sites file {path}: {_yaml_problem(exc)}") from None
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


def _yaml_problem(exc: Exception) -> str:
    # PyYAML's own text names "<unicode string>" instead of the file: keep the problem and line.
    mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, yaml.MarkedYAMLError) and mark is not None:
        return f"{exc.problem} (line {mark.line + 1}, column {mark.column + 1})"
    return str(exc)


def is_site_name(name: str) -> bool:
    """Whether ``name`` is a valid site name (it becomes part of store paths)."""
    return bool(_NAME.match(name))


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
    unknown = sorted(map(str, set(entry) - _KNOWN))
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
    _check_homepage(entry["url"], label)
    for key in _LIST_KEYS:
        if key in entry and not (isinstance(entry[key], list) and all(isinstance(v, str) for v in entry[key])):
            raise SitesFileError(f"{label}: key '{key}' must be a list of strings")
    for key in _INT_KEYS + _NUMBER_KEYS:
        if key in entry:
            _check_number(entry[key], key, label)
    for key in _STRING_KEYS:
        if key in entry and not (isinstance(entry[key], str) and entry[key]):
            raise SitesFileError(f"{label}: key '{key}' must be a non-empty string")
    _check_urls(entry, label)
    for key in _REGEX_KEYS:
        for pattern in _as_list(entry.get(key)):
            try:
                compile_pattern(pattern)
            except PatternError as exc:
                raise SitesFileError(f"{label}: key '{key}' has a bad regex {pattern!r}: {exc}") from None


def _check_homepage(url: str, label: str) -> None:
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018  (raises ValueError for a port that is not a number in 0-65535)
    except ValueError as exc:
        raise SitesFileError(f"{label}: key 'url' is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SitesFileError(f"{label}: key 'url' must be an http(s) URL with a host")
    if "@" in parsed.netloc:
        # Never echo the URL: it holds a password. Credentials do not belong in the sites file.
        raise SitesFileError(f"{label}: key 'url' must not contain a user name or password")
    if parsed.port == 0:
        raise SitesFileError(f"{label}: key 'url' has port 0")


def _check_number(value, key: str, label: str) -> None:
    kind = "integer" if key in _INT_KEYS else "number"
    if not _is_number(value, int if kind == "integer" else (int, float)) or not math.isfinite(value):
        raise SitesFileError(f"{label}: key '{key}' must be {'an integer' if kind == 'integer' else 'a number'}")
    if key in _POSITIVE_KEYS and value <= 0:
        raise SitesFileError(f"{label}: key '{key}' must be a positive {kind}, got {value}")
    if value < 0:
        raise SitesFileError(f"{label}: key '{key}' must be a non-negative {kind}")


def _check_urls(entry: dict, label: str) -> None:
    # Extra sitemaps and feeds must be on the site itself: the spider never leaves it.
    home = urlparse(entry["url"])
    for key in ("sitemaps", "feeds"):
        for url in entry.get(key, []):
            try:
                parsed = urlparse(urljoin(entry["url"], url))
            except ValueError as exc:
                raise SitesFileError(f"{label}: key '{key}' has a malformed URL {url!r}: {exc}") from None
            if parsed.scheme not in ("http", "https") or parsed.netloc != home.netloc:
                raise SitesFileError(f"{label}: key '{key}' has {url!r}, which is not on {home.netloc}")


def _is_number(value, types) -> bool:
    # YAML turns ``yes``/``no`` into booleans, which Python counts as ints.
    return isinstance(value, types) and not isinstance(value, bool)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
