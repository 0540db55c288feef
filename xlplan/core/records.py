"""Typed records read back from a team workbook. Every record knows its source: file, sheet, cell."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, make_dataclass

from xlplan.core import schema
from xlplan.core.errors import Problem


@dataclass(frozen=True, slots=True)  # one per record: a national consolidation holds hundreds of thousands
class Source:
    file: str
    sheet: str
    cell: str  # A1 reference of the row's first cell, or of the field itself
    row: int  # 1-based, as Excel shows it

    def __reduce__(self):
        # A frozen dataclass with slots unpickles through dataclasses' __setstate__, in Python, at twice the
        # time: the workers send hundreds of thousands of these to the parent.
        return Source, (self.file, self.sheet, self.cell, self.row)


@dataclass(frozen=True, slots=True)  # several per record
class DateValue:
    """A date field as typed (raw) and as understood (start and end; equal for a single day; no end for an
    open period, "fra 1. oktober 2026"). `year_inferred`: the text had no year, and the year rule chose it
    (the reader said so at the cell)."""

    raw: str | None
    start: dt.date | None
    end: dt.date | None
    year_inferred: bool = False

    def __reduce__(self):
        return DateValue, (self.raw, self.start, self.end, self.year_inferred)  # as Source's

    @property
    def empty(self) -> bool:
        return self.raw is None and self.start is None

    @property
    def open_end(self) -> bool:
        """A start and no end: the period goes on ("fra 1. oktober 2026", "løbende fra august")."""
        return self.start is not None and self.end is None


NO_DATE = DateValue(None, None, None)


# ---------------------------------------------------------------- the records, made from the tables

class ProcessRowFacts:
    __slots__ = ()  # its records have slots

    @property
    def start(self) -> dt.date | None:
        return self.fra.start or self.periode.start

    @property
    def end(self) -> dt.date | None:
        """The last day: Til's, else Fra's, else the period's, whichever is the first that holds a date;
        None for an open period (and for a row without a date)."""
        for value in (self.til, self.fra, self.periode):
            if value.start:
                return value.end
        return None

    @property
    def open_end(self) -> bool:
        return self.start is not None and self.end is None


class RiskFacts:
    __slots__ = ()  # its records have slots

    @property
    def score(self) -> int | None:
        if self.sandsynlighed is None or self.konsekvens is None:
            return None
        return self.sandsynlighed * self.konsekvens


class RoleFacts:
    __slots__ = ()  # its records have slots

    @property
    def filled(self) -> bool:
        return bool(self.navne and self.navne.strip())


_KIND_TYPES = {schema.DATE: DateValue, schema.PERIOD: DateValue, schema.SCALE: int | None}


def _column_fields(columns) -> list[tuple]:
    """A record field for every column the record keeps; one dict for the columns of a group (SMART)."""
    fields, seen = [], set()
    for column in columns:
        name = column.attribute
        if name is None or name in seen:
            continue
        seen.add(name)
        if "." in column.record_field:
            fields.append((name, dict, field(default_factory=dict)))
        elif column.kind in (schema.DATE, schema.PERIOD):
            fields.append((name, DateValue, field(default=NO_DATE)))
        elif name in ("nr", "level"):
            fields.append((name, int | None, field(default=None)))
        else:
            fields.append((name, _KIND_TYPES.get(column.kind, str | None), field(default=None)))
    return fields


def _record_class(name: str, doc: str, columns, context=(), extra=True, own_rows=False, base=object) -> type:
    """A record class whose fields are the columns' record fields, with the context before them and the
    source after: a column added to a table is a field here. Every record keeps what could not be read as
    a value (`invalid`: column key -> the text typed); a table's record keeps the team's own columns
    (`extra`: header -> text); and where the template lays out the rows (criteria, roles, steps), `own`
    marks a row the team added itself."""
    columns_own = _column_fields(columns)
    fields = [("team", str, field(default=""))] if "team" not in {f[0] for f in columns_own} else []
    fields += [(n, t, field(default=None)) for n, t in context] + columns_own
    fields.append(("source", Source | None, field(default=None)))
    if own_rows:
        fields.append(("own", bool, field(default=False)))
    if extra:
        fields.append(("extra", dict, field(default_factory=dict)))
    fields.append(("invalid", dict, field(default_factory=dict)))
    # Slots: a national consolidation holds hundreds of thousands of records, and a __dict__ each doubled them.
    cls = make_dataclass(name, fields, bases=(base,), kw_only=True, slots=True)
    cls.__module__ = __name__
    cls.__doc__ = doc
    return cls


PlanRow = _record_class("PlanRow", "A row of a sigtepunkt's plan.", schema.plan_table().columns,
                        context=[("focus_point", str)])
FollowUp = _record_class("FollowUp", "The Opfølgning block under a plan; `extra` holds label rows the team "
                                     "added to it (label -> answer).", schema.followup_fields(),
                         context=[("focus_point", str)])
ProcessRow = _record_class("ProcessRow", "A row of the Procesplan; `periode` is the free text, understood.",
                           schema.PROCESPLAN.columns, base=ProcessRowFacts)
CriterionRecord = _record_class(
    "CriterionRecord", "A success criterion of a checklist ('faser' or 'rolleansvar') with its status; an own "
                       "criterion (a row the team added, with its own id) counts in no share.",
    schema.CHECKLIST.columns, context=[("checklist", str), ("phase", str | None), ("dimension", str | None),
                                       ("level", int)], own_rows=True)
StepRecord = _record_class("StepRecord", "A step (trin) of the styringsgrundlag's process.", schema.STEPS.columns,
                           own_rows=True)
RoleRecord = _record_class("RoleRecord", "A role and who holds it; an own role counts in no total.",
                           schema.ROLES.columns, own_rows=True, base=RoleFacts)
RiskRecord = _record_class("RiskRecord", "A risk of the Risikolog.", schema.RISKS.columns, base=RiskFacts)
PersonRecord = _record_class("PersonRecord", "A person who can be named as responsible.", schema.PEOPLE.columns)
TeamInfo = _record_class("TeamInfo", "The fields of the team's Oversigt.", schema.OVERVIEW_FIELDS, extra=False)


@dataclass
class OwnSheet:
    """A sheet the team added: not part of the template, so not interpreted, but every text kept."""

    name: str
    texts: list[tuple[str, str]]  # (cell, text as shown)


@dataclass(frozen=True)
class CellComment:
    """A comment (note) the team wrote on a cell."""

    sheet: str
    cell: str
    author: str
    text: str


@dataclass(frozen=True)
class Unplaced:
    """A value no record holds, reported at its cell: in a column without a header (RB022), outside the
    tables and fields (RB040), or hidden under a merged cell (RB041). A fixing copy lists it."""

    sheet: str
    cell: str
    code: str
    value: object  # as typed: text, number, date or bool


@dataclass
class WorkbookRead:
    """Everything read from one file: records, problems, and what identifies the file."""

    file: str
    path: str
    sha256: str
    size: int
    modified: dt.datetime | None  # the file's time in its folder
    team: str = ""
    saved: dt.datetime | None = None  # when the workbook says it was saved (its core properties), local time
    template_id: str | None = None
    template_version: str | None = None
    generated: str | None = None
    readable: bool = True
    info: TeamInfo | None = None
    plan_rows: list[PlanRow] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    process_rows: list[ProcessRow] = field(default_factory=list)
    criteria: list[CriterionRecord] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    roles: list[RoleRecord] = field(default_factory=list)
    risks: list[RiskRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    own_sheets: list[OwnSheet] = field(default_factory=list)
    rows_seen: list[Source] = field(default_factory=list)  # every non-empty data row that was read
    # What it takes to carry the data onto a fresh workbook (annotated copies, migration):
    focus_points: list[tuple[str, str, str | None]] = field(default_factory=list)  # (sheet, name, description)
    timeline_start: dt.date | None = None
    plan_start: dt.date | None = None  # the plan's start date and its timeline's length, by the metadata
    timeline_weeks: int | None = None
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> column key -> column index
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> its table's header row (0-based)
    extra_columns: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> team's header -> column
    sheet_roles: dict[str, str] = field(default_factory=dict)  # sheet -> its role (plan:1, fase:2, procesplan ...)
    comments: list[CellComment] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    unread_sheets: list[OwnSheet] = field(default_factory=list)  # template sheets whose headers are gone (RB017)
    # Values that are not text, where a fresh copy writes what was typed (own sheets, the team's columns):
    # (sheet, row, column) 0-based -> value, and the number format they were shown with (a code or a
    # built-in format's number).
    typed: dict[tuple[str, int, int], object] = field(default_factory=dict)
    number_formats: dict[tuple[str, int, int], str | int] = field(default_factory=dict)
    sections: tuple[str, ...] = ()
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (what, old, new) read through a mapping

    def records(self):
        for kind in RECORD_KINDS:
            yield from getattr(self, kind.attribute)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass(frozen=True)
class RecordKind:
    """A kind of record read from team workbooks: where a reading keeps them, and their name in exports."""

    attribute: str  # the list on WorkbookRead
    record: type
    export_name: str  # the JSON key and the CSV/Parquet file name
    label: str  # what a person calls them, in Danish (migration's summary)


RECORD_KINDS = (
    RecordKind("plan_rows", PlanRow, "planrækker", "planrækker"),
    RecordKind("followups", FollowUp, "opfølgning", "opfølgningsblokke"),
    RecordKind("process_rows", ProcessRow, "procesplan", "procesplanrækker"),
    RecordKind("criteria", CriterionRecord, "kriterier", "kriterier"),
    RecordKind("steps", StepRecord, "trin", "trin"),
    RecordKind("roles", RoleRecord, "roller", "roller"),
    RecordKind("risks", RiskRecord, "risici", "risici"),
    RecordKind("people", PersonRecord, "personer", "personer"),
)


class _NothingMore(dict):
    """The one empty mapping that the records of a reading share where they kept nothing more (`extra`,
    `invalid`): a national reading holds hundreds of thousands of records, and an empty dict each cost
    64 bytes, twice. It refuses to be changed, so that no record can change another's."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("a record's shared empty mapping cannot be changed; give the record its own dict")

    __setitem__ = __delitem__ = __ior__ = update = setdefault = pop = popitem = clear = _refuse


def share_empty_mappings(read: WorkbookRead) -> None:
    """Lets the records of `read` that kept nothing more share one empty mapping (pickled once, too)."""
    empty = _NothingMore()
    for record in [*read.records(), *([read.info] if read.info else [])]:
        for name in ("extra", "invalid"):
            if getattr(record, name, None) == {}:
                setattr(record, name, empty)


def to_jsonable(value):
    """Records to plain JSON values: dates as ISO text, DateValues with raw text and interpreted start/end."""
    if isinstance(value, DateValue):
        return {"tekst": value.raw, "start": value.start.isoformat() if value.start else None,
                "slut": value.end.isoformat() if value.end else None, "år_udledt": value.year_inferred}
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):  # a duration, as ISO 8601 writes it: PT36H30M
        seconds = value.total_seconds()
        return f"PT{int(seconds // 3600)}H{int(seconds // 60 % 60)}M{seconds % 60:g}S"
    if isinstance(value, Problem):
        return value.as_dict()
    if hasattr(value, "__dataclass_fields__"):
        out = {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
        for extra in ("score", "filled", "start", "end"):
            if isinstance(getattr(type(value), extra, None), property):
                out[extra] = to_jsonable(getattr(value, extra))
        return out
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value
