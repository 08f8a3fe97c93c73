"""The demo corpus: which article appears on which site, when, and copied from where.

Built once per process (it is deterministic) by :func:`build_corpus`.  Paths are
relative; the server turns them into absolute URLs once the ports are known.
Every site draws from its own seeded ``random.Random``, so adding or changing one
site never changes the words of another.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import random
import re
from dataclasses import dataclass, field

from tests.demoweb import textgen, vocab
from tests.demoweb.textgen import Event, Story

DEMO_DATE = dt.date(2026, 11, 20)
WINDOW_DAYS = 7
FIRST_DATE = DEMO_DATE - dt.timedelta(days=WINDOW_DAYS - 1)

SITE_NAMES: tuple[str, ...] = (
    "northwire", "worldreprint", "freepressmirror", "commonsdigest", "newsbeacon", "truthecho",
)
FAULT_SITE = "faultyreprint"
ALL_SITES: tuple[str, ...] = SITE_NAMES + (FAULT_SITE,)
# Outlets that demo sites credit but that are never served nor crawled (the "RT News" that
# Global Research credits): their articles exist only as copies on served sites.
UNCRAWLED = {"eastwire": "http://eastwire.example"}

DISPLAY_NAMES = {
    "northwire": "Northwire",
    "worldreprint": "World Reprint",
    "freepressmirror": "Free Press Mirror",
    "commonsdigest": "Commons Digest",
    "newsbeacon": "News Beacon",
    "truthecho": "Truth Echo",
    "faultyreprint": "Faulty Reprint",
    "eastwire": "Eastwire News",
}

# Invented bylines, one staff per site.
STAFF = {
    "northwire": ("Helena Marsh", "Tomas Reyes-Whitfield", "Ada Okonkwo", "Peter Lindgren",
                  "Sofia Brandt", "Ravi Chaudhry", "Maeve Kinsella", "Jonas Albrecht"),
    "newsbeacon": ("Carla Benn", "Desmond Yeo", "Lina Haddad", "Owen Pritchard", "Greta Solberg",
                   "Arjun Mehta"),
    "worldreprint": ("Michel Duvall", "Eleanor Crane", "Hugo Varnell", "Sandra Ocampo"),
    "freepressmirror": ("Nell Gaskin", "Bram Oyelaran", "Iris Feld"),
    "commonsdigest": ("Theo Marchetti", "Agnes Pollard", "Kit Donnelly"),
    "truthecho": ("Dana Voss", "Rhys Calder", "Mira Santos", "Felix Ahern"),
    "faultyreprint": ("Quill Porter", "Ines Varga"),
    "eastwire": ("Lev Arkadin", "Mila Petrova"),
}

RELATIONS = ("original", "exact", "near", "truncated", "extended", "uncredited", "excerpt")


@dataclass(frozen=True)
class Article:
    """One page of a site that carries an article (original or copy)."""

    site: str
    path: str
    title: str
    authors: tuple[str, ...]
    published: dt.datetime  # naive, UTC
    modified: dt.datetime
    paragraphs: tuple[str, ...]
    section: str
    relation: str = "original"
    credited: bool = True
    source: tuple[str, str] | None = None  # (site, path) of the original, for copies
    variant: str = "plain"  # plain|truncated|extended|near|followup|same_event|short|excerpt|namecredit
    quoted: tuple[int, ...] = ()  # paragraphs shown as a quotation of another article
    credit: str = "url"  # how a credited copy credits: "url" (a link), "name" (the outlet's name only)

    @property
    def key(self) -> tuple[str, str]:
        """(site, path): unique across the corpus."""
        return (self.site, self.path)

    @property
    def date(self) -> dt.date:
        """Publication date."""
        return self.published.date()

    @property
    def text(self) -> str:
        """The true body: paragraphs separated by a blank line, no boilerplate."""
        return "\n\n".join(self.paragraphs)

    @property
    def summary(self) -> str:
        """First sentence, for listings and feeds."""
        first = self.paragraphs[0]
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]

    @property
    def origin(self) -> tuple[str, str]:
        """Key of the original article (itself for originals)."""
        return self.source or self.key


@dataclass(frozen=True)
class Corpus:
    """All articles of all demo sites, plus pairs that look related but are not copies."""

    articles: tuple[Article, ...]
    distractors: tuple[tuple[tuple[str, str], tuple[str, str], str], ...]
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._index.update({a.key: a for a in self.articles})

    def get(self, key: tuple[str, str]) -> Article:
        """Article by (site, path)."""
        return self._index[key]

    def site(self, site: str) -> list[Article]:
        """Articles of one site, newest first."""
        items = [a for a in self.articles if a.site == site]
        return sorted(items, key=lambda a: (a.published, a.path), reverse=True)


# --------------------------------------------------------------------------- drafting

@dataclass
class _Draft:
    """An article before its URL is known (ids depend on the publication order)."""

    site: str
    title: str
    authors: tuple[str, ...]
    published: dt.datetime
    paragraphs: tuple[str, ...]
    section: str
    event: Event | None = None
    story: Story | None = None
    relation: str = "original"
    credited: bool = True
    source: _Draft | None = None
    variant: str = "plain"
    quoted: tuple[int, ...] = ()
    credit: str = "url"
    modified_hours: int = 0
    path: str = ""


def _rng(*parts) -> random.Random:
    """A generator seeded by a readable name (str seeds are stable across processes)."""
    return random.Random("crosspost-demo:" + ":".join(map(str, parts)))


def _authors(rng: random.Random, site: str) -> tuple[str, ...]:
    """One byline, sometimes two."""
    staff = STAFF[site]
    return tuple(rng.sample(staff, 2)) if rng.random() < 0.2 else (rng.choice(staff),)


def _originals(site: str, count: int, titles: set[str]) -> list[_Draft]:
    """``count`` original stories spread evenly over the 7-day window."""
    rng = _rng(site, "originals")
    topics = list(vocab.TOPICS)
    rng.shuffle(topics)
    drafts = []
    for i in range(count):
        day = FIRST_DATE + dt.timedelta(days=i * WINDOW_DAYS // count)
        when = dt.datetime.combine(day, dt.time(rng.randint(6, 21), rng.randint(0, 59)))
        topic = topics[i % len(topics)]
        event, story = _unique_story(rng, topic, day, titles)
        drafts.append(_Draft(site, story.title, _authors(rng, site), when, story.paragraphs,
                             topic.section, event, story, modified_hours=rng.choice((0, 0, 1, 3))))
    return drafts


def _unique_story(rng, topic, day, titles: set[str]) -> tuple[Event, Story]:
    """A new event and story whose headline no other article has."""
    while True:
        event = textgen.make_event(rng, topic, day)
        story = textgen.write_story(rng, event)
        if story.title not in titles:
            titles.add(story.title)
            return event, story


def _copy_time(rng: random.Random, original: dt.datetime, lag: int) -> dt.datetime:
    """When a copy went up: ``lag`` days after the original (later the same day if 0)."""
    if lag <= 0:
        if original.hour >= 22:  # too late for a same-day copy: keep it within the window
            return original + dt.timedelta(minutes=30)
        hour = rng.randint(original.hour + 1, 23)
        return dt.datetime.combine(original.date(), dt.time(hour, rng.randint(0, 59)))
    day = original.date() + dt.timedelta(days=lag)
    return dt.datetime.combine(day, dt.time(rng.randint(5, 22), rng.randint(0, 59)))


def _pick(rng, pool: list[_Draft], used: set[int], lags: tuple[int, ...]) -> tuple[_Draft, int]:
    """An original not yet used by this site, old enough to be copied ``lag`` days later."""
    lag = rng.choice(lags)
    while True:
        candidates = [d for d in pool if id(d) not in used
                      and d.published.date() + dt.timedelta(days=lag) <= DEMO_DATE]
        if candidates:
            chosen = rng.choice(candidates)
            used.add(id(chosen))
            return chosen, lag
        lag -= 1  # nothing that old left: copy a fresher one


def _copies(site: str, pool: list[_Draft], count: int, lags: tuple[int, ...], used: set[int],
            tag: str = "copies", **overrides) -> list[_Draft]:
    """``count`` verbatim, credited copies of originals from ``pool``."""
    rng = _rng(site, tag)
    out = []
    for _ in range(count):
        orig, lag = _pick(rng, pool, used, lags)
        fields = dict(site=site, title=orig.title, authors=orig.authors,
                      published=_copy_time(rng, orig.published, lag), paragraphs=orig.paragraphs,
                      section=orig.section, event=orig.event, story=orig.story,
                      relation="exact", source=orig)
        fields.update(overrides)
        out.append(_Draft(**fields))
    return out


def _uncredited(pool: list[_Draft], titles: set[str]) -> list[_Draft]:
    """newsbeacon's silent copies: no attribution, mostly a rewritten headline."""
    rng = _rng("newsbeacon", "uncredited")
    drafts = _copies("newsbeacon", pool, 4, (0, 1), set(), tag="uncredited",
                     relation="uncredited", credited=False)
    for i, d in enumerate(drafts):
        d.authors = (rng.choice(STAFF["newsbeacon"]),)
        if i < 3:  # the last one keeps the original headline
            d.title = _other_headline(rng, d.event, titles)
    return drafts


