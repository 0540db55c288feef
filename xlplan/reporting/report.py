"""The management workbook ("samlet status"): laid out from a Consolidation. No I/O.

Overblik (one row per team, traffic light, charts, phase x dimension heat map), Aktiviteter,
Tjekliste, Tidslinje, Risici, Roller, Problemer and Kilder. All user text is plain text.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from xlplan import __version__
from xlplan.core import content, facts, schema
from xlplan.reporting.consolidate import Consolidation
from xlplan.reporting.progress import light_names, light_rules, MISSING, TeamProgress
from xlplan.core.records import DateValue, PlanRow, ProcessRow, StepRecord
from xlplan.core.refs import area, cell, col_letter
from xlplan.workbook.context import page_header, quote_sheet
from xlplan.workbook.metadata import REPORT_SCHEMA
from xlplan.workbook.table import wrapped_lines
from xlplan.xlsx.model import Chart, ChartSeries, ColorScale, ConditionalFormat, Merge, PrintSetup, Sheet, Workbook
from xlplan.workbook.procesplan import week_conditions
from xlplan.xlsx.styles import STATUS_COLORS

PHASE_COLORS = ["#2F5597", "#5B9BD5", "#9DC3E6", "#BDD7EE"]
TEAM_COLORS = ["#2F5597", "#C55A11", "#548235", "#7030A0", "#BF8F00", "#00B0F0", "#FF66CC", "#7F7F7F"]


def _sheet(name: str, title: str, municipality: str, header_rows=None, landscape=True) -> Sheet:
    header, shortened = page_header(municipality or "Samlet status", title, "Samlet status")
    return Sheet(name=name, protect=False, print_setup=PrintSetup(
        landscape=landscape, fit_width=True, repeat_rows=header_rows, header=header,
        footer="&L&8xlplan&RSide &P af &N", shortened=shortened))


def _title(sheet: Sheet, title: str, subtitle: str, last_col: int) -> None:
    sheet.merges.append(Merge(0, 0, 0, last_col, title, "title"))
    sheet.merges.append(Merge(1, 0, 1, last_col, subtitle, "subtitle"))
    sheet.row_heights[0] = 26


def _headers(sheet: Sheet, row: int, headers: list[tuple[str, float]], listing: bool = False) -> None:
    """The header row. A listing's columns carry the bordered style, so that its empty cells need not be
    written (a national workbook holds a hundred thousand of them); the rows above keep a plain look."""
    for col, (text, width) in enumerate(headers):
        sheet.put(row, col, text, "header")
        sheet.column_widths[col] = width
        if listing:
            sheet.column_styles[col] = "wrap_border"
    if listing:
        titled = {r for m in sheet.merges for r in range(m.first_row, m.last_row + 1)}
        for above in sorted(set(range(row)) - titled):
            for col in range(len(headers)):
                sheet.put(above, col, None, "text")
    sheet.row_heights[row] = 30


def _status_colors(sheet: Sheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    ref = cell(first_row, first_col)
    for value in STATUS_COLORS:
        sheet.conditional_formats.append(ConditionalFormat(first_row, first_col, last_row, last_col,
                                                           f'={ref}="{value}"', f"cf_status_{value}"))


def _light_colors(sheet: Sheet, first_row: int, col: int, last_row: int) -> None:
    ref = "$" + cell(first_row, col)
    for key, name in light_names().items():
        sheet.conditional_formats.append(ConditionalFormat(first_row, col, last_row, col, f'={ref}="{name}"',
                                                           f"cf_light_{key}"))


def report_workbook(c: Consolidation, generated: dt.datetime | None = None, development=None) -> Workbook:
    subtitle = f"{c.municipality} · opgjort pr. {c.as_of:%d-%m-%Y}" if c.municipality else \
        f"Opgjort pr. {c.as_of:%d-%m-%Y}"
    sheets = [overview(c, subtitle)]
    if development is not None:
        sheets.append(development_sheet(c, subtitle, development))
    sheets += [activities(c, subtitle), checklist_matrix(c, subtitle), timeline(c, subtitle),
               risks(c, subtitle), roles(c, subtitle), problems(c, subtitle), sources(c, subtitle),
               metadata(c, generated)]
    sheets[0].active = True
    return Workbook(sheets=sheets, properties={
        "title": f"Samlet status – {c.municipality}" if c.municipality else "Samlet status",
        "subject": "Implementering og forankring: fremdrift pr. team",
        "author": "xlplan", "company": c.municipality, "category": "Samlet status",
        "comments": f"Lavet med xlplan {__version__} pr. {c.as_of:%d-%m-%Y}.",
        "created": generated or dt.datetime.combine(c.as_of, dt.time()),
    })


# ---------------------------------------------------------------- Overblik

def overview(c: Consolidation, subtitle: str) -> Sheet:
    phases = content.phases()
    headers = [("Team", 26), ("Trafiklys", 11), ("Aktuel fase", 22)] + \
              [(f"Fase {p.id} {p.short}", 10) for p in phases] + \
              [("Tjekliste i alt", 10), ("Aktiviteter afsluttet", 11), ("Aktiviteter i alt", 10), ("Forsinket", 9),
               ("Mål overskredet", 10), ("Uden ansvarlig", 10), ("Åbne risici", 9), ("Næste frist", 11),
               ("Næste frist: hvad", 30), ("Fejl i filen", 8), ("Advarsler", 9), ("Begrundelse", 40)]
    last_col = len(headers) - 1
    sheet = _sheet("Overblik", "Overblik", c.municipality, (3, 3))
    _title(sheet, "Samlet status", subtitle, last_col)
    header_row = 3
    _headers(sheet, header_row, headers)
    row = header_row + 1
    for team in c.teams:
        _team_row(sheet, row, team, phases)
        row += 1
    for name in c.missing_teams:
        sheet.put(row, 0, name, "fixed")
        sheet.put(row, 1, light_names()[MISSING], "fixed_center")
        for col in range(2, last_col + 1):
            sheet.put(row, col, None, "fixed")
        row += 1
    last_row = max(row - 1, header_row + 1)
    _light_colors(sheet, header_row + 1, 1, last_row)
    share_cols = (3, 3 + len(phases))
    sheet.color_scales.append(ColorScale(header_row + 1, share_cols[0], last_row, share_cols[1], "#F8CBAD", "#FFEB84",
                                         "#A9D08E"))
    sheet.freeze = (header_row + 1, 1)
    sheet.autofilter = (header_row, 0, last_row, last_col)

    row = last_row + 2
    sheet.merges.append(Merge(row, 0, row, 8, "Trafiklysets regel", "heading"))
    names = {name: key for key, name in light_names().items()}
    for i, (light, rule) in enumerate(light_rules().items(), 1):
        sheet.put(row + i, 0, light, f"light_{names[light]}")
        sheet.merges.append(Merge(row + i, 1, row + i, 12, rule, "wrap"))
    row += len(light_rules()) + 2

    if c.teams:
        n = len(c.teams)
        categories = f"={quote_sheet('Overblik')}!{area(header_row + 1, 0, header_row + n, 0)}"
        series = [ChartSeries(f"Fase {p.id} {p.short}", categories,
                              f"={quote_sheet('Overblik')}!{area(header_row + 1, 3 + i, header_row + n, 3 + i)}",
                              PHASE_COLORS[i]) for i, p in enumerate(phases)]
        sheet.charts.append(Chart("column", "Andel opfyldte succeskriterier pr. team og fase", series, row, 0,
                                  width=900, height=320, percent=True))
        row += 17
    _heat_map(sheet, c, row)
    return sheet


def _team_row(sheet: Sheet, row: int, team: TeamProgress, phases) -> None:
    nxt = team.next_deadline
    values = [(team.team, "fixed"), (team.light, "fixed_center"), (team.current_phase, "fixed")]
    values += [(team.phases[p.id].share if p.id in team.phases and team.phases[p.id].share is not None else None,
                "percent") for p in phases]
    values += [(team.checklist.share, "percent"), (team.finished, "count"), (sum(team.activities.values()), "count"),
               (len(team.overdue), "count"), (team.overdue_goals, "count"), (len(team.unowned), "count"),
               (team.open_risks, "count"), (nxt.date if nxt else None, "date_cell"),
               (f"{nxt.kind}: {nxt.text}" if nxt else None, "fixed"), (team.errors, "count"),
               (team.warnings, "count"), ("; ".join(team.reasons), "fixed")]
    for col, (value, style) in enumerate(values):
        sheet.put(row, col, value, style)
    _fit_height(sheet, row, [v for v, _ in values])


def _heat_map(sheet: Sheet, c: Consolidation, row: int) -> None:
    phases = content.phases()
    sheet.merges.append(Merge(row, 0, row, 8, "Opfyldte succeskriterier, alle teams: fase × dimension", "heading"))
    row += 1
    sheet.put(row, 0, "Dimension", "header")
    sheet.row_heights[row] = 30
    for i, p in enumerate(phases):
        sheet.put(row, 3 + i, f"Fase {p.id} {p.short}", "header_center")
    sheet.merges.append(Merge(row, 1, row, 2, None, "header"))
    first = row + 1
    for d_index, dimension in enumerate(phases[0].dimensions):
        r = first + d_index
        sheet.merges.append(Merge(r, 0, r, 2, dimension.name, "fixed"))
        for i, p in enumerate(phases):
            met = relevant = 0
            for team in c.teams:
                share = team.dimensions.get((p.id, dimension.name))
                if share:
                    met += share.met
                    relevant += share.relevant
            sheet.put(r, 3 + i, met / relevant if relevant else None, "percent")
    last = first + len(phases[0].dimensions) - 1
    sheet.color_scales.append(ColorScale(first, 3, last, 3 + len(phases) - 1, "#F8CBAD", "#FFEB84", "#63BE7B"))


# ---------------------------------------------------------------- Udvikling

def development_sheet(c: Consolidation, subtitle: str, dev) -> Sheet:
    """Progress per team and phase over the readings (line charts), and what moved since last time."""
    from xlplan.reporting.history import BAD_NEWS, GOOD_NEWS, OVERALL

    sheet = _sheet("Udvikling", "Udvikling", c.municipality, None)
    teams = dev.teams
    last_col = max(len(teams), 6)
    _title(sheet, "Udvikling over aflæsningerne", subtitle + f" · {len(dev.readings)} aflæsning(er)", last_col)
    row = 3
    if not dev.recorded:
        sheet.merges.append(Merge(row, 0, row, last_col, "Projektmapperne er de samme som ved sidste aflæsning; "
                                                       "der er ikke gemt en ny aflæsning.", "note"))
        row += 1
    if len(dev.readings) < 2:
        sheet.merges.append(Merge(row, 0, row, last_col, "Dette er første aflæsning. Næste gang vises udviklingen og "
                                                       "det, der har flyttet sig siden sidst.", "note"))
        row += 2
    phases = [(OVERALL, "Alle faser")] + [(p.id, f"Fase {p.id}: {p.name}") for p in content.phases()]
    colors = {team: TEAM_COLORS[i % len(TEAM_COLORS)] for i, team in enumerate(teams)}
    chart_row = row
    charts_at = []
    row += 17  # room for the first chart
    for key, title in phases:
        per_team = {t: v for t, v in (dev.shares.get(key) or {}).items() if any(s is not None for s in v.values())}
        if not per_team:
            continue
        shown = [t for t in teams if t in per_team]
        header = row
        sheet.merges.append(Merge(row, 0, row, last_col, f"Andel opfyldte succeskriterier – {title}", "heading"))
        row += 1
        sheet.put(row, 0, "Aflæsning", "header")
        for i, team in enumerate(shown):
            sheet.put(row, 1 + i, team, "header_center")
        sheet.row_heights[row] = 30
        first = row + 1
        for reading in dev.readings:
            row += 1
            sheet.put(row, 0, f"{reading.id}: {reading.as_of[8:10]}-{reading.as_of[5:7]}-{reading.as_of[:4]}", "fixed")
            for i, team in enumerate(shown):
                sheet.put(row, 1 + i, per_team[team].get(reading.id), "percent")
        last = row
        categories = f"={quote_sheet(sheet.name)}!{area(first, 0, last, 0)}"
        series = [ChartSeries(team, categories, f"={quote_sheet(sheet.name)}!{area(first, 1 + i, last, 1 + i)}",
                              colors[team]) for i, team in enumerate(shown)]
        charts_at.append((title, series, header))
        # A phase's chart stands beside its table, 12 rows high; the overall chart is above.
        row = row + 2 if key == OVERALL else max(row + 2, header + 13)
    for title, series, _header in charts_at[:1]:
        sheet.charts.append(Chart("line", f"Andel opfyldte succeskriterier – {title}", series, chart_row, 0,
                                  width=860, height=320, percent=True))
    for title, series, header in charts_at[1:]:
        sheet.charts.append(Chart("line", title, series, header, len(teams) + 2, width=560, height=230, percent=True))
    for col in range(0, last_col + 1):
        sheet.column_widths[col] = 22 if col == 0 else 16

    row += 1
    sheet.merges.append(Merge(row, 0, row, last_col, "Siden sidst", "heading"))
    row += 1
    if not dev.changes:
        sheet.merges.append(Merge(row, 0, row, last_col, "Ingen ændringer at vise (eller kun én aflæsning).", "note"))
        return sheet
    for col, (text, width) in enumerate([("Team", 22), ("Ændring", 20), ("Hvad", 60), ("Før", 16), ("Nu", 16)]):
        sheet.put(row, col, text, "header")
    first = row + 1
    for change in dev.changes:
        row += 1
        _put_row(sheet, row, [change.team, change.what, change.text, change.before, change.after])
    ref = cell(first, 1)
    sheet.conditional_formats += [
        ConditionalFormat(first, 1, row, 1, "=OR(" + ",".join(f'{ref}="{w}"' for w in GOOD_NEWS) + ")",
                          "cf_status_Opfyldt"),
        ConditionalFormat(first, 1, row, 1, "=OR(" + ",".join(f'{ref}="{w}"' for w in BAD_NEWS) + ")",
                          "cf_status_Forsinket")]
    sheet.autofilter = (first - 1, 0, row, 4)
    return sheet


# ---------------------------------------------------------------- Aktiviteter

@dataclass(frozen=True)
class Listed:
    """A column of a listing: its header and width, and what it shows of a record (by record kind)."""

    key: str
    header: str
    width: float
    show: object = None  # record -> value; None: the declared table column with this key


SOURCE_COLUMNS = (Listed("fil", "Fil", 24, lambda r: r.source.file), Listed("ark", "Ark", 18, lambda r: r.source.sheet),
                  Listed("celle", "Celle", 7, lambda r: r.source.cell))


def _declared(key: str, *tables) -> str:
    """A column's header as the team workbook declares it (the first table that has the key)."""
    return next(t.column(key).header for t in tables if key in {c.key for c in t.columns})


