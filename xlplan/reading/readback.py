"""Reads a returned team workbook into typed records and a precise list of problems.

Sheets and columns are found through the shared declaration (schema.py) and the metadata sheet,
never through fixed coordinates: rows inserted or deleted, extra columns, blank rows, headers with
changed case or spacing, reordered or renamed sheets and merged cells are all read. What cannot be
read is reported with its file, sheet and cell, in Danish; an interpreted value is a warning.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from xlplan.core import content, facts, schema, versions
from xlplan.core.errors import Problem, problem, without_own_notes
from xlplan.core.schema import REPORT_SCHEMA, SCHEMA_ID, XLPLAN_AUTHOR
from xlplan.reading.periods import FIRST_YEAR, LAST_YEAR, parse_in_order, PeriodError, YearFrom
from xlplan.core.records import (CellComment, CriterionRecord, DateValue, FollowUp, NO_DATE, OwnSheet, PersonRecord,
                                 PlanRow, ProcessRow, RiskRecord, RoleRecord, Source, StepRecord, TeamInfo, Unplaced,
                                 WorkbookRead)
from xlplan.core.refs import cell as a1
from xlplan.core.remembered import Remembered, remembered
from xlplan.core.vocab import allowed, map_value, normalise
from xlplan.reading import leftovers
from xlplan.xlsx.comments import read_comments
from xlplan.xlsx.formats import read_number_formats, shown_number
from xlplan.xlsx.reader import RawSheet, RawWorkbook, read_workbook, ReadError

# Why a file could not be read (the reader's ReadError kinds, and what became of its worker) -> code.
READ_ERROR_CODES = {
    "not_zip": "RD001", "not_xlsx": "RD001", "xls": "RD002", "ole_broken": "RD003", "bad_zip": "RD003",
    "bad_xml": "RD003", "died": "RD009", "timeout": "RD010", "memory": "RD011", "error": "RD013",
    "too_many_rows": "RD007", "missing_part": "RD003", "bomb": "RD004", "dtd": "RD005", "encrypted": "RD006",
    "encrypted_zip": "RD006", "too_many_cells": "RD007", "os": "RD008",
}


def read_failure(kind: str, file: str, **values) -> Problem:
    """The problem for a file that could not be read, by why."""
    return problem(READ_ERROR_CODES.get(kind, "RD003"), file=file, **values)
HEADER_SEARCH_ROWS = 40
UNREAD_SHEETS = frozenset({schema.SHEET_TITLES["lister"]})  # the hidden value lists: nothing of the team's
MAX_TABLE_ROWS = 5_000  # filled rows in one table; a team's plan holds tens
MAX_TIMELINE_WEEKS = 1_000  # a longer timeline in the metadata is an edit, not a plan
EXTERNAL_REFERENCE = re.compile(r"\[\d+\]|\[[^\]]*\.xls[xmb]?\]", re.IGNORECASE)
CRITERION_ID = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:\.([a-z]))?$|^R\d+\.\d+$")


# ---------------------------------------------------------------- the grid: values with merges resolved

class Grid:
    """A sheet's values, where the cells below the top-left cell of a merged range show its value (a Formål
    merged over two plan rows is the Formål of both); the other columns of a merged range hold nothing (a
    text merged over Aktivitet and Ansvarlig is an Aktivitet, not also a name)."""

    def __init__(self, sheet: RawSheet):
        self.sheet = sheet
        self.name = sheet.name
        self.cover: dict[tuple[int, int], tuple[int, int]] = {}
        self.cells = sheet.cells  # with each merged range's top-left cell repeated over the range
        for r1, c1, r2, c2 in sheet.merged:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
                continue  # an absurd merge is not worth expanding
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.cover[(r, c)] = (r1, c1)
        if self.cover:
            self.cells = dict(sheet.cells)
            for position, top_left in self.cover.items():
                if top_left in sheet.cells and position[1] == top_left[1]:
                    self.cells[position] = sheet.cells[top_left]
                else:
                    self.cells.pop(position, None)
        self.max_row = sheet.max_row
        self._by_row: dict[int, list[int]] | None = None
        # The cells (as stored, merged ranges by their top-left cell) that a reader took into a record or
        # reported: whatever else holds a value is reported when the sheet has been read.
        self.consumed: set[tuple[int, int]] = set()

    def consume(self, row: int, col: int | None) -> None:
        if col is not None:
            self.consumed.add(self.cover.get((row, col), (row, col)))

    def covered(self, row: int, col: int) -> bool:
        """Whether the cell lies inside a merged range, not at its top-left cell (it shows that cell's value)."""
        return (row, col) in self.cover

    def merged_from_first_column(self, row: int) -> bool:
        """A row that is one merged band from column A (a heading, a group title, a note)."""
        return self.cover.get((row, 1)) == (row, 0)

    def columns_in(self, row: int) -> list[int]:
        """The columns of `row` that hold a cell (merged ranges included), in order."""
        return self.rows().get(row, [])

    def rows(self) -> dict[int, list[int]]:
        """Row -> the columns that hold a cell (merged ranges included), in order; rows without cells left out."""
        if self._by_row is None:
            by_row: dict[int, list[int]] = {}
            for r, c in self.cells:  # each position once
                cols = by_row.get(r)
                if cols is None:
                    by_row[r] = [c]
                else:
                    cols.append(c)
            for cols in by_row.values():
                cols.sort()  # already in order as most files store them
            self._by_row = by_row
        return self._by_row

    def raw(self, row: int, col: int):
        return self.cells.get((row, col))

    def value(self, row: int, col: int):
        cell = self.cells.get((row, col))
        return None if cell is None else cell.value

    def filled(self, row: int, col: int) -> bool:
        cell = self.cells.get((row, col))
        return cell is not None and cell.value not in (None, "")

    def text(self, row: int, col: int) -> str:
        value = self.value(row, col)
        return "" if value is None else str(value).strip()

    def row_values(self, row: int, max_col: int = 60) -> list:
        return [self.value(row, c) for c in range(max_col)]


# ---------------------------------------------------------------- headers

@lru_cache(maxsize=1)
def _header_synonyms() -> dict[str, set[str]]:
    data = content.load_yaml("synonymer.yaml").get("kolonner", {})
    return {key: {normalise(v) for v in values} for key, values in data.items()}


def header_names(column: schema.Column) -> set[str]:
    return {normalise(column.header), normalise(column.key)} | _header_synonyms().get(column.key, set())


@lru_cache(maxsize=None)
def _header_lookup(table_key: str) -> dict[str, str]:
    """Normalised header text -> column key, for one table (the first column to claim a name keeps it)."""
    lookup: dict[str, str] = {}
    for column in TABLES[table_key]().columns:
        for name in header_names(column):
            lookup.setdefault(name, column.key)
    return lookup


TABLES = {  # keyed by schema.Table.key
    "plan": schema.plan_table, "procesplan": lambda: schema.PROCESPLAN, "tjekliste": lambda: schema.CHECKLIST,
    "trin": lambda: schema.STEPS, "roller": lambda: schema.ROLES, "risikolog": lambda: schema.RISKS,
    "personer": lambda: schema.PEOPLE,
}


class HeaderLookup(dict):
    """Normalised header text -> [(table key, column key)], knowing its longest raw header."""

    def __init__(self, items):
        super().__init__(items)
        self.longest = 2 * max(map(len, self), default=0) + 20


@lru_cache(maxsize=1)
def _all_headers() -> HeaderLookup:
    """Normalised header text -> [(table key, column key)] over every declared table."""
    lookup: dict[str, list[tuple[str, str]]] = {}
    for table_key in TABLES:
        for name, column_key in _header_lookup(table_key).items():
            lookup.setdefault(name, []).append((table_key, column_key))
    return HeaderLookup(lookup)


def _header_candidates(grid: Grid, lookup: HeaderLookup) -> dict[int, list[tuple[int, str]]]:
    """Row -> [(column, normalised text)] of the cells near the top whose text is a known header."""
    rows: dict[int, list[tuple[int, str]]] = {}
    # A bound on a header cell's raw length (spaces and punctuation that normalising removes allowed
    # for): the long texts of a sheet (criteria, help) are never normalised.
    longest = lookup.longest
    for (row, col), cell in grid.sheet.cells.items():
        value = cell.value
        if row < HEADER_SEARCH_ROWS and isinstance(value, str) and len(value) <= longest:
            text = normalise(value)
            if text in lookup:
                rows.setdefault(row, []).append((col, text))
    for cells in rows.values():
        cells.sort()
    return rows


def classify(grid: Grid, mapping=None) -> tuple[str, int, dict[str, int]] | None:
    """Which declared table a sheet holds, judged by its headers: the table whose header row matches best."""
    lookup = _all_headers()
    if mapping is not None and mapping.headers:
        # An older template's headers, declared in data/versioner.yaml
        extended = {k: list(v) for k, v in lookup.items()}
        for table_key in TABLES:
            for column in TABLES[table_key]().columns:
                for name in mapping.headers.get(column.key, ()):
                    extended.setdefault(normalise(name), []).append((table_key, column.key))
        lookup = HeaderLookup(extended)
    best = None
    for row, cells in sorted(_header_candidates(grid, lookup).items()):
        found: dict[str, dict[str, int]] = {}
        for col, text in cells:
            for table_key, column_key in lookup.get(text, ()):
                found.setdefault(table_key, {}).setdefault(column_key, col)
        for table_key, columns in found.items():
            size = len(TABLES[table_key]().columns)
            if len(columns) < max(2, int(size * 0.6)):
                continue
            score = (len(columns) / size, len(columns))
            if best is None or score > best[0]:
                best = (score, table_key, row, columns)
    return None if best is None else (best[1], best[2], best[3])


def is_overview(grid: Grid) -> bool:
    labels = {normalise(grid.text(r, 0)) for r in range(min(grid.max_row + 1, 30))}
    wanted = set().union(*(header_names(f) for f in schema.OVERVIEW_FIELDS))
    return len(labels & wanted) >= 4


# ---------------------------------------------------------------- typed values, with problems

@dataclass(frozen=True)
class Basis:
    """Where a date typed without a year takes its year from (the year rule), and how a message names it:
    a text of datoer.yaml's årstal, made only when a year is inferred (every row with a date has a basis)."""
    year_from: YearFrom
    why_key: str
    values: tuple[tuple[str, object], ...] = ()

    @property
    def why(self) -> str:
        return _year_texts()[self.why_key].format(dato=self.year_from.after.strftime("%d-%m-%Y"), **dict(self.values))


@dataclass(frozen=True)
class PlanDates:
    """The plan's start and the last day of its timeline (None where the workbook does not tell them), and
    where a date with nothing above it takes its year from: the plan's start, or the file's year."""
    start: dt.date | None
    end: dt.date | None
    basis: Basis


@lru_cache(maxsize=1)
def _open_texts() -> dict[str, str]:
    return content.load_yaml("datoer.yaml")["visning"]


@lru_cache(maxsize=1)
def _year_texts() -> dict[str, str]:
    return content.load_yaml("datoer.yaml")["årstal"]


def _basis(after: dt.date, why: str, by_day: bool = False, **values) -> Basis:
    return Basis(YearFrom(after, by_day), why, tuple(values.items()))


@dataclass
class Context:
    file: str
    problems: list[Problem]
    plan: PlanDates
    result: WorkbookRead | None = None
    sections: tuple[str, ...] = ()  # the workbook's sections, which decide what its phase dropdown offers
    # Problems that quote a number (sheet, row, col, number): quoted again as the cell shows it, once the
    # cells' number formats are read ("50 %", not "0.5").
    quoted: list[tuple[Problem, str, int, int, object]] = field(default_factory=list)


class Cells:
    """Turns raw cells into typed values; what cannot be read becomes a Problem at its cell."""

    def __init__(self, ctx: Context, grid: Grid):
        self.ctx = ctx
        self.grid = grid
        self.mapping = None
        self.invalid: dict[int, dict[str, str]] = {}  # row -> column key -> the text typed

    def keep_invalid(self, row: int, key: str, text: str | None) -> None:
        """Keep what the team typed where no valid value could be read: the record holds it beside the
        problem (`invalid`), so exports and fresh copies lose nothing."""
        if text:
            self.invalid.setdefault(row, {})[key] = text

    def _problem(self, code: str, row: int, col: int, **values) -> None:
        found = problem(code, file=self.ctx.file, sheet=self.grid.name, cell=a1(row, col), **values)
        self.ctx.problems.append(found)
        cell = self.grid.raw(row, col) if "værdi" in values else None
        if cell is not None and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            self.ctx.quoted.append((found, self.grid.name, *self.grid.cover.get((row, col), (row, col)), cell.value))

    def not_read(self, code: str, row: int, col: int, **values) -> None:
        """A value no record holds: reported at its cell, and kept for the fixing copy's list."""
        self.grid.consume(row, col)
        self._problem(code, row, col, **values)
        result = self.ctx.result
        if result is not None:
            result.unplaced.append(Unplaced(self.grid.name, a1(row, col), code, self.grid.sheet.cells[(row, col)].value))

    def _cell(self, row: int, col: int | None):
        """The raw cell, or None; a formula without a cached value or an error value is a problem."""
        if col is None:
            return None
        self.grid.consume(row, col)
        cell = self.grid.raw(row, col)
        if cell is None:
            return None
        if cell.error:
            self._problem("RB011", row, col, værdi=cell.error)
            return None
        if cell.value is None and cell.formula:
            self._problem("RB010", row, col, formel="=" + cell.formula[:60])
            return None
        if cell.formula and EXTERNAL_REFERENCE.search(cell.formula):
            self._problem("RB027", row, col, formel="=" + cell.formula[:60])
        return cell

    def text(self, row: int, col: int | None) -> str | None:
        cell = self._cell(row, col)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, dt.datetime):
            return value.strftime("%d-%m-%Y %H:%M")
        if isinstance(value, dt.date):
            return value.strftime("%d-%m-%Y")
        if isinstance(value, (dt.time, dt.timedelta)):
            return shown(value)
        if isinstance(value, bool):
            return "Ja" if value else "Nej"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        return text or None

    def offered(self, column: schema.Column) -> tuple[str, ...]:
        """What this workbook's dropdown offers (the phase list depends on the workbook's sections)."""
        if column.values == "faser" and self.ctx.sections:
            return content.phase_choices(self.ctx.sections)
        return allowed(column.values)

    def choice(self, row: int, col: int | None, column: schema.Column) -> str | None:
        cell = self._cell(row, col)
        if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            return None
        mapped = map_value(column.values, cell.value)
        shown = self.text(row, col)
        if mapped.value is None and mapped.choices:  # 'OK': in progress, or done? The team chooses.
            self.keep_invalid(row, column.key, shown)
            self._problem("RB080", row, col, værdi=shown, kolonne=column.header,
                          valg=" eller ".join(f"'{c}'" for c in mapped.choices))
            return None
        if mapped.value is None:
            self.keep_invalid(row, column.key, shown)
            self._problem("RB006", row, col, værdi=shown, kolonne=column.header,
                          muligheder=", ".join(self.offered(column)))
            return None
        if mapped.interpreted and shown != mapped.value:
            self._problem("RB007", row, col, værdi=shown, kolonne=column.header, tolkning=mapped.value)
        return mapped.value

    def scale(self, row: int, col: int | None, column: schema.Column) -> int | None:
        cell = self._cell(row, col)
        if cell is None or cell.value in (None, ""):
            return None
        value = cell.value
        try:
            number = float(str(value).replace(",", ".")) if not isinstance(value, (int, float)) else float(value)
        except ValueError:
            number = None
        if number is None or not number.is_integer() or not 1 <= number <= 5 or isinstance(value, bool):
            self.keep_invalid(row, column.key, self.text(row, col))
            self._problem("RB012", row, col, værdi=self.text(row, col), kolonne=column.header)
            return None
        return int(number)

    def date(self, row: int, col: int | None, column: schema.Column, basis: Basis | None = None,
             free_text: bool = False) -> DateValue:
        """The cell as a date or period; a text without a year takes it by the year rule from `basis` (the
        row's own date, the rows above) or the plan's start, and says so."""
        cell = self._cell(row, col)
        if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            return NO_DATE
        value = cell.value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return DateValue(value.strftime("%d-%m-%Y"), value, value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if 20_000 < value < 80_000:  # a date serial number without date formatting
                from xlplan.xlsx.reader import serial_to_date
                day = serial_to_date(float(value))
                day = day.date() if isinstance(day, dt.datetime) else day
                self._problem("RB009", row, col, værdi=str(value), kolonne=column.header,
                              tolkning=day.strftime("%d-%m-%Y"))
                return DateValue(str(value), day, day)
            value = str(value)
        text = shown(value).strip()
        basis = basis or self.ctx.plan.basis
        try:
            period = parse_in_order(text, basis.year_from)
        except PeriodError as exc:
            self._problem("RB008", row, col, værdi=text, kolonne=column.header, årsag=str(exc))
            return DateValue(text, None, None)
        if period.rules:  # a season, holiday or deadline read by a rule: always say which, also in free text
            self._problem("RB030", row, col, værdi=text, kolonne=column.header, tolkning=_show_period(period),
                          regel="; ".join(period.rules))
        elif not free_text and not period.interpreted:  # a plain date the spreadsheet kept as text ("30/9-2026")
            self._problem("RB070", row, col, værdi=text, kolonne=column.header, tolkning=_show_period(period),
                          eksempel=period.start.strftime("%d-%m-%Y"))
        elif not free_text and not period.year_inferred:  # else RB050 says how
            self._problem("RB009", row, col, værdi=text, kolonne=column.header, tolkning=_show_period(period))
        if period.year_inferred:
            self._inferred_year(row, col, column, text, period, basis)
        return DateValue(text, period.start, period.end, period.year_inferred)

    def _inferred_year(self, row: int, col: int, column: schema.Column, text: str, period, basis: Basis) -> None:
        """Every year the rule chose is said at its cell (RB050); one that puts the period before the plan's
        start or more than a year past its timeline's end asks for the year (RB051)."""
        plan, texts = self.ctx.plan, _year_texts()
        values = dict(værdi=text, kolonne=column.header, tolkning=_show_period(period), år=period.start.year,
                      grundlag=basis.why)
        if plan.start and (period.end or period.start) < plan.start:
            self._problem("RB051", row, col, hvor=texts["før_start"].format(dato=plan.start.strftime("%d-%m-%Y")),
                          **values)
        elif plan.end and period.start > _a_year_after(plan.end):
            self._problem("RB051", row, col, hvor=texts["efter_slut"].format(dato=plan.end.strftime("%d-%m-%Y")),
                          **values)
        else:
            self._problem("RB050", row, col, **values)


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _show_period(period) -> str:
    if period.end is None:
        return _open_texts()["åben"].format(start=period.start.strftime("%d-%m-%Y"))
    if period.start == period.end:
        return period.start.strftime("%d-%m-%Y")
    return f"{period.start:%d-%m-%Y} – {period.end:%d-%m-%Y}"


# ---------------------------------------------------------------- the workbook

def prepare() -> None:
    """Load the vocabularies and catalogues a reading needs, once: worker processes forked after this
    share them instead of each parsing the data files again."""
    from xlplan.core import errors
    from xlplan.reading import periods
    errors.catalogue()
    versions.load()
    known_criteria()
    _all_headers()
    periods.parse_period("1. januar 2026", 2026)
    _year_texts(), _open_texts()
    for key in content.value_lists():
        map_value(key, "")
    content.roles()
    content.steering()


def file_facts(path: Path) -> tuple[str, int, dt.datetime | None]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    modified = dt.datetime.fromtimestamp(os.stat(path).st_mtime).replace(microsecond=0)
    return digest.hexdigest(), size, modified


def read_team_workbook(path: str | Path, display_name: str | None = None) -> WorkbookRead:
    path = Path(path)
    name = display_name or path.name
    try:
        sha, size, modified = file_facts(path)
    except OSError as exc:
        result = WorkbookRead(name, str(path), "", 0, None, readable=False)
        result.problems.append(problem("RD008", file=name, detalje=exc.strerror or str(exc)))
        return result
    result = WorkbookRead(name, str(path), sha, size, modified)
    try:
        raw = read_workbook(path, skip=UNREAD_SHEETS)
        comments = read_comments(path) if raw.has_comments else []  # the archive is not opened again for nothing
    except ReadError as exc:
        result.readable = False
        detail = {"not_zip": " (filen er tom)" if exc.detail == "empty" else ""}.get(exc.kind, exc.detail)
        result.problems.append(read_failure(exc.kind, name, detalje=detail))
        return result
    quoted = _read_workbook(raw, result)
    if result.readable:
        _keep_comments(comments, result)
        _keep_number_formats(path, result, quoted)
    return result


def _keep_comments(comments, result: WorkbookRead) -> None:
    """The team's comments, kept and listed where they stand; xlplan's own notes in a fixing copy are not
    the team's, whoever the program that saved the copy made their author (without_own_notes): a note of only
    xlplan's is left out, one the team wrote in too keeps the team's words."""
    for c in comments:
        if c.author == XLPLAN_AUTHOR:
            continue
        text = without_own_notes(c.text)
        if not text.strip():
            continue
        cell = a1(c.row, c.col)
        result.comments.append(CellComment(c.sheet, cell, c.author.strip(), text))
        result.problems.append(problem("RB046", file=result.file, sheet=c.sheet, cell=cell, tekst=_shorten(text)))


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _keep_number_formats(path: Path, result: WorkbookRead, quoted=()) -> None:
    """The number formats of the values a fresh copy writes as they were typed, and of the numbers the
    problems quote, which are then quoted as the cell shows them (a second, small reading, only when such
    values exist)."""
    if not result.typed and not quoted:
        return
    wanted: dict[str, set[tuple[int, int]]] = {}
    for sheet, row, col in [*result.typed, *((sheet, row, col) for _p, sheet, row, col, _v in quoted)]:
        wanted.setdefault(sheet, set()).add((row, col))
    try:
        formats = read_number_formats(path, wanted)
    except ReadError:
        formats = {}  # the parts were read once already; without their formats the values are still kept as typed
    result.number_formats = {key: value for key, value in formats.items() if key in result.typed}
    again = {id(p): dataclasses.replace(p, values={**p.values, "værdi": shown_number(value, formats.get((sheet, row, col)))})
             for p, sheet, row, col, value in quoted}
    result.problems[:] = [again.get(id(p), p) for p in result.problems]


def _metadata(raw: RawWorkbook) -> dict[str, str]:
    for sheet in raw.sheets:
        if sheet.name == schema.SHEET_TITLES["metadata"] or (sheet.value(0, 0) == "schema"
                                                               and sheet.value(0, 1) in (SCHEMA_ID, REPORT_SCHEMA)):
            return {str(sheet.value(r, 0)): ("" if sheet.value(r, 1) is None else str(sheet.value(r, 1)))
                    for r in range(sheet.max_row + 1) if sheet.value(r, 0) is not None}
    return {}


def _read_workbook(raw: RawWorkbook, result: WorkbookRead) -> list:
    """Reads `raw` into `result`; returns the problems that quote a number (Context.quoted)."""
    file = result.file
    result.saved = raw.saved
    if raw.has_macros:
        result.problems.append(problem("RB024", file=file))
    if raw.external_links:
        result.problems.append(problem("RB025", file=file, antal=raw.external_links))
    for name in raw.missing:
        result.problems.append(problem("RB047", file=file, sheet=name, navn=name))
    meta = _metadata(raw)
    if meta.get("schema") == REPORT_SCHEMA:
        result.readable = False
        result.problems.append(problem("RB026", file=file))
        return []
    result.template_id = meta.get("template_id")
    result.template_version = meta.get("template_version")
    result.generated = meta.get("generated") or None
    known = versions.current()
    version = int(meta["template_version"]) if meta.get("template_version", "").isdigit() else known
    if version > known or (version < known and version not in versions.supported()):
        result.readable = False
        code = "RB002" if version > known else "RB029"
        result.problems.append(problem(code, file=file, version=version, kendt=known))
        return []
    mapping = versions.mapping_from(version) if version < known else versions.Mapping()
    result.sections = tuple(s for s in meta.get("sections", "").split(",") if s)
    ctx = Context(file, result.problems, _plan_dates(meta, result), result, result.sections)
    roles = {name: key[len("sheet:"):] for key, name in meta.items() if key.startswith("sheet:")}
    # xlplan's own sheets: nothing of the team's stands there (a fixing copy's Rettelser lists the
    # problems of the reading it was made from; it is made anew each time).
    skip = UNREAD_SHEETS | {schema.SHEET_TITLES["metadata"], meta.get("sheet:lister"), meta.get("sheet:rettelser")}
    grids = [Grid(s) for s in raw.sheets if s.name not in skip]

    found_kinds: set[str] = set()
    info_grid = next((g for g in grids if is_overview(g)), None)
    team = ""
    if info_grid is not None:
        cells = Cells(ctx, info_grid)
        result.info = _read_overview(cells, info_grid)
        result.sheet_roles[info_grid.name] = "oversigt"
        leftovers.overview(cells)
        team = result.info.team
    team = team or meta.get("team", "")
    team_missing = not team
    if team_missing:
        team = Path(file).stem
    result.team = team
    if result.info is None:
        result.info = TeamInfo(team=team)
    result.info.team = team

    unread: list[Grid] = []
    for grid in grids:
        if grid is info_grid:
            continue
        kind = classify(grid, mapping)
        if kind is None:
            unread.append(grid)
            continue
        kind_name, header_row, columns = kind
        found_kinds.add(kind_name)
        result.columns[grid.name] = dict(columns)
        result.header_rows[grid.name] = header_row
        cells = Cells(ctx, grid)
        cells.mapping = mapping
        READERS[kind_name](cells, grid, header_row, columns, result)
        result.sheet_roles[grid.name] = _role_of(grid.name, kind_name, roles, result)
        leftovers.table(cells, header_row, columns, TABLES[kind_name]())

    if not meta and not found_kinds:
        result.readable = False
        result.problems.append(problem("RB001", file=file))
        return []
    for grid in unread:
        _unread_sheet(grid, _guide_role(grid.name, roles), ctx, result)
    if team_missing:
        where = dict(sheet=info_grid.name, cell="B4") if info_grid else {}
        result.problems.insert(0, problem("RB003", file=file, **where))
    _missing_sheets(meta, raw, result)
    _missing_criteria(result, found_kinds)
    _check_people(result)
    if facts.is_untouched(result):
        result.problems.append(problem("RB032", file=file))
    return ctx.quoted


def _guide_role(name: str, roles: dict[str, str]) -> str | None:
    """The sheet's role by the metadata; the guide is known by its name too (a blank template filled by hand)."""
    return roles.get(name) or ("vejledning" if name == schema.SHEET_TITLES["vejledning"] else None)


def _role_of(name: str, kind: str, roles: dict[str, str], result: WorkbookRead) -> str:
    """The role a sheet read as `kind` plays, as the fresh copy lays it out: plans by their order, a
    checklist by the phase of its criteria."""
    if kind == "plan":
        sheets = [sheet for sheet, _name, _description in result.focus_points]
        return f"plan:{sheets.index(name) + 1}" if name in sheets else roles.get(name, "")
    if kind == "tjekliste":
        criterion = next((c for c in result.criteria if c.source.sheet == name and not c.own), None)
        if criterion is not None:
            return "rolleansvar" if criterion.checklist == "rolleansvar" else f"fase:{criterion.phase}"
        return roles.get(name, "")
    return roles.get(name) or kind


def _unread_sheet(grid: Grid, role: str | None, ctx: Context, result: WorkbookRead) -> None:
    """A sheet that holds none of the declared tables: a template sheet whose headers are gone (RB017),
    or the team's own sheet, whose text is kept and listed (RB031), never silently passed over."""
    table = schema.table_of_role(role) if role else None
    if table is not None:
        headers = ", ".join(c.header for c in table.input_columns[:4])
        ctx.problems.append(problem("RB017", file=ctx.file, sheet=grid.name, cell="A1", kolonner=headers))
        result.unread_sheets.append(_own_sheet(grid, result))
        return
    if role == "vejledning":
        leftovers.guide(Cells(ctx, grid))
        return
    if role is not None:
        return  # a template sheet without a table (Oversigt found elsewhere)
    own = _own_sheet(grid, result)
    if own.texts:
        result.own_sheets.append(own)
        ctx.problems.append(problem("RB031", file=ctx.file, sheet=grid.name, cell=own.texts[0][0], navn=grid.name,
                                    antal=len(own.texts)))


def _own_sheet(grid: Grid, result: WorkbookRead) -> OwnSheet:
    """Every value of a sheet as stored (a value hidden under a merged cell too), as text; what is not text
    is kept as typed for a fresh copy."""
    texts = []
    for (r, c), cell in sorted(grid.sheet.cells.items()):
        text = shown(cell.value)
        if text:
            texts.append((a1(r, c), text))
            _keep_typed(result, grid.name, r, c, cell.value)
    return OwnSheet(grid.name, texts)


def _keep_typed(result: WorkbookRead, sheet: str, row: int, col: int, value) -> None:
    if value is not None and not isinstance(value, str):
        result.typed[(sheet, row, col)] = value


def shown(value) -> str:
    """A cell's value as text, as a person reads it (Danish dates, whole numbers without a decimal point)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M") if (value.hour, value.minute) != (0, 0) else value.strftime("%d-%m-%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, dt.time):  # a time of day, as Excel shows it under a time format
        return value.strftime("%H:%M:%S" if value.second or value.microsecond else "%H:%M")
    if isinstance(value, dt.timedelta):  # a duration in hours, as Excel shows it under [h]:mm
        seconds = round(value.total_seconds())
        hours_minutes = f"{seconds // 3600}:{seconds // 60 % 60:02d}"
        return f"{hours_minutes}:{seconds % 60:02d}" if seconds % 60 else hours_minutes
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _plan_dates(meta: dict[str, str], result: WorkbookRead) -> PlanDates:
    """The plan's start and timeline by the metadata (kept on `result`); without a start (an older or blank
    template), dates with nothing above them take the year the workbook was made or saved in."""
    try:
        start = dt.date.fromisoformat(meta.get("start", ""))
    except ValueError:
        start = None
    if start and not FIRST_YEAR <= start.year <= LAST_YEAR:
        start = None  # an edited metadata sheet: no plan a reader can mean
    weeks = int(meta["timeline_weeks"]) if meta.get("timeline_weeks", "").isdigit() else None
    if weeks is not None and not 1 <= weeks <= MAX_TIMELINE_WEEKS:
        weeks = None
    result.plan_start, result.timeline_weeks = start, weeks
    end = start + dt.timedelta(weeks=weeks, days=-1) if start and weeks else None
    if start:
        return PlanDates(start, end, _basis(start, "planstart"))
    return PlanDates(None, None, _basis(dt.date(_default_year(meta, result), 1, 1), "fil",
                                        år=_default_year(meta, result)))


def _default_year(meta: dict[str, str], result: WorkbookRead) -> int:
    generated = meta.get("generated", "")
    if generated[:4].isdigit():
        return int(generated[:4])
    return (result.modified or dt.datetime.now()).year


def _missing_sheets(meta: dict[str, str], raw: RawWorkbook, result: WorkbookRead) -> None:
    names = {s.name for s in raw.sheets}
    for key, sheet_name in meta.items():
        role = key[len("sheet:"):] if key.startswith("sheet:") else None
        if role and role not in ("lister", "metadata", "vejledning", "rettelser") and sheet_name not in names:
            # A renamed sheet is still read when its headers are found; only report what is truly gone.
            if not _role_read(role, result):
                result.problems.append(problem("RB004", file=result.file, navn=sheet_name))


def _role_read(role: str, result: WorkbookRead) -> bool:
    if role.startswith("plan:"):
        return len({r.source.sheet for r in result.plan_rows} | {f.source.sheet for f in result.followups}) >= int(
            role.split(":")[1])
    if role.startswith("fase:"):
        return any(c.phase == role.split(":")[1] for c in result.criteria)
    return {"oversigt": result.info is not None, "procesplan": True, "personer": True, "roller": bool(result.roles),
            "risikolog": True, "trin": bool(result.steps),
            "rolleansvar": any(c.checklist == "rolleansvar" for c in result.criteria)}.get(role, True)


# ---------------------------------------------------------------- sheet readers

def _extra_columns(cells: Cells, header_row: int, columns: dict[str, int]) -> dict[int, str]:
    """Columns the team added: a typed header beside the declared ones (a computed one, such as the
    procesplan's week dates, is layout)."""
    grid = cells.grid
    known = set(columns.values())
    for col in known:
        grid.consume(header_row, col)
    extras = {c: grid.text(header_row, c) for c in grid.columns_in(header_row)
              if c not in known and not grid.covered(header_row, c) and grid.text(header_row, c)
              and not _is_formula(grid.raw(header_row, c))}
    if extras and cells.ctx.result is not None:
        cells.ctx.result.extra_columns.setdefault(grid.name, {}).update({h: c for c, h in extras.items()})
    return extras


def _entry_rows(cells: Cells, table: schema.Table, header_row: int, columns: dict[str, int], stop=None,
                first: int | None = None, entry_keys=None, skip=None, entry=None):
    """Rows below the header (from `first`) with anything in an entry column (by default the input
    columns) or in a column the team added; `skip` passes over layout rows (group titles), `entry` decides
    more rows (a typed text where the template has a number). Yields (row, the team's columns' values)."""
    grid = cells.grid
    extras = _extra_columns(cells, header_row, columns)
    keys = entry_keys or {c.key for c in table.input_columns}
    entry_cols = [columns[c.key] for c in table.columns if c.key in keys and c.key in columns] + list(extras)
    read_cols = set(columns.values()) | set(extras)
    count = 0
    by_row = grid.rows()
    for row in range(header_row + 1 if first is None else first, grid.max_row + 1):
        if stop and stop(row):
            return
        in_row = by_row.get(row)  # a row without cells holds nothing to report or read
        if in_row:
            _unheaded(cells, row, header_row, read_cols, in_row)
        if skip and skip(row):
            continue
        if (in_row and _any_filled(grid.cells, row, entry_cols)) or (entry and entry(row)):
            count += 1
            if count > MAX_TABLE_ROWS:
                cells._problem("RB028", row, 0, grænse=MAX_TABLE_ROWS)
                return
            yield row, _extra_values(cells, row, header_row, extras)


def _extra_values(cells: Cells, row: int, header_row: int, extras: dict[int, str]) -> dict[str, str]:
    """The row's values in the team's own columns, as text; what is not text is kept as typed too."""
    grid = cells.grid
    values = {}
    for col, header in extras.items():
        text = grid.text(row, col)
        if text:
            grid.consume(row, col)
            grid.consume(header_row, col)
            values[header] = shown(grid.value(row, col))
            if cells.ctx.result is not None:
                _keep_typed(cells.ctx.result, grid.name, *grid.cover.get((row, col), (row, col)), grid.value(row, col))
    return values


def _any_filled(stored: dict, row: int, cols: list[int]) -> bool:
    """Whether any of the row's cells in `cols` holds a value (Grid.filled)."""
    for col in cols:
        cell = stored.get((row, col))
        if cell is not None and cell.value not in (None, ""):
            return True
    return False


def _unheaded(cells: Cells, row: int, header_row: int, read_cols: set[int], in_row: list[int]) -> None:
    """A value typed in a column that has no header is not read: say so at its cell (a formula there is
    left to the check of what no reader took). `in_row`: the row's columns that hold a cell."""
    grid = cells.grid
    stored, cover = grid.cells, grid.cover
    for col in in_row:
        if col in read_cols:
            continue
        cell = stored[(row, col)]
        if cell.formula is None and cell.value not in (None, "") and (row, col) not in cover:
            cells.not_read("RB022", row, col, værdi=grid.text(row, col)[:60], række=header_row + 1)


def _is_formula(cell) -> bool:
    return cell is not None and cell.formula is not None


def _missing_columns(cells: Cells, table: schema.Table, header_row: int, columns: dict[str, int], keys) -> None:
    for key in keys:
        if key not in columns:
            column = table.column(key)
            cells.ctx.problems.append(problem("RB005", file=cells.ctx.file, sheet=cells.grid.name,
                                              cell=a1(header_row, 0), kolonne=column.header, række=header_row + 1))


def _source(cells: Cells, row: int) -> Source:
    return Source(cells.ctx.file, cells.grid.name, a1(row, 0), row + 1)


DATE_KINDS = (schema.DATE, schema.PERIOD)  # what read_value reads with Cells.date: empty is NO_DATE
OWN_READERS = frozenset({schema.DATE, schema.PERIOD, schema.CHOICE, schema.SCALE})  # the rest: Cells.text
_ASK = object()  # the cell needs its column's kind to read it: a problem to report, a formula, another type
KEPT_TEXT = 200  # longer texts are not remembered from file to file (seldom the same twice; memory)


def _plain_value(column: schema.Column, cell):
    """What read_value gives for a cell holding a plain text or day, where it has nothing to report;
    _ASK for any other cell."""
    value = cell.value
    if cell.formula is not None or cell.error is not None:
        return _ASK
    kind = column.kind
    if type(value) is str:
        if kind not in OWN_READERS:
            return value.strip() or None
        if not value.strip():
            return NO_DATE if kind in DATE_KINDS else None if kind == schema.CHOICE else _ASK
        if kind == schema.CHOICE:
            return _plain_choice(value, column.values)
    elif type(value) is dt.date and kind in DATE_KINDS:
        return _day(value)
    return _ASK


_DAYS = Remembered(10_000, 0)  # a day typed as a date -> its DateValue


def _day(value: dt.date) -> DateValue:
    found = _DAYS.get(value)
    return _DAYS.keep(value, DateValue(value.strftime("%d-%m-%Y"), value, value)) if found is None else found


@remembered(10_000, KEPT_TEXT)
def _plain_choice(text: str, values: str):
    """A dropdown's value for a text typed as the list writes it; _ASK when it is not on the list or is read
    as another value (both reported by Cells.choice)."""
    mapped = map_value(values, text)
    return mapped.value if mapped.value is not None and not (
        mapped.interpreted and text.strip() != mapped.value) else _ASK


def read_value(cells: Cells, row: int, col: int | None, column: schema.Column, basis: Basis | None = None):
    """One cell, read as its column's kind declares."""
    if column.kind == schema.DATE:
        return cells.date(row, col, column, basis)
    if column.kind == schema.PERIOD:
        return cells.date(row, col, column, basis, free_text=True)
    if column.kind == schema.CHOICE:
        return cells.choice(row, col, column)
    if column.kind == schema.SCALE:
        return cells.scale(row, col, column)
    return cells.text(row, col)


def read_values(cells: Cells, row: int, columns: dict[str, int], declared, basis: Basis | None = None) -> dict:
    """The input columns of one row, by record field. The row's own first date gives the year to the
    dates after it that have none, which fall on or after it ("Slut: 4. september" after "Start:
    01-08-2027"); before it, a date without a year takes it from `basis` (the rows above) or the plan."""
    values: dict = {}
    own = False
    grid = cells.grid
    stored, cover, consumed = grid.cells, grid.cover, grid.consumed
    for column in declared:
        if column.read_into is None:
            continue
        attribute, key = column.read_into
        col = columns.get(column.key)
        value = _ASK
        if col is not None:
            # most cells are empty or hold a plain text or day: taken and read without asking the column's
            # kind (which reads the rest, and reports what it has to)
            position = (row, col)
            consumed.add(cover.get(position, position))
            cell = stored.get(position)
            value = (NO_DATE if column.kind in DATE_KINDS else None) if cell is None else _plain_value(column, cell)
        if value is _ASK:
            value = read_value(cells, row, col, column, basis)
        if not own and column.kind in DATE_KINDS and value.start:
            own = True
            basis = _basis(value.start, "række", by_day=True, kolonne=column.header)
        if key:
            values.setdefault(attribute, {})[key] = value
        else:
            values[attribute] = value
    values["invalid"] = cells.invalid.pop(row, {})
    return values


def _read_overview(cells: Cells, grid: Grid) -> TeamInfo:
    values = {}
    found: set[str] = set()
    for row in range(min(grid.max_row + 1, 40)):
        label = normalise(grid.text(row, 0))
        for field in schema.OVERVIEW_FIELDS:
            if label in header_names(field) and field.key not in found:
                found.add(field.key)
                grid.consume(row, 0)
                col = next((c for c in range(1, 12) if grid.filled(row, c)), 1)
                values[field.attribute] = read_value(cells, row, col, field)
    invalid = {key: text for typed in cells.invalid.values() for key, text in typed.items()}
    cells.invalid.clear()
    return TeamInfo(**{**values, "team": values.get("team") or ""}, invalid=invalid,
                    source=Source(cells.ctx.file, grid.name, "A1", 1))


def _label_value(cells: Cells, grid: Grid, row: int) -> str | None:
    grid.consume(row, 0)
    return cells.text(row, _answer_column(grid, row) or 1)


def _answer_column(grid: Grid, row: int) -> int | None:
    """The first filled cell right of a label in column A (which may be merged over several columns)."""
    return next((c for c in range(1, 40) if grid.filled(row, c) and grid.cover.get((row, c)) != (row, 0)), None)


def _plan_focus_point(cells: Cells, grid: Grid, header_row: int, result: WorkbookRead) -> tuple[str, int | None]:
    """The sigtepunkt's name (the sheet's name when it is blank) and the row of its label."""
    name_label, description_label = (normalise(f.header) for f in schema.SIGTEPUNKT_FIELDS)
    name, description, unnamed = None, None, None
    for row in range(header_row):
        label = normalise(grid.text(row, 0))
        if label == name_label:
            name = _label_value(cells, grid, row)
            unnamed = None if name else row
        elif label == description_label:
            description = _label_value(cells, grid, row)
    result.focus_points.append((grid.name, name or "", description))
    return name or grid.name, unnamed


def read_plan(cells: Cells, grid: Grid, header_row: int, columns: dict[str, int], result: WorkbookRead) -> None:
    """The plan rows, the Opfølgning block under them, and rows the team typed below that block (a plan
    that needed more rows than the formatted ones): those are plan rows too, and the team is told so."""
    table = schema.plan_table()
    focus_point, unnamed_row = _plan_focus_point(cells, grid, header_row, result)
    _missing_columns(cells, table, header_row, columns, ("aktivitet", "ansvarlig", "status"))
    followup_row = next((r for r in range(header_row + 1, grid.max_row + 1)
                         if normalise(grid.text(r, 0)) == "opfølgning"), None)
    note = normalise(schema.PLAN_NOTE)[:30]

    def stop(row):
        return followup_row is not None and row >= followup_row

    def is_note(row):
        if normalise(grid.text(row, 0)).startswith(note):
            grid.consume(row, 0)
            return True
        return False

    for row, extra in _entry_rows(cells, table, header_row, columns, stop, skip=is_note):
        _plan_row(cells, row, columns, extra, focus_point, result)
    if unnamed_row is not None and any(r.source.sheet == grid.name for r in result.plan_rows):
        cells.ctx.problems.append(problem("RB021", file=cells.ctx.file, sheet=grid.name, cell=a1(unnamed_row, 1)))
    if followup_row is None:
        return
    followup, block_end = _read_followup(cells, grid, followup_row, focus_point, result.team)
    result.followups.append(followup)
    below = [_plan_row(cells, row, columns, extra, focus_point, result).source.row
             for row, extra in _entry_rows(cells, table, header_row, columns, first=block_end + 1, skip=is_note)]
    if below:
        cells._problem("RB042", below[0] - 1, 0, rækker=_row_list(below))


def _row_list(rows: list[int]) -> str:
    return ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")


def _plan_row(cells: Cells, row: int, columns: dict[str, int], extra: dict, focus_point: str,
              result: WorkbookRead) -> PlanRow:
    source = _source(cells, row)
    result.rows_seen.append(source)
    record = PlanRow(team=result.team, focus_point=focus_point, source=source, extra=extra,
                     **read_values(cells, row, columns, schema.plan_table().columns))
    _check_dates(cells, row, columns.get("slut"), record.start, record.slut)
    if (record.aktivitet or record.formaal) and not record.ansvarlig and "ansvarlig" in columns:
        cells._problem("RB016", row, columns["ansvarlig"])
    result.plan_rows.append(record)
    return record


def _read_followup(cells: Cells, grid: Grid, heading_row: int, focus_point: str, team: str) -> tuple[FollowUp, int]:
    """The Opfølgning block: its heading, the rows of its known labels, and label rows the team added to it
    (kept in `extra`, label -> answer). The block ends at its last known label, or after label rows laid
    out as the template's (merged over the first columns) that follow it. Returns the block and its last row."""
    fields = {normalise(f.header): f for f in schema.followup_fields()}
    grid.consume(heading_row, 0)
    labelled = [r for r in range(heading_row + 1, min(grid.max_row + 1, heading_row + 12))
                if normalise(grid.text(r, 0)) in fields]
    end = max(labelled, default=heading_row)
    while end < grid.max_row and grid.merged_from_first_column(end + 1) and grid.text(end + 1, 0):
        end += 1
    values: dict = {}
    invalid: dict = {}
    extra: dict = {}
    for row in range(heading_row + 1, end + 1):
        label = grid.text(row, 0)
        if not label:
            continue  # a value without a label: reported with what no reader took
        grid.consume(row, 0)
        col = _answer_column(grid, row)
        field = fields.get(normalise(label))
        if field is not None and field.attribute not in values:
            read = read_values(cells, row, {field.key: col} if col is not None else {}, (field,))
            invalid.update(read.pop("invalid"))
            values.update(read)
        else:
            extra[label] = cells.text(row, col) if col is not None else None
    source = Source(cells.ctx.file, grid.name, a1(heading_row, 0), heading_row + 1)
    return FollowUp(team=team, focus_point=focus_point, source=source, extra=extra, invalid=invalid, **values), end


def _check_dates(cells: Cells, row: int, col: int | None, start: DateValue, end: DateValue) -> None:
    if start.start and end.end and end.end < start.start and col is not None:
        cells._problem("RB015", row, col, start=start.start.strftime("%d-%m-%Y"), slut=end.end.strftime("%d-%m-%Y"))


def read_procesplan(cells: Cells, grid: Grid, header_row: int, columns: dict[str, int], result: WorkbookRead) -> None:
    table = schema.PROCESPLAN
    _missing_columns(cells, table, header_row, columns, ("periode", "aktivitet"))
    col = columns.get
    anchor = _procesplan_anchor(cells, header_row)
    result.timeline_start = anchor
    # The year rule in reading order: a row takes the year of the nearest row above with a date (the next
    # year when it would go back); the first, the plan's start (or the timeline's, in an older workbook).
    basis = cells.ctx.plan.basis if cells.ctx.plan.start or anchor is None else _basis(anchor, "tidslinje")
    for row, extra in _entry_rows(cells, table, header_row, columns):
        source = _source(cells, row)
        result.rows_seen.append(source)
        record = ProcessRow(team=result.team, source=source, extra=extra,
                            **read_values(cells, row, columns, table.columns, basis))
        _check_dates(cells, row, col("til"), record.fra, record.til)
        if record.start:
            basis = _basis(record.start, "ovenover", række=row + 1)
        result.process_rows.append(record)


ANCHOR_LABEL = "tidslinjen starter"  # "Tidslinjen starter (uge med denne dato)"
ANCHOR = schema.Column("tidslinje", "Tidslinjen starter", 0, schema.DATE)


def _procesplan_anchor(cells: Cells, header_row: int) -> dt.date | None:
    """The day the procesplan's timeline starts with, read as any date cell (a date typed as text too)."""
    grid = cells.grid
    for row in range(header_row):
        if normalise(grid.text(row, 0)).startswith(ANCHOR_LABEL):
            grid.consume(row, 0)
            if _is_formula(grid.raw(row, 1)):  # the template's own (an older one computed it from today)
                grid.consume(row, 1)
                value = grid.value(row, 1)
                return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
            return cells.date(row, 1, ANCHOR).start
    return None


@lru_cache(maxsize=1)
def known_criteria() -> dict[str, tuple[str, str | None, str | None, str, int]]:
    """criterion id -> (checklist, phase id, dimension, text, level)."""
    known = {}
    for phase in content.phases():
        for dimension in phase.dimensions:
            for c in dimension.criteria:
                known[c.id] = ("faser", phase.id, dimension.name, c.text, c.level)
    for group, criteria in content.responsibility_criteria():
        for c in criteria:
            known[c.id] = ("rolleansvar", None, group, c.text, c.level)
    return known


def read_checklist(cells: Cells, grid: Grid, header_row: int, columns: dict[str, int], result: WorkbookRead) -> None:
    """The criteria of a checklist sheet. A row the team added is kept as its own criterion, with the id
    it was given: it belongs to the sheet's checklist and phase, and counts in no share (RB043); a row whose
    id looks like a criterion number the template does not have is kept too, and is an error (RB013)."""
    table = schema.CHECKLIST
    _missing_columns(cells, table, header_row, columns, ("id", "status"))
    if "id" not in columns:
        return
    known = known_criteria()
    own: list[CriterionRecord] = []
    for row, extra in _entry_rows(cells, table, header_row, columns, entry_keys=_written_keys(table),
                                  skip=grid.merged_from_first_column):
        source = _source(cells, row)
        result.rows_seen.append(source)
        raw_id = cells.text(row, columns["id"])
        if raw_id and cells.mapping is not None and raw_id in cells.mapping.criteria:
            result.renamed.append(("kriterium", raw_id, cells.mapping.criteria[raw_id]))
            raw_id = cells.mapping.criteria[raw_id]
        values = read_values(cells, row, columns, table.columns)
        if raw_id in known:
            grid.consume(row, columns.get("kriterium"))
            checklist, phase, dimension, text, level = known[raw_id]
            result.criteria.append(CriterionRecord(
                team=result.team, checklist=checklist, id=raw_id, phase=phase, dimension=dimension, text=text,
                level=level, source=source, extra=extra, **values))
            continue
        text = cells.text(row, columns["kriterium"]) if "kriterium" in columns else None
        record = CriterionRecord(team=result.team, id=raw_id, text=text, level=0, own=True, source=source,
                                 extra={**_own_fixed(cells, row, columns, table), **extra}, **values)
        result.criteria.append(record)
        own.append(record)
        if raw_id is None or CRITERION_ID.match(raw_id):
            cells._problem("RB013", row, columns["id"], id=raw_id or "(tomt)")
        else:
            cells._problem("RB043", row, columns["id"], id=raw_id, tekst=_shorten(text or ""))
    _own_criteria_checklist(own, [c for c in result.criteria if c.source.sheet == grid.name and not c.own])


def _own_criteria_checklist(own: list[CriterionRecord], known_here: list[CriterionRecord]) -> None:
    """The team's own criteria belong to the checklist and phase of the sheet they stand on."""
    model = known_here[0] if known_here else None
    for record in own:
        record.checklist = model.checklist if model else "faser"
        record.phase = model.phase if model else None


def _written_keys(table: schema.Table) -> set[str]:
    """The columns that make a row an entry where the template lays out the rows: the input columns and
    the template's own texts (which a row the team added holds too)."""
    return {c.key for c in table.columns if c.kind != schema.FORMULA}


def _own_fixed(cells: Cells, row: int, columns: dict[str, int], table: schema.Table) -> dict[str, str]:
    """What a row the team added holds in the columns where the template has its own texts and the
    record no field (a role's purpose and tasks, a step's description): kept by header."""
    values = {}
    for column in table.columns:
        if column.kind == schema.FIXED and not column.record_field and column.key in columns:
            text = cells.text(row, columns[column.key])
            if text:
                values[column.header] = text
    return values


PERSON_TABLES = (("plan_rows", schema.plan_table), ("process_rows", lambda: schema.PROCESPLAN),
                 ("criteria", lambda: schema.CHECKLIST), ("steps", lambda: schema.STEPS),
                 ("roles", lambda: schema.ROLES), ("risks", lambda: schema.RISKS))


def _check_people(result: WorkbookRead) -> None:
    """A name in a person column that is not on the workbook's list of people (arket Personer) splits
    every per-person figure: warn at its cell, with the closest name on the list where there is one.
    Several names may stand in one cell, separated by commas."""
    listed = {normalise(p.navn): p.navn for p in result.people if p.navn}
    if not listed:
        return  # no list to hold the names against (a blank template filled by hand)
    names_listed = tuple(listed.values())
    for attribute, table in PERSON_TABLES:
        columns = [c for c in table().input_columns if c.kind == schema.PERSON]
        for record in getattr(result, attribute):
            for column in columns:
                value = column.value_of(record)
                if not isinstance(value, str):
                    continue
                for name in _names(value):
                    if normalise(name) not in listed:
                        _unlisted(result, record, column, name, names_listed)


@lru_cache(maxsize=1)
def _name_separators() -> re.Pattern:
    separators = content.load_yaml("synonymer.yaml")["navneskel"]
    return re.compile("|".join(re.escape(s) for s in separators), re.IGNORECASE)


@lru_cache(maxsize=1)
def _groups() -> tuple[str, ...]:
    """Responsible groups, not persons: from synonymer.yaml and the roles of roller.yaml."""
    words = list(content.load_yaml("synonymer.yaml")["grupper"]) + [r.name for r in content.roles()]
    return tuple(sorted({normalise(w) for w in words}, key=len, reverse=True))


@remembered(4096, KEPT_TEXT)  # the same texts recur in every row and file
def _names(value: str) -> tuple[str, ...]:
    """The persons named in a cell: several may stand there; groups ("Ledergruppen") are not persons."""
    names = [n.strip() for n in _name_separators().split(value) if n.strip()]
    return tuple(n for n in names if not _is_group(normalise(n)))


@lru_cache(maxsize=4096)  # asked for every name in every person column
def _is_group(name: str) -> bool:
    return any(name == g or name.startswith(g + " ") for g in _groups())


def _unlisted(result: WorkbookRead, record, column: schema.Column, name: str, listed: tuple[str, ...]) -> None:
    col = result.columns.get(record.source.sheet, {}).get(column.key)
    cell = a1(record.source.row - 1, col) if col is not None else record.source.cell
    suggestion = _suggestion(name, listed)
    result.problems.append(problem("RB033", file=result.file, sheet=record.source.sheet, cell=cell, navn=name,
                                   kolonne=column.header, forslag=suggestion))


@remembered(4096, KEPT_TEXT)  # the same unlisted names recur in every row and file
def _suggestion(name: str, listed: tuple[str, ...]) -> str:
    """'Mente du ...?' with the listed name meant by `name`, or nothing."""
    closest = closest_name(name, list(listed))
    return content.load_yaml("tekster.yaml")["mente_i"].format(navn=closest) if closest else ""


def closest_name(name: str, listed: list[str]) -> str | None:
    """The listed name meant by `name`: the only one with that first name, or the most alike."""
    wanted = normalise(name)
    by_first = [n for n in listed if normalise(n).split(" ")[0] == wanted]
    if len(by_first) == 1:
        return by_first[0]
    import difflib

    found = difflib.get_close_matches(wanted, [normalise(n) for n in listed], n=1, cutoff=0.75)
    return next((n for n in listed if normalise(n) == found[0]), None) if found else None


def _missing_criteria(result: WorkbookRead, found_kinds: set[str]) -> None:
    if "tjekliste" not in found_kinds:
        return
    read_ids = {c.id for c in result.criteria}
    phases_read = {c.phase for c in result.criteria if c.phase}
    responsibility_read = any(c.checklist == "rolleansvar" for c in result.criteria)
    for cid, (checklist, phase, _dimension, text, _level) in known_criteria().items():
        present = phase in phases_read if checklist == "faser" else responsibility_read
        if present and cid not in read_ids:
            result.problems.append(problem("RB014", file=result.file, id=cid, tekst=text[:60]))


def read_steps(cells: Cells, grid: Grid, header_row: int, columns: dict[str, int], result: WorkbookRead) -> None:
    """The steps by their number; a row the team added is kept as its own step (RB045)."""
    table = schema.STEPS
    steps = content.steering()["steps"]
    for row, extra in _entry_rows(cells, table, header_row, columns, entry_keys=_written_keys(table),
                                  skip=grid.merged_from_first_column):
        source = _source(cells, row)
        result.rows_seen.append(source)
        number, typed = _number(cells, row, columns.get("id"))
        values = read_values(cells, row, columns, table.columns)
        if number is not None and 1 <= number <= len(steps) and not typed:
            for key in ("trin", "beskrivelse"):
                grid.consume(row, columns.get(key))
            result.steps.append(StepRecord(team=result.team, nr=number, trin=steps[number - 1].name,
                                           source=source, extra=extra, **values))
            continue
        name = cells.text(row, columns["trin"]) if "trin" in columns else None
        if typed:
            values["invalid"]["id"] = typed
        result.steps.append(StepRecord(team=result.team, nr=number, trin=name, own=True, source=source,
                                       extra={**_own_fixed(cells, row, columns, table), **extra}, **values))
        cells._problem("RB045", row, columns.get("id", 0), navn=name or typed or str(number or ""))


def _number(cells: Cells, row: int, col: int | None) -> tuple[int | None, str | None]:
    """A whole number in a column the template numbers (Nr., Trin); otherwise what was typed, as text."""
    cell = cells._cell(row, col)
    if cell is None or cell.value in (None, ""):
        return None, None
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value), None
    return None, cells.text(row, col)