def _other_headline(rng, event: Event, titles: set[str]) -> str:
    """A headline for ``event`` that differs from every headline used so far."""
    n = len(event.topic.headlines)
    for step in range(1, n + 1):
        title = textgen.headline(event, rng, (event.headline_index + step) % n)
        if title not in titles:
            titles.add(title)
            return title
    raise RuntimeError("no unused headline left for event")


def _truthecho(pool_nw: list[_Draft], pool_nb: list[_Draft], titles: set[str]):
    """truthecho: truncated, extended and edited copies, plus look-alikes that are not copies."""
    rng = _rng("truthecho", "variants")
    used: set[int] = set()
    drafts = []
    for d in _copies("truthecho", pool_nw, 6, (0, 1, 2), used, tag="truncated",
                     relation="truncated", variant="truncated"):
        d.paragraphs = d.paragraphs[: max(2, math.ceil(len(d.paragraphs) * 0.6))]
        drafts.append(d)
    for d in _copies("truthecho", pool_nw, 5, (0, 1, 2), used, tag="extended",
                     relation="extended", variant="extended"):
        d.paragraphs = (textgen.editor_note(rng, d.event),) + d.paragraphs
        drafts.append(d)
    for d in _copies("truthecho", pool_nw, 5, (0, 1, 2), used, tag="near",
                     relation="near", variant="near"):
        d.paragraphs = textgen.near_edit(rng, d.paragraphs, rng.randint(3, 6))
        drafts.append(d)
    drafts += _copies("truthecho", pool_nb, 3, (0, 1), set(), tag="from-newsbeacon")
    look_alikes, pairs = _look_alikes("truthecho", pool_nw, used, titles, same_event=4, follow_ups=2)
    return drafts + look_alikes, pairs


