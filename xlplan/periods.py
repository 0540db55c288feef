"""Dates and periods as people type them in a procesplan, turned into a start and an end.

"14. august 2012", "4. september" (year from context), "Uge 40 – 43", "Uge 5 2013",
"Maj, juni og juli", "19. og 20. marts samt én dag primo april 2013", "1. kvartal 2027",
"2. halvår", "03-02-2026" (3 February: Danish order). Every period found in the text is resolved
and the whole text spans from the earliest start to the latest end. An impossible date
("31. september", week 53 in a year without one) is an error, never a silent guess.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .content import load_yaml


class PeriodError(ValueError):
    """The text holds a date that cannot exist, or nothing recognisable as a date."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    interpreted: bool  # True when the text was not a plain, complete date


@dataclass
class _Part:
    start: tuple[int, int] | None  # (month, day) before the year is known; or None for week/absolute parts
    end: tuple[int, int] | None
    year: int | None
    absolute: tuple[dt.date, dt.date] | None = None  # already resolved (weeks, numeric dates)
    week: tuple[int, int] | None = None  # (first week, last week) awaiting a year
    quarter: tuple[int, int] | None = None  # (first month, last month) awaiting a year


@lru_cache(maxsize=1)
def _vocabulary():
    data = load_yaml("datoer.yaml")
    months = {}
    for number, names in data["måneder"].items():
        for name in names:
            months[name] = int(number)
    return months, {k: tuple(v) for k, v in data["måneddele"].items()}


@lru_cache(maxsize=1)
def _month_pattern() -> str:
    months, _ = _vocabulary()
    return "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise PeriodError(f"{day}. {_month_name(month)} {year} findes ikke") from None


def _month_name(month: int) -> str:
    return ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
            "november", "december"][month - 1]


def _week(year: int, week: int) -> tuple[dt.date, dt.date]:
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(f"uge {week} findes ikke i {year}") from None
    return monday, monday + dt.timedelta(days=6)


def _normalise(text: str) -> str:
    text = text.lower().replace("\u00a0", " ")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # all dashes
    text = re.sub(r"\bkl\.?\s*\d{1,2}([.:]\d{2})?(\s*-\s*\d{1,2}([.:]\d{2})?)?", " ", text)  # times of day
    return re.sub(r"\s+", " ", text).strip()


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


_NUMERIC = re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def parse_period(text: str, context_year: int | None = None) -> Period:
    """Parse `text`; `context_year` is the year of the row above or the plan's start, for texts without one."""
    return _parse_period(text, context_year)


@lru_cache(maxsize=16384)  # the same texts recur in every team's workbook; a Period is immutable
def _parse_period(text: str, context_year: int | None) -> Period:
    if not text or not text.strip():
        raise PeriodError("tom")
    norm = _normalise(text)
    parts = _parts(norm)
    if not parts:
        raise PeriodError(f"'{text.strip()}' kan ikke læses som en dato eller periode")
    spans = _resolve(parts, context_year)
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    plain = bool(re.fullmatch(r"\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{4}-\d{1,2}-\d{1,2}", norm))
    return Period(start, end, interpreted=not plain)