def activity_listing() -> list[Listed]:
    """Aktiviteter: every plan, procesplan and trin row. Its columns follow the tables' declarations: a
    column declared on one of the tables (and listed) that the view does not name is added at its end."""
    plan, process, steps = schema.plan_table(), schema.PROCESPLAN, schema.STEPS
    named = [Listed("team", "Team", 20, lambda r: r.team), Listed("type", "Type", 11, _activity_type),
             Listed("focus_point", "Sigtepunkt", 22, lambda r: getattr(r, "focus_point", None))]
    named += [Listed(key, _declared(key, plan, process, steps), width)
              for key, width in (("formaal", 26), ("aktivitet", 32), ("ansvarlig", 18), ("start", 11), ("slut", 11))]
    named.append(Listed("periode", "Periode (som skrevet)", 20))
    named += [Listed(key, _declared(key, plan), width)
              for key, width in (("delmaal", 24), ("delmaal_dato", 11), ("maal", 24), ("maal_dato", 11))]
    named += [Listed("status", _declared("status", plan), 13),
              Listed("forsinket", "Forsinket", 9, None), Listed("bemaerkning", _declared("bemaerkning", plan), 24)]
    keys = {n.key for n in named}
    added = [Listed(c.key, c.header, c.width) for t in (plan, process, steps) for c in t.record_columns
             if c.listed and c.key not in keys and not keys.add(c.key)]
    return named + added + list(SOURCE_COLUMNS)