def _look_alikes(site: str, pool: list[_Draft], used: set[int], titles: set[str],
                 same_event: int, follow_ups: int):
    """Original articles that resemble an original of ``pool`` without copying it.

    Same-event stories reuse one or two quoted sentences; follow-ups quote two full
    paragraphs.  Both must stay out of the original's cluster.
    """
    rng = _rng(site, "look-alikes")
    drafts, pairs = [], []
    for i in range(same_event + follow_ups):
        follow = i >= same_event
        orig, lag = _pick(rng, pool, used, (1, 2) if follow else (0, 1))
        event = textgen.related_event(rng, orig.event)
        p1_quotes = [q for q in orig.story.quotes if q[0] == 1]
        borrowed = tuple(p1_quotes[: 1 + i % 2]) if not follow else ()
        story = textgen.write_story(rng, event, min_words=330, max_words=520 if not follow else 480,
                                    exclude=orig.story.used, borrowed=borrowed, follow_up=follow)
        paragraphs, quoted = story.paragraphs, ()
        if follow:
            start = rng.randint(1, len(orig.paragraphs) - 2)
            intro = paragraphs[1] + f" {DISPLAY_NAMES[orig.site]}'s original report set out the details:"
            paragraphs = (paragraphs[0], intro) + orig.paragraphs[start:start + 2] + paragraphs[2:]
            quoted = (2, 3)
        title = story.title if story.title not in titles else _other_headline(rng, event, titles)
        titles.add(title)
        draft = _Draft(site, title, _authors(rng, site), _copy_time(rng, orig.published, lag),
                       paragraphs, orig.section, event, story,
                       variant="followup" if follow else "same_event", quoted=quoted)
        drafts.append(draft)
        why = ("follow-up quoting two paragraphs of the original" if follow
               else f"same event, shares {len(borrowed)} quoted sentence(s)")
        pairs.append((orig, draft, why))
    return drafts, pairs


