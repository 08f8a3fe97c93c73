"""Seeded generator of news-like English prose for the demo sites.

A story is built from an :class:`Event` (who did what, where, with which numbers) and
the sentence templates in :mod:`tests.demoweb.vocab`.  Every random choice comes from
the ``random.Random`` passed in, so the same seed always gives the same words.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field, replace

from tests.demoweb import vocab
from tests.demoweb.vocab import Topic

_ALTERNATION = re.compile(r"\[([^\[\]]*)\]")
_PERSON_REF = re.compile(r"\{p([123])(?:_last)?\}")
_SMALL_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

MIN_WORDS, MAX_WORDS = 300, 700
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 5, 12


@dataclass(frozen=True)
class Person:
    """Someone quoted in a story."""

    name: str
    role: str

    @property
    def last(self) -> str:
        """Surname, used after the first mention."""
        return self.name.split()[-1]

    @property
    def a_role(self) -> str:
        """Role with its indefinite article ("an astronomer", "a union negotiator")."""
        article = "an" if self.role[0] in "aeiou" and not self.role.startswith("uni") else "a"
        return f"{article} {self.role}"


@dataclass
class Event:
    """What a story is about; shared by every story written about the same event."""

    topic: Topic
    slots: dict
    people: tuple[Person, ...]
    headline_index: int

    def all_slots(self) -> dict:
        """Template slots including the people's names and roles."""
        out = dict(self.slots)
        for i, person in enumerate(self.people, start=1):
            out[f"p{i}"] = person.name
            out[f"p{i}_last"] = person.last
            out[f"role{i}"] = person.role
        return out