def _activity_type(record) -> str:
    return {PlanRow: "Plan", ProcessRow: "Procesplan", StepRecord: "Trin"}[type(record)]


# How a record of each kind fills the listing's columns where its own column of that key would not
# say it: the procesplan's Start and Slut are the dates it is understood to span, its
# Opmærksomhedspunkter stand as its remark, and a step is named by its number and name.
ACTIVITY_VALUES = {
    PlanRow: {"start": lambda r: r.start.start, "slut": lambda r: r.slut.end},
    ProcessRow: {"start": lambda r: r.start, "slut": lambda r: r.end, "periode": lambda r: r.periode.raw,
                 "bemaerkning": lambda r: r.opmaerksomhed},
    StepRecord: {"aktivitet": lambda r: f"Trin {r.nr}: {r.trin}", "start": lambda r: r.start.start,
                 "slut": lambda r: r.deadline.end},
}


def _listed_value(listed: Listed, record, table: schema.Table, as_of: dt.date):
    if listed.key == "forsinket":
        return "Ja" if facts.is_overdue(record, as_of) else None
    special = ACTIVITY_VALUES.get(type(record), {}).get(listed.key)
    if special is not None:
        return special(record)
    if listed.show is not None:
        return listed.show(record)
    if listed.key not in {c.key for c in table.record_columns} or listed.key in _NOT_SHOWN.get(type(record), ()):
        return None
    value = table.column(listed.key).value_of(record)
    return value.end if isinstance(value, DateValue) else value


