"""Trin: the 7 steps of implementing the styringsgrundlag (seed 004) as a step plan."""
from __future__ import annotations

from xlplan.core import content, schema
from xlplan.workbook.common import table_sheet
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Sheet
from xlplan.workbook.table import (input_cells, own_row_cells, overdue, status_colors, table_validations,
                                  team_columns, wrapped_lines, write_row)

HEADER_ROW = 4


def steps_sheet(ctx: Context) -> Sheet:
    table = schema.STEPS
    steering = content.steering()
    sheet = table_sheet(ctx, "trin", "Proces for implementering af styringsgrundlaget", table, steering["steps_note"],
                        HEADER_ROW)
    first = HEADER_ROW + 1
    for i, step in enumerate(steering["steps"]):
        row = first + i
        sheet.put(row, 0, i + 1, "fixed_center")
        sheet.put(row, 1, step.name, "fixed")
        sheet.put(row, 2, step.description, "small")
        sheet.row_heights[row] = max(30, 12 * wrapped_lines(step.description, table.columns[2].width) + 6)
    own = ctx.fill.own_rows.get("trin", []) if ctx.fill else []
    last = first + len(steering["steps"]) + len(own) - 1
    input_cells(sheet, table, first, last)
    team = team_columns(sheet, ctx, "trin", HEADER_ROW, len(table.columns), first, last)
    if ctx.fill:
        for number, values in ctx.fill.steps.items():
            if 1 <= number <= len(steering["steps"]):
                write_row(sheet, table, first + number - 1, values, team=team)
                ctx.place(ctx.fill.step_sources[number], sheet.name, first + number - 1)
    for i, (values, source) in enumerate(own, first + len(steering["steps"])):  # the steps a team added
        own_row_cells(sheet, table, i)
        write_row(sheet, table, i, values, own=True, team=team)
        ctx.place(source, sheet.name, i)
    table_validations(sheet, ctx, table, first, last)
    status_col = table.index("status")
    status_colors(sheet, first, status_col, last)
    overdue(sheet, table.index("deadline"), status_col, content.value_lists()["aktivitetsstatus"].done, first, last)
    sheet.freeze = (first, 0)
    return sheet