def _short_pages(titles: set[str]) -> tuple[list[_Draft], list]:
    """Two truthecho pages with under 50 words: alike only in their boilerplate."""
    rng = _rng("truthecho", "short")
    texts = (
        ("Correction: meeting date in Saltmere",
         "Correction: An earlier version of an article on this site gave the wrong date for a "
         "public meeting in Saltmere. The meeting takes place on December 3. We regret the error."),
        ("Programming note for our readers",
         "Programming note: Our live coverage pauses for the weekend and resumes on Monday "
         "morning. Thank you for reading and for your messages."),
    )
    drafts = []
    for i, (title, body) in enumerate(texts):
        titles.add(title)
        day = FIRST_DATE + dt.timedelta(days=2 + 3 * i)
        when = dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))
        drafts.append(_Draft("truthecho", title, ("Truth Echo desk",), when, (body,), "Notes",
                             variant="short"))
    return drafts, [(drafts[0], drafts[1], "very short pages sharing only boilerplate")]


def _provenance_cases(nw: list[_Draft], nb: list[_Draft], drafts: list[_Draft], titles: set[str]) -> list[_Draft]:
    """Copies that test provenance: teasers ("excerpt": the first ~35% of the words, then "Read
    the full article at", on freepressmirror with a canonical link and on truthecho without),
    name-only credits on copies claiming an earlier time than their original, and articles of
    an outlet that is never crawled (``UNCRAWLED``) republished by two sites."""
    copied = lambda site: {id(d.source) for d in drafts if d.site == site and d.source}  # noqa: E731
    out = []
    for site in ("freepressmirror", "truthecho"):
        for d in _copies(site, nw, 2, (0, 1), copied(site), tag="excerpt", relation="excerpt", variant="excerpt"):
            d.paragraphs = _leading_share(d.paragraphs, 0.35)
            out.append(d)
    # News Beacon originals nobody else copies: the name credit alone must pick them.
    alone = [d for d in nb if not any(x.source is d for x in drafts)]
    for d in _copies("truthecho", alone, 2, (0,), copied("truthecho"), tag="namecredit", variant="namecredit",
                     credit="name"):
        d.published = d.source.published - dt.timedelta(hours=2)  # a time-zone slip: "before" the original
        out.append(d)
    eastwire = _originals("eastwire", 2, titles)
    out += _copies("worldreprint", eastwire, 2, (1,), set(), tag="from-eastwire")
    out += _copies("commonsdigest", eastwire[:1], 1, (2,), set(), tag="from-eastwire")
    return eastwire + out


def _leading_share(paragraphs: tuple[str, ...], share: float) -> tuple[str, ...]:
    """The first paragraphs, up to about ``share`` of the words (at least one)."""
    total, kept = sum(len(p.split()) for p in paragraphs), []
    for p in paragraphs:
        if kept and sum(len(k.split()) for k in kept) + len(p.split()) > share * total:
            break
        kept.append(p)
    return tuple(kept)


# --------------------------------------------------------------------------- URLs

