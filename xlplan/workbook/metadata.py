"""The very hidden 'xlplan' sheet: what lets the reader recognise a workbook it wrote.

Key/value rows: the template and its version, the team, when and from which config it was made,
and which sheet plays which role (sheet names derived from sigtepunkter vary).
"""
from __future__ import annotations

from xlplan import __version__
from xlplan.core import content
from xlplan.core.schema import REPORT_SCHEMA, SCHEMA_ID
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Sheet


def metadata_rows(ctx: Context) -> list[tuple[str, str]]:
    rows = [
        ("schema", SCHEMA_ID),
        ("template_id", ctx.template_id),
        ("template_version", str(content.template_version())),
        ("xlplan_version", __version__),
        ("team", ctx.team),
        ("kommune", ctx.municipality),
        ("generated", ctx.generated.isoformat(timespec="seconds") if ctx.generated else ""),
        ("start", ctx.start.isoformat() if ctx.start else ""),  # the plan's: the year rule of the reader
        ("timeline_weeks", str(ctx.timeline_weeks) if ctx.start else ""),
        ("config_hash", ctx.config_hash),
        ("sections", ",".join(ctx.sections)),
    ]
    rows += [(f"sheet:{role}", name) for role, name in ctx.sheet_names.items()]
    return rows


def metadata_sheet(ctx: Context) -> Sheet:
    sheet = Sheet(name=ctx.sheet_names["metadata"], protect=ctx.protect, password=ctx.password,
                  visibility="very_hidden")
    sheet.column_widths = {0: 20, 1: 40}
    for row, (key, value) in enumerate(metadata_rows(ctx)):
        sheet.put(row, 0, key, "meta_key")
        sheet.put(row, 1, value, "meta")
    return sheet