_NOT_SHOWN = {ProcessRow: ("periode",)}  # shown as typed through ACTIVITY_VALUES


def activities(c: Consolidation, subtitle: str) -> Sheet:
    listing = activity_listing()
    headers = [(item.header, item.width) for item in listing]
    sheet = _sheet("Aktiviteter", "Aktiviteter", c.municipality, (3, 3))
    _title(sheet, "Aktiviteter i alle teams", subtitle + " · filtrér med pilene i overskrifterne", len(headers) - 1)
    _headers(sheet, 3, headers, listing=True)
    tables = {PlanRow: schema.plan_table(), ProcessRow: schema.PROCESPLAN, StepRecord: schema.STEPS}
    row = 4
    for read in c.reads:
        for record in [*read.plan_rows, *read.process_rows, *read.steps]:
            _put_row(sheet, row, [_listed_value(item, record, tables[type(record)], c.as_of) for item in listing])
            row += 1
    last = max(row - 1, 4)
    keys = [item.key for item in listing]
    status, late = keys.index("status"), keys.index("forsinket")
    _status_colors(sheet, 4, status, last, status)
    sheet.conditional_formats.append(ConditionalFormat(4, late, last, late, f'={cell(4, late)}="Ja"', "cf_overdue"))
    sheet.freeze = (4, 2)
    sheet.autofilter = (3, 0, last, len(headers) - 1)
    return sheet