def slugify(title: str, max_words: int = 10) -> str:
    """URL slug: lower-case ASCII words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", title.lower().replace("'", ""))
    return "-".join(words[:max_words]) or "article"


def _path(site: str, draft: _Draft, slug: str, seq: int) -> str:
    """Site-specific article URL (each CMS has its own pattern)."""
    day = draft.published.date()
    if site == "northwire":
        return f"/{day:%Y/%m/%d}/{slug}/"
    if site == "worldreprint":
        return f"/{slug}/{5_801_200 + seq * 17}"  # Global Research style numeric id
    if site == "freepressmirror":
        return f"/news/{slug}-{24_310 + seq * 7}.html"
    if site == "commonsdigest":
        return f"/posts/{3_100 + seq}-{slug}/"
    if site == "newsbeacon":
        return f"/{slugify(draft.section)}/{day:%Y/%m/%d}/{slug}.html"
    if site == "truthecho":
        digest = hashlib.sha1(f"{slug}:{seq}".encode()).hexdigest()[:6]
        return f"/a/{slug}-{digest}"
    if site == FAULT_SITE:
        return f"/reprints/{day:%Y/%m/%d}/{slug}/"
    if site in UNCRAWLED:
        return f"/en/news/{day:%Y%m%d}/{slug}.html"
    raise ValueError(site)


def _assign_paths(drafts: list[_Draft], first_seq: int = 0) -> None:
    """Give every draft its URL path; ids grow with publication time like a real CMS (drafts
    added later start at ``first_seq``, so the URLs of the others never change)."""
    by_site: dict[str, list[_Draft]] = {}
    for d in drafts:
        by_site.setdefault(d.site, []).append(d)
    for site, items in by_site.items():
        seen: set[str] = set()
        for seq, d in enumerate(sorted(items, key=lambda d: (d.published, d.title)), first_seq):
            slug = base = slugify(d.title)
            n = 2
            while slug in seen:
                slug, n = f"{base}-{n}", n + 1
            seen.add(slug)
            d.path = _path(site, d, slug, seq)


def _finish(d: _Draft) -> Article:
    """Freeze a draft into an Article (its source, if any, has a path by now)."""
    modified = min(d.published + dt.timedelta(hours=d.modified_hours),
                   dt.datetime.combine(DEMO_DATE, dt.time(23, 59)))
    return Article(
        site=d.site, path=d.path, title=d.title, authors=d.authors, published=d.published,
        modified=modified, paragraphs=d.paragraphs, section=d.section, relation=d.relation,
        credited=d.credited, source=(d.source.site, d.source.path) if d.source else None,
        variant=d.variant, quoted=d.quoted, credit=d.credit)


@functools.lru_cache(maxsize=1)
def build_corpus() -> Corpus:
    """Every article of every demo site (including ``faultyreprint``'s good ones)."""
    titles: set[str] = set()
    nw = _originals("northwire", 42, titles)
    nb = _originals("newsbeacon", 32, titles)
    drafts = nw + nb
    for site, count in (("worldreprint", 6), ("freepressmirror", 5), ("commonsdigest", 6),
                        ("truthecho", 6), (FAULT_SITE, 2)):
        drafts += _originals(site, count, titles)
    drafts += _copies("worldreprint", nw, 22, (1, 1, 1, 2), set())
    drafts += _copies("worldreprint", nb, 4, (1,), set(), tag="from-newsbeacon")
    drafts += _copies("freepressmirror", nw, 26, (0, 1, 2), set())
    drafts += _copies("commonsdigest", nw, 25, (0, 1, 2), set())
    drafts += _copies(FAULT_SITE, nw, 30, (0, 1, 2), set())
    drafts += _uncredited(nw, titles)
    echo, pairs = _truthecho(nw, nb, titles)
    nb_alikes, nb_pairs = _look_alikes("newsbeacon", nw, set(), titles, same_event=2, follow_ups=0)
    short, short_pairs = _short_pages(titles)
    drafts += echo + nb_alikes + short
    _assign_paths(drafts)
    provenance_cases = _provenance_cases(nw, nb, drafts, titles)
    _assign_paths(provenance_cases, first_seq=1000)
    drafts += provenance_cases
    articles = tuple(_finish(d) for d in drafts)
    distractors = tuple(((a.site, a.path), (b.site, b.path), why)
                        for a, b, why in pairs + nb_pairs + short_pairs)
    return Corpus(articles, distractors)
