"""The sheets of an annotated or migrated copy that the template does not have: 'Rettelser' (every
problem, with a link to its cell), 'Ikke placeret' (what the team had where the template has no place
for it), and the marks on the problem cells themselves."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlplan.core import content
from xlplan.core.errors import Problem
from xlplan.core.records import WorkbookRead
from xlplan.core.refs import parse_cell
from xlplan.core.schema import XLPLAN_AUTHOR
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Cell, Comment, Formatted, Link, Merge, PrintSetup, Sheet
from xlplan.xlsx.styles import INPUT_STYLES


@dataclass
class Placed:
    problem: Problem
    sheet: str | None  # in the fresh copy
    cell: str | None


def _texts() -> dict:
    return content.load_yaml("tekster.yaml")["ikke_placeret"]


UNPLACED_WHY = _texts()["hvorfor"]  # by the code it was reported with; 'kommentar' for a comment
UNPLACED_FIRST_ROW = 4


@dataclass
class Unplaced:
    """A line of 'Ikke placeret': where it stood, why it has no place, the value as typed, and the team's
    comment on that cell."""

    sheet: str
    cell: str
    why: str
    value: object
    comment: Comment | None = None


def unplaced_sheet(unplaced: list[Unplaced], ctx: Context) -> Sheet:
    """What the team had where the template has no place for it – values outside the tables and fields,
    hidden under merged cells, in columns without a header, comments on such cells – listed with the
    sheet and cell it stood in, as typed: kept, never dropped."""
    texts = _texts()
    sheet = Sheet(name=texts["titel_ark"], protect=False, print_setup=PrintSetup(
        repeat_rows=(3, 3), header=ctx.header(texts["titel_ark"]), footer=ctx.footer()))
    sheet.merges.append(Merge(0, 0, 0, 3, texts["titel"], "title"))
    sheet.merges.append(Merge(1, 0, 1, 3, texts["note"], "note"))
    sheet.row_heights[1] = 30
    for col, (text, width) in enumerate(zip(texts["kolonner"], (28, 8, 28, 60))):
        sheet.put(3, col, text, "header")
        sheet.column_widths[col] = width
    for row, item in enumerate(unplaced, UNPLACED_FIRST_ROW):
        for col, value in enumerate([item.sheet, item.cell, item.why, item.value]):
            shown = value.value if isinstance(value, Formatted) else value
            sheet.put(row, col, value, "date_cell" if isinstance(shown, dt.date) else "wrap_border")
        if item.comment is not None:
            sheet.comments.append(Comment(row, 3, item.comment.text, item.comment.author))
    sheet.freeze = (4, 0)
    return sheet


def mark(sheet: Sheet, ref: str, p: Problem) -> None:
    """Colour a problem cell and say on it what is wrong; a comment of the team's on the cell stays as it
    was (the problem is listed on Rettelser with a link to the cell)."""
    row, col = parse_cell(ref)
    merge = next((m for m in sheet.merges if m.first_row <= row <= m.last_row and m.first_col <= col <= m.last_col),
                 None)
    if merge is not None:
        row, col = merge.first_row, merge.first_col  # a note on a merged cell stands on its top-left cell
    current = next((c for c in reversed(sheet.cells) if (c.row, c.col) == (row, col)), None)
    if merge is None and current is not None:
        base = current.style if current.style in INPUT_STYLES else "input"
        level = "error" if p.is_error else "warning"
        sheet.cells.append(Cell(row, col, current.value, f"annotated_{level}_{base}"))
    text = f"{p.severity.label} [{p.code}]: {p.message}\n{p.fix}"
    existing = next((c for c in sheet.comments if (c.row, c.col) == (row, col)), None)
    if existing is None:
        sheet.comments.append(Comment(row, col, text, XLPLAN_AUTHOR))
    elif existing.author == XLPLAN_AUTHOR:
        existing.text += "\n\n" + text


def corrections_sheet(read: WorkbookRead, placed: list[Placed], ctx: Context) -> Sheet:
    sheet = Sheet(name="Rettelser", protect=False, tab_color="#C00000",
                  print_setup=PrintSetup(repeat_rows=(3, 3), header=ctx.header("Rettelser"), footer=ctx.footer()))
    sheet.merges.append(Merge(0, 0, 0, 6, f"Rettelser til {read.team}", "title"))
    errors = sum(1 for p in placed if p.problem.is_error)
    warnings = sum(1 for p in placed if p.problem.is_warning)
    sheet.merges.append(Merge(1, 0, 1, 6, f"{errors} fejl skal rettes, og {warnings} advarsler bør ses efter. Klik på en "
                                          f"celle i kolonnen 'Gå til' for at springe til stedet; de markerede celler "
                                          f"har en kommentar. Ret her i denne kopi, og send den tilbage.", "note"))
    sheet.row_heights[1] = 30
    headers = [("Nr.", 5), ("Niveau", 10), ("Kode", 8), ("Gå til", 30), ("Besked", 60), ("Sådan rettes det", 55),
               ("Stedet i den indsendte fil", 30)]
    for col, (text, width) in enumerate(headers):
        sheet.put(3, col, text, "header")
        sheet.column_widths[col] = width
    for i, item in enumerate(sorted(placed, key=lambda x: x.problem.severity.rank), 1):
        p, row = item.problem, 3 + i
        link = Link(item.sheet, item.cell, f"{item.sheet}!{item.cell}") if item.sheet else None
        origin = f"{p.sheet}!{p.cell}" if p.sheet and p.cell else (p.sheet or "")
        for col, value in enumerate([i, p.severity.label, p.code, link, p.message, p.fix, origin]):
            sheet.put(row, col, value, "link" if isinstance(value, Link) else "wrap_border")
        sheet.row_heights[row] = 30
    sheet.freeze = (4, 0)
    return sheet
