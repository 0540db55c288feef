"""Formulas written with the value they compute.

Most programs that open a workbook show the value stored beside each formula and do not recalculate
(LibreOffice by default, Google Sheets, Excel's protected view, mail and phone previewers). Each
builder here gives the Excel text of a formula and computes the same thing in Python over the cells
as they are laid out, so the stored value is what the formula will compute, in every copy: a fresh
workbook, a blank template and a fixing copy with a team's data.

Python mirrors Excel's rules for the few functions used: COUNTIF/COUNTIFS compare texts without
regard to case, "?*" matches any non-empty text, "<>x" also matches empty cells, "" matches only
empty cells, and a date criterion ("<"&TODAY()) matches only real dates, never text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlplan.core.refs import area, cell
from xlplan.workbook.context import quote_sheet
from xlplan.xlsx.model import Formula, Sheet


@dataclass(frozen=True)
class Expr:
    text: str  # without the leading "="
    value: object


@dataclass(frozen=True)
class Span:
    """One column of rows on a laid-out sheet: a range in a formula, and the values in it."""

    sheet: Sheet
    col: int
    first_row: int
    last_row: int

    @property
    def ref(self) -> str:
        return f"{quote_sheet(self.sheet.name)}!{area(self.first_row, self.col, self.last_row, self.col)}"

    def values(self) -> list:
        cells = self.sheet.values()
        return [cells.get((row, self.col)) for row in range(self.first_row, self.last_row + 1)]


def at(row: int, col: int, expr: Expr) -> Expr:
    """A reference to the cell where `expr` is written, with its value: later formulas stay short."""
    return Expr(cell(row, col), expr.value)


def formula(expr: Expr) -> Formula:
    return Formula("=" + expr.text, expr.value)


def number(n: int) -> Expr:
    return Expr(str(n), n)


def _empty(value) -> bool:
    return value is None or value == ""


def _is_text(value) -> bool:
    return isinstance(value, str) and value != ""


def _same_text(value, texts: set[str]) -> bool:
    return isinstance(value, str) and value.casefold() in texts


def _is_date(value) -> bool:
    return isinstance(value, (dt.date, dt.datetime))


def _is_number(value) -> bool:
    """What ISNUMBER sees: a date is a number to a spreadsheet."""
    return _is_date(value) or isinstance(value, (int, float)) and not isinstance(value, bool)


def _before(value, today: dt.date) -> bool:
    """value < TODAY() as a spreadsheet compares: dates and numbers (as day serials), never text."""
    if _is_date(value):
        return _day(value) < today
    return _is_number(value) and value < (today - dt.date(1899, 12, 30)).days


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def count_equal(spans: list[Span], texts) -> Expr:
    """How many cells hold one of `texts` (COUNTIF per text and range)."""
    texts = list(texts)
    wanted = {t.casefold() for t in texts}
    parts = [f"COUNTIF({s.ref},{_quoted(t)})" for s in spans for t in texts]
    value = sum(1 for s in spans for v in s.values() if _same_text(v, wanted))
    return Expr("+".join(parts) or "0", value)


def count_rows_with_any(groups: list[list[Span]]) -> Expr:
    """How many rows have something in at least one of the group's columns (one group per sheet)."""
    parts, value = [], 0
    for spans in groups:
        lengths = "+".join(f"LEN({s.ref})" for s in spans)
        parts.append(f"SUMPRODUCT(--(({lengths})>0))")
        columns = [s.values() for s in spans]
        value += sum(1 for row in zip(*columns) if any(not _empty(v) for v in row))
    return Expr("+".join(parts) or "0", value)


@dataclass(frozen=True)
class Late:
    """Rows whose date lies before today and whose status is none of `finished`; with `unless`, only
    rows where that column holds no date (the procesplan's Fra counts where Til gives no date)."""

    date: Span
    status: Span
    finished: tuple[str, ...]
    unless: Span | None = None

    @property
    def text(self) -> str:
        if self.unless is None:
            criteria = [f'{self.date.ref},"<"&TODAY()'] + [f'{self.status.ref},{_quoted("<>" + v)}'
                                                           for v in self.finished]
            return f"COUNTIFS({','.join(criteria)})"
        d, s = self.date.ref, self.status.ref
        factors = [f"ISNUMBER({d})", f"({d}<TODAY())", f"NOT(ISNUMBER({self.unless.ref}))"]
        factors += [f"({s}<>{_quoted(v)})" for v in self.finished]
        return f"SUMPRODUCT({'*'.join(factors)})"

    def count(self, today: dt.date) -> int:
        finished = {v.casefold() for v in self.finished}
        others = self.unless.values() if self.unless is not None else [None] * len(self.date.values())
        return sum(1 for date, status, other in zip(self.date.values(), self.status.values(), others)
                   if _before(date, today) and not _same_text(status, finished) and not _is_number(other))


def count_late(items: list[Late], today: dt.date) -> Expr:
    return Expr("+".join(item.text for item in items) or "0", sum(item.count(today) for item in items))


