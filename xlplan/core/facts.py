"""Facts derived from one record, each decided here and nowhere else: whether it is finished, which
dates are watched for it, whether it is overdue, and whether it lacks a responsible person.

Progress, the management workbook, the history, the JSON and the CLI only display these facts. The
meaning of a status ("finished", "in progress", "not relevant") comes from data/lister.yaml through
the value list that the record's table declares for its Status column.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlplan.core import content, schema
from xlplan.core.records import CriterionRecord, DateValue, PlanRow, ProcessRow, RiskRecord, Source, StepRecord

ACTIVITY, SUBGOAL, GOAL, PROCESS, CRITERION, STEP = (
    "Aktivitet", "Delmål", "Mål", "Procesplan", "Kriterium", "Trin")  # the kinds of dated things, as shown


@dataclass(frozen=True)
class Due:
    """A date to watch on a record: an activity's end, a delmål, a mål, a criterion's or a step's deadline."""

    kind: str  # one of the kinds above
    text: str
    date: dt.date
    responsible: str | None
    status: str | None
    source: Source


def status_list(record) -> str:
    """The value list that gives the record's status its meaning."""
    if isinstance(record, CriterionRecord):
        return "kriteriestatus"
    if isinstance(record, RiskRecord):
        return "risikostatus"
    return "aktivitetsstatus"


def is_finished(record) -> bool:
    """Finished, met, cancelled or not relevant: nothing more is expected of it."""
    statuses = content.value_lists()[status_list(record)]
    return record.status in statuses.done or record.status in statuses.not_relevant


def _when(value: DateValue) -> dt.date | None:
    """The day a date field is due: its last day; none for an open period, which has no end to be late by."""
    return None if value.open_end else value.end or value.start


WATCHED = (PlanRow, ProcessRow, CriterionRecord, StepRecord)  # the records that can be overdue


def is_watched(record) -> bool:
    return isinstance(record, WATCHED)


def name_of(kind: str, text: str | None, source: Source | None) -> str:
    """What a dated thing is called wherever it is listed: its text, or, without one, its kind and where it
    stands ("Delmål uden tekst (Sigtepunkt 1, række 12)"), so that nothing that moves a figure is nameless."""
    if text and text.strip():
        return text
    if source is None:
        return ""
    said = content.load_yaml("tekster.yaml")["uden_tekst"]
    return said["tekst"].format(slags=said["slags"][kind], ark=source.sheet, række=source.row)


def due_dates(record) -> list[Due]:
    """The dates watched on `record`, whatever its status; one without a text is named by name_of."""
    def due(kind, text, when):
        return [Due(kind, name_of(kind, text, record.source), when, record.ansvarlig, record.status,
                    record.source)] if when else []

    if isinstance(record, PlanRow):
        return (due(ACTIVITY, record.aktivitet or record.formaal, _when(record.slut))
                + due(SUBGOAL, record.delmaal, _when(record.delmaal_dato))
                + due(GOAL, record.maal, _when(record.maal_dato)))
    if isinstance(record, ProcessRow):
        return due(PROCESS, record.aktivitet, record.end)
    if isinstance(record, CriterionRecord):
        return due(CRITERION, f"{record.id} {record.text}", _when(record.deadline))
    if isinstance(record, StepRecord):
        return due(STEP, record.trin, _when(record.deadline))
    return []


def open_due_dates(record) -> list[Due]:
    """The watched dates that still matter: none once the record is finished."""
    return [] if is_finished(record) else due_dates(record)


def is_unowned(record) -> bool:
    """A plan row that says what is to be done, but not who does it."""
    return isinstance(record, PlanRow) and bool(record.aktivitet or record.formaal) and not record.ansvarlig


def is_open_risk(record: RiskRecord) -> bool:
    return not is_finished(record)


def _filled(value) -> bool:
    if isinstance(value, DateValue):
        return not value.empty
    if isinstance(value, dict):
        return any(v not in (None, "") for v in value.values())
    return value not in (None, "")


def _default(column) -> str | None:
    """The value a generated workbook starts with in a list column (the list's first value)."""
    if column.kind != schema.CHOICE or column.values not in content.value_lists():
        return None  # no list, or one made for the workbook (the phases or steps), which starts blank
    return content.value_lists()[column.values].values[0]


def has_team_input(record, columns) -> bool:
    """Whether the team wrote anything in `columns` of the record; the values a generated workbook
    starts with (a status of 'Ikke påbegyndt') do not count."""
    return any(_filled(value) and value != _default(column)
               for column in columns if column.is_input for value in [column.value_of(record)])


def is_untouched(read) -> bool:
    """A readable workbook returned with nothing written in it: no plan, procesplan or risk rows, and no
    status, responsible person, date or remark on any criterion, step, role or follow-up. What the
    generator filled in (the team, the people, the first follow-up date) does not count."""
    if not read.readable or read.plan_rows or read.process_rows or read.risks:
        return False
    checked = [(read.criteria, schema.CHECKLIST.columns), (read.steps, schema.STEPS.columns),
               (read.roles, schema.ROLES.columns), (read.followups, schema.followup_fields())]
    if any(has_team_input(r, columns) or r.own or r.extra for records, columns in checked[:3] for r in records) \
            or any(has_team_input(r, schema.followup_fields()) or r.extra for r in read.followups):
        return False
    info = read.info
    own = [c for c in schema.OVERVIEW_FIELDS if c.key in ("aktuel_fase", "opdateret", "udfyldt_af")]
    return info is None or not has_team_input(info, own)