def read_roles(cells: Cells, grid: Grid, header_row: int, columns: dict[str, int], result: WorkbookRead) -> None:
    """The roles by name; a role the team added is kept as its own role (RB044), with its texts."""
    table = schema.ROLES
    known = {normalise(r.name): r for r in content.roles()}
    _missing_columns(cells, table, header_row, columns, ("rolle", "navne"))
    if "rolle" not in columns:
        return
    for row, extra in _entry_rows(cells, table, header_row, columns, entry_keys=_written_keys(table),
                                  skip=grid.merged_from_first_column):
        source = _source(cells, row)
        result.rows_seen.append(source)
        name = cells.text(row, columns["rolle"])
        role = known.get(normalise(name or ""))
        values = read_values(cells, row, columns, table.columns)
        if role is not None:
            for column in table.columns:
                if column.kind == schema.FIXED:
                    grid.consume(row, columns.get(column.key))
            result.roles.append(RoleRecord(team=result.team, niveau=role.level, rolle=role.name, source=source,
                                           extra=extra, **values))
            continue
        level = cells.text(row, columns["niveau"]) if "niveau" in columns else None
        result.roles.append(RoleRecord(team=result.team, niveau=level, rolle=name, own=True, source=source,
                                       extra={**_own_fixed(cells, row, columns, table), **extra}, **values))
        cells._problem("RB044", row, columns["rolle"], navn=name or "(uden navn)")


