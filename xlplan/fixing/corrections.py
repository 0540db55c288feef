"""The sheets of an annotated or migrated copy that the template does not have: 'Rettelser' (every
problem, with a link to its cell), 'Ikke placeret' (what the team had where the template has no place
for it), and the marks on the problem cells themselves."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlplan.core import content
from xlplan.core.errors import NOTES_APART, Problem, note_text
from xlplan.core.records import WorkbookRead
from xlplan.core.refs import parse_cell
from xlplan.core.schema import SHEET_TITLES, XLPLAN_AUTHOR
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


# A person works through a few hundred marks at a sitting: beyond that a copy is a wall of red that helps no
# one, and every mark is a comment and every line a link (Excel opens a sheet with tens of thousands of them
# slowly, and takes at most 65,530 links on a sheet). The first ones are marked and listed, the rest counted;
# once those are fixed and the copy is sent back, the next copy shows the next ones.
MARKED_AT_MOST = 300


class Marks:
    """The problem marks on one sheet of the copy. Its cells, comments and merges are looked up by their
    place (built once), so marking n problems takes time in proportion to n, not n times the sheet."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self._cell = {}  # (row, col) -> index in sheet.cells of the cell shown there (the last one put)
        for i, c in enumerate(sheet.cells):
            self._cell[(c.row, c.col)] = i
        self._comment = {}  # (row, col) -> the first comment there
        for c in sheet.comments:
            self._comment.setdefault((c.row, c.col), c)
        self._merges = {}  # row -> the merges over it, in the sheet's order
        for m in sheet.merges:
            for row in range(m.first_row, m.last_row + 1):
                self._merges.setdefault(row, []).append(m)
        self._base = {}  # (row, col) -> the input style a marked cell had before it was marked

    def _merge(self, row: int, col: int) -> Merge | None:
        return next((m for m in self._merges.get(row, ()) if m.first_col <= col <= m.last_col), None)

    def mark(self, ref: str, p: Problem) -> None:
        """Colour a problem cell and say on it what is wrong; a comment of the team's on the cell stays as
        it was (the problem is listed on Rettelser with a link to the cell)."""
        row, col = parse_cell(ref)
        merge = self._merge(row, col)
        if merge is not None:
            row, col = merge.first_row, merge.first_col  # a note on a merged cell stands on its top-left cell
        index = self._cell.get((row, col))
        if merge is None and index is not None:
            current = self.sheet.cells[index]
            base = self._base.setdefault((row, col), current.style if current.style in INPUT_STYLES else "input")
            level = "error" if p.is_error else "warning"
            self.sheet.cells[index] = Cell(row, col, current.value, f"annotated_{level}_{base}")
        text = note_text(p)
        existing = self._comment.get((row, col))
        if existing is None:
            self._comment[(row, col)] = comment = Comment(row, col, text, XLPLAN_AUTHOR)
            self.sheet.comments.append(comment)
        elif existing.author == XLPLAN_AUTHOR:
            existing.text += NOTES_APART + text


def _rettelser() -> dict:
    return content.load_yaml("tekster.yaml")["rettelser"]


def corrections_sheet(read: WorkbookRead, placed: list[Placed], ctx: Context, rest: int = 0) -> Sheet:
    """Every problem listed (`placed`) with a link to its cell; `rest` problems more than the copy shows are
    counted above the list."""
    texts = _rettelser()
    name = SHEET_TITLES["rettelser"]
    sheet = Sheet(name=name, protect=False, tab_color="#C00000",
                  print_setup=PrintSetup(repeat_rows=(3, 3), header=ctx.header(name), footer=ctx.footer()))
    sheet.merges.append(Merge(0, 0, 0, 6, texts["titel"].format(team=read.team), "title"))
    errors = sum(1 for p in read.problems if p.is_error)  # all of them, those the copy does not show too
    warnings = sum(1 for p in read.problems if p.is_warning)
    sheet.merges.append(Merge(1, 0, 1, 6, texts["note"].format(fejl=errors, advarsler=warnings), "note"))
    sheet.row_heights[1] = 30
    if rest:
        sheet.merges.append(Merge(2, 0, 2, 6, texts["resten"].format(vist=len(placed), resten=rest), "note"))
        sheet.row_heights[2] = 30
    for col, (text, width) in enumerate(zip(texts["kolonner"], (5, 10, 8, 30, 60, 55, 30))):
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
