"""The Resumé sheet: the briefing on one A4 page, the first sheet of the management workbook. No I/O.

It lays out what xlplan/briefing.py says; the page is fitted to one sheet of paper, and the rows are
kept few enough that a national plan of thirty teams still prints at a readable size (a test measures it).
"""
from __future__ import annotations

from xlplan.reporting.resume import Briefing
from xlplan.xlsx.model import Merge, Sheet
from xlplan.reporting.report import _sheet
from xlplan.workbook.table import wrapped_lines

COLUMNS = (("team", 20), ("lys", 12.5), ("hvorfor", 39), ("udvikling", 24.5))
LINE_HEIGHT = 13  # points a line of 10-point text takes
PROSE_WIDTH = 1.2  # running text holds more letters a line than a column's width in digits


def briefing_sheet(b: Briefing, municipality: str) -> Sheet:
    said = b.texts
    sheet = _sheet(said["ark"], said["ark"], municipality, landscape=False)
    last_col = len(COLUMNS) - 1
    width = sum(w for _, w in COLUMNS)
    for col, (_key, w) in enumerate(COLUMNS):
        sheet.column_widths[col] = w
    sheet.merges += [Merge(0, 0, 0, last_col, b.title, "title"), Merge(1, 0, 1, last_col, b.subtitle, "subtitle")]
    sheet.row_heights[0] = 26
    row = 2
    for text, style in ((b.summary, "briefing_lead"), (b.since, "note")):
        if text:
            row = _paragraph(sheet, row, text, style, width)
    row += 1
    sheet.merges.append(Merge(row, 0, row, last_col, said["beslutninger_overskrift"], "heading"))
    row += 1
    for point in b.decisions:
        row = _paragraph(sheet, row, point, "briefing_point", width)
    row += 1
    sheet.merges.append(Merge(row, 0, row, last_col, said["teams_overskrift"], "heading"))
    row += 1
    for col, (key, _w) in enumerate(COLUMNS):
        sheet.put(row, col, said["kolonner"][key], "header")
    for line in b.teams:
        row += 1
        values = [(line.team, "fixed"), (line.light, f"light_{line.light_key}" if line.light_key else "fixed_center"),
                  (line.reason, "fixed"), (line.trend or None, "fixed")]
        for col, (value, style) in enumerate(values):
            sheet.put(row, col, value, style)
        lines = max(wrapped_lines(v, w * PROSE_WIDTH) for (v, _), (_k, w) in zip(values, COLUMNS) if v)
        if lines > 1:
            sheet.row_heights[row] = LINE_HEIGHT * lines + 2
    row = _paragraph(sheet, row + 2, said["note"], "note", width)
    setup = sheet.print_setup
    setup.print_area = (0, 0, row - 1, last_col)
    setup.fit_width = setup.fit_height = True
    setup.repeat_rows = None
    sheet.freeze = None
    sheet.active = True
    return sheet


def _paragraph(sheet: Sheet, row: int, text: str, style: str, width: float) -> int:
    """`text` across the page's columns, as tall as it wraps; the next row."""
    sheet.merges.append(Merge(row, 0, row, len(COLUMNS) - 1, text, style))
    lines = wrapped_lines(text, width * PROSE_WIDTH)
    if lines > 1:
        sheet.row_heights[row] = LINE_HEIGHT * lines + 3
    return row + 1