def _put_row(sheet: Sheet, row: int, values: list) -> None:
    """One row of a table. An empty cell is not written where its column carries the style already."""
    styled = sheet.column_styles
    for col, value in enumerate(values):
        if (value is None or value == "") and col in styled:
            continue
        sheet.put(row, col, value, "date_cell" if isinstance(value, dt.date) else "wrap_border")
    _fit_height(sheet, row, values)


def _fit_height(sheet: Sheet, row: int, values: list) -> None:
    """Row height for the longest wrapped text (LibreOffice does not grow rows on its own); a row of one
    line keeps the default height and needs no row record (most rows of a national workbook)."""
    widths = sheet.column_widths
    lines = max((wrapped_lines(v, widths.get(col, 9)) for col, v in enumerate(values)
                 if isinstance(v, str) and (len(v) > 8 and len(v) > widths.get(col, 9) or "\n" in v)), default=1)
    if lines > 1:
        sheet.row_heights[row] = 13 * min(lines, 12) + 2


# ---------------------------------------------------------------- Tjekliste

def checklist_matrix(c: Consolidation, subtitle: str) -> Sheet:
    teams = [t for t in c.reads if t.readable and t.criteria]
    headers = [("Nr.", 8), ("Fase", 11), ("Dimension", 20), ("Succeskriterium", 60)] + \
              [(label, 14) for label in _team_labels(c, teams)]
    sheet = _sheet("Tjekliste", "Tjekliste", c.municipality, (3, 3))
    _title(sheet, "Succeskriterier pr. team", subtitle, max(len(headers) - 1, 4))
    _headers(sheet, 3, headers)
    statuses = [{cr.id: cr.status for cr in r.criteria} for r in teams]
    row = 4
    ids_seen = {cid for r in teams for cid in (cr.id for cr in r.criteria)}
    for phase in content.phases():
        for dimension in phase.dimensions:
            for crit in dimension.criteria:
                if crit.id not in ids_seen:
                    continue
                values = [crit.id, phase.short, dimension.name, ("   " if crit.level else "") + crit.text]
                for col, value in enumerate(values):
                    sheet.put(row, col, value, "wrap_border" if col == 3 else "fixed")
                for i, st in enumerate(statuses):
                    sheet.put(row, 4 + i, st.get(crit.id), "fixed_center")
                _fit_height(sheet, row, values)
                row += 1
    from xlplan.workbook.checklist import responsibility_groups
    for group in responsibility_groups():
        for crit in group.criteria:
            if crit.id not in ids_seen:
                continue
            for col, value in enumerate([crit.id, "Styring", group.title, crit.text]):
                sheet.put(row, col, value, "wrap_border" if col == 3 else "fixed")
            for i, st in enumerate(statuses):
                sheet.put(row, 4 + i, st.get(crit.id), "fixed_center")
            row += 1
    if teams:
        _status_colors(sheet, 4, 4, max(row - 1, 4), 3 + len(teams))
    sheet.freeze = (4, 4)
    sheet.autofilter = (3, 0, max(row - 1, 4), len(headers) - 1)
    return sheet


