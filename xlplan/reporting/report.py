"""The management workbook ("samlet status"): laid out from a Consolidation. No I/O.

Overblik (one row per team, traffic light, charts, phase x dimension heat map), Aktiviteter,
Tjekliste, Tidslinje, Risici, Roller, Problemer and Kilder. All user text is plain text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlplan import __version__
from xlplan.core import content, facts, schema
from xlplan.reporting.consolidate import Consolidation
from xlplan.reporting.progress import light_key, light_names, light_rules, MISSING, TeamProgress
from xlplan.core.records import DateValue, PlanRow, ProcessRow, StepRecord
from xlplan.core.refs import area, cell, col_letter
from xlplan.workbook.context import escape_header, page_header, quote_sheet
from xlplan.workbook.metadata import REPORT_SCHEMA
from xlplan.workbook.table import wrapped_lines
from xlplan.xlsx.model import Chart, ChartSeries, ColorScale, ConditionalFormat, Merge, PrintSetup, Sheet, Table, Workbook
from xlplan.workbook.procesplan import week_conditions
from xlplan.xlsx.styles import RISK_SCALE, SHARE_SCALE, STATUS_COLORS
from xlplan.reporting.resume import counted
from xlplan.reporting.printing import flow_across, legend, print_columns, said

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
        covered = {(r, col) for m in sheet.merges for r in range(m.first_row, m.last_row + 1)
                   for col in range(m.first_col, m.last_col + 1)}
        titled = {r for r, _ in covered if all((r, col) in covered for col in range(len(headers)))}
        for above in sorted(set(range(row)) - titled):
            for col in range(len(headers)):
                if (above, col) not in covered:
                    sheet.put(above, col, None, "text")
    sheet.row_heights[row] = 30


def _status_colors(sheet: Sheet, first_row: int, first_col: int, last_row: int, last_col: int,
                   value_list: str) -> list[str]:
    """Each coloured value of the status list, in its colour; the values coloured (for the legend)."""
    ref = cell(first_row, first_col)
    values = [v for v in content.value_lists()[value_list].values if v in STATUS_COLORS]
    for value in values:
        sheet.conditional_formats.append(ConditionalFormat(first_row, first_col, last_row, last_col,
                                                           f'={ref}="{value}"', f"cf_status_{value}"))
    return values


def _status_legend(sheet: Sheet, row: int, value_list: str, extra=()) -> None:
    values = [v for v in content.value_lists()[value_list].values if v in STATUS_COLORS]
    legend(sheet, row, 0, said("forklaring", "status"), [(v, f"legend_cf_status_{v}") for v in values] + list(extra))


def _light_colors(sheet: Sheet, first_row: int, col: int, last_row: int) -> None:
    ref = "$" + cell(first_row, col)
    for key, name in light_names().items():
        sheet.conditional_formats.append(ConditionalFormat(first_row, col, last_row, col, f'={ref}="{name}"',
                                                           f"cf_light_{key}"))


def report_workbook(c: Consolidation, generated: dt.datetime | None = None, development=None) -> Workbook:
    subtitle = f"{c.municipality} · opgjort pr. {c.as_of:%d-%m-%Y}" if c.municipality else \
        f"Opgjort pr. {c.as_of:%d-%m-%Y}"
    from xlplan.reporting.resume import briefing
    from xlplan.reporting.briefing import briefing_sheet
    from xlplan.reporting.development import changes_sheet, development_sheet

    sheets = [briefing_sheet(briefing(c, development), c.municipality), overview(c, subtitle)]
    if development is not None:
        sheets += [development_sheet(c, subtitle, development), changes_sheet(c, subtitle, development)]
    sheets += [activities(c, subtitle), checklist_matrix(c, subtitle), timeline(c, subtitle),
               risks(c, subtitle), roles(c, subtitle), problems(c, subtitle), sources(c, subtitle),
               metadata(c, generated)]
    return Workbook(sheets=sheets, properties={
        "title": f"Samlet status – {c.municipality}" if c.municipality else "Samlet status",
        "subject": "Implementering og forankring: fremdrift pr. team",
        "author": "xlplan", "company": c.municipality, "category": "Samlet status",
        "comments": f"Lavet med xlplan {__version__} pr. {c.as_of:%d-%m-%Y}.",
        "created": generated or dt.datetime.combine(c.as_of, dt.time()),
    })


# ---------------------------------------------------------------- Overblik

def overview(c: Consolidation, subtitle: str) -> Sheet:
    """One row per team. The columns a meeting reads are printed (fitted to the page's width); the next
    deadline's text, and the counts of errors and warnings, stay on screen. The chart and the heat map
    start a page of their own."""
    phases = content.phases()
    printed = [("Team", 20), ("Trafiklys", 9), ("Begrundelse", 30), ("Aktuel fase", 14)] + \
              [(f"Fase {p.id} {p.short}", 8.5) for p in phases] + \
              [("Tjekliste i alt", 8.5), ("Aktiviteter afsluttet", 10), ("Aktiviteter i alt", 9), ("Forsinket", 9),
               ("Mål overskredet", 10), ("Uden ansvarlig", 9), ("Åbne risici", 8), ("Næste frist", 10.5)]
    headers = printed + [("Næste frist: hvad", 30), ("Fejl i filen", 8), ("Advarsler", 9)]
    last_col = len(headers) - 1
    sheet = _sheet("Overblik", "Overblik", c.municipality, (3, 3))
    _title(sheet, "Samlet status", subtitle, len(printed) - 1)
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
    first_share = OVERVIEW_FIRST_PHASE
    sheet.color_scales.append(ColorScale(header_row + 1, first_share, last_row, first_share + len(phases), *SHARE_SCALE))
    sheet.freeze = (header_row + 1, 1)
    sheet.autofilter = (header_row, 0, last_row, last_col)

    row = last_row + 2
    sheet.merges.append(Merge(row, 0, row, 3, "Trafiklysets regel", "heading"))
    for i, (light, rule) in enumerate(light_rules().items(), 1):
        sheet.put(row + i, 0, light, f"light_{light_key(light)}")
        sheet.merges.append(Merge(row + i, 1, row + i, len(printed) - 1, rule, "wrap"))
    row += len(light_rules()) + 2
    _share_legend(sheet, row)
    row += 2

    sheet.print_setup.row_breaks = [row]
    if c.teams:
        n = len(c.teams)
        categories = f"={quote_sheet('Overblik')}!{area(header_row + 1, 0, header_row + n, 0)}"
        series = [ChartSeries(f"Fase {p.id} {p.short}", categories,
                              f"={quote_sheet('Overblik')}!"
                              f"{area(header_row + 1, first_share + i, header_row + n, first_share + i)}",
                              PHASE_COLORS[i]) for i, p in enumerate(phases)]
        sheet.charts.append(Chart("column", "Andel opfyldte succeskriterier pr. team og fase", series, row, 0,
                                  width=900, height=320, percent=True))
        row += 17
    row = _heat_map(sheet, c, row)
    print_columns(sheet, len(printed) - 1, row)
    if last_row - header_row <= TEAMS_ON_ONE_PAGE:
        # The teams fit on the first page: a header repeated on the chart's page would head no rows there.
        sheet.print_setup.repeat_rows = None
    return sheet


TEAMS_ON_ONE_PAGE = 20  # Overblik's rows that a landscape A4 page holds above the rule, fitted to its width


OVERVIEW_FIRST_PHASE = 4  # Overblik's column of Fase 1 (after Team, Trafiklys, Begrundelse, Aktuel fase)


def _share_legend(sheet: Sheet, row: int) -> None:
    """Under the share columns: the colour of 0%, 50% and 100%."""
    values = said("forklaring", "andel_værdier")
    sheet.put(row, OVERVIEW_FIRST_PHASE - 1, said("forklaring", "andel"), "legend_title")
    for i, value in enumerate(values):
        sheet.put(row, OVERVIEW_FIRST_PHASE + i, value, f"legend_share_{i}")


def _team_row(sheet: Sheet, row: int, team: TeamProgress, phases) -> None:
    nxt = team.next_deadline
    values = [(team.team, "fixed"), (team.light, "fixed_center"), ("; ".join(team.reasons), "fixed"),
              (team.current_phase, "fixed")]
    values += [(team.phases[p.id].share if p.id in team.phases and team.phases[p.id].share is not None else None,
                "percent") for p in phases]
    values += [(team.checklist.share, "percent"), (team.finished, "count"), (team.activities_total, "count"),
               (len(team.overdue), "count"), (team.overdue_goals, "count"), (len(team.unowned), "count"),
               (team.open_risks, "count"), (nxt.date if nxt else None, "date_cell"),
               (f"{nxt.kind}: {nxt.text}" if nxt else None, "fixed"), (team.errors, "count"),
               (team.warnings, "count")]
    for col, (value, style) in enumerate(values):
        sheet.put(row, col, value, style)
    _fit_height(sheet, row, [v for v, _ in values])


def _heat_map(sheet: Sheet, c: Consolidation, row: int) -> int:
    """Phase x dimension over all teams; the row after it."""
    phases = content.phases()
    first = OVERVIEW_FIRST_PHASE
    sheet.merges.append(Merge(row, 0, row, first + len(phases) - 1,
                              "Opfyldte succeskriterier, alle teams: fase × dimension", "heading"))
    row += 1
    sheet.merges.append(Merge(row, 0, row, first - 1, "Dimension", "header"))
    sheet.row_heights[row] = 30
    for i, p in enumerate(phases):
        sheet.put(row, first + i, f"Fase {p.id} {p.short}", "header_center")
    top = row + 1
    for d_index, dimension in enumerate(phases[0].dimensions):
        r = top + d_index
        sheet.merges.append(Merge(r, 0, r, first - 1, dimension.name, "fixed"))
        for i, p in enumerate(phases):
            met = relevant = 0
            for team in c.teams:
                share = team.dimensions.get((p.id, dimension.name))
                if share:
                    met += share.met
                    relevant += share.relevant
            sheet.put(r, first + i, met / relevant if relevant else None, "percent")
    last = top + len(phases[0].dimensions) - 1
    sheet.color_scales.append(ColorScale(top, first, last, first + len(phases) - 1, *SHARE_SCALE))
    _share_legend(sheet, last + 2)
    return last + 3


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
    column declared on one of the tables (and listed) that the view does not name is added at its end.
    The columns a meeting reads come first (through Sigtepunkt: ACTIVITY_PRINTED), the period as typed
    beside the dates understood."""
    plan, process, steps = schema.plan_table(), schema.PROCESPLAN, schema.STEPS
    named = [Listed("team", "Team", 18, lambda r: r.team), Listed("type", "Type", 10, _activity_type)]
    named += [Listed(key, _declared(key, plan, process, steps), width)
              for key, width in (("aktivitet", 32), ("ansvarlig", 16))]
    named.append(Listed("periode", "Periode (som skrevet)", 17))
    named += [Listed(key, _declared(key, plan, process, steps), width) for key, width in (("start", 10.5),
                                                                                        ("slut", 10.5))]
    named += [Listed("status", _declared("status", plan), 12), Listed("forsinket", "Forsinket", 9, None),
              Listed("focus_point", "Sigtepunkt", 20, lambda r: getattr(r, "focus_point", None))]
    named += [Listed(key, _declared(key, plan), width)
              for key, width in (("formaal", 26), ("delmaal", 24), ("delmaal_dato", 11), ("maal", 24),
                                 ("maal_dato", 11), ("bemaerkning", 24))]
    keys = {n.key for n in named}
    added = [Listed(c.key, c.header, c.width) for t in (plan, process, steps) for c in t.record_columns
             if c.listed and c.key not in keys and not keys.add(c.key)]
    return named + added + list(SOURCE_COLUMNS)


ACTIVITY_PRINTED = "focus_point"  # the last column of Aktiviteter on paper


def _activity_type(record) -> str:
    return {PlanRow: "Plan", ProcessRow: "Procesplan", StepRecord: "Trin"}[type(record)]


def _day_or_typed(value: DateValue, last: bool = False):
    """A date column's value in a listing: the day understood (a period's first, or with `last` its last), or,
    where no date could be read from what the team typed (a refused 'løbende'), that text as typed."""
    if last and value.open_end:
        return said("datoer", "åben")
    day = value.end if last else value.start
    return day if value.start or value.end else value.raw


def _typed_as_text(value: DateValue) -> bool:
    return value.raw is not None and not (value.start and value.start == value.end
                                          and value.raw == value.start.strftime("%d-%m-%Y"))


def _as_written(*dates: DateValue) -> str | None:
    """The period as the team wrote it ('uge 12 2026 – løbende'), when one of its dates was typed otherwise than
    as a date (a period, or a text no date could be read from); None when all are dates or empty."""
    if not any(map(_typed_as_text, dates)):
        return None
    return " – ".join(d.raw for d in dates if d.raw is not None)


# How a record of each kind fills the listing's columns where its own column of that key would not
# say it: the procesplan's Start and Slut are the dates it is understood to span, and a step is named
# by its number and name. A date that was refused shows as typed; Periode (som skrevet) is the period as typed.
ACTIVITY_VALUES = {
    PlanRow: {"start": lambda r: _day_or_typed(r.start), "slut": lambda r: _day_or_typed(r.slut, last=True),
              "periode": lambda r: _as_written(r.start, r.slut)},
    ProcessRow: {"start": lambda r: r.start or _day_or_typed(r.fra),
                 "slut": lambda r: _end(r.end, r.open_end) or _day_or_typed(r.til, last=True),
                 "periode": lambda r: r.periode.raw or _as_written(r.fra, r.til)},
    StepRecord: {"aktivitet": lambda r: f"Trin {r.nr}: {r.trin}", "start": lambda r: _day_or_typed(r.start),
                 "slut": lambda r: _day_or_typed(r.deadline, last=True),
                 "periode": lambda r: _as_written(r.start, r.deadline)},
}


def _end(end: dt.date | None, open_end: bool):
    """A Slut cell: the last day, or 'åben' for an open period (which the timeline's bars run on past)."""
    return said("datoer", "åben") if open_end else end


def _date_shown(value: DateValue):
    """A date field in one cell: its last day, 'fra <start>' for an open period, or the text as typed where no
    date could be read from it."""
    if value.open_end:
        return said("datoer", "fra").format(dato=f"{value.start:%d-%m-%Y}")
    return _day_or_typed(value, last=True)


def _shown_by(listed: Listed, kind: type, table: schema.Table, overdue: frozenset):
    """What a listing's column shows of a record of this kind, decided once per kind (a national listing
    asks it for every cell)."""
    if listed.key == "forsinket":
        return lambda record: "Ja" if record.source in overdue else None
    special = ACTIVITY_VALUES.get(kind, {}).get(listed.key)
    if special is not None:
        return special
    if listed.show is not None:
        return listed.show
    if listed.key not in {c.key for c in table.record_columns} or listed.key in _NOT_SHOWN.get(kind, ()):
        return lambda record: None
    value_of = table.column(listed.key).value_of
    return lambda record: _date_shown(value) if isinstance(value := value_of(record), DateValue) else value


def _listed_rows(listing: list[Listed], records, table_of, overdue: frozenset):
    """Each record's values in the listing's columns; table_of(kind) is the table declaring a kind of record."""
    shown_by = {}
    for record in records:
        kind = type(record)
        if kind not in shown_by:
            shown_by[kind] = [_shown_by(item, kind, table_of(kind), overdue) for item in listing]
        yield [show(record) for show in shown_by[kind]]


_NOT_SHOWN = {ProcessRow: ("periode",)}  # shown as typed through ACTIVITY_VALUES


def activities(c: Consolidation, subtitle: str) -> Sheet:
    listing = activity_listing()
    keys = [item.key for item in listing]
    headers = [(item.header, item.width) for item in listing]
    sheet = _sheet("Aktiviteter", "Aktiviteter", c.municipality, (3, 3))
    printed = keys.index(ACTIVITY_PRINTED)
    _title(sheet, "Aktiviteter i alle teams", subtitle + " · filtrér med pilene i overskrifterne", printed)
    for col, (_text, width) in enumerate(headers):
        sheet.column_widths[col] = width
    _status_legend(sheet, 2, "aktivitetsstatus")  # 'Ja' under Forsinket has the colour of the status Forsinket
    _headers(sheet, 3, headers, listing=True)
    tables = {PlanRow: schema.plan_table(), ProcessRow: schema.PROCESPLAN, StepRecord: schema.STEPS}
    row = 4
    records = (record for read in c.reads for record in [*read.plan_rows, *read.process_rows, *read.steps])
    for values in _listed_rows(listing, records, tables.__getitem__, c.overdue_sources):
        _put_row(sheet, row, values)
        row += 1
    last = max(row - 1, 4)
    status, late = keys.index("status"), keys.index("forsinket")
    _status_colors(sheet, 4, status, last, status, "aktivitetsstatus")
    sheet.conditional_formats.append(ConditionalFormat(4, late, last, late, f'={cell(4, late)}="Ja"', "cf_overdue"))
    sheet.freeze = (4, 2)
    _as_table(sheet, "Aktiviteter", 3, last, headers)
    print_columns(sheet, printed, last)
    return sheet


def _put_row(sheet: Sheet, row: int, values: list) -> None:
    """One row of a table. An empty cell is not written where its column carries the style already."""
    styled = sheet.column_styles
    styles = tuple([None if (value is None or value == "") and col in styled
                    else "date_cell" if isinstance(value, dt.date) else "wrap_border"
                    for col, value in enumerate(values)])  # a list first: faster than from a generator
    # Rows alike share their styles: a national listing has hundreds of thousands of rows, few patterns.
    sheet.put_row(row, values, _SHARED_STYLES.setdefault(styles, styles))
    _fit_height(sheet, row, values)


_SHARED_STYLES: dict[tuple, tuple] = {}


def _fit_height(sheet: Sheet, row: int, values: list) -> None:
    """Row height for the longest wrapped text (LibreOffice does not grow rows on its own); a row of one
    line keeps the default height and needs no row record (most rows of a national workbook)."""
    widths, lines = sheet.column_widths, 1
    for col, v in enumerate(values):  # a loop, not max() over a generator: it runs for every listed cell
        if isinstance(v, str) and (len(v) > 8 and len(v) > widths.get(col, 9) or "\n" in v):
            lines = max(lines, wrapped_lines(v, widths.get(col, 9)))
    if lines > 1:
        sheet.row_heights[row] = 13 * min(lines, 12) + 2


# ---------------------------------------------------------------- Tjekliste

def checklist_matrix(c: Consolidation, subtitle: str) -> Sheet:
    teams = [t for t in c.reads if t.readable and t.criteria]
    headers = [("Nr.", 7), ("Fase", 10), ("Dimension", 16), ("Succeskriterium", 46)] + \
              [(label, 12) for label in _team_labels(c, teams)]
    sheet = _sheet("Tjekliste", "Tjekliste", c.municipality, (3, 3))
    _title(sheet, "Succeskriterier pr. team", subtitle, max(len(headers) - 1, 4))
    _headers(sheet, 3, headers)
    _status_legend(sheet, 2, "kriteriestatus")
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
        _status_colors(sheet, 4, 4, max(row - 1, 4), 3 + len(teams), "kriteriestatus")
    sheet.freeze = (4, 4)
    sheet.autofilter = (3, 0, max(row - 1, 4), len(headers) - 1)
    flow_across(sheet, len(headers) - 1, max(row - 1, 4), (0, 3), MATRIX_SCALE)
    return sheet


MATRIX_SCALE = 85  # percent: Tjekliste and Roller print the teams across pages, the first columns repeated


def _team_labels(c: Consolidation, reads) -> list[str]:
    """Column headings: the team (a reading counts one file per team: Consolidation.reads)."""
    return [r.team for r in reads]


# ---------------------------------------------------------------- Tidslinje

@dataclass(frozen=True)
class _Bar:
    team: str
    text: str
    start: dt.date
    end: dt.date | None  # None: an open period, whose bar runs to the timeline's last week
    status: str | None
    open: bool  # not finished (facts.py)
    overdue: bool


TIMELINE_COLUMNS = (("Team", 14), ("Aktivitet", 30), ("Start", 9.5), ("Slut", 9.5), ("Status", 12),
                    ("Forsinket", 8.5))
START_COL, END_COL, STATUS_COL, OVERDUE_COL = 2, 3, 4, 5
BAR_STYLES = ("wrap_border", "wrap_border", "date_cell", "date_cell", "wrap_border", "wrap_border")
MAX_TIMELINE_WEEKS = 104  # two years; what lies wholly outside is listed and counted in the subtitle
MARGIN_WEEKS = 8  # before the first and after the last open activity, and around the as-of date


def _bars(c: Consolidation) -> list[_Bar]:
    bars = []
    for read in c.reads:
        for r in read.plan_rows:
            start = r.start.start or r.slut.end or r.slut.start
            if start:
                open_end = r.slut.open_end or (r.slut.empty and r.start.open_end)
                bars.append(_bar(read.team, r.aktivitet or r.formaal or "", start,
                                 None if open_end else r.slut.end or r.start.start, r, c.overdue_sources))
        for r in read.process_rows:
            if r.start:
                bars.append(_bar(read.team, r.aktivitet or "", r.start, r.end, r, c.overdue_sources))
    rank = {read.team: i for i, read in reversed(list(enumerate(c.reads)))}
    return sorted(bars, key=lambda b: (rank.get(b.team, 0), b.start))


def _bar(team, text, start, end, record, overdue: frozenset) -> _Bar:
    return _Bar(team, text, start, end, record.status, not facts.is_finished(record), record.source in overdue)


def timeline_window(bars: list[_Bar], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """From a little before the first open activity (or the as-of date) to a little after the last: every
    open activity is inside, unless they span more than two years; then two years from a year back."""
    margin = dt.timedelta(weeks=MARGIN_WEEKS)
    open_bars = [b for b in bars if b.open]
    start = min([b.start for b in open_bars] + [as_of]) - margin
    end = max([b.end or b.start for b in open_bars] + [as_of]) + margin  # an open end runs on past it
    if end - start > dt.timedelta(weeks=MAX_TIMELINE_WEEKS):
        start = max(start, as_of - dt.timedelta(weeks=MAX_TIMELINE_WEEKS // 2))
        end = start + dt.timedelta(weeks=MAX_TIMELINE_WEEKS)
    return start, end


def _outside_window(bars: list[_Bar], first: dt.date, last: dt.date):
    """The bars that end before the first week, those inside the weeks shown, and those that start after."""
    before, shown, after = [], [], []
    for bar in bars:
        ended = bar.end is not None and max(bar.start, bar.end) < first  # an open period never ends before
        (before if ended else after if bar.start > last else shown).append(bar)
    return before, shown, after


def timeline(c: Consolidation, subtitle: str) -> Sheet:
    bars = _bars(c)
    sheet = _sheet("Tidslinje", "Tidslinje", c.municipality, (3, 4))
    for col, (text, width) in enumerate(TIMELINE_COLUMNS):
        sheet.put(4, col, text, "header")
        sheet.column_widths[col] = width
    first_col = len(TIMELINE_COLUMNS)
    start, end = timeline_window(bars, c.as_of)
    periods = _weeks(start, end)
    for i, (p_start, p_end) in enumerate(periods):
        col = first_col + i
        sheet.put(3, col, p_start.isocalendar()[1], "week_number")
        sheet.put(4, col, p_start, "week_date")
        sheet.column_widths[col] = 2.7
    last_col = first_col + len(periods) - 1
    notes = [said("tidslinje", "undertitel")]
    before, shown, after = _outside_window(bars, periods[0][0], periods[-1][1])
    if before:
        notes.append(counted(said("tidslinje", "før"), len(before), dato=f"{periods[0][0]:%d-%m-%Y}"))
    if after:
        notes.append(counted(said("tidslinje", "efter"), len(after), dato=f"{periods[-1][1]:%d-%m-%Y}"))
    if not any(b.open for b in before + after):
        notes.insert(1, said("tidslinje", "dækker"))
    _title(sheet, "Tidslinje for alle teams", f"{subtitle} · {' '.join(notes)}", min(last_col, first_col + 40))
    legend(sheet, 2, 0, said("forklaring", "tidslinje"),
           [(said("forklaring", "planlagt"), "legend_cf_bar"), (said("forklaring", "afsluttet"), "legend_cf_bar_done"),
            (said("forklaring", "forsinket_bjælke"), "legend_cf_bar_overdue"),
            (said("forklaring", "opgørelsesdato"), "legend_cf_today"),
            (said("forklaring", "forsinket_celle"), "legend_cf_overdue")])
    row = 5
    for bar in shown:
        # An open end's Slut is a text, which a comparison with a date finds later than every date (Excel
        # and LibreOffice alike): the bar runs to the last week.
        values = [bar.team, bar.text, bar.start, _end(bar.end, bar.end is None), bar.status,
                  "Ja" if bar.overdue else None]
        sheet.put_row(row, values, BAR_STYLES)
        _fit_height(sheet, row, [bar.team, bar.text, bar.status])
        row += 1
    last_row = max(row - 1, 5)
    for i, (p_start, p_end) in enumerate(periods):
        if p_start <= c.as_of <= p_end:
            sheet.conditional_formats.append(ConditionalFormat(3, first_col + i, last_row, first_col + i, "=TRUE",
                                                               "cf_today", True))
    sheet.conditional_formats.append(ConditionalFormat(5, OVERDUE_COL, last_row, OVERDUE_COL,
                                                       f'={cell(5, OVERDUE_COL)}="Ja"', "cf_overdue"))
    sheet.conditional_formats += _timeline_bars(4, first_col, last_row, last_col)
    sheet.freeze = (5, 2)
    sheet.autofilter = (4, 0, last_row, len(TIMELINE_COLUMNS) - 1)
    flow_across(sheet, last_col, last_row, (0, 1), TIMELINE_SCALE)
    sheet.print_setup.across_first = True  # the weeks read on from page to page
    return sheet


TIMELINE_SCALE = 75  # percent: the weeks flow across pages, Team and Aktivitet repeated on each


def _timeline_bars(header_row: int, first_col: int, last_row: int, last_col: int):
    """The bars, drawn by conditional formatting from each row's Start, Slut, Status and Forsinket (as in
    a team's Procesplan): a national timeline of thousands of activities then costs no cell per week."""
    in_period, done, overdue = bar_conditions(header_row + 1, first_col, header_row)
    return [ConditionalFormat(header_row + 1, first_col, last_row, last_col, f"=AND({in_period},{done})",
                              "cf_bar_done", True),
            ConditionalFormat(header_row + 1, first_col, last_row, last_col, f"=AND({in_period},{overdue})",
                              "cf_bar_overdue", True),
            ConditionalFormat(header_row + 1, first_col, last_row, last_col, f"={in_period}", "cf_bar", True)]


def bar_conditions(row: int, col: int, header_row: int) -> tuple[str, str, str]:
    """For the timeline cell at (row, col): does its week meet the row's Start-Slut, is the row done, and
    is it overdue."""
    start, end, status, late = (f"${cell(row, c)}" for c in (START_COL, END_COL, STATUS_COL, OVERDUE_COL))
    in_period, done = week_conditions(start, end, status, f"{col_letter(col)}${header_row + 1}")  # Monday
    return in_period, done, f'{late}="Ja"'


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
    _title(sheet, "Risici, efter score", subtitle, [item.key for item in listing].index("status"))
    for col, (_text, width) in enumerate(headers):
        sheet.column_widths[col] = width
    scores = said("forklaring", "score_værdier")
    statuses = [v for v in content.value_lists()["risikostatus"].values if v in STATUS_COLORS]
    col = legend(sheet, 2, 0, said("forklaring", "score"), [(v, f"legend_risk_{i}") for i, v in enumerate(scores)])
    legend(sheet, 2, col, said("forklaring", "status"), [(v, f"legend_cf_status_{v}") for v in statuses])
    _headers(sheet, 3, headers, listing=True)
    all_risks = sorted((risk for r in c.reads for risk in r.risks), key=lambda risk: (-(risk.score or 0), risk.team))
    row = 4
    for values in _listed_rows(listing, all_risks, lambda kind: schema.RISKS, c.overdue_sources):
        _put_row(sheet, row, values)
        row += 1
    keys = [item.key for item in listing]
    if all_risks:
        score, status = keys.index("score"), keys.index("status")
        sheet.color_scales.append(ColorScale(4, score, row - 1, score, *RISK_SCALE))
        _status_colors(sheet, 4, status, row - 1, status, "risikostatus")
    sheet.freeze = (4, 1)
    _as_table(sheet, "Risici", 3, row - 1, headers)
    print_columns(sheet, keys.index("status"), max(row - 1, 4))
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
        shown = [role.level, role.name]
        for i, read in enumerate(teams):
            names = next((r.navne for r in read.roles if r.rolle == role.name), None)
            sheet.put(row, 2 + i, names or "Ikke besat", "wrap_border" if names else "unfilled")
            shown.append(names)
        _fit_height(sheet, row, shown)
        row += 1
    sheet.freeze = (4, 2)
    flow_across(sheet, len(headers) - 1, row - 1, (0, 1), MATRIX_SCALE)
    return sheet


# ---------------------------------------------------------------- Problemer, Kilder, metadata

def problems(c: Consolidation, subtitle: str) -> Sheet:
    """Every problem. Printed from Niveau to Sådan rettes det; the file name stays on screen (the team
    names it on paper)."""
    headers = [("Niveau", 9), ("Kode", 7), ("Team", 18), ("Ark", 18), ("Celle", 7), ("Besked", 48),
               ("Sådan rettes det", 48), ("Fil", 30)]
    sheet = _sheet("Problemer", "Problemer", c.municipality, (3, 3))
    _title(sheet, "Problemer at rette", subtitle + " · fejl skal rettes; advarsler er læst, men fortolket",
           len(headers) - 2)
    for col, (_text, width) in enumerate(headers):
        sheet.column_widths[col] = width
    legend(sheet, 2, 0, said("forklaring", "niveau"), [(said("forklaring", "fejl"), "legend_cf_status_Forsinket"),
                                                       (said("forklaring", "advarsel"), "legend_cf_status_I gang")])
    _headers(sheet, 3, headers, listing=True)
    team_of = {r.file: r.team for r in [*c.reads, *(n.read for n in c.not_counted)]}
    row = 4
    for p in sorted(c.problems, key=lambda p: (p.file or "", p.severity.rank)):
        _put_row(sheet, row, [p.severity.label, p.code, team_of.get(p.file), p.sheet, p.cell, p.message, p.fix,
                              p.file])
        row += 1
    last = max(row - 1, 4)
    sheet.conditional_formats += [
        ConditionalFormat(4, 0, last, 0, f'={cell(4, 0)}="Fejl"', "cf_status_Forsinket"),
        ConditionalFormat(4, 0, last, 0, f'={cell(4, 0)}="Advarsel"', "cf_status_I gang")]
    sheet.freeze = (4, 0)
    _as_table(sheet, "Problemer", 3, last, headers)
    print_columns(sheet, len(headers) - 2, last)
    return sheet


def sources(c: Consolidation, subtitle: str) -> Sheet:
    """Each file read. Printed without the SHA-256 (for a script, not for paper)."""
    # Lavet af xlplan: when xlplan made the workbook (its own sheet says so); Filens tidspunkt: the file's
    # time in the folder, which is when it was saved or copied there, not necessarily when the team saved it.
    # Talt med: whether the file counts in the reading; a team's other files (not counted) say why on Problemer.
    headers = [("Fil", 34), ("Team", 20), ("Læst", 8), ("Talt med", 12), ("Skabelon", 14), ("Version", 8),
               ("Lavet af xlplan", 16), ("Filens tidspunkt", 16), ("Størrelse (kB)", 10), ("Rækker læst", 9),
               ("Fejl", 6), ("Advarsler", 9), ("SHA-256", 66)]
    sheet = _sheet("Kilder", "Kilder", c.municipality, (3, 3))
    _title(sheet, "Læste filer", subtitle, len(headers) - 2)
    _headers(sheet, 3, headers, listing=True)
    row = 4
    said = content.load_yaml("samlet.yaml")["talt_med"]
    rows = [(r, said["ja"] if r.readable else None) for r in c.reads]
    rows += [(n.read, said["kopi" if n.copy else "nej"].format(fil=n.counted.file)) for n in c.not_counted]
    for r, counted in rows:
        warnings = sum(1 for p in r.problems if p.is_warning)
        _put_row(sheet, row, [r.file, r.team or None, "Ja" if r.readable else "Nej", counted, r.template_id,
                              r.template_version, _date_time(r.generated), _date_time(r.modified),
                              round(r.size / 1024, 1), len(r.rows_seen), len(r.errors), warnings, r.sha256])
        row += 1
    sheet.freeze = (4, 1)
    print_columns(sheet, len(headers) - 2, max(row - 1, 4))
    _as_table(sheet, "Kilder", 3, row - 1, headers)
    return sheet


def _as_table(sheet: Sheet, name: str, header_row: int, last_row: int, headers) -> None:
    """The listing as an Excel Table with a stable Danish name, so Power Query, Power BI and polars find it
    by name; the table's own filter buttons replace the sheet's autofilter."""
    sheet.autofilter = None
    sheet.tables.append(Table(name, header_row, 0, max(last_row, header_row + 1), len(headers) - 1,
                              [h for h, _ in headers]))


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
