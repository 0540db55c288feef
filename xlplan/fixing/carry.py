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
from xlplan.fixing.corrections import corrections_sheet, mark, Placed, unplaced_sheet
from xlplan.fixing.fill import fill_from
from xlplan.xlsx.model import Workbook
from xlplan.workbook.workbook import build_workbook_with_context
from xlplan.core.records import WorkbookRead
from xlplan.core.refs import cell as a1
from xlplan.core.refs import parse_cell

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


def fresh_copy(read: WorkbookRead, generated: dt.datetime | None = None) -> tuple[Workbook, Context]:
    """The current template with the team's data carried over; what has no place gets a sheet of its own."""
    config = config_for(read)
    fill = fill_from(read)
    layout, ctx = build_workbook_with_context(config, config.teams[0], generated, fill)
    if fill.unplaced:
        layout.sheets.insert(len(layout.sheets) - 2, unplaced_sheet(fill.unplaced, ctx))
    return layout, ctx


def locate(problem: Problem, read: WorkbookRead, ctx: Context) -> tuple[str, str] | None:
    """Where a problem found in the returned workbook stands in the fresh copy, if anywhere."""
    if not problem.sheet or not problem.cell:
        return None
    row, col = parse_cell(problem.cell)
    placed = ctx.placed.get((problem.sheet, row + 1))
    if placed is not None:
        new_sheet, new_row = placed
        role = next((r for r, n in ctx.sheet_names.items() if n == new_sheet), "")
        table = schema.table_of_role(role)
        keys = {c: k for k, c in read.columns.get(problem.sheet, {}).items()}
        key = keys.get(col)
        new_col = table.index(key) if table is not None and key in {c.key for c in table.columns} else col
        return new_sheet, a1(new_row, new_col)
    # Fields outside the tables keep their place: the overview's fields and a plan's sigtepunkt.
    if read.info is not None and problem.sheet in _overview_names(read):
        return ctx.sheet_names["oversigt"], problem.cell
    plan_sheets = [sheet for sheet, _name, _description in read.focus_points]
    if problem.sheet in plan_sheets:
        return ctx.sheet_names.get(f"plan:{plan_sheets.index(problem.sheet) + 1}"), problem.cell
    return None


def _overview_names(read: WorkbookRead) -> set[str]:
    return {"Oversigt"} | {sheet for sheet in read.columns if sheet.casefold() == "oversigt"}


def annotated(read: WorkbookRead, generated: dt.datetime | None = None) -> tuple[Workbook, list[Placed]]:
    """A fresh copy of the team's workbook with every problem cell marked and a 'Rettelser' sheet."""
    layout, ctx = fresh_copy(read, generated)
    by_name = {s.name: s for s in layout.sheets}
    placed = []
    # Warnings first, so that a cell with both shows the error's colour.
    for p in sorted(read.problems, key=lambda p: p.is_error):
        target = locate(p, read, ctx)
        if target and target[0] in by_name:
            mark(by_name[target[0]], target[1], p)
            placed.append(Placed(p, target[0], target[1]))
        else:
            placed.append(Placed(p, None, None))
    sheet = corrections_sheet(read, placed, ctx)
    layout.sheets.insert(0, sheet)
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


def write_annotated_copies(reads: list[WorkbookRead], folder: Path, inputs: list[Path],
                           now: dt.datetime | None = None) -> list[AnnotatedCopy]:
    """A fixing copy in `folder` for every file with something to fix (`<file> - rettelser.xlsx`)."""
    from xlplan.core.atomic import write_atomic
    from xlplan.core.names import file_stem
    from xlplan.reading.files import check_output_path
    from xlplan.xlsx.writer import render

    now = now or dt.datetime.now().replace(microsecond=0)
    copies = []
    for read in reads:
        if not read.readable:
            copies.append(AnnotatedCopy(read.file, notice=problem("RET001", file=read.file)))
            continue
        if not [p for p in read.problems if p.severity is not Severity.INFO]:
            continue
        target = folder / f"{file_stem(Path(read.file).stem)} - rettelser.xlsx"
        check_output_path(target, inputs)
        layout, placed = annotated(read, now)
        write_atomic(target, render(layout))
        copies.append(AnnotatedCopy(read.file, target, sum(1 for p in placed if p.sheet)))
    return copies
