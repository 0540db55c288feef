"""Risikolog: risks with probability x consequence = score, action, owner and status."""
from __future__ import annotations

from xlplan.core import content, schema
from xlplan.core.refs import cell
from xlplan.workbook.common import note, table_sheet
from xlplan.workbook.context import Context
from xlplan.workbook import formulas
from xlplan.xlsx.model import ColorScale, Sheet
from xlplan.workbook.table import input_cells, overdue, status_colors, table_validations, team_columns, write_row

HEADER_ROW = 4
ROWS = 25


def risk_sheet(ctx: Context) -> Sheet:
    table = schema.RISKS
    sheet = table_sheet(ctx, "risikolog", "Risikolog", table, note("risikolog"), HEADER_ROW)
    data = ctx.fill.risks if ctx.fill else []
    count = max(ROWS, len(data) + 5)
    ctx.row_counts["risikolog"] = count
    first, last = HEADER_ROW + 1, HEADER_ROW + count
    input_cells(sheet, table, first, last)
    team = team_columns(sheet, ctx, "risikolog", HEADER_ROW, len(table.columns), first, last)
    for i, (values, source) in enumerate(zip(data, ctx.fill.risk_sources if ctx.fill else [])):
        write_row(sheet, table, first + i, values, team=team)
        ctx.place(source, sheet.name, first + i)
    p, k, score = table.index("sandsynlighed"), table.index("konsekvens"), table.index("score")
    laid_out = sheet.values()
    for i, row in enumerate(range(first, last + 1), 1):
        carried = data[i - 1].get("nr") if i <= len(data) else None  # the team's own numbering, as typed
        sheet.put(row, table.index("nr"), i if carried is None else carried, "fixed_center")
        sheet.put(row, score, formulas.product_of_numbers(cell(row, p), cell(row, k), laid_out.get((row, p)),
                                                          laid_out.get((row, k))), "formula")
        sheet.row_heights[row] = 30
    table_validations(sheet, ctx, table, first, last)
    sheet.color_scales.append(ColorScale(first, score, last, score, "#C6EFCE", "#FFEB9C", "#FFC7CE"))
    status_col = table.index("status")
    status_colors(sheet, first, status_col, last)
    overdue(sheet, table.index("frist"), status_col, content.value_lists()["risikostatus"].done, first, last)
    sheet.freeze = (first, 0)
    return sheet
