"""Pieces every sheet shares: the title block, the intro note, the page setup."""
from __future__ import annotations

from xlplan.core import content, schema
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Merge, PrintSetup, Sheet
from xlplan.workbook.table import header_row, wrapped_lines

NOTE_ROW = 2


def title_block(sheet: Sheet, ctx: Context, title: str, last_col: int, subtitle: str | None = None) -> None:
    sheet.merges.append(Merge(0, 0, 0, last_col, title, "title"))
    sheet.row_heights[0] = 26
    if subtitle is None:
        parts = [p for p in (ctx.municipality, ctx.team and f"Team: {ctx.team}", ctx.method_names) if p]
        subtitle = " · ".join(parts)
    sheet.merges.append(Merge(1, 0, 1, last_col, subtitle, "subtitle"))
    sheet.row_heights[1] = 18


def new_sheet(ctx: Context, role: str, title_for_print: str, header_rows: tuple[int, int] | None) -> Sheet:
    sheet = Sheet(name=ctx.sheet_names[role], protect=ctx.protect, password=ctx.password)
    header, shortened = ctx.page_header(title_for_print)
    sheet.print_setup = PrintSetup(landscape=True, fit_width=True, repeat_rows=header_rows,
                                   header=header, footer=ctx.footer(), shortened=shortened)
    return sheet


def note(key: str) -> str:
    return content.load_yaml("tekster.yaml")["noter"][key]


def table_sheet(ctx: Context, role: str, title: str, table: schema.Table, intro: str, header: int) -> Sheet:
    """A sheet with a title, an intro note and the table's header row at row `header`."""
    last_col = len(table.columns) - 1
    sheet = new_sheet(ctx, role, title, (header, header))
    title_block(sheet, ctx, title, last_col)
    sheet.merges.append(Merge(NOTE_ROW, 0, NOTE_ROW, last_col, intro, "note"))
    width = sum(c.width for c in table.columns)
    sheet.row_heights[NOTE_ROW] = 13 * wrapped_lines(intro, width * 1.2) + 4
    header_row(sheet, table, header)
    return sheet