def _parts(norm: str) -> list[_Part]:
    months, month_parts = _vocabulary()
    mp = _month_pattern()
    parts: list[tuple[int, _Part]] = []
    taken = [False] * len(norm)

    def claim(match) -> bool:
        if any(taken[match.start():match.end()]):
            return False
        for i in range(match.start(), match.end()):
            taken[i] = True
        return True

    for match in _ISO.finditer(norm):
        if claim(match):
            d = _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            parts.append((match.start(), _Part(None, None, d.year, absolute=(d, d))))
    for match in _NUMERIC.finditer(norm):
        if claim(match):
            d = _date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))
            parts.append((match.start(), _Part(None, None, d.year, absolute=(d, d))))

    # "3/2" or "3.2." without a year: day and month, the year from context
    for match in re.finditer(r"(?<![\d.,/-])(\d{1,2})[./](\d{1,2})\.?(?![\d/])", norm):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31 and claim(match):
            parts.append((match.start(), _Part((month, day), (month, day), None)))

    week_re = re.compile(r"\b(?:uge|uger|week|wk|u)\.?\s*(?:nr\.?\s*)?(\d{1,2})(?:\s*[,/]?\s*(\d{4}))?"
                         r"(?:\s*(?:-|til|to)\s*(?:uge\s*)?(\d{1,2})(?:\s*[,/]?\s*(\d{4}))?)?\b")
    for match in week_re.finditer(norm):
        if claim(match):
            w1, y1, w2, y2 = match.group(1), match.group(2), match.group(3), match.group(4)
            parts.append((match.start(), _Part(None, None, _year(y1), week=(int(w1), int(w2 or w1)))))
            if y2 and y1 and y2 != y1 or (y2 and not y1):
                # "uge 50 2026 - uge 2 2027": two parts, each with its own year
                parts[-1] = (match.start(), _Part(None, None, _year(y1) or _year(y2), week=(int(w1), int(w1))))
                parts.append((match.start() + 1, _Part(None, None, _year(y2), week=(int(w2), int(w2)))))

    quarter_re = re.compile(r"\b([1-4])\.?\s*(kvartal|kvt\.?|halvår(?:et)?|halvaar)(?:\s*(\d{4}))?|\bq([1-4])(?:\s*(\d{4}))?\b")
    for match in quarter_re.finditer(norm):
        if claim(match):
            if match.group(4):
                n, kind, year = int(match.group(4)), "kvartal", match.group(5)
            else:
                n, kind, year = int(match.group(1)), match.group(2), match.group(3)
            if kind.startswith("kv"):
                months_span = (3 * n - 2, 3 * n)
            else:
                if n > 2:
                    raise PeriodError(f"{n}. halvår findes ikke")
                months_span = (1, 6) if n == 1 else (7, 12)
            parts.append((match.start(), _Part(None, None, _year(year), quarter=months_span)))

    part_words = "|".join(sorted(month_parts, key=len, reverse=True))
    part_re = re.compile(rf"\b({part_words})\s+({mp})\.?(?:\s*(\d{{4}}))?\b")
    for match in part_re.finditer(norm):
        if claim(match):
            first, last = month_parts[match.group(1)]
            month = months[match.group(2)]
            parts.append((match.start(), _Part((month, first), (month, last), _year(match.group(3)))))

    day_re = re.compile(rf"\b(\d{{1,2}})\.?((?:\s*(?:,|og|\+|&|-|til)\s*\d{{1,2}}\.?)*)\s*({mp})\b\.?(?:\s*(\d{{4}}))?")
    for match in day_re.finditer(norm):
        if claim(match):
            days = [int(match.group(1))] + [int(d) for d in re.findall(r"\d{1,2}", match.group(2) or "")]
            month = months[match.group(3)]
            parts.append((match.start(), _Part((month, min(days)), (month, max(days)), _year(match.group(4)))))

    range_re = re.compile(rf"\b({mp})\.?(?:\s*(\d{{4}}))?\s*(?:-|til)\s*({mp})\.?(?:\s*(\d{{4}}))?")
    for match in range_re.finditer(norm):
        if claim(match):
            m1, y1, m2, y2 = months[match.group(1)], _year(match.group(2)), months[match.group(3)], _year(match.group(4))
            parts.append((match.start(), _Part((m1, 1), None, y1)))
            parts.append((match.start() + 1, _Part(None, (m2, 31), y2)))

    month_re = re.compile(rf"\b({mp})\b\.?(?:\s*(\d{{4}}))?")
    for match in month_re.finditer(norm):
        if claim(match):
            month = months[match.group(1)]
            parts.append((match.start(), _Part((month, 1), (month, 31), _year(match.group(2)))))

    year_re = re.compile(r"\b(\d{4})\b")
    for match in year_re.finditer(norm):
        if claim(match):
            parts.append((match.start(), _Part(None, None, int(match.group(1)))))  # a bare year: applies backwards

    parts.sort(key=lambda p: p[0])
    return [p for _, p in parts]


def _resolve(parts: list[_Part], context_year: int | None) -> list[tuple[dt.date, dt.date]]:
    # A year applies to the year-less parts before it ("19. og 20. marts samt ... primo april 2013").
    pending: list[_Part] = []
    for part in parts:
        if part.year is not None:
            for p in pending:
                p.year = part.year
            pending = []
            if part.start is None and part.end is None and part.absolute is None and part.week is None \
                    and part.quarter is None:
                continue
        else:
            pending.append(part)
    datable = [p for p in parts if not (p.start is None and p.end is None and p.absolute is None and p.week is None
                                        and p.quarter is None)]
    if not datable:
        # Only a bare year: the whole year.
        year = parts[0].year
        return [(dt.date(year, 1, 1), dt.date(year, 12, 31))]
    # Year-less parts take the context year, moving to the next year when the months go backwards
    # ("november, december, januar").
    year = context_year
    previous_month = None
    spans = []
    for part in datable:
        month = _first_month(part)
        if part.year is None:
            if year is None:
                raise PeriodError("året mangler")
            if previous_month is not None and month is not None and month < previous_month:
                year += 1
            part.year = year
        year = part.year
        span = _span(part)
        previous_month = span[1].month
        year = span[1].year
        spans.append(span)
    return spans


def _first_month(part: _Part) -> int | None:
    if part.start:
        return part.start[0]
    if part.end:
        return part.end[0]
    if part.quarter:
        return part.quarter[0]
    return None


def _span(part: _Part) -> tuple[dt.date | None, dt.date | None]:
    if part.absolute:
        return part.absolute
    if part.week:
        first, last = part.week
        start = _week(part.year, first)[0]
        end_year = part.year + 1 if last < first else part.year
        return start, _week(end_year, last)[1]
    if part.quarter:
        m1, m2 = part.quarter
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
