"""Udvikling and Siden sidst: the management workbook's sheets over the readings in the history. No I/O.

Udvikling has a block per figure (criteria met, activities finished, overdue, then criteria met per
phase): a table with a row per team, in the plan's order, and a column per reading, with a line chart
beside it whose value axis is scaled to the data. Each block starts a printed page. Siden sidst lists
every change between the last two readings (history.py decides them; the JSON has the same list).
"""
from __future__ import annotations

import math

from xlplan.core import content
from xlplan.reporting.resume import names
from xlplan.reporting.consolidate import Consolidation
from xlplan.reporting.history import Change, change_kinds, Development, kinds_with_tone, ordered_changes, OVERALL, team_order
from xlplan.core.refs import area, cell
from xlplan.workbook.context import quote_sheet
from xlplan.xlsx.model import Chart, ChartSeries, ConditionalFormat, Merge, Sheet
from xlplan.reporting.printing import fitted_scale, legend, print_columns
from xlplan.reporting.report import _headers, _put_row, _sheet, _title, TEAM_COLORS

SHOWN_READINGS = 8  # the latest; `xlplan history` lists them all
TEAM_WIDTH, READING_WIDTH = 22, 9
CHART_WIDTH, CHART_HEIGHT = 560, 300  # pixels
CHART_ROWS = 16  # rows of 20 pixels the chart covers
CHART_COLUMNS = 9  # default-width columns the chart covers
CHART_TEAMS = 16  # a line a team up to this many; above, one line for all teams (Excel holds 255 at most)


def texts() -> dict:
    return content.load_yaml("udvikling.yaml")


def development_sheet(c: Consolidation, subtitle: str, dev: Development) -> Sheet:
    said = texts()
    sheet = _sheet(said["ark"], said["ark"], c.municipality, None)
    readings = dev.readings[-SHOWN_READINGS:]
    last_table_col = len(readings)
    last_col = last_table_col + 1 + CHART_COLUMNS
    sheet.column_widths[0] = TEAM_WIDTH
    for col in range(1, last_table_col + 1):
        sheet.column_widths[col] = READING_WIDTH
    _title(sheet, said["titel"], subtitle + " · " + content.count_of(len(dev.readings), "aflæsning"), last_col)
    row = 2
    recorded = dev.recorded
    notes = ([recorded.said + "."] if recorded is not None and (recorded.replaced or not recorded) else []) + \
        ([said["første"]] if len(dev.readings) < 2 else []) + \
        ([said["kun_de_seneste"].format(antal=SHOWN_READINGS)] if len(dev.readings) > SHOWN_READINGS else [])
    for note in notes:
        sheet.merges.append(Merge(row, 0, row, last_col, note, "note"))
        row += 1
    teams = team_order(c, dev)
    blocks, nothing_met = [], []
    for title, values, percent, phase in _figures(dev, said):
        shown = [t for t in teams if any(values.get(t, {}).get(r.id) is not None for r in readings)]
        if phase and shown and not any(values[t].get(r.id) for t in shown for r in readings):
            nothing_met.append(phase)
        elif shown:
            blocks.append((title, shown, values, percent))
    if nothing_met:
        phases = names([f"Fase {p.id}: {p.name}" for p in nothing_met])
        sheet.merges.append(Merge(row, 0, row, last_col, said["ingen_opfyldt"].format(faser=phases), "note"))
        row += 1
    row += 1
    page = PAGE_POINTS * 100 / fitted_scale(sheet, 0, last_col)
    used = 26 + 15 * (row - 1)  # the title and the notes
    for title, shown, values, percent in blocks:
        height = _block_points(len(shown))
        if sheet.charts and used + height > page:
            sheet.print_setup.row_breaks.append(row)  # a block and its chart are never split
            used = 0
        used += height
        row = _block(sheet, row, title, shown, readings, values, percent, last_col)
    print_columns(sheet, last_col, max(row - 1, 2))
    return sheet


PAGE_POINTS = 487  # the height inside the margins of a landscape A4 page, at 100%
ROW_POINTS = 15


def _block_points(teams: int) -> float:
    """The height of a block: its heading, the header row, the teams or the chart, and the gap after."""
    return ROW_POINTS + 30 + ROW_POINTS * max(teams, CHART_ROWS - 1) + 2 * ROW_POINTS


def _figures(dev: Development, said: dict):
    """(title, team -> reading -> value, percent?, phase or None) for each block, in order."""
    def figure(name):
        return {team: {r: getattr(f, name) for r, f in per.items() if f.received} for team, per in dev.figures.items()}

    yield said["kriterier"], dev.shares.get(OVERALL, {}), True, None
    yield said["afsluttet"], figure("finished"), False, None
    yield said["forsinket"], figure("overdue"), False, None
    for phase in content.phases():
        yield (said["kriterier_fase"].format(fase=f"Fase {phase.id}: {phase.name}"), dev.shares.get(phase.id, {}),
               True, phase)


