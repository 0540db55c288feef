"""One plan sheet per sigtepunkt (ICS, seed 000): the sigtepunkt on top, the plan rows, then Opfølgning."""
from __future__ import annotations

from xlplan.core import content, schema
from xlplan.core.config import FocusPoint
from xlplan.workbook.common import new_sheet, title_block
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Merge, Sheet
from xlplan.workbook.table import (field_validation, header_row, input_cells, open_rows, overdue, status_colors,
                                  table_validations, team_columns, wrapped_lines, write_row)

SIGTEPUNKT_ROW = 3  # label in column A, value merged across the rest
GROUP_ROW = 6  # "SMART-tjek af delmålet" above the S M A R T columns
HEADER_ROW = 7
PLAN_ROWS = 15  # formatted rows; the guide pre-prints 3, and rows inserted between them are read too


def plan_layout_rows(rows: int = PLAN_ROWS) -> dict[str, int]:
    """Where the parts of a plan sheet with `rows` formatted rows start (0-based rows)."""
    first = HEADER_ROW + 1
    last = first + rows - 1
    return {"header": HEADER_ROW, "first": first, "last": last, "note": last + 1, "followup_heading": last + 3,
            "followup_first": last + 4}


def plan_sheet(ctx: Context, number: int, point: FocusPoint) -> Sheet:
    table = schema.plan_table()
    last_col = len(table.columns) - 1
    sheet = new_sheet(ctx, f"plan:{number}", f"Sigtepunkt {number}", (GROUP_ROW, HEADER_ROW))
    title_block(sheet, ctx, f"{content.ics()['titel']} – sigtepunkt {number}", last_col)
    _focus_point_block(sheet, ctx, point, last_col)

    smart = [table.index(f"smart_{s['kort'].lower()}") for s in content.ics()["smart"]]
    sheet.merges.append(Merge(GROUP_ROW, smart[0], GROUP_ROW, smart[-1], "SMART-tjek af delmålet", "header_center"))
    header_row(sheet, table, HEADER_ROW, height=32)
    data = ctx.fill.plans[number - 1] if ctx.fill and number <= len(ctx.fill.plans) else None
    count = max(PLAN_ROWS, len(data.rows) + 3) if data else PLAN_ROWS
    ctx.row_counts[f"plan:{number}"] = count
    rows = plan_layout_rows(count)
    first, last = rows["first"], rows["last"]
    input_cells(sheet, table, first, last)
    open_rows(sheet, HEADER_ROW, last)
    team = team_columns(sheet, ctx, f"plan:{number}", HEADER_ROW, len(table.columns), first, last)
    if data:
        for i, (values, source) in enumerate(zip(data.rows, data.sources)):
            write_row(sheet, table, first + i, values, team=team)
            ctx.place(source, sheet.name, first + i)
    table_validations(sheet, ctx, table, first, last)
    for r in range(first, last + 1):
        sheet.row_heights[r] = max(30, sheet.row_heights.get(r, 0))  # a carried text may need more (write_row)

    status_col = table.index("status")
    status_colors(sheet, first, status_col, last)
    done = content.value_lists()["aktivitetsstatus"].done
    for key in ("slut", "delmaal_dato", "maal_dato"):
        overdue(sheet, table.index(key), status_col, done, first, last)

    sheet.merges.append(Merge(rows["note"], 0, rows["note"], last_col, schema.PLAN_NOTE, "note"))
    _followup_block(sheet, ctx, rows["followup_heading"], last_col, data)
    sheet.freeze = (HEADER_ROW + 1, 1)
    return sheet


def _focus_point_block(sheet: Sheet, ctx: Context, point: FocusPoint, last_col: int) -> None:
    width = sum(c.width for c in schema.plan_table().columns[1:])
    for offset, (column, value) in enumerate(zip(schema.SIGTEPUNKT_FIELDS, (point.name, point.description))):
        row = SIGTEPUNKT_ROW + offset
        sheet.put(row, 0, column.header, "label")
        sheet.merges.append(Merge(row, 1, row, last_col, value or None, "input"))
        sheet.validations.append(field_validation(ctx, column, row, 1, row, 1))
        lines = wrapped_lines(value or "", width) if value else (3 if offset else 1)
        sheet.row_heights[row] = max(20, 14 * lines + 4)


def _followup_block(sheet: Sheet, ctx: Context, heading_row: int, last_col: int, data) -> None:
    """The Opfølgning block; in a fresh copy with the team's answers, and after the template's questions
    the label rows the team added (laid out as the template's, so they are read as part of the block)."""
    values = data.followup if data else {}
    sheet.merges.append(Merge(heading_row, 0, heading_row, last_col, "Opfølgning", "heading"))
    sheet.row_heights[heading_row] = 20
    fields = schema.followup_fields()
    for i, column in enumerate(fields):
        row = heading_row + 1 + i
        sheet.merges.append(Merge(row, 0, row, 1, column.header, "label"))
        sheet.merges.append(Merge(row, 2, row, last_col, values.get(column.key), "input"))
        sheet.validations.append(field_validation(ctx, column, row, 2, row, 2))
        sheet.row_heights[row] = 36
    extra = data.followup_extra if data else {}
    for i, (label, answer) in enumerate(extra.items()):
        row = heading_row + 1 + len(fields) + i
        sheet.merges.append(Merge(row, 0, row, 1, label, "input"))
        sheet.merges.append(Merge(row, 2, row, last_col, answer, "input"))
        sheet.row_heights[row] = 36
    if data and data.followup_source is not None:
        source = data.followup_source
        for offset in range(1 + len(fields) + len(extra)):  # the block's rows, in the template's order
            ctx.placed[(source.sheet, source.row + offset)] = (sheet.name, heading_row + offset)
