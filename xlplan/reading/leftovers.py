"""What no reader took: every value on a read sheet is in a record or reported at its cell.

The sheet readers mark the cells they read (`Grid.consume`). When a sheet has been read, every other
cell that holds a value is either the template's own layout – titles, notes, headers, labels, the
criteria's and roles' texts, formulas – or something the team typed where xlplan has no field for it:
beside or below the tables, between the fields, or inside a merged cell where it is hidden by the
merged value. Those are reported at their cell (RB040, RB041) and listed in a fixing copy, never
dropped. The layout is told from the sheet's structure, not from fixed coordinates: merged bands,
formulas, the declared columns and the header row.
"""
from __future__ import annotations

from xlplan.core import schema
from xlplan.core.refs import cell as a1

OVERVIEW_WIDTH = 5  # the Oversigt's fields and figures stand in columns A-F


def _shown(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unread(grid):
    """The cells no reader took that hold something, in reading order (most cells were taken)."""
    consumed, cover = grid.consumed, grid.cover
    found = [(position, cell) for position, cell in grid.sheet.cells.items()
             if position not in consumed and position not in cover]
    return sorted((item for item in found if _shown(item[1]) != "" or item[1].formula is not None),
                  key=lambda item: item[0])


def hidden(cells) -> None:
    """Values stored inside a merged range but not at its top-left cell: no program shows them."""
    grid = cells.grid
    for position, anchor in grid.cover.items():
        cell = grid.sheet.cells.get(position)
        if cell is not None and position not in grid.consumed and _shown(cell):
            cells.not_read("RB041", *position, værdi=_shown(cell)[:60], anker=_a1(*anchor))


def table(cells, header_row: int, columns: dict[str, int], declared: schema.Table) -> None:
    """A table sheet: above the header the template has titles, notes and labels (merged bands and the
    labels the readers took) within the width of its header row, and computed cells; below it, merged
    bands from column A (group titles, notes), formulas and template texts in the declared columns."""
    hidden(cells)
    grid = cells.grid
    in_table = set(columns.values())
    fixed = {columns[c.key] for c in declared.columns if c.kind == schema.FIXED and c.key in columns}
    width = max((c for c in grid.columns_in(header_row)
                 if grid.text(header_row, c) or _formula(grid.raw(header_row, c))), default=0)
    anchors = _anchors(grid)
    for (row, col), cell in _unread(grid):
        if row <= header_row:
            layout = (cell.formula is not None or (row, col) in anchors) and col <= width
        else:
            layout = (cell.formula is not None and col in in_table) or col in fixed or (
                (row, col) in anchors and col == 0)
        if not layout:
            _report(cells, row, col, cell)


def overview(cells) -> None:
    """The Oversigt: its fields (which the reader took), merged headings and notes, the header row of its
    figures and the rows of figures (a label, formulas and a count), all within columns A-F."""
    hidden(cells)
    grid = cells.grid
    anchors = _anchors(grid)
    figures = {row for (row, _col), cell in grid.sheet.cells.items() if cell.formula is not None}
    headings = {row for row, col in anchors if col == 0}
    for (row, col), cell in _unread(grid):
        figure = row in figures and (col == 0 or (col == 1 and isinstance(cell.value, (int, float))))
        header = row - 1 in headings and row + 1 in figures and row not in figures and isinstance(cell.value, str)
        layout = col <= OVERVIEW_WIDTH and (cell.formula is not None or (row, col) in anchors or figure or header)
        if not layout:
            _report(cells, row, col, cell)


def guide(cells) -> None:
    """The Vejledning: its text stands in column B; anything elsewhere is the team's."""
    hidden(cells)
    grid = cells.grid
    for (row, col), cell in _unread(grid):
        if col != 1:
            _report(cells, row, col, cell)


def _report(cells, row: int, col: int, cell) -> None:
    cells.not_read("RB040", row, col, værdi=(_shown(cell) or f"={cell.formula}")[:60])


def _anchors(grid) -> set[tuple[int, int]]:
    return {(r1, c1) for r1, c1, r2, c2 in grid.sheet.merged}


def _formula(cell) -> bool:
    return cell is not None and cell.formula is not None


def _a1(row: int, col: int) -> str:
    return a1(row, col)
