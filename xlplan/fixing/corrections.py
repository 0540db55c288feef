"""The sheets of an annotated or migrated copy that the template does not have: 'Rettelser' (every
problem, with a link to its cell), 'Ikke placeret' (values without a column in the template), and the
marks on the problem cells themselves."""
from __future__ import annotations

from dataclasses import dataclass

from xlplan.core.errors import Problem
from xlplan.core.records import WorkbookRead
from xlplan.core.refs import parse_cell
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Cell, Comment, Link, Merge, PrintSetup, Sheet
from xlplan.xlsx.styles import INPUT_STYLES


@dataclass
class Placed:
    problem: Problem
    sheet: str | None  # in the fresh copy
    cell: str | None


def unplaced_sheet(unplaced, ctx: Context) -> Sheet:
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


def mark(sheet: Sheet, ref: str, p: Problem) -> None:
    row, col = parse_cell(ref)
    in_merge = any(m.first_row <= row <= m.last_row and m.first_col <= col <= m.last_col for m in sheet.merges)
    current = next((c for c in reversed(sheet.cells) if (c.row, c.col) == (row, col)), None)
    if not in_merge and current is not None:
        base = current.style if current.style in INPUT_STYLES else "input"
        level = "error" if p.is_error else "warning"
        sheet.cells.append(Cell(row, col, current.value, f"annotated_{level}_{base}"))
    text = f"{p.severity.label} [{p.code}]: {p.message}\n{p.fix}"
    existing = next((c for c in sheet.comments if (c.row, c.col) == (row, col)), None)
    if existing:
        existing.text += "\n\n" + text
    else:
        sheet.comments.append(Comment(row, col, text))


def corrections_sheet(read: WorkbookRead, placed: list[Placed], ctx: Context) -> Sheet:
    sheet = Sheet(name="Rettelser", protect=False, tab_color="#C00000",
                  print_setup=PrintSetup(repeat_rows=(3, 3), header=ctx.header("Rettelser"), footer=ctx.footer()))
    sheet.merges.append(Merge(0, 0, 0, 6, f"Rettelser til {read.team}", "title"))
    errors = sum(1 for p in placed if p.problem.is_error)
    warnings = sum(1 for p in placed if p.problem.is_warning)
    sheet.merges.append(Merge(1, 0, 1, 6, f"{errors} fejl skal rettes, og {warnings} værdier er fortolket. Klik på en "
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
