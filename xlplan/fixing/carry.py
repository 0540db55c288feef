"""Carrying a returned workbook's data onto a fresh one: annotated copies for the teams (`tjek
--rettekopier`) and migration to the current template (`flyt`). The original is never touched: the
copy is generated anew from the template, so dropdowns and formatting are intact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlplan.core import content, schema
from xlplan.core.config import FocusPoint, PlanConfig, Team
from xlplan.core.errors import Problem, Severity, problem
from xlplan.workbook.context import Context
from xlplan.core.names import sheet_name
from xlplan.core.records import OwnSheet, WorkbookRead
from xlplan.core.refs import cell as a1
from xlplan.core.refs import parse_cell
from xlplan.fixing.corrections import (corrections_sheet, MARKED_AT_MOST, Marks, Placed, Unplaced, UNPLACED_FIRST_ROW,
                                       UNPLACED_WHY, unplaced_sheet)
from xlplan.fixing.fill import fill_from
from xlplan.workbook.metadata import metadata_sheet
from xlplan.workbook.workbook import build_workbook_with_context
from xlplan.xlsx.model import Comment, Formatted, PrintSetup, Sheet, Workbook

def config_for(read: WorkbookRead) -> PlanConfig:
    """The plan a returned workbook was made from, as far as the workbook tells it."""
    presets = content.presets()
    methods = tuple(m for m in (read.template_id or "").split("+") if m in presets) or ("ics",)
    sections = read.sections or tuple(s for s in content.section_order()
                                      if any(s in presets[m].sections for m in methods))
    info = read.info
    points = tuple(FocusPoint(name, description or "") for _sheet, name, description in read.focus_points)
    rhythm = info.opfoelgningsrytme if info and info.opfoelgningsrytme else "Kvartalsvis"
    team = Team(read.team, (info.kontaktperson or "") if info else "", (info.kontakt_email or "") if info else "")
    return PlanConfig(municipality=(info.kommune or "") if info else "", methods=methods, start=read.timeline_start,
                      teams=(team,), focus_points=points, sections=tuple(sections), rhythm=rhythm)


def fresh_copy(read: WorkbookRead, generated: dt.datetime | None = None,
               understood_dates: bool = False) -> tuple[Workbook, Context]:
    """The current template with everything the team had carried over: its data in the tables, its own
    columns beside them and its own rows after them, its own sheets, its comments where their cells went;
    what has no place in the template (values outside the tables, comments on them) on 'Ikke placeret'."""
    config = config_for(read)
    fill = fill_from(read, understood_dates)
    layout, ctx = build_workbook_with_context(config, config.teams[0], generated, fill)
    used = {name.casefold() for name in ctx.sheet_names.values()} | {s.casefold() for s in RESERVED}
    own = {sheet.name: sheet_name(sheet.name, used) for sheet in [*read.own_sheets, *read.unread_sheets]}
    by_name = {s.name: s for s in layout.sheets}
    for sheet in [*read.own_sheets, *read.unread_sheets]:
        by_name[own[sheet.name]] = own_sheet(read, sheet, own[sheet.name], ctx)
        layout.sheets.insert(len(layout.sheets) - 2, by_name[own[sheet.name]])
    places = Places(read, ctx, own)
    unplaced = {(u.sheet, u.cell): Unplaced(u.sheet, u.cell, UNPLACED_WHY[u.code], _as_typed(read, u))
                for u in read.unplaced}
    for c in read.comments:
        target = None if (c.sheet, c.cell) in unplaced else places.of(c.sheet, c.cell)
        if target is not None and target[0] in by_name:
            row, col = parse_cell(target[1])
            by_name[target[0]].comments.append(Comment(row, col, c.text, c.author))
        else:  # with the value it was written on, or on a line of its own
            item = unplaced.setdefault((c.sheet, c.cell), Unplaced(c.sheet, c.cell, UNPLACED_WHY["kommentar"], None))
            item.comment = Comment(0, 0, c.text, c.author)
    if unplaced:
        listing = unplaced_sheet(list(unplaced.values()), ctx)
        layout.sheets.insert(len(layout.sheets) - 2, listing)
        places.listed = {key: (listing.name, a1(row, 3)) for row, key in enumerate(unplaced, UNPLACED_FIRST_ROW)}
    ctx.places = places
    return layout, ctx


RESERVED = ("Rettelser", "Ikke placeret")  # the sheets a fixing copy adds


def _as_typed(read: WorkbookRead, unplaced) -> object:
    """A value without a place, as it was typed, with its number format."""
    row, col = parse_cell(unplaced.cell)
    number_format = read.number_formats.get((unplaced.sheet, row, col))
    return Formatted(unplaced.value, number_format) if number_format is not None else unplaced.value


def own_sheet(read: WorkbookRead, own: OwnSheet, name: str, ctx: Context) -> Sheet:
    """A sheet of the team's, carried as it was: every value at its cell, as typed, with its number format."""
    sheet = Sheet(name=name, protect=False,
                  print_setup=PrintSetup(landscape=True, header=ctx.header(name), footer=ctx.footer()))
    widths: dict[int, int] = {}
    for ref, text in own.texts:
        row, col = parse_cell(ref)
        value = read.typed.get((own.name, row, col), text)
        number_format = read.number_formats.get((own.name, row, col))
        style = "date" if isinstance(value, dt.date) else "text"
        sheet.put(row, col, Formatted(value, number_format) if number_format is not None else value, style)
        widths[col] = max(widths.get(col, 9), min(60, len(text) + 2))
    sheet.column_widths.update(widths)
    return sheet