@dataclass(frozen=True)
class Unseen:
    """Rows not finished whose date the sheet cannot see: something is written in one of `written`, and
    none of `dates` holds a real date (a date typed as text, "30/9-2026" or "uge 40", or a procesplan period
    without Fra and Til). xlplan reads these dates; the sheet's own formulas cannot count them as late."""

    written: tuple[Span, ...]
    dates: tuple[Span, ...]
    status: Span
    finished: tuple[str, ...]

    @property
    def single(self) -> bool:
        return self.written == self.dates and len(self.dates) == 1

    @property
    def text(self) -> str:
        # ISTEXT, not COUNTIFS "?*": LibreOffice's wildcard also matches a date (measured in test_time_cells)
        if self.single:
            factors = [f"ISTEXT({self.dates[0].ref})"]
        else:
            lengths = "+".join(f"LEN({s.ref})" for s in self.written)
            factors = [f"(({lengths})>0)"] + [f"NOT(ISNUMBER({d.ref}))" for d in self.dates]
        factors += [f"({self.status.ref}<>{_quoted(v)})" for v in self.finished]
        return f"SUMPRODUCT({'*'.join(factors)})"

    def count(self) -> int:
        finished = {v.casefold() for v in self.finished}
        rows = zip(zip(*(s.values() for s in self.written)), zip(*(s.values() for s in self.dates)),
                   self.status.values())
        return sum(1 for written, dates, status in rows
                   if (_is_text(written[0]) if self.single else any(not _empty(v) for v in written))
                   and not any(_is_number(d) for d in dates) and not _same_text(status, finished))


def count_unseen(items: list[Unseen]) -> Expr:
    return Expr("+".join(item.text for item in items) or "0", sum(item.count() for item in items))


def count_without(what: list[Span], empty: Span) -> Expr:
    """Rows with text in one of `what` (the first that has it) and nothing in `empty`: a plan row's
    Aktivitet or Formål without an Ansvarlig."""
    parts, value = [], 0
    for i, span in enumerate(what):
        criteria = [f'{earlier.ref},""' for earlier in what[:i]] + [f'{span.ref},"?*"', f'{empty.ref},""']
        parts.append(f"COUNTIFS({','.join(criteria)})")
    columns = [s.values() for s in what]
    for row, owner in zip(zip(*columns), empty.values()):
        if _empty(owner) and _first_text(row):
            value += 1
    return Expr("+".join(parts) or "0", value)


def _first_text(row) -> bool:
    """Excel's "?*" in the first non-empty column: text there counts; a date or number does not."""
    for v in row:
        if not _empty(v):
            return _is_text(v)
    return False


def count_text_unless(text: Span, status: Span, excluded: str) -> Expr:
    """Rows with text in `text` and a status other than `excluded` (open risks)."""
    criteria = f'COUNTIFS({text.ref},"?*",{status.ref},{_quoted("<>" + excluded)})'
    value = sum(1 for t, s in zip(text.values(), status.values()) if _is_text(t) and not _same_text(s, {excluded.casefold()}))
    return Expr(criteria, value)


def maximum(span: Span) -> Expr:
    numbers = [v for v in span.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return Expr(f"MAX({span.ref})", max(numbers, default=0))


def plus(*exprs: Expr) -> Expr:
    return Expr("+".join(f"({e.text})" for e in exprs), sum(e.value for e in exprs))


def minus(a: Expr, *bs: Expr) -> Expr:
    return Expr(f"({a.text})" + "".join(f"-({b.text})" for b in bs), a.value - sum(b.value for b in bs))


def share(part: Expr, whole: Expr) -> Expr:
    """part / whole, or empty text when whole is 0 (IFERROR)."""
    return Expr(f'IFERROR(({part.text})/({whole.text}),"")', part.value / whole.value if whole.value else "")


def product_of_numbers(a: str, b: str, a_value, b_value) -> Formula:
    """a × b when both are numbers, else empty (the risk score)."""
    both = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a_value, b_value))
    return Formula(f'=IF(AND(ISNUMBER({a}),ISNUMBER({b})),{a}*{b},"")', a_value * b_value if both else "")


def yes_if_text(ref: str, value) -> Formula:
    """Ja when the cell holds text other than spaces, else Nej (a role is filled)."""
    filled = isinstance(value, str) and value.strip() != ""
    return Formula(f'=IF(LEN(TRIM({ref}))>0,"Ja","Nej")', "Ja" if filled else "Nej")


def week_monday(anchor: str, anchor_value, weeks: int) -> Formula:
    """The Monday `weeks` weeks after the week of the anchor date; empty until a date is typed."""
    value = ""
    if _is_date(anchor_value):
        day = _day(anchor_value)
        value = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks)
    return Formula(f'=IF(ISNUMBER({anchor}),{anchor}-WEEKDAY({anchor},3)+{7 * weeks},"")', value)


def iso_week(ref: str, monday_value) -> Formula:
    value = monday_value.isocalendar()[1] if _is_date(monday_value) else ""
    return Formula(f'=IF(ISNUMBER({ref}),_xlfn.ISOWEEKNUM({ref}),"")', value)
