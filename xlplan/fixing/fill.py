"""The data of a returned workbook, ready to be written into a fresh one (annotated copies, migration).

Each table becomes rows of {column key: value}, in the order they were read, with the source row
of each so that a problem found at the old place can be shown at the new one. Nothing the team wrote
is left behind: invalid values and dates go back as typed, the team's own columns beside the table
(`EXTRA` in a row: header -> value, with the number format it was shown with), the rows the team
added to the template's lists (own criteria, roles, steps) after them, and the label rows it added
to an Opfølgning block.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from xlplan.core import schema
from xlplan.core.records import DateValue, Source, WorkbookRead
from xlplan.workbook.table import EXTRA
from xlplan.xlsx.model import Formatted


@dataclass
class PlanFill:
    name: str
    description: str | None
    rows: list[dict[str, object]]
    sources: list[Source]
    followup: dict[str, object]
    followup_extra: dict[str, object] = field(default_factory=dict)  # label rows the team added
    followup_source: Source | None = None


@dataclass
class Fill:
    overview: dict[str, object]
    people: list[dict[str, object]]
    plans: list[PlanFill]
    process: list[dict[str, object]]
    process_sources: list[Source]
    criteria: dict[str, dict[str, object]]
    criteria_sources: dict[str, Source]
    steps: dict[int, dict[str, object]]
    step_sources: dict[int, Source]
    roles: dict[str, dict[str, object]]
    role_sources: dict[str, Source]
    risks: list[dict[str, object]]
    risk_sources: list[Source]
    people_sources: list[Source] = field(default_factory=list)
    # The team's own columns by the role of the sheet they stood on (plan:1, procesplan, fase:2 ...), in order.
    extra_headers: dict[str, list[str]] = field(default_factory=dict)
    # Rows the team added where the template lays out the rows: by role, (values, source) in order.
    own_rows: dict[str, list[tuple[dict[str, object], Source]]] = field(default_factory=dict)


def cell_value(value):
    """What to write for a read value: a real date stays a date; a typed period or text stays as typed."""
    if isinstance(value, DateValue):
        if value.raw is None:
            return None
        if value.start and value.start == value.end and _plain_date(value):
            return value.start
        return value.raw
    return value


OPENING_DATES = frozenset({"start", "fra"})  # the date columns that take a period's first day; the others its last


def understood_day(column: schema.Column, value) -> object:
    """A date cell's value for a fixing copy: a date typed as text ("30/9-2026", "uge 40") becomes the day xlplan
    read (the first day of a period for Start and Fra, its last for the others), so that the team's own formulas
    count it; the typed text is listed on the copy's Rettelser sheet. An open period ("fra 1. oktober 2026") stays
    as typed: a day would give it an end. Anything else as cell_value writes it."""
    if column.kind == schema.DATE and is_understood_day(value):
        return value.start if column.key in OPENING_DATES else value.end
    return cell_value(value)


def is_understood_day(value) -> bool:
    """A date typed as text that a fixing copy writes as the day xlplan read: one day, written with its year.
    A period ("uge 40-42") would lose its other days in one date cell, an open one ("fra 1. oktober") would
    get an end, and a year xlplan chose (RB050, RB051) would turn a guess into a date nobody is asked about:
    those stay as typed."""
    return (isinstance(value, DateValue) and value.raw is not None and value.start is not None
            and value.start == value.end and not value.open_end and not value.year_inferred
            and not _plain_date(value))


def _plain_date(value: DateValue) -> bool:
    return value.raw == value.start.strftime("%d-%m-%Y")  # a real date: cell_value writes it as one


def _timeline_from_period(record, row: dict[str, object]) -> None:
    """A procesplan row whose period is written only as text gets Fra and Til from it in a fixing copy: the
    sheet's timeline and overdue marks see only real dates."""
    period = record.periode
    if period.start and not period.open_end and not period.year_inferred and record.fra.empty and record.til.empty:
        row["fra"] = period.start  # (an open period would get a day's end; a chosen year would become a fact)
        row["til"] = period.end if period.end != period.start else None


def _row(read: WorkbookRead, table: schema.Table, record, own: bool = False,
         understood: bool = False) -> dict[str, object]:
    """The record's values by column key, as they are to be written; where no valid value could be
    read, the text the team typed. A row the team added also has the template's own columns (an own
    criterion's id and text, an own role's purpose). With `understood` (a fixing copy), dates typed as text
    are written as the dates xlplan read (understood_day)."""
    value_for = understood_day if understood else (lambda _column, value: cell_value(value))
    row: dict[str, object] = {}
    extra = dict(getattr(record, "extra", {}))
    for column in table.columns if own else table.input_columns:
        if column.kind == schema.FORMULA:
            continue
        value = value_for(column, column.value_of(record)) if column.record_field else extra.pop(column.header, None)
        if value is None:
            value = record.invalid.get(column.key)
        row[column.key] = value
    if understood and table is schema.PROCESPLAN:
        _timeline_from_period(record, row)
    row[EXTRA] = _typed_extras(read, record, extra)
    return row


