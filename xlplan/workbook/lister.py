"""The hidden sheet of value lists that feeds every dropdown (never inline: Excel caps those at 255 chars)."""
from __future__ import annotations

from xlplan.core import content
from xlplan.core.refs import area
from xlplan.workbook.context import Context, list_name, quote_sheet
from xlplan.xlsx.model import Sheet


def lists_sheet(ctx: Context) -> Sheet:
    sheet = Sheet(name=ctx.sheet_names["lister"], protect=ctx.protect, password=ctx.password, visibility="hidden")
    lists = {key: vl.values for key, vl in content.value_lists().items()}
    lists["faser"] = content.phase_choices(ctx.sections)
    for col, (key, values) in enumerate(lists.items()):
        name = content.value_lists()[key].name if key in content.value_lists() else "Faser"
        sheet.put(0, col, name, "meta_key")
        sheet.column_widths[col] = max(14, max(len(str(v)) for v in values) + 2)
        for row, value in enumerate(values, 1):
            sheet.put(row, col, int(value) if value.isdigit() else value, "meta")
        name_list(ctx, key, f"={quote_sheet(sheet.name)}!{area(1, col, len(values), col)}")
    return sheet


def name_list(ctx: Context, key: str, ref: str) -> None:
    """Give a value list its defined name, and let every dropdown of that list point at the name."""
    ctx.names[list_name(key)] = ref
    ctx.list_sources[key] = "=" + list_name(key)
