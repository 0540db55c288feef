"""Procesplan (seed 003): dated milestones as people write them, with a week-by-week timeline beside.

The timeline is drawn by conditional formatting from the Fra/Til dates, so it follows the team's
edits in Excel and LibreOffice without any macro; a red column marks the current week.
"""
from __future__ import annotations

import datetime as dt

from xlplan.core import content, schema
from xlplan.core.refs import cell, col_letter
from xlplan.workbook.common import new_sheet, note, title_block
from xlplan.workbook.context import Context
from xlplan.workbook import formulas
from xlplan.xlsx.model import ConditionalFormat, Merge, Sheet
from xlplan.workbook.table import (date_validation, header_row, input_cells, open_rows, overdue, status_colors,
                                  table_validations, team_columns, write_row)

ANCHOR_ROW = 3  # "Tidslinjen starter" label and date
WEEK_ROW = 5  # week numbers above the header row
HEADER_ROW = 6  # table headers and each week's Monday
ROWS = 40
GANTT_WIDTH = 2.7


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def procesplan_sheet(ctx: Context) -> Sheet:
    table = schema.PROCESPLAN
    n = len(table.columns)
    sheet = new_sheet(ctx, "procesplan", "Procesplan", (WEEK_ROW, HEADER_ROW))
    title_block(sheet, ctx, "Procesplan", n - 1)
    sheet.merges.append(Merge(2, 0, 2, n - 1, note("procesplan"), "note"))
    sheet.row_heights[2] = 26
    _anchor(sheet, ctx)

    header_row(sheet, table, HEADER_ROW, height=40)
    data = ctx.fill.process if ctx.fill else []
    count = max(ROWS, len(data) + 5)
    ctx.row_counts["procesplan"] = count
    first, last = HEADER_ROW + 1, HEADER_ROW + count
    input_cells(sheet, table, first, last)
    open_rows(sheet, HEADER_ROW, last)
    team = team_columns(sheet, ctx, "procesplan", HEADER_ROW, n, first, last)
    for i, (values, source) in enumerate(zip(data, ctx.fill.process_sources if ctx.fill else [])):
        write_row(sheet, table, first + i, values, team=team)
        ctx.place(source, sheet.name, first + i)
    spacer = n + len(team.headers)  # one narrow column between the table (and the team's own columns) and the timeline
    gantt_first = spacer + 1
    gantt_last = gantt_first + ctx.timeline_weeks - 1
    table_validations(sheet, ctx, table, first, last)
    for row in range(first, last + 1):
        sheet.row_heights[row] = 30
    status_col = table.index("status")
    status_colors(sheet, first, status_col, last)
    overdue(sheet, table.index("til"), status_col, content.value_lists()["aktivitetsstatus"].done, first, last)

    _timeline(sheet, ctx, table, gantt_first, gantt_last, first, last)
    sheet.column_widths[spacer] = 1.5
    sheet.freeze = (HEADER_ROW + 1, 1)
    sheet.print_setup.print_area = (0, 0, last, gantt_last)
    return sheet


def _anchor(sheet: Sheet, ctx: Context) -> None:
    sheet.put(ANCHOR_ROW, 0, "Tidslinjen starter (uge med denne dato)", "label")
    # A blank template has no date here: its timeline appears when the team types one (a date computed
    # from today would be stored in the file and shown, stale, by programs that do not recalculate).
    sheet.put(ANCHOR_ROW, 1, monday(ctx.start) if ctx.start else None, "input_date")
    sheet.validations.append(date_validation(
        first_row=ANCHOR_ROW, first_col=1, last_row=ANCHOR_ROW, last_col=1, input_title="Tidslinjens start",
        input_message="Tidslinjen til højre begynder med ugen, der indeholder denne dato. Skriv en dato som "
                      "30-09-2026, så vises ugerne."))


def _timeline(sheet: Sheet, ctx: Context, table: schema.Table, first_col: int, last_col: int,
              first_row: int, last_row: int) -> None:
    anchor, anchor_value = cell(ANCHOR_ROW, 1, absolute=True), sheet.value_at(ANCHOR_ROW, 1)
    for i, col in enumerate(range(first_col, last_col + 1)):
        week_start = formulas.week_monday(anchor, anchor_value, i)
        sheet.put(HEADER_ROW, col, week_start, "week")
        sheet.put(WEEK_ROW, col, formulas.iso_week(cell(HEADER_ROW, col), week_start.value), "week_number")
        sheet.column_widths[col] = GANTT_WIDTH
        for row in range(first_row, last_row + 1):
            sheet.put(row, col, None, "gantt")
    sheet.put(WEEK_ROW, first_col - 1, None, "text")
    sheet.merges.append(Merge(ANCHOR_ROW + 1, first_col, ANCHOR_ROW + 1, min(first_col + 20, last_col),
                              "Tidslinje (uge for uge) – tegnes ud fra Fra og Til", "small"))

    fra = "$" + cell(first_row, table.index("fra"))
    til = "$" + cell(first_row, table.index("til"))
    week = f"{col_letter(first_col)}${HEADER_ROW + 1}"
    in_week, done = week_conditions(fra, f"IF(ISNUMBER({til}),{til},{fra})",
                                    "$" + cell(first_row, table.index("status")), week)
    today = f"AND(TODAY()>={week},TODAY()<{week}+7)"
    cfs = [
        ConditionalFormat(first_row, first_col, last_row, last_col, f"=AND({in_week},{done})", "cf_gantt_done", True),
        ConditionalFormat(first_row, first_col, last_row, last_col, f"={in_week}", "cf_gantt", True),
        ConditionalFormat(first_row, first_col, last_row, last_col, f"={today}", "cf_today_light"),
        ConditionalFormat(WEEK_ROW, first_col, HEADER_ROW, last_col,
                          f"=AND(TODAY()>={col_letter(first_col)}${HEADER_ROW + 1},"
                          f"TODAY()<{col_letter(first_col)}${HEADER_ROW + 1}+7)", "cf_today"),
    ]
    sheet.conditional_formats.extend(cfs)


def week_conditions(start: str, end: str, status: str, monday: str) -> tuple[str, str]:
    """Excel conditions for one week of a timeline (the team's Procesplan, the management Tidslinje): does
    the activity from `start` to `end` meet the week beginning `monday`, and is its `status` a finished one."""
    in_week = f"AND(ISNUMBER({start}),{start}<{monday}+7,{end}>={monday})"
    done = "OR(" + ",".join(f'{status}="{v}"' for v in content.value_lists()["aktivitetsstatus"].done) + ")"
    return in_week, done
