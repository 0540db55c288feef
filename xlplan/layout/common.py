"""Pieces every sheet shares: the title block and the page setup."""
from __future__ import annotations

from .context import Context
from .model import Merge, PrintSetup, Sheet


def title_block(sheet: Sheet, ctx: Context, title: str, last_col: int, subtitle: str | None = None) -> None:
    sheet.merges.append(Merge(0, 0, 0, last_col, title, "title"))
    sheet.row_heights[0] = 26
    if subtitle is None:
        parts = [p for p in (ctx.municipality, ctx.team and f"Team: {ctx.team}", ctx.method_names) if p]
        subtitle = " · ".join(parts)
    sheet.merges.append(Merge(1, 0, 1, last_col, subtitle, "subtitle"))
    sheet.row_heights[1] = 18


def new_sheet(ctx: Context, role: str, title_for_print: str, header_rows: tuple[int, int] | None,
              last_col: int | None = None) -> Sheet:
    sheet = Sheet(name=ctx.sheet_names[role], protect=ctx.protect, password=ctx.password)
    sheet.print_setup = PrintSetup(landscape=True, fit_width=True, repeat_rows=header_rows,
                                   header=ctx.header(title_for_print), footer=ctx.footer())
    return sheet