@dataclass(frozen=True)
class Story:
    """Generated headline and body, plus what a later story needs to relate to it."""

    title: str
    paragraphs: tuple[str, ...]
    used: frozenset = field(default_factory=frozenset)  # template ids, to avoid in distractors
    quotes: tuple[tuple[int, bool, str], ...] = ()  # (person index, is introduction, sentence)

    @property
    def text(self) -> str:
        """Body as plain text: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def n_words(self) -> int:
        """Whitespace-separated word count of the body."""
        return len(self.text.split())


def small_number(n: int) -> str:
    """News style: spell out numbers under ten."""
    return _SMALL_WORDS[n] if n < 10 else str(n)


def expand(template: str, rng: random.Random, slots: dict) -> str:
    """Resolve ``[a|b]`` alternations, fill ``{slots}`` and capitalise the first letter."""
    text = _ALTERNATION.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    text = text.format_map(slots)
    return text[:1].upper() + text[1:]


def _people(rng: random.Random, roles: tuple[str, ...], count: int = 3) -> tuple[Person, ...]:
    """Distinct people with distinct roles for one event."""
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
        if all(name.split()[-1] != other.split()[-1] for other in names):
            names.append(name)
    return tuple(Person(n, r) for n, r in zip(names, rng.sample(roles, count)))


def _number_slots(rng: random.Random) -> dict:
    """Figures quoted in a story; drawn once so every mention agrees."""
    vote_for = rng.randint(5, 11)
    return {
        "num_small": small_number(rng.randint(3, 12)),
        "num_mid": str(rng.randint(40, 900)),
        "num_big": f"{rng.randint(12, 950) * 100:,}",
        "money": f"${rng.randint(12, 95) / 10:.1f} million",
        "money_small": f"${rng.randint(4, 38) * 10}",
        "pct": str(rng.randint(8, 64)),
        "past_year": str(rng.randint(2009, 2022)),
        "old_year": str(rng.randint(1870, 1935)),
        "small_decimal": f"{rng.randint(11, 39) / 10:.1f}",
        "speed": str(rng.randint(85, 145)),
        "vote_for": small_number(vote_for),
        "vote_against": small_number(rng.randint(2, vote_for - 1)),
        "abstain": rng.choice(("one", "two", "three")),
        "ordinal": rng.choice(vocab.ORDINALS),
    }


def make_event(rng: random.Random, topic: Topic, day: dt.date) -> Event:
    """Draw the place, actors, object and figures of a new event reported on ``day``."""
    place, place2 = rng.sample(vocab.PLACES, 2)
    base = {"place": place, "place2": place2, "region": rng.choice(vocab.REGIONS)}
    org, head_org = (t.format(**base) for t in rng.choice(topic.orgs))
    action, action_now = rng.choice(topic.actions)
    event_day = day - dt.timedelta(days=rng.choice((0, 1, 1)))  # usually "yesterday"
    slots = dict(base)
    slots.update(_number_slots(rng))
    slots.update({
        "org": org,
        "head_org": head_org,
        "rival": rng.choice(topic.rivals).format(**base),
        "thing": rng.choice(topic.things),
        "issue": rng.choice(topic.issues),
        "action": action,
        "action_now": action_now,
        "units": rng.choice(topic.units),
        "weekday": vocab.WEEKDAYS[event_day.weekday()],
        "future_weekday": vocab.WEEKDAYS[(day.weekday() + rng.randint(2, 4)) % 7],
        "prev_month": rng.choice(vocab.PAST_MONTHS),
        "future_month": rng.choice(vocab.FUTURE_MONTHS),
        "future_date": f"{rng.choice(('December', 'January'))} {rng.randint(1, 28)}",
        "former_use": rng.choice(vocab.FORMER_USES),
    })
    return Event(topic, slots, _people(rng, topic.roles), rng.randrange(len(topic.headlines)))


def related_event(rng: random.Random, event: Event) -> Event:
    """The same event as seen by another outlet: same facts and lead actor, other voices."""
    others = _people(rng, tuple(r for r in event.topic.roles if r != event.people[0].role), 2)
    index = (event.headline_index + rng.randint(1, len(event.topic.headlines) - 1)) % len(
        event.topic.headlines)
    slots = dict(event.slots)
    slots["rival"] = rng.choice(event.topic.rivals).format(**event.slots)
    return replace(event, people=(event.people[0],) + others, headline_index=index, slots=slots)


def headline(event: Event, rng: random.Random, index: int | None = None) -> str:
    """A headline for the event (template ``index`` or the event's own)."""
    topic = event.topic
    template = topic.headlines[event.headline_index if index is None else index]
    return expand(template, rng, event.all_slots())


class _Pools:
    """Sentence templates still available to one story (each is used at most once)."""

    def __init__(self, rng: random.Random, event: Event, exclude: frozenset):
        topic = event.topic

        def pool(prefix: str, items) -> list[tuple[str, str]]:
            out = [(f"{prefix}{i}", t) for i, t in enumerate(items) if f"{prefix}{i}" not in exclude]
            rng.shuffle(out)
            return out

        self.rng = rng
        self.generic = pool("g", vocab.GENERIC)
        self.facts = pool(f"f:{topic.key}:", topic.facts)
        # take() pops from the end: topic quotes first, generic ones only as a top-up
        self.quotes = pool("gq", vocab.GENERIC_QUOTES) + pool(f"q:{topic.key}:", topic.quotes)
        self.closers = pool("c", vocab.CLOSERS)
        self.used: set[str] = set()

    def take_body(self, introduced: set[int]) -> tuple[str, str] | None:
        """Next body sentence whose people have all been introduced already."""
        sources = [self.facts, self.generic] if self.rng.random() < 0.35 else [self.generic, self.facts]
        for source in sources:
            for i, (tid, template) in enumerate(source):
                needs = {int(n) for n in _PERSON_REF.findall(template)}
                if needs <= introduced:
                    del source[i]
                    self.used.add(tid)
                    return tid, template
        return None

    def take(self, source: list[tuple[str, str]]) -> tuple[str, str] | None:
        """Pop the next template of ``source`` (None once exhausted)."""
        if not source:
            return None
        tid, template = source.pop()
        self.used.add(tid)
        return tid, template


def _quote_sentence(rng, pools: _Pools, slots: dict, person: Person, intro: bool) -> str | None:
    """A quote by ``person``: the first one names them with their role."""
    picked = pools.take(pools.quotes)
    if picked is None:
        return None
    quote = expand(picked[1], rng, slots)
    frames = vocab.QUOTE_INTROS if intro else vocab.QUOTE_FOLLOWS
    frame = rng.choice(frames)
    person_slots = dict(slots, quote=quote, p=person.name, last=person.last, role=person.role,
                        a_role=person.a_role)
    return expand(frame, rng, person_slots)


def _intro_schedule(n_paragraphs: int, n_people: int) -> dict[int, int]:
    """Paragraph index -> person (1-based) introduced there: early, middle, late."""
    spots = [1, max(2, n_paragraphs // 2), n_paragraphs - 2]
    schedule = {}
    for person, spot in enumerate(spots[:n_people], start=1):
        if spot < n_paragraphs - 1 and spot not in schedule:
            schedule[spot] = person
    return schedule


def write_story(rng: random.Random, event: Event, *, min_words: int = MIN_WORDS,
                max_words: int = MAX_WORDS, exclude: frozenset = frozenset(),
                borrowed: tuple[tuple[int, bool, str], ...] = (), follow_up: bool = False,
                title_index: int | None = None) -> Story:
    """Write a story about ``event`` of ``min_words``..``max_words`` words in 5-12 paragraphs.

    ``exclude`` lists template ids not to use (another story's, so the two read differently);
    ``borrowed`` are quote sentences to reuse verbatim (same-event coverage).
    """
    for _ in range(50):  # retry until the length constraints hold; deterministic via rng
        story = _draft(rng, event, min_words, max_words, exclude, borrowed, follow_up)
        if (min_words <= story.n_words <= max_words
                and MIN_PARAGRAPHS <= len(story.paragraphs) <= MAX_PARAGRAPHS):
            title = headline(event, rng, title_index)
            return replace(story, title=title)
    raise RuntimeError("could not generate a story within the length limits")


def _draft(rng, event: Event, min_words: int, max_words: int, exclude: frozenset,
           borrowed, follow_up: bool) -> Story:
    """One attempt at a story; the caller checks the length."""
    slots = event.all_slots()
    pools = _Pools(rng, event, exclude)
    target = rng.randint(min_words + 20, max(min_words + 21, max_words - 60))
    n_par = max(MIN_PARAGRAPHS, min(MAX_PARAGRAPHS, round(target / rng.uniform(45, 70))))
    per_par = target / n_par
    schedule = _intro_schedule(n_par, len(event.people))
    borrowed_intro = {p: s for p, is_intro, s in borrowed if is_intro}
    borrowed_follow = [s for _, is_intro, s in borrowed if not is_intro]
    introduced: set[int] = set()
    quotes: list[tuple[int, bool, str]] = []
    paragraphs: list[str] = []
    leads = vocab.FOLLOW_LEADS if follow_up else vocab.LEADS
    lead_pool = [(f"{'fl' if follow_up else 'l'}{i}", t) for i, t in enumerate(leads)]
    lead_pool = [x for x in lead_pool if x[0] not in exclude] or lead_pool
    for index in range(n_par):
        sentences: list[str] = []
        if index == 0:
            tid, template = rng.choice(lead_pool)
            pools.used.add(tid)
            sentences.append(expand(template, rng, slots))
        elif index in schedule:
            person_no = schedule[index]
            person = event.people[person_no - 1]
            sentence = borrowed_intro.get(person_no) or _quote_sentence(rng, pools, slots, person, True)
            if sentence:
                sentences.append(sentence)
                quotes.append((person_no, True, sentence))
                introduced.add(person_no)
        elif introduced and borrowed_follow and 1 in introduced:
            sentences.append(borrowed_follow.pop(0))
        elif introduced and rng.random() < 0.3:
            person_no = rng.choice(sorted(introduced))
            sentence = _quote_sentence(rng, pools, slots, event.people[person_no - 1], False)
            if sentence:
                sentences.append(sentence)
                quotes.append((person_no, False, sentence))
        limit = per_par * (0.6 if index == n_par - 1 else 1.0)
        while sum(len(s.split()) for s in sentences) < limit:
            picked = pools.take_body(introduced)
            if picked is None:
                break
            sentences.append(expand(picked[1], rng, slots))
        if index == n_par - 1:
            closer = pools.take(pools.closers)
            if closer:
                sentences.append(expand(closer[1], rng, slots))
        paragraphs.append(" ".join(sentences))
    return Story("", tuple(p for p in paragraphs if p), frozenset(pools.used), tuple(quotes))


def editor_note(rng: random.Random, event: Event) -> str:
    """An editor's introduction that a republisher puts above a copied story."""
    return expand(rng.choice(vocab.EDITOR_NOTES), rng, event.all_slots())


def near_edit(rng: random.Random, paragraphs: tuple[str, ...], n_edits: int) -> tuple[str, ...]:
    """Swap ``n_edits`` words for synonyms: a lightly edited copy."""
    edits = dict(vocab.NEAR_EDITS)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, edits)) + r")\b", re.I)
    spots = [(pi, m.start(), m.group(0)) for pi, p in enumerate(paragraphs) for m in pattern.finditer(p)]
    chosen = sorted(rng.sample(spots, min(n_edits, len(spots))), reverse=True)
    out = list(paragraphs)
    for pi, start, word in chosen:  # right to left, so earlier offsets stay valid
        new = edits[word.lower()]
        if word[0].isupper():
            new = new[0].upper() + new[1:]
        out[pi] = out[pi][:start] + new + out[pi][start + len(word):]
    return tuple(out)