class Places:
    """Where a cell of the returned workbook stands in the fresh copy: a row carried into a table goes
    where it was written (its column by its header); the fields above a table, the Oversigt's and an own
    sheet's cells keep their place. Anything else has no place (None)."""

    def __init__(self, read: WorkbookRead, ctx: Context, own: dict[str, str]):
        self.read, self.ctx, self.own = read, ctx, own
        self.listed: dict[tuple[str, str], tuple[str, str]] = {}  # a value without a place -> its line

    def of(self, sheet: str, ref: str, listed: bool = True) -> tuple[str, str] | None:
        """The cell's place in the copy; a value without a place has its line on 'Ikke placeret' (`listed`)."""
        if listed and (sheet, ref) in self.listed:
            return self.listed[(sheet, ref)]
        row, col = parse_cell(ref)
        if sheet in self.own:
            return self.own[sheet], ref
        placed = self.ctx.placed.get((sheet, row + 1))
        if placed is not None:
            new_col = self._column(sheet, placed[0], col)
            return (placed[0], a1(placed[1], new_col)) if new_col is not None else None
        role = self.read.sheet_roles.get(sheet)
        target = self.ctx.sheet_names.get(role) if role else None
        if target is None:
            return None
        header = self.read.header_rows.get(sheet)
        if role == "oversigt" or (header is not None and row < header):
            return target, ref  # the template's layout above a table is the same in every copy
        return None

    def _column(self, sheet: str, new_sheet: str, col: int) -> int | None:
        """The column in the copy of the returned workbook's column `col` on `sheet`."""
        key = {c: k for k, c in self.read.columns.get(sheet, {}).items()}.get(col)
        role = next((r for r, n in self.ctx.sheet_names.items() if n == new_sheet), "")
        table = schema.table_of_role(role)
        if key is not None and table is not None and key in {c.key for c in table.columns}:
            return table.index(key)
        header = {c: h for h, c in self.read.extra_columns.get(sheet, {}).items()}.get(col)
        team = self.ctx.team_columns.get(new_sheet)
        if header is not None and team is not None and header in team.headers:
            return team.first + team.headers.index(header)
        if sheet in self.read.columns or table is None:
            return None  # a column without a header has no place
        return col


def locate(problem: Problem, read: WorkbookRead, ctx: Context) -> tuple[str, str] | None:
    """Where a problem found in the returned workbook stands in the fresh copy, if anywhere."""
    if not problem.sheet or not problem.cell:
        return None
    places = ctx.places if isinstance(ctx.places, Places) else Places(read, ctx, {})
    return places.of(problem.sheet, problem.cell, listed=problem.code in UNPLACED_WHY)


