"""Carrying a returned workbook's data onto a fresh one: annotated copies for the teams (`check
--annotate`) and migration to the current template (`migrate`). The original is never touched: the
copy is generated anew from the template, so dropdowns and formatting are intact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import content, schema
from .config import FocusPoint, PlanConfig, Team
from .errors import Problem
from .layout.context import Context
from .layout.fill import fill_from
from .layout.model import Cell, Comment, Link, Merge, PrintSetup, Sheet, Workbook
from .layout.workbook import build_workbook_with_context
from .records import WorkbookRead
from .refs import cell as a1
from .refs import parse_cell

TABLE_OF_ROLE = {"procesplan": schema.PROCESPLAN, "trin": schema.STEPS, "roller": schema.ROLES,
                 "risikolog": schema.RISKS, "personer": schema.PEOPLE, "rolleansvar": schema.CHECKLIST}


def _table_for(role: str) -> schema.Table | None:
    if role.startswith("plan:"):
        return schema.plan_table()
    if role.startswith("fase:"):
        return schema.CHECKLIST
    return TABLE_OF_ROLE.get(role)


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
        layout.sheets.insert(len(layout.sheets) - 2, _unplaced_sheet(fill.unplaced, ctx))
    return layout, ctx


def _unplaced_sheet(unplaced, ctx: Context) -> Sheet:
    """Values from columns the template does not have: kept, never dropped."""
    sheet = Sheet(name="Ikke placeret", protect=False,
                  print_setup=PrintSetup(repeat_rows=(3, 3), header=ctx.header("Ikke placeret"), footer=ctx.footer()))
    sheet.merges.append(Merge(0, 0, 0, 3, "Indhold uden plads i skabelonen", "title"))
    sheet.merges.append(Merge(1, 0, 1, 3, "Disse værdier stod i kolonner, som skabelonen ikke har. De er bevaret her; "
                                          "flyt dem til Bemærkning, hvis de skal med.", "note"))
    for col, (text, width) in enumerate([("Ark", 28), ("Række", 8), ("Kolonne", 24), ("Værdi", 60)]):
        sheet.put(3, col, text, "header")
        sheet.column_widths[col] = width
    for i, (source, header, text) in enumerate(unplaced, 4):
        for col, value in enumerate([source.sheet, source.row, header, text]):
            sheet.put(i, col, value, "wrap_border")
    return sheet


@dataclass
class Placed:
    problem: Problem
    sheet: str | None  # in the fresh copy
    cell: str | None


def locate(problem: Problem, read: WorkbookRead, ctx: Context) -> tuple[str, str] | None:
    """Where a problem found in the returned workbook stands in the fresh copy, if anywhere."""
    if not problem.sheet or not problem.cell:
        return None
    row, col = parse_cell(problem.cell)
    placed = ctx.placed.get((problem.sheet, row + 1))
    if placed is not None:
        new_sheet, new_row = placed
        role = next((r for r, n in ctx.sheet_names.items() if n == new_sheet), "")
        table = _table_for(role)
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
    for p in sorted(read.problems, key=lambda p: p.severity == "fejl"):
        target = locate(p, read, ctx)
        if target and target[0] in by_name:
            _mark(by_name[target[0]], target[1], p)
            placed.append(Placed(p, target[0], target[1]))
        else:
            placed.append(Placed(p, None, None))
    sheet = _corrections_sheet(read, placed, ctx)
    layout.sheets.insert(0, sheet)
    for s in layout.sheets:
        s.active = s is sheet
    return layout, placed


def _mark(sheet: Sheet, ref: str, p: Problem) -> None:
    row, col = parse_cell(ref)
    in_merge = any(m.first_row <= row <= m.last_row and m.first_col <= col <= m.last_col for m in sheet.merges)
    current = next((c for c in reversed(sheet.cells) if (c.row, c.col) == (row, col)), None)
    if not in_merge and current is not None:
        base = current.style if current.style in ("input", "input_date", "input_center") else "input"
        level = "error" if p.severity == "fejl" else "warning"
        sheet.cells.append(Cell(row, col, current.value, f"annotated_{level}_{base}"))
    text = f"{p.severity.capitalize()} [{p.code}]: {p.message}\n{p.fix}"
    existing = next((c for c in sheet.comments if (c.row, c.col) == (row, col)), None)
    if existing:
        existing.text += "\n\n" + text
    else:
        sheet.comments.append(Comment(row, col, text))


def _corrections_sheet(read: WorkbookRead, placed: list[Placed], ctx: Context) -> Sheet:
    sheet = Sheet(name="Rettelser", protect=False, tab_color="#C00000",
                  print_setup=PrintSetup(repeat_rows=(3, 3), header=ctx.header("Rettelser"), footer=ctx.footer()))
    sheet.merges.append(Merge(0, 0, 0, 6, f"Rettelser til {read.team}", "title"))
    errors = sum(1 for p in placed if p.problem.severity == "fejl")
    warnings = sum(1 for p in placed if p.problem.severity == "advarsel")
    sheet.merges.append(Merge(1, 0, 1, 6, f"{errors} fejl skal rettes, og {warnings} værdier er fortolket. Klik på en "
                                          f"celle i kolonnen 'Gå til' for at springe til stedet; de markerede celler "
                                          f"har en kommentar. Ret her i denne kopi, og send den tilbage.", "note"))
    sheet.row_heights[1] = 30
    headers = [("Nr.", 5), ("Niveau", 10), ("Kode", 8), ("Gå til", 30), ("Besked", 60), ("Sådan rettes det", 55),
               ("Stedet i den indsendte fil", 30)]
    for col, (text, width) in enumerate(headers):
        sheet.put(3, col, text, "header")
        sheet.column_widths[col] = width
    order = {"fejl": 0, "advarsel": 1, "info": 2}
    for i, item in enumerate(sorted(placed, key=lambda x: order.get(x.problem.severity, 3)), 1):
        p, row = item.problem, 3 + i
        link = Link(item.sheet, item.cell, f"{item.sheet}!{item.cell}") if item.sheet else None
        origin = f"{p.sheet}!{p.cell}" if p.sheet and p.cell else (p.sheet or "")
        for col, value in enumerate([i, p.severity.capitalize(), p.code, link, p.message, p.fix, origin]):
            sheet.put(row, col, value, "link" if isinstance(value, Link) else "wrap_border")
        sheet.row_heights[row] = 30
    sheet.freeze = (4, 0)
    return sheet