def _block(sheet: Sheet, row: int, title: str, teams: list[str], readings, values, percent: bool,
           last_col: int) -> int:
    """A heading, the table (a row per team, a column per reading) and its chart beside it; the next row."""
    sheet.merges.append(Merge(row, 0, row, last_col, title, "heading"))
    header = row + 1
    sheet.put(header, 0, texts()["team"], "header")
    for i, reading in enumerate(readings, 1):
        sheet.put(header, i, reading.label, "header_center")
    sheet.row_heights[header] = 30
    style = "percent" if percent else "count"
    shown = []
    for r, team in enumerate(teams, header + 1):
        sheet.put(r, 0, team, "fixed")
        for i, reading in enumerate(readings, 1):
            value = values.get(team, {}).get(reading.id)
            sheet.put(r, i, value, style)
            if value is not None:
                shown.append(value)
    last = header + len(teams)
    categories = f"={quote_sheet(sheet.name)}!{area(header, 1, header, len(readings))}"
    lines = list(enumerate(teams, header + 1))
    if len(teams) > CHART_TEAMS:
        last += 1
        label, figures = _all_teams(teams, readings, values, percent)
        sheet.put(last, 0, label, "label")
        for i, value in enumerate(figures, 1):
            sheet.put(last, i, value, style)
        lines, shown = [(last, label)], [v for v in figures if v is not None]
        title = f"{title} – {label}"
    series = [ChartSeries(team, categories, f"={quote_sheet(sheet.name)}!{area(r, 1, r, len(readings))}",
                          TEAM_COLORS[i % len(TEAM_COLORS)]) for i, (r, team) in enumerate(lines)]
    low, high, step = axis_range(shown, percent)
    sheet.charts.append(Chart("line", title, series, header, len(readings) + 2, width=CHART_WIDTH,
                              height=CHART_HEIGHT, percent=percent, y_min=low, y_max=high, y_step=step))
    return max(last, header + CHART_ROWS) + 2


def _all_teams(teams: list[str], readings, values, percent: bool) -> tuple[str, list]:
    """The row the chart draws when there are too many teams for a line each: per reading, the average of
    the teams' shares, or the sum of their counts (over the teams that have a figure at that reading)."""
    figures = []
    for reading in readings:
        known = [values[t][reading.id] for t in teams if values.get(t, {}).get(reading.id) is not None]
        figures.append((sum(known) / len(known) if percent else sum(known)) if known else None)
    label = texts()["alle_gennemsnit" if percent else "alle_i_alt"].format(antal=len(teams))
    return label, figures


def axis_range(values: list[float], percent: bool) -> tuple[float, float, float]:
    """A value axis that shows the data: from a round value below the smallest to one above the largest
    (steps of 10% for shares; 1, 5 or 10 for counts), never below zero or above 100%; and the step."""
    if not values:
        return 0, 1, (0.1 if percent else 1)
    low, high = min(values), max(values)
    if percent:
        step = 0.1
    else:
        spread = high - low
        step = 1 if spread <= 10 else 5 if spread <= 50 else 10
    bottom = max(0.0, math.floor(low / step + 1e-9) * step)  # the epsilon: 0.3 / 0.1 is 2.9999999999999996
    top = math.ceil(high / step - 1e-9) * step
    if top - bottom < step:
        top = bottom + step
    if percent:
        top = min(top, 1.0)
        bottom = min(bottom, top - step)
    return round(bottom, 4), round(top, 4), step


# ---------------------------------------------------------------- Siden sidst

def changes_sheet(c: Consolidation, subtitle: str, dev: Development) -> Sheet:
    said = content.load_yaml("siden_sidst.yaml")["ark"]
    columns = said["kolonner"]
    headers = [(columns["team"], 20), (columns["ændring"], 20), (columns["hvad"], 56), (columns["før"], 13),
               (columns["nu"], 13), (columns["fil"], 30), (columns["ark"], 18), (columns["celle"], 7)]
    printed = 4  # Team to Nu
    sheet = _sheet(said["titel"], said["titel"], c.municipality, (3, 3))
    if dev.compared:
        before, now = dev.compared
        subtitle = f"{subtitle} · " + said["undertitel"].format(før=before.label, nu=now.label)
    _title(sheet, said["titel"], subtitle, printed)
    for col, (_text, width) in enumerate(headers):
        sheet.column_widths[col] = width
    legend(sheet, 2, 0, said["forklaring"], [(said["god"], "legend_cf_status_Opfyldt"),
                                             (said["dårlig"], "legend_cf_status_Forsinket")])
    _headers(sheet, 3, headers, listing=True)
    row = 4
    changes = ordered_changes(c, dev)
    if not changes:
        sheet.merges.append(Merge(row, 0, row, printed, said["første"] if dev.compared is None else said["ingen"],
                                  "note"))
    for change in changes:
        _put_row(sheet, row, change_row(change))
        row += 1
    last = max(row - 1, 4)
    ref = cell(4, 1)
    for tone, style in (("god", "cf_status_Opfyldt"), ("dårlig", "cf_status_Forsinket")):
        labels = [change_kinds()[k]["navn"] for k in kinds_with_tone(tone)]
        sheet.conditional_formats.append(ConditionalFormat(4, 1, last, 1, "=OR(" + ",".join(
            f'{ref}="{label}"' for label in labels) + ")", style))
    sheet.freeze = (4, 1)
    sheet.autofilter = (3, 0, last, len(headers) - 1)
    print_columns(sheet, printed, last)
    return sheet


def change_row(change: Change) -> list:
    where = change.source
    return [change.team, change.label, change.what, change.before, change.now, where.file if where else None,
            where.sheet if where else None, where.cell if where else None]
