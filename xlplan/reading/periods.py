"""Dates and periods as people type them in a procesplan, turned into a start and an end.

"14. august 2012", "4. september" (year from context), "Uge 40 – 43", "Uge 5 2013",
"Maj, juni og juli", "19. og 20. marts samt én dag primo april 2013", "1. kvartal 2027",
"2. halvår", "03-02-2026" (3 February: Danish order). Every period found in the text is resolved
and the whole text spans from the earliest start to the latest end.

The parser reads only what it understands. Every word and number must be claimed by a date form
or be one of the words of data/datoer.yaml; anything else makes the text an error naming it.
Seasons, school holidays, Easter, "primo 2026" and "inden"/"efter" are read by the stated rules of
datoer.yaml, and the period carries those rules so that the reader can say how the text was read.
An impossible date ("31. september", week 53 in a year without one) is an error, never a guess.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from xlplan.core.content import load_yaml


FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years a plan can mean


class PeriodError(ValueError):
    """The text holds a date that cannot exist, a word that is not understood, or no date at all."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date | None  # None: an open period ("fra 1. oktober 2026"), which has a start and no end
    interpreted: bool  # True when the text was not a plain, complete date
    rules: tuple[str, ...] = ()  # the stated rules applied (Danish, from datoer.yaml): each must be shown
    year_inferred: bool = False  # a part of the text had no year and took the one it was given: must be said

    @property
    def open_end(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class YearFrom:
    """Where a text without a year takes its year from: the period falls on or after `after`. For a date
    in the same row (a Slut after its Start) that is the day; for the rows above and the plan's start it is
    the month, as a reader of the sheet takes "4. september" under "28. august 2012" and "november" under
    "2. november 2012" to be the same year, and "januar" under "november" the next."""
    after: dt.date
    by_day: bool = False

    def goes_back(self, period: Period) -> bool:
        if self.by_day:
            return (period.end or period.start) < self.after
        return (period.start.year, period.start.month) < (self.after.year, self.after.month)

    def would_go_back(self, period: Period) -> bool:
        """Whether `period`, read in the year after `after`, would go back if read in `after`'s year."""
        if self.by_day:
            day = period.end or period.start
            return (day.month, day.day) < (self.after.month, self.after.day)
        return period.start.month < self.after.month


# ------------------------------------------------------------------ the vocabulary of datoer.yaml

@dataclass(frozen=True)
class _Named:
    """A season, school holiday or holiday: a span computed from a year by a stated rule."""
    kind: str  # "måneder", "uger", "dage" or "påskedage", as in datoer.yaml
    first: object
    last: object
    rule: str

    @property
    def crosses_new_year(self) -> bool:
        return self.kind == "måneder" and self.first > self.last

    def span(self, year: int) -> tuple[dt.date, dt.date]:
        """`year` is the year of the period's end (January's year for a winter)."""
        if self.kind == "måneder":
            start_year = year - 1 if self.crosses_new_year else year
            return dt.date(start_year, self.first, 1), dt.date(year, self.last, _last_day(year, self.last))
        if self.kind == "uger":
            return _week(year, self.first)[0], _week(year, self.last)[1]
        if self.kind == "dage":
            return dt.date(year, *self.first), dt.date(year, *self.last)
        easter = easter_sunday(year)
        return easter + dt.timedelta(days=self.first), easter + dt.timedelta(days=self.last)


@dataclass(frozen=True)
class _Modifier:
    """A word in front of a date that changes it: "inden jul", "efter sommerferien"."""
    effect: str  # "dagen før", "sidste dag", "ugen efter" or "omtrent", as in datoer.yaml
    rule: str
    day_rule: str | None = None  # the rule in front of a single day, where it differs ("efter 1. marts")


_EFFECTS = ("dagen før", "sidste dag", "ugen efter", "omtrent")
_NAMED_KINDS = ("måneder", "uger", "dage", "påskedage")


@dataclass(frozen=True)
class _Vocabulary:
    months: dict[str, int]
    month_names: tuple[str, ...]
    month_parts: dict[str, tuple[int, int]]
    week_words: tuple[str, ...]
    quarter_words: tuple[str, ...]
    half_words: tuple[str, ...]
    named: dict[str, _Named]
    thirds_of_year: dict[str, tuple[int, int, str]]  # primo/medio/ultimo of a year
    third_rules: dict[str, str]  # "kvartal"/"halvår" -> the rule for primo/medio/ultimo of one
    third_names: tuple[str, ...]  # første, midterste, sidste
    two_digit_year: str  # the rule for "sept. 26"
    modifiers: dict[str, _Modifier]
    weekdays: dict[str, int]
    joins: tuple[str, ...]  # "og", "samt", "eller": a list of dates
    to_words: tuple[str, ...]  # "til": between two dates
    from_words: tuple[str, ...]  # "fra": a "til" after it, or an open period
    open_before: tuple[str, ...]  # "løbende": an open period from what follows
    open_after: tuple[str, ...]  # "og fremover": an open period from what comes before
    the_words: tuple[str, ...]  # "den", "d.": between a weekday and its date
    fillers: tuple[str, ...]  # "i", "hele": change nothing
    clock_words: tuple[str, ...]  # "kl.": a time of day, which does not change the period
    counts: tuple[str, ...]
    units: tuple[str, ...]
    reasons: dict[str, str]


def _key(word: str) -> str:
    """A word as it is looked up: lower case, single spaces, without the abbreviation's full stop."""
    return re.sub(r"\s+", " ", word.lower()).strip().rstrip(".")


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = load_yaml("datoer.yaml")
    links = data["bindeord"]
    return _Vocabulary(
        months={_key(name): int(number) for number, names in data["måneder"].items() for name in names},
        month_names=tuple(names[0] for _, names in sorted(data["måneder"].items())),
        month_parts={_key(k): tuple(v) for k, v in data["måneddele"].items()},
        week_words=tuple(data["uge"]), quarter_words=tuple(data["kvartal"]), half_words=tuple(data["halvår"]),
        named=_named_periods(data["perioder"]),
        thirds_of_year={_key(word): (*entry["måneder"], entry["regel"]) for entry in data["årsdele"]
                        for word in entry["ord"]},
        third_rules={k: data["kvartals_og_halvårs_dele"][k] for k in ("kvartal", "halvår")},
        third_names=tuple(data["kvartals_og_halvårs_dele"]["dele"]), two_digit_year=data["tocifret_år"],
        modifiers=_modifiers(data["foran"]),
        weekdays={_key(day): i for i, day in enumerate(data["ugedage"])},
        joins=tuple(links["og"]), to_words=tuple(links["til"]), from_words=tuple(links["fra"]),
        open_before=tuple(data["åben"]["foran"]), open_after=tuple(data["åben"]["efter"]),
        the_words=tuple(links["den"]), fillers=tuple(links["fyld"]), clock_words=tuple(data["klokkeslæt"]),
        counts=tuple(data["varighed"]["antal"]), units=tuple(data["varighed"]["enheder"]),
        reasons=data["årsager"],
    )


def _named_periods(entries: list[dict]) -> dict[str, _Named]:
    named = {}
    for entry in entries:
        [kind] = [k for k in _NAMED_KINDS if k in entry]
        first, last = entry[kind]
        if kind == "dage":
            first, last = tuple(first), tuple(last)
        named.update({_key(word): _Named(kind, first, last, entry["regel"]) for word in entry["ord"]})
    return named


def _modifiers(entries: list[dict]) -> dict[str, _Modifier]:
    modifiers = {}
    for entry in entries:
        if entry["virkning"] not in _EFFECTS:
            raise ValueError(f"datoer.yaml: unknown virkning {entry['virkning']!r}")
        modifiers.update({_key(word): _Modifier(entry["virkning"], entry["regel"].format(ord=word),
                                                entry.get("regel_dag"))
                          for word in entry["ord"]})
    return modifiers


def _error(reason: str, **values) -> PeriodError:
    return PeriodError(_vocabulary().reasons[reason].format(**values))


# Word edges that work for letters only, so that "q3" is the word "q" followed by a number.
_START = r"(?<![^\W\d_])"
_END = r"(?![^\W\d_])"


def _words(words) -> str:
    """A regular-expression alternative of `words`, longest first; each may end in a full stop."""
    keys = sorted({_key(w) for w in words}, key=len, reverse=True)
    alternatives = (r"\s*".join(re.escape(part) for part in key.split()) for key in keys)
    return "(?:" + "|".join(alternatives) + r")" + _END + r"\.?"


@dataclass(frozen=True)
class _Patterns:
    week: re.Pattern
    part_before_number: re.Pattern
    part_after_number: re.Pattern
    third_of_part: re.Pattern
    month_part: re.Pattern
    third_of_year: re.Pattern
    day_list: re.Pattern
    month_range: re.Pattern
    named: re.Pattern
    month: re.Pattern
    modifier: re.Pattern
    weekday: re.Pattern
    duration: re.Pattern
    connector: re.Pattern
    time_of_day: re.Pattern
    to: re.Pattern
    open_before: re.Pattern
    open_after: re.Pattern


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    v = _vocabulary()
    months = _words(v.months)
    mp = f"({months})"
    week = _words(v.week_words)
    parts = _words(v.quarter_words + v.half_words)
    next_week = rf"\d{{1,2}}(?!\d|\.?\s*{months})"  # not the day of "uge 40 og 1. marts"
    to = rf"(?:-|{_START}{_words(v.to_words)})"
    joins = rf"\s*(?:,|&|\+|{to}|{_START}{_words(v.joins)})\s*"
    connectors = v.joins + v.to_words + v.from_words + v.the_words + v.fillers
    clock = r"\d{1,2}(?:[.:]\d{2})?"
    return _Patterns(
        week=re.compile(rf"{_START}{week}\s*(\d{{1,2}}(?!\d)(?:{joins}(?:{week}\s*)?{next_week})*)"
                        rf"(?:\s*[,/]?\s*(\d{{4}}))?(?!\d)"),
        part_before_number=re.compile(rf"{_START}({parts})\s*([1-4])(?!\d)(?:\s*(\d{{4}}))?(?!\d)"),
        part_after_number=re.compile(rf"(?<!\d)([1-4])\.?\s*({parts})(?:\s*(\d{{4}}))?(?!\d)"),
        # "ultimo 2. halvår 2026", "primo Q3": a third of a quarter or half-year
        third_of_part=re.compile(rf"{_START}({_words(v.thirds_of_year)})\s+(?:(?:({parts})\s*([1-4]))|(?:([1-4])\.?"
                                 rf"\s*({parts})))(?:\s*(\d{{4}}))?(?!\d)"),
        month_part=re.compile(rf"{_START}({_words(v.month_parts)})\s+{mp}(?:\s*(\d{{4}}))?(?!\d)"),
        third_of_year=re.compile(rf"{_START}({_words(v.thirds_of_year)})\s+(\d{{4}})(?!\d)"),
        day_list=re.compile(rf"(?<!\d)(\d{{1,2}})\.?((?:{joins}\d{{1,2}}\.?)*)\s*{mp}"
                            rf"(?:\s*(\d{{4}}))?(?!\d)"),
        month_range=re.compile(rf"{_START}{mp}(?:\s*(\d{{4}}))?\s*{to}\s*{mp}(?:\s*(\d{{4}}))?(?!\d)"),
        named=re.compile(rf"{_START}({_words(v.named)})(?:\s*(\d{{4}})(?:(?:/|-)(\d{{4}}|\d{{2}}))?)?(?!\d)"),
        month=re.compile(rf"{_START}{mp}(?:\s*(\d{{4}}|\d{{2}}))?(?!\d)"),  # "sept. 26": the year
        modifier=re.compile(rf"{_START}({_words(v.modifiers)})"),
        weekday=re.compile(rf"{_START}({_words(v.weekdays)})(?:\s*{_words(v.the_words)})?"),
        duration=re.compile(rf"{_START}(?:(?:\d{{1,2}}|{_words(v.counts)})\s*)?{_words(v.units)}"),
        connector=re.compile(rf"{_START}({_words(connectors)})"),
        to=re.compile(to),
        open_before=re.compile(rf"{_START}({_words(v.open_before)})"),
        open_after=re.compile(rf"{_START}({_words(v.open_after)})"),
        time_of_day=re.compile(rf"{_START}{_words(v.clock_words)}\s*{clock}(?:\s*-\s*{clock})?"),
    )


# ------------------------------------------------------------------ calendar helpers

def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _error("dag_findes_ikke", dag=day, måned=_vocabulary().month_names[month - 1], år=year) from None


def _week(year: int, week: int) -> tuple[dt.date, dt.date]:
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise _error("uge_findes_ikke", uge=week, år=year) from None
    return monday, monday + dt.timedelta(days=6)


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _normalise(text: str) -> str:
    text = text.lower().replace("\u00a0", " ")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # all dashes
    text = _patterns().time_of_day.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def _year(text: str | None) -> int | None:
    """A written year: "26" is 2026. Only years a plan can mean are accepted, which also keeps every
    calculation inside the calendar."""
    if not text:
        return None
    year = int(text) + 2000 if len(text) <= 2 else int(text)
    return _plausible(year)


def _plausible(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _error("år_uden_for", år=year, første=FIRST_YEAR, sidste=LAST_YEAR)
    return year


_NUMERIC = re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DAY_MONTH = re.compile(r"(?<![\d.,/-])(\d{1,2})[./](\d{1,2})\.?(?![\d/])")  # "3/2", "3.2.": the year from context
_BARE_YEAR = re.compile(r"\b(\d{4})\b")
_PLAIN = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{4}-\d{1,2}-\d{1,2}")
# What may stand between the understood pieces: spaces and the punctuation that only separates.
_NOT_UNDERSTOOD = re.compile(r"[^\W_]+|[^\w\s,.;:()'\"/&+\-]")


# ------------------------------------------------------------------ parsing

def parse_in_order(text: str, year_from: YearFrom) -> Period:
    """Parse `text`; where it has no year, the period takes the year of `year_from.after`, or the next
    year when it would otherwise go back (the year rule of README's "Reading what people really send").
    The period says whether its year was inferred, so the reader can say so."""
    year = year_from.after.year
    found = _parse_period(text, year)
    if isinstance(found, Period) and not (found.year_inferred and year_from.goes_back(found)):
        return found
    if year + 1 > LAST_YEAR:
        raise PeriodError(found) if isinstance(found, str) else _error("år_uden_for", år=year + 1, første=FIRST_YEAR,
                                                                        sidste=LAST_YEAR)
    later = _parse_period(text, year + 1)
    # A text that cannot be read in the year (29 February, week 53) is read in the next only where the
    # rule would choose the next year anyway: never a second guess.
    if isinstance(later, Period) and later.year_inferred and (isinstance(found, Period)
                                                               or year_from.would_go_back(later)):
        return later
    raise PeriodError(found if isinstance(found, str) else later)


def parse_period(text: str, context_year: int | None = None) -> Period:
    """Parse `text`; `context_year` is the year of the row above or the plan's start, for texts without one."""
    found = _parse_period(text, context_year)
    if isinstance(found, str):
        raise PeriodError(found)
    return found


@lru_cache(maxsize=16384)  # the same texts recur in every team's workbook; a Period is immutable
def _parse_period(text: str, context_year: int | None) -> Period | str:
    """The period, or why the text holds none (a mistake recurs as often as a period: kept too)."""
    try:
        return _read_period(text, context_year)
    except PeriodError as exc:
        return str(exc)


def _read_period(text: str, context_year: int | None) -> Period:
    if not text or not text.strip():
        raise _error("tom")
    norm = _normalise(text)
    scan = _Scan(norm)
    scan.read()
    if not scan.parts:
        raise _error("ulæselig", tekst=text.strip())
    scan.check_understood()
    spans, inferred = _resolve(scan.parts, context_year)
    rules = tuple(dict.fromkeys(rule for part in scan.parts for rule in part.rules))
    ends = [e for _, e in spans]
    end = None if scan.open_end or None in ends else max(ends)
    return Period(min(s for s, _ in spans), end, interpreted=not _PLAIN.fullmatch(norm), rules=rules,
                  year_inferred=inferred)


@dataclass
class _Part:
    position: int
    end_position: int
    year: int | None = None
    start: tuple[int, int] | None = None  # (month, day) awaiting a year
    end: tuple[int, int] | None = None
    absolute: tuple[dt.date, dt.date] | None = None  # already resolved (numeric dates)
    week: tuple[int, int] | None = None  # (first week, last week) awaiting a year
    months: tuple[int, int] | None = None  # quarter, half-year or third of a year, awaiting a year
    named: _Named | None = None
    modifier: _Modifier | None = None
    weekday: tuple[str, int] | None = None  # as written, and Monday = 0
    rules: list[str] = field(default_factory=list)

    @property
    def bare_year(self) -> bool:
        return not (self.start or self.end or self.absolute or self.week or self.months or self.named)


class _Scan:
    """One text: each date form claims its characters, longest forms first; what no form and no word of
    the vocabulary claims is not understood."""

    def __init__(self, norm: str):
        self.norm = norm
        self.taken = [False] * len(norm)
        self.parts: list[_Part] = []
        self.modifiers: list[tuple[re.Match, _Modifier]] = []
        self.weekdays: list[re.Match] = []
        self.connectors: list[re.Match] = []
        self.open_words: list[tuple[re.Match, bool]] = []  # an open-period word, and whether it stands before
        self.open_end = False  # "fra 1. oktober 2026", "løbende fra august": a start and no end

    def claims(self, pattern: re.Pattern, condition=None):
        """The matches of `pattern` on characters no earlier form has claimed, each claimed in turn."""
        for match in pattern.finditer(self.norm):
            if (condition is None or condition(match)) and not any(self.taken[match.start():match.end()]):
                self.taken[match.start():match.end()] = [True] * (match.end() - match.start())
                yield match

    def add(self, match: re.Match, **values) -> _Part:
        part = _Part(match.start(), match.end(), **values)
        self.parts.append(part)
        return part

    def read(self) -> None:
        # The order matters: a longer form claims its characters before a shorter one can.
        self._numeric_dates()
        self._weeks_quarters_and_halves()
        self._months_and_named_periods()
        for m in self.claims(_BARE_YEAR):
            self.add(m, year=_year(m.group(1)))  # a bare year: see _apply_written_years
        self._words_beside_dates()
        self.parts.sort(key=lambda part: part.position)

    def _numeric_dates(self) -> None:
        for m in self.claims(_ISO):
            day = _date(_year(m.group(1)), int(m.group(2)), int(m.group(3)))
            self.add(m, year=day.year, absolute=(day, day))
        for m in self.claims(_NUMERIC):
            day = _date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
            self.add(m, year=day.year, absolute=(day, day))
        for m in self.claims(_DAY_MONTH, lambda m: 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(1)) <= 31):
            day, month = int(m.group(1)), int(m.group(2))
            self.add(m, start=(month, day), end=(month, day))

    def _weeks_quarters_and_halves(self) -> None:
        p = _patterns()
        # "uge 40 – 43", "uge 40, 41 og 43 2026", "Uge 52-2": from the first week named to the last
        for m in self.claims(p.week):
            weeks = [int(n) for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", m.group(1))]
            self.add(m, week=(weeks[0], weeks[-1]), year=_year(m.group(2)))
        for m in self.claims(p.third_of_part):
            self._third_of_part(m)
        for m in self.claims(p.part_before_number):
            self._quarter_or_half(m, m.group(1), int(m.group(2)), m.group(3))
        for m in self.claims(p.part_after_number):
            self._quarter_or_half(m, m.group(2), int(m.group(1)), m.group(3))

    def _third_of_part(self, m: re.Match) -> None:
        """primo/medio/ultimo of a quarter or half-year: its first, middle or last third, by a stated rule."""
        v = _vocabulary()
        word = _key(m.group(1))
        which = (v.thirds_of_year[word][0] - 1) // 4  # the year's third the word names: 0, 1 or 2
        unit, number = (m.group(2), int(m.group(3))) if m.group(2) else (m.group(5), int(m.group(4)))
        part = self._quarter_or_half(m, unit, number, m.group(6))
        first, last = part.months
        size = (last - first + 1) // 3
        part.months = (first + which * size, first + (which + 1) * size - 1)
        kind = "kvartal" if _key(unit) in map(_key, v.quarter_words) else "halvår"
        part.rules.append(v.third_rules[kind].format(ord=word, **{"del": v.third_names[which]}))

    def _quarter_or_half(self, m: re.Match, word: str, number: int, year: str | None) -> _Part:
        if _key(word) in map(_key, _vocabulary().quarter_words):
            return self.add(m, months=(3 * number - 2, 3 * number), year=_year(year))
        if number <= 2:
            return self.add(m, months=(1, 6) if number == 1 else (7, 12), year=_year(year))
        raise _error("del_findes_ikke", nummer=number, ord=_key(word))

    def _months_and_named_periods(self) -> None:
        v, p = _vocabulary(), _patterns()
        for m in self.claims(p.month_part):
            first, last = v.month_parts[_key(m.group(1))]
            month = v.months[_key(m.group(2))]
            self.add(m, start=(month, first), end=(month, last), year=_year(m.group(3)))
        for m in self.claims(p.third_of_year):
            word = _key(m.group(1))
            first, last, rule = v.thirds_of_year[word]
            self.add(m, months=(first, last), year=_year(m.group(2)), rules=[rule.format(ord=word)])
        for m in self.claims(p.day_list):
            days = [int(m.group(1))] + [int(d) for d in re.findall(r"\d{1,2}", m.group(2) or "")]
            month = v.months[_key(m.group(3))]
            self.add(m, start=(month, min(days)), end=(month, max(days)), year=_year(m.group(4)))
        for m in self.claims(p.month_range):
            first = _Part(m.start(), m.end(), start=(v.months[_key(m.group(1))], 1), year=_year(m.group(2)))
            last = _Part(m.start() + 1, m.end(), end=(v.months[_key(m.group(3))], 31), year=_year(m.group(4)))
            self.parts += [first, last]
        for m in self.claims(p.named):  # after the forms where "jul" is July: "15. jul", "jun - jul"
            self._named(m)
        for m in self.claims(p.month):
            month = v.months[_key(m.group(1))]
            part = self.add(m, start=(month, 1), end=(month, 31), year=_year(m.group(2)))
            if m.group(2) and len(m.group(2)) == 2:  # "sept. 26": said, since a day could be meant
                part.rules.append(v.two_digit_year.format(tekst=m.group(0).strip(), måned=v.month_names[month - 1],
                                                          år=part.year))

    def _words_beside_dates(self) -> None:
        """The words that are not dates themselves; checked against the parts in check_understood."""
        p = _patterns()
        self.modifiers = [(m, _vocabulary().modifiers[_key(m.group(1))]) for m in self.claims(p.modifier)]
        self.weekdays = list(self.claims(p.weekday))
        list(self.claims(p.duration))  # how long something takes: the period is still the whole one named
        self.open_words = ([(m, False) for m in self.claims(p.open_after)]  # before "og" is a connector
                           + [(m, True) for m in self.claims(p.open_before)])
        self.connectors = list(self.claims(p.connector))

    def _named(self, m: re.Match) -> None:
        named = _vocabulary().named[_key(m.group(1))]
        year = _year(m.group(2))  # for a winter: January's year, as its rule says
        if m.group(3):  # "vinteren 2026/27"
            written = m.group(0)[m.start(2) - m.start():]
            if not named.crosses_new_year:
                raise _error("to_år", år=written)
            if m.group(3) not in (str(year + 1), f"{(year + 1) % 100:02d}"):
                raise _error("år_følger_ikke", år=written)
            year = _plausible(year + 1)
        self.add(m, named=named, year=year, rules=[named.rule])

    def check_understood(self) -> None:
        """Every letter and digit of the text must belong to a date form or a word of the vocabulary,
        and each word that needs a date beside it must have one."""
        rest = "".join(" " if taken else char for char, taken in zip(self.norm, self.taken))
        unknown = list(dict.fromkeys(_NOT_UNDERSTOOD.findall(rest)))
        if unknown:
            # A word xlplan reads elsewhere ("medio uge 34") is named with where it may stand, never as a
            # word not understood.
            misplaced = [word for word in unknown if _key(word) in _vocabulary().month_parts]
            others = [word for word in unknown if word not in misplaced]
            reasons = [str(_error("ukendt", ord=" og ".join(f"'{word}'" for word in others)))] if others else []
            raise PeriodError("; ".join(reasons + [self._misplaced(word, rest) for word in misplaced]))
        for match, modifier in self.modifiers:
            part = self._part_after(match)
            part.modifier = modifier
            part.rules.insert(0, modifier.rule)
        for match in self.weekdays:
            part = self._part_after(match)
            part.weekday = (_key(match.group(1)), _vocabulary().weekdays[_key(match.group(1))])
        for match in self.connectors:
            self._check_connector(match)
        for match, before in self.open_words:
            if not any(part.position >= match.end() if before else part.end_position <= match.start()
                       for part in self.parts):
                raise _error("fra_uden_dato" if before else "åben_uden_dato", ord=_key(match.group(1)))
            self.open_end = True

    def _misplaced(self, word: str, rest: str) -> str:
        """Why a primo/medio/ultimo word left over cannot be read: before a week, or before nothing it fits."""
        match = re.search(rf"{_START}{re.escape(word)}(?![^\W\d_])", rest)
        following = next((part for part in self.parts if part.position >= match.end()), None)
        before_week = following is not None and following.week and not self.norm[match.end():following.position].strip()
        return str(_error("del_foran_uge" if before_week else "del_uden_periode", ord=_key(word)))

    def _part_after(self, match: re.Match) -> _Part:
        """The part a word like "inden" or "tirsdag" stands right in front of (a weekday may come between)."""
        position = match.end()
        weekdays = {m.start(): m.end() for m in self.weekdays}
        while position < len(self.norm) and (self.norm[position] == " " or position in weekdays):
            position = weekdays.get(position, position + 1)
        part = next((part for part in self.parts if part.position == position), None)
        if part is None:
            raise _error("står_alene", ord=_key(match.group(1)))
        if part.bare_year:
            part.months = (1, 12)  # "inden 2026": the whole year is what comes after the word
        return part

    def _check_connector(self, match: re.Match) -> None:
        v, word = _vocabulary(), _key(match.group(1))
        before = any(part.end_position <= match.start() for part in self.parts)
        after = any(part.position >= match.end() for part in self.parts)
        if word in map(_key, v.to_words) and not (before and after):
            raise _error("til_uden_fra")
        if word in map(_key, v.from_words):
            if not after:
                raise _error("fra_uden_dato", ord=word)
            if not self._to_after(match.end()):
                self.open_end = True  # "fra 1. oktober 2026": from that day, with no end

    def _to_after(self, position: int) -> bool:
        """Whether a "til" or a dash stands after `position`, but not the dashes of a numeric date."""
        inside = [(p.position, p.end_position) for p in self.parts if p.absolute]
        return any(not any(a <= m.start() < b for a, b in inside)
                   for m in _patterns().to.finditer(self.norm, position))


def _resolve(parts: list[_Part], context_year: int | None) -> tuple[list[tuple[dt.date, dt.date]], bool]:
    """The spans of the parts, and whether a part took its year from outside the text."""
    _apply_written_years(parts)
    datable = [p for p in parts if not p.bare_year]
    if not datable:  # a bare year: the whole year
        return [(dt.date(parts[0].year, 1, 1), dt.date(parts[0].year, 12, 31))], False
    inferred = False
    # Year-less parts take the context year, moving to the next year when the months go backwards
    # ("november, december, januar"; "uge 50 2026 og uge 2").
    year = context_year
    previous_month = None
    spans = []
    for part in datable:
        if part.year is None:
            inferred = inferred or not spans  # after a dated part, the year runs on from the text itself
            if year is None:
                raise _error("år_mangler")
            month = _first_month(part, _plausible(year))
            if previous_month is not None and month is not None and month < previous_month:
                year += 1
            part.year = _plausible(year)
        span = _modified(part, _span(part))
        last = span[1] or span[0]  # an open end: the text runs on from its start
        previous_month = last.month
        year = last.year
        spans.append(span)
    return spans, inferred


def _apply_written_years(parts: list[_Part]) -> None:
    """A year applies to the year-less parts before it ("19. og 20. marts samt ... primo april 2013"); a
    bare year with none before it, to those after it ("2026: marts og april"). A year that applies to
    nothing is an error, unless it is the whole text."""
    unused: list[_Part] = []
    pending: list[_Part] = []
    for part in parts:
        if part.year is None:
            pending.append(part)
            continue
        for p in pending:
            p.year = part.year
        if part.bare_year and not pending:
            unused.append(part)
        pending = []
    for bare in unused:
        following = [p for p in parts if p.position > bare.position]
        year_less = next((i for i, p in enumerate(following) if p.year is not None), len(following))
        for p in following[:year_less]:
            p.year = bare.year
        if not following[:year_less] and len(parts) > 1:
            raise _error("år_uden_dato", år=bare.year)


def _first_month(part: _Part, year: int) -> int | None:
    """The month a year-less part begins in, to notice a text running into the next year."""
    if part.start:
        return part.start[0]
    if part.end:
        return part.end[0]
    if part.months:
        return part.months[0]
    if part.week:
        return (_week(year, part.week[0])[0] + dt.timedelta(days=3)).month  # the Thursday decides an ISO week
    return None


def _span(part: _Part) -> tuple[dt.date, dt.date]:
    if part.absolute:
        return part.absolute
    if part.named:
        return part.named.span(part.year)
    if part.week:
        first, last = part.week
        start = _week(part.year, first)[0]
        end_year = part.year + 1 if last < first else part.year
        return start, _week(end_year, last)[1]
    if part.months:
        m1, m2 = part.months
        return dt.date(part.year, m1, 1), dt.date(part.year, m2, _last_day(part.year, m2))
    start = end = None
    if part.start:
        month, day = part.start
        start = _date(part.year, month, day)
    if part.end:
        month, day = part.end
        if day == 31:
            day = _last_day(part.year, month)
        end = _date(part.year, month, day)
    return start or end, end or start


def _modified(part: _Part, span: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date | None]:
    start, end = span
    if part.weekday:
        written, weekday = part.weekday
        if start != end:
            raise _error("ugedag_uden_dag", ord=written)
        if start.weekday() != weekday:
            names = {i: day for day, i in _vocabulary().weekdays.items()}
            raise _error("forkert_ugedag", dato=start.strftime("%d-%m-%Y"), rigtig=names[start.weekday()],
                         skrevet=written)
    effect = part.modifier.effect if part.modifier else None
    if effect == "dagen før":
        return start - dt.timedelta(days=1), start - dt.timedelta(days=1)
    if effect == "sidste dag":
        return end, end
    if effect == "ugen efter":
        if start == end and part.modifier.day_rule:  # "efter 1. marts 2027": from the day after, no end
            part.rules[part.rules.index(part.modifier.rule)] = part.modifier.day_rule
            return end + dt.timedelta(days=1), None
        return end + dt.timedelta(days=1), end + dt.timedelta(days=7)
    return start, end