def _typed_extras(read: WorkbookRead, record, extra: dict[str, str]) -> dict[str, object]:
    """The team's own columns of a record, each value as it was typed where it was not text."""
    columns = read.extra_columns.get(record.source.sheet, {}) if record.source else {}
    values = {}
    for header, text in extra.items():
        col = columns.get(header)
        where = (record.source.sheet, record.source.row - 1, col)
        value = read.typed.get(where, text) if col is not None else text
        number_format = read.number_formats.get(where)
        values[header] = Formatted(value, number_format) if number_format is not None else value
    return values


def _block(fields, record) -> dict[str, object]:
    values = {column.key: cell_value(column.value_of(record)) for column in fields}
    for key, text in getattr(record, "invalid", {}).items():
        if values.get(key) is None:
            values[key] = text
    return values


def _role(read: WorkbookRead, record) -> str:
    return read.sheet_roles.get(record.source.sheet, "") if record.source else ""


def _extra_headers(read: WorkbookRead, rows_by_role: dict[str, list[dict[str, object]]]) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for role, rows in rows_by_role.items():
        for row in rows:
            for header in row.get(EXTRA, {}):
                if header not in headers.setdefault(role, []):
                    headers[role].append(header)
    return headers


def fill_from(read: WorkbookRead, understood_dates: bool = False) -> Fill:
    """The data to write into a fresh copy; with `understood_dates` (a fixing copy), dates typed as text are
    written as the dates xlplan read (understood_day)."""
    row = partial(_row, read, understood=understood_dates)
    plan_table = schema.plan_table()
    plans: dict[str, PlanFill] = {}
    for sheet, name, description in read.focus_points:
        plans[sheet] = PlanFill(name, description, [], [], {})
    for r in read.plan_rows:
        plan = plans.setdefault(r.source.sheet, PlanFill(r.focus_point, None, [], [], {}))
        plan.rows.append(row(plan_table, r))
        plan.sources.append(r.source)
    for f in read.followups:
        plan = plans.get(f.source.sheet)
        if plan is not None:
            plan.followup = _block(schema.followup_fields(), f)
            plan.followup_extra = dict(f.extra)
            plan.followup_source = f.source
    info = read.info
    overview = {} if info is None else _block(schema.OVERVIEW_FIELDS, info)
    tables = (("criteria", schema.CHECKLIST), ("roles", schema.ROLES), ("steps", schema.STEPS))
    own_rows: dict[str, list[tuple[dict[str, object], Source]]] = {}
    for attribute, table in tables:
        for record in getattr(read, attribute):
            if record.own:
                own_rows.setdefault(_role(read, record), []).append((row(table, record, own=True),
                                                                     record.source))
    template = {attribute: [r for r in getattr(read, attribute) if not r.own] for attribute, _table in tables}
    fill = Fill(
        overview=overview,
        people=[row(schema.PEOPLE, p) for p in read.people],
        people_sources=[p.source for p in read.people],
        plans=list(plans.values()),
        process=[row(schema.PROCESPLAN, r) for r in read.process_rows],
        process_sources=[r.source for r in read.process_rows],
        criteria={c.id: row(schema.CHECKLIST, c) for c in template["criteria"]},
        criteria_sources={c.id: c.source for c in template["criteria"]},
        steps={s.nr: row(schema.STEPS, s) for s in template["steps"]},
        step_sources={s.nr: s.source for s in template["steps"]},
        roles={r.rolle: row(schema.ROLES, r) for r in template["roles"]},
        role_sources={r.rolle: r.source for r in template["roles"]},
        risks=[{**row(schema.RISKS, r), "nr": r.nr if r.nr is not None else r.invalid.get("nr")}
               for r in read.risks],
        risk_sources=[r.source for r in read.risks],
        own_rows=own_rows,
    )
    by_role: dict[str, list[dict[str, object]]] = {}
    for i, plan in enumerate(fill.plans, 1):
        by_role[f"plan:{i}"] = plan.rows
    by_role["procesplan"], by_role["risikolog"], by_role["personer"] = fill.process, fill.risks, fill.people
    for attribute, table in tables:
        for record in template[attribute]:
            by_role.setdefault(_role(read, record), []).append(row(table, record))
    for role, rows in own_rows.items():
        by_role.setdefault(role, []).extend(values for values, _source in rows)
    fill.extra_headers = _extra_headers(read, by_role)
    return fill