def _team_labels(c: Consolidation, reads) -> list[str]:
    """Column headings: the team, and its file where two files claim the same team."""
    files_per_team = Counter(r.team.casefold() for r in c.reads if r.readable)
    return [f"{r.team} ({r.file})" if files_per_team[r.team.casefold()] > 1 else r.team for r in reads]


# ---------------------------------------------------------------- Tidslinje

def timeline(c: Consolidation, subtitle: str) -> Sheet:
    items = []
    for read in c.reads:
        for r in read.plan_rows:
            if r.start.start or r.slut.end:
                items.append((read.team, r.aktivitet or r.formaal or "", r.start.start or r.slut.end,
                              r.slut.end or r.start.start, r.status))
        for r in read.process_rows:
            if r.start:
                items.append((read.team, r.aktivitet or "", r.start, r.end or r.start, r.status))
    rank = {read.team: i for i, read in reversed(list(enumerate(c.reads)))}
    items.sort(key=lambda i: (rank.get(i[0], 0), i[2]))
    fixed = [("Team", 18), ("Aktivitet", 40), ("Start", 11), ("Slut", 11), ("Status", 12)]
    sheet = _sheet("Tidslinje", "Tidslinje", c.municipality, (3, 4))
    _title(sheet, "Tidslinje for alle teams", subtitle + " · den røde kolonne er opgørelsesdatoen; tidslinjen viser et "
           "halvt år tilbage og et år frem, alle aktiviteter står i listen", 10)
    for col, (text, width) in enumerate(fixed):
        sheet.put(4, col, text, "header")
        sheet.column_widths[col] = width
    if not items:
        return sheet
    # The window: from half a year before the as-of date to a year after it, as far as there are activities.
    start = max(min(i[2] for i in items), c.as_of - dt.timedelta(weeks=26))
    end = min(max(i[3] for i in items), c.as_of + dt.timedelta(weeks=52))
    if end < start:
        start, end = c.as_of - dt.timedelta(weeks=26), c.as_of + dt.timedelta(weeks=52)
    periods = _weeks(start, end)
    first_col = len(fixed)
    for i, (p_start, p_end) in enumerate(periods):
        col = first_col + i
        sheet.put(3, col, p_start.isocalendar()[1], "week_number")
        sheet.put(4, col, p_start, "week_date")
        sheet.column_widths[col] = 2.7
    row = 5
    for team, text, s, e, status in items:
        for col, value in enumerate((team, text, s, e, status)):
            sheet.put(row, col, value, "date_cell" if isinstance(value, dt.date) else "wrap_border")
        _fit_height(sheet, row, [team, text])
        row += 1
    last_row = row - 1
    last_col = first_col + len(periods) - 1
    for i, (p_start, p_end) in enumerate(periods):
        if p_start <= c.as_of <= p_end:
            sheet.conditional_formats.append(ConditionalFormat(3, first_col + i, last_row, first_col + i, "=TRUE",
                                                               "cf_today", True))
    sheet.conditional_formats += _timeline_bars(4, first_col, last_row, last_col)
    sheet.freeze = (5, 2)
    sheet.autofilter = (4, 0, last_row, len(fixed) - 1)
    return sheet