def annotated(read: WorkbookRead, generated: dt.datetime | None = None) -> tuple[Workbook, list[Placed]]:
    """A fresh copy of the team's workbook with its problem cells marked and a 'Rettelser' sheet listing
    them: the first MARKED_AT_MOST problems (errors first, each kind in the order read), the rest counted.
    Dates typed as text are written as the dates xlplan read (fill.understood_day)."""
    layout, ctx = fresh_copy(read, generated, understood_dates=True)
    by_name = {s.name: s for s in layout.sheets}
    marks: dict[str, Marks] = {}
    ranked = sorted(read.problems, key=lambda p: p.severity.rank)
    shown, rest = ranked[:MARKED_AT_MOST], len(ranked) - MARKED_AT_MOST
    placed = []
    # Warnings first, so that a cell with both shows the error's colour.
    for p in sorted(shown, key=lambda p: p.is_error):
        target = locate(p, read, ctx)
        if target and target[0] in by_name and p.severity is not Severity.INFO:
            if target[0] not in marks:
                marks[target[0]] = Marks(by_name[target[0]])
            marks[target[0]].mark(target[1], p)
            placed.append(Placed(p, target[0], target[1]))
        else:
            placed.append(Placed(p, target[0] if target else None, target[1] if target else None))
    sheet = corrections_sheet(read, placed, ctx, max(0, rest))
    layout.sheets.insert(0, sheet)
    # The metadata names the Rettelser sheet, so that reading the copy back passes over it.
    ctx.sheet_names["rettelser"] = sheet.name
    layout.sheets[-1] = metadata_sheet(ctx)
    for s in layout.sheets:
        s.active = s is sheet
    return layout, placed


@dataclass
class AnnotatedCopy:
    """What became of one file's fixing copy: where it was written and how many cells it marks, or why
    there is none."""

    file: str
    path: Path | None = None
    marked: int = 0
    notice: Problem | None = None
    left_out: int = 0  # problems beyond the MARKED_AT_MOST the copy shows (counted on its Rettelser)


def fixing_copy(read: WorkbookRead, now: dt.datetime) -> tuple[bytes, int] | None:
    """The fixing copy of a readable workbook, written (its bytes), and how many cells it marks; None when
    the workbook has nothing to fix."""
    from xlplan.xlsx.writer import render

    if not has_something_to_fix(read):
        return None
    layout, placed = annotated(read, now)
    return render(layout), sum(1 for p in placed if p.sheet and p.problem.severity is not Severity.INFO)


WRITTEN_AS_DATES = frozenset({"RB070"})  # a date kept as text, which the fixing copy writes as a real date


def has_something_to_fix(read: WorkbookRead) -> bool:
    """A warning or an error, or a date the copy writes as a real date so that the team's own figures count it
    (RB070: the only info a copy changes the workbook for)."""
    return any(p.severity is not Severity.INFO or p.code in WRITTEN_AS_DATES for p in read.problems)


def fixing_copy_path(read: WorkbookRead, folder: Path) -> Path:
    """Where a file's fixing copy goes in `folder`: `<file> - rettelser.xlsx`."""
    from xlplan.core.names import file_stem

    return folder / f"{file_stem(Path(read.file).stem)} - rettelser.xlsx"


def write_annotated_copies(reads: list[WorkbookRead], folder: Path, inputs: list[Path],
                           now: dt.datetime | None = None) -> list[AnnotatedCopy]:
    """A fixing copy in `folder` for every file with something to fix (`<file> - rettelser.xlsx`)."""
    from xlplan.core.atomic import write_atomic
    from xlplan.reading.files import check_output_path

    now = now or dt.datetime.now().replace(microsecond=0)
    copies = []
    for read in reads:
        if not read.readable:
            copies.append(AnnotatedCopy(read.file, notice=problem("RET001", file=read.file)))
            continue
        if not has_something_to_fix(read):
            continue
        target = fixing_copy_path(read, folder)
        check_output_path(target, inputs)
        data, marked = fixing_copy(read, now)
        write_atomic(target, data)
        copies.append(AnnotatedCopy(read.file, target, marked, left_out=max(0, len(read.problems) - MARKED_AT_MOST)))
    return copies
