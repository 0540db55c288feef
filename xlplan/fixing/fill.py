"""The data of a returned workbook, ready to be written into a fresh one (annotated copies, migration).

Each table becomes rows of {column key: value}, in the order they were read, with the source row
of each so that a problem found at the old place can be shown at the new one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from xlplan.core import schema
from xlplan.core.records import DateValue, Source, WorkbookRead


@dataclass
class PlanFill:
    name: str
    description: str | None
    rows: list[dict[str, object]]
    sources: list[Source]
    followup: dict[str, object]


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
    roles: dict[str, object]
    role_sources: dict[str, Source]
    risks: list[dict[str, object]]
    risk_sources: list[Source]
    people_sources: list[Source] = field(default_factory=list)
    unplaced: list[tuple[Source, str, str]] = field(default_factory=list)  # (source, header, text)


def cell_value(value):
    """What to write for a read value: a real date stays a date; a typed period or text stays as typed."""
    if isinstance(value, DateValue):
        if value.raw is None:
            return None
        if value.start and value.start == value.end and value.raw == value.start.strftime("%d-%m-%Y"):
            return value.start
        return value.raw
    return value


def _row(read: WorkbookRead, table: schema.Table, record) -> dict[str, object]:
    """The record's values by column key, as they are to be written; where no valid value could be
    read, the text the team typed."""
    row = {}
    for column in table.input_columns:
        value = cell_value(column.value_of(record))
        if value is None:
            value = record.invalid.get(column.key)
        row[column.key] = value
    return row


def _block(fields, record) -> dict[str, object]:
    return {column.key: cell_value(column.value_of(record)) for column in fields}


def fill_from(read: WorkbookRead) -> Fill:
    plan_table = schema.plan_table()
    plans: dict[str, PlanFill] = {}
    for sheet, name, description in read.focus_points:
        plans[sheet] = PlanFill(name, description, [], [], {})
    for r in read.plan_rows:
        plan = plans.setdefault(r.source.sheet, PlanFill(r.focus_point, None, [], [], {}))
        plan.rows.append(_row(read, plan_table, r))
        plan.sources.append(r.source)
    for f in read.followups:
        plan = plans.get(f.source.sheet)
        if plan is not None:
            plan.followup = _block(schema.followup_fields(), f)
    info = read.info
    overview = {} if info is None else _block(schema.OVERVIEW_FIELDS, info)
    unplaced = [(r.source, header, text) for r in read.records() for header, text in getattr(r, "extra", {}).items()]
    return Fill(
        overview=overview,
        people=[_row(read, schema.PEOPLE, p) for p in read.people],
        people_sources=[p.source for p in read.people],
        plans=list(plans.values()),
        process=[_row(read, schema.PROCESPLAN, r) for r in read.process_rows],
        process_sources=[r.source for r in read.process_rows],
        criteria={c.id: _row(read, schema.CHECKLIST, c) for c in read.criteria},
        criteria_sources={c.id: c.source for c in read.criteria},
        steps={s.nr: _row(read, schema.STEPS, s) for s in read.steps},
        step_sources={s.nr: s.source for s in read.steps},
        roles={r.rolle: r.navne for r in read.roles},
        role_sources={r.rolle: r.source for r in read.roles},
        risks=[_row(read, schema.RISKS, r) for r in read.risks],
        risk_sources=[r.source for r in read.risks],
        unplaced=unplaced,
    )
