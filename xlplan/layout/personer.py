"""Personer: who may be named as responsible. Its name column feeds every 'Ansvarlig' dropdown."""
from __future__ import annotations

from .. import schema
from ..refs import area
from .common import new_sheet, title_block
from .context import Context, quote_sheet
from .model import Merge
from .table import header_row, input_cells, table_validations

HEADER_ROW = 4
ROWS = 60


def people_source(ctx: Context) -> str:
    first = HEADER_ROW + 1
    return f"={quote_sheet(ctx.sheet_names['personer'])}!{area(first, 0, first + ROWS - 1, 0)}"


def people_sheet(ctx: Context):
    table = schema.PEOPLE
    sheet = new_sheet(ctx, "personer", "Personer", (HEADER_ROW, HEADER_ROW))
    last_col = len(table.columns) - 1
    title_block(sheet, ctx, "Personer", last_col)
    sheet.merges.append(Merge(2, 0, 2, last_col,
                              "Navnene her er valgmulighederne i alle kolonner 'Ansvarlig'. Tilføj eller ret personer "
                              "efter behov; skriv altid fulde navne, så der ikke opstår tvivl om opgavefordelingen.",
                              "note"))
    sheet.row_heights[2] = 28
    header_row(sheet, table, HEADER_ROW)
    first, last = HEADER_ROW + 1, HEADER_ROW + ROWS
    input_cells(sheet, table, first, last)
    for i, person in enumerate(ctx.people):
        for col, value in enumerate((person.name, person.role, person.team)):
            sheet.put(first + i, col, value, "input")
    table_validations(sheet, ctx, table, first, last)
    sheet.freeze = (HEADER_ROW + 1, 0)
    return sheet