def read_risks(cells: Cells, grid: Grid, header_row: int, columns: dict[str, int], result: WorkbookRead) -> None:
    table = schema.RISKS
    nr = columns.get("nr")

    def typed_number(row):  # the template numbers every row; a text there is the team's
        value = grid.value(row, nr) if nr is not None else None
        return value not in (None, "") and not isinstance(value, (int, float))

    for row, extra in _entry_rows(cells, table, header_row, columns, entry=typed_number):
        source = _source(cells, row)
        result.rows_seen.append(source)
        number, typed = _number(cells, row, nr)
        values = read_values(cells, row, columns, table.columns)
        if typed:
            values["invalid"]["nr"] = typed
        result.risks.append(RiskRecord(team=result.team, nr=number, source=source, extra=extra, **values))


def read_people(cells: Cells, grid: Grid, header_row: int, columns: dict[str, int], result: WorkbookRead) -> None:
    for row, extra in _entry_rows(cells, schema.PEOPLE, header_row, columns):
        source = _source(cells, row)
        result.rows_seen.append(source)
        result.people.append(PersonRecord(team=result.team, source=source, extra=extra,
                                          **read_values(cells, row, columns, schema.PEOPLE.columns)))


READERS = {"plan": read_plan, "procesplan": read_procesplan, "tjekliste": read_checklist, "trin": read_steps,
           "roller": read_roles, "risikolog": read_risks, "personer": read_people}