def _timeline_bars(header_row: int, first_col: int, last_row: int, last_col: int):
    """The bars, drawn by conditional formatting from each row's Start, Slut and Status (as in a team's
    Procesplan): a national timeline of thousands of activities then costs no cell per week."""
    in_period, done = bar_conditions(header_row + 1, first_col, header_row)
    return [ConditionalFormat(header_row + 1, first_col, last_row, last_col, f"=AND({in_period},{done})",
                              "cf_bar_done", True),
            ConditionalFormat(header_row + 1, first_col, last_row, last_col, f"={in_period}", "cf_bar", True)]


def bar_conditions(row: int, col: int, header_row: int) -> tuple[str, str]:
    """For the timeline cell at (row, col): does its week meet the row's Start-Slut, and is the row done."""
    start, end, status = (f"${cell(row, c)}" for c in (2, 3, 4))
    return week_conditions(start, end, status, f"{col_letter(col)}${header_row + 1}")  # Monday, in the header


def _weeks(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Monday to Sunday, from the week of `start` to the week of `end`."""
    out = []
    day = start - dt.timedelta(days=start.weekday())
    while day <= end:
        out.append((day, day + dt.timedelta(days=6)))
        day += dt.timedelta(days=7)
    return out


# ---------------------------------------------------------------- Risici, Roller

def risk_listing() -> list[Listed]:
    """Risici: the team, the score, then the Risikolog's declared columns, then where each risk stands."""
    columns = [c for c in schema.RISKS.record_columns if c.listed and c.key != "nr"]
    return ([Listed("team", "Team", 20, lambda r: r.team), Listed("score", "Score", 7, lambda r: r.score)]
            + [Listed(c.key, c.header, max(c.width, 11)) for c in columns] + list(SOURCE_COLUMNS))


def risks(c: Consolidation, subtitle: str) -> Sheet:
    listing = risk_listing()
    headers = [(item.header, item.width) for item in listing]
    sheet = _sheet("Risici", "Risici", c.municipality, (3, 3))
    _title(sheet, "Risici, efter score", subtitle, len(headers) - 1)
    _headers(sheet, 3, headers, listing=True)
    all_risks = sorted((risk for r in c.reads for risk in r.risks), key=lambda risk: (-(risk.score or 0), risk.team))
    row = 4
    for risk in all_risks:
        _put_row(sheet, row, [_listed_value(item, risk, schema.RISKS, c.as_of) for item in listing])
        row += 1
    keys = [item.key for item in listing]
    if all_risks:
        score, status = keys.index("score"), keys.index("status")
        sheet.color_scales.append(ColorScale(4, score, row - 1, score, "#C6EFCE", "#FFEB9C", "#FFC7CE"))
        _status_colors(sheet, 4, status, row - 1, status)
    sheet.freeze = (4, 1)
    sheet.autofilter = (3, 0, max(row - 1, 4), len(headers) - 1)
    return sheet


def roles(c: Consolidation, subtitle: str) -> Sheet:
    teams = [r for r in c.reads if r.readable and r.roles]
    headers = [("Niveau", 14), ("Rolle", 26)] + [(label, 22) for label in _team_labels(c, teams)]
    sheet = _sheet("Roller", "Roller", c.municipality, (3, 3))
    _title(sheet, "Hvem varetager rollerne?", subtitle + " · tomme felter er roller uden navn", max(len(headers) - 1, 4))
    _headers(sheet, 3, headers)
    row = 4
    for role in content.roles():
        sheet.put(row, 0, role.level, "fixed")
        sheet.put(row, 1, role.name, "fixed")
        for i, read in enumerate(teams):
            names = next((r.navne for r in read.roles if r.rolle == role.name), None)
            sheet.put(row, 2 + i, names or "Ikke besat", "wrap_border" if names else "unfilled")
        row += 1
    sheet.freeze = (4, 2)
    return sheet


# ---------------------------------------------------------------- Problemer, Kilder, metadata

def problems(c: Consolidation, subtitle: str) -> Sheet:
    headers = [("Niveau", 10), ("Kode", 8), ("Team", 20), ("Fil", 30), ("Ark", 22), ("Celle", 7), ("Besked", 60),
               ("Sådan rettes det", 60)]
    sheet = _sheet("Problemer", "Problemer", c.municipality, (3, 3))
    _title(sheet, "Problemer at rette", subtitle + " · fejl skal rettes; advarsler er læst, men fortolket",
           len(headers) - 1)
    _headers(sheet, 3, headers, listing=True)
    team_of = {r.file: r.team for r in c.reads}
    row = 4
    for p in sorted(c.problems, key=lambda p: (p.file or "", p.severity.rank)):
        _put_row(sheet, row, [p.severity.label, p.code, team_of.get(p.file), p.file, p.sheet, p.cell, p.message,
                              p.fix])
        row += 1
    last = max(row - 1, 4)
    sheet.conditional_formats += [
        ConditionalFormat(4, 0, last, 0, f'={cell(4, 0)}="Fejl"', "cf_status_Forsinket"),
        ConditionalFormat(4, 0, last, 0, f'={cell(4, 0)}="Advarsel"', "cf_status_I gang")]
    sheet.freeze = (4, 0)
    sheet.autofilter = (3, 0, last, len(headers) - 1)
    return sheet


def sources(c: Consolidation, subtitle: str) -> Sheet:
    # Lavet af xlplan: when xlplan made the workbook (its own sheet says so); Filens tidspunkt: the file's
    # time in the folder, which is when it was saved or copied there, not necessarily when the team saved it.
    headers = [("Fil", 34), ("Team", 20), ("Læst", 8), ("Skabelon", 14), ("Version", 8), ("Lavet af xlplan", 16),
               ("Filens tidspunkt", 16), ("Størrelse (kB)", 10), ("Rækker læst", 9), ("Fejl", 6), ("Advarsler", 9),
               ("SHA-256", 66)]
    sheet = _sheet("Kilder", "Kilder", c.municipality, (3, 3))
    _title(sheet, "Læste filer", subtitle, len(headers) - 1)
    _headers(sheet, 3, headers, listing=True)
    row = 4
    for r in c.reads:
        warnings = sum(1 for p in r.problems if p.is_warning)
        _put_row(sheet, row, [r.file, r.team or None, "Ja" if r.readable else "Nej", r.template_id,
                              r.template_version, _date_time(r.generated), _date_time(r.modified),
                              round(r.size / 1024, 1), len(r.rows_seen), len(r.errors), warnings, r.sha256])
        row += 1
    sheet.freeze = (4, 1)
    return sheet


def _date_time(value: dt.datetime | str | None) -> str | None:
    """dd-mm-åååå tt:mm, as every date the user sees; a text that is no time (a team's file) as it is."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d-%m-%Y %H:%M") if value else None


def metadata(c: Consolidation, generated: dt.datetime | None) -> Sheet:
    sheet = Sheet(name="xlplan", protect=True, visibility="very_hidden")
    rows = [("schema", REPORT_SCHEMA), ("xlplan_version", __version__), ("as_of", c.as_of.isoformat()),
            ("generated", generated.isoformat(timespec="seconds") if generated else ""),
            ("files", str(len(c.reads)))]
    for i, (k, v) in enumerate(rows):
        sheet.put(i, 0, k, "meta_key")
        sheet.put(i, 1, v, "meta")
    return sheet
