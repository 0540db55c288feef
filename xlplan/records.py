"""Typed records read back from a team workbook. Every record knows its source: file, sheet, cell."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields

from .errors import Problem


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str
    cell: str  # A1 reference of the row's first cell, or of the field itself
    row: int  # 1-based, as Excel shows it


@dataclass(frozen=True)
class DateValue:
    """A date field as typed (raw) and as understood (start and end; equal for a single day)."""

    raw: str | None
    start: dt.date | None
    end: dt.date | None

    @property
    def empty(self) -> bool:
        return self.raw is None and self.start is None


NO_DATE = DateValue(None, None, None)


@dataclass
class PlanRow:
    team: str
    focus_point: str
    formaal: str | None
    aktivitet: str | None
    ansvarlig: str | None
    start: DateValue
    slut: DateValue
    delmaal: str | None
    delmaal_dato: DateValue
    smart: dict[str, str | None]
    maal: str | None
    maal_dato: DateValue
    status: str | None
    bemaerkning: str | None
    source: Source
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class FollowUp:
    team: str
    focus_point: str
    hvornaar: str | None
    hvem_informeres: str | None
    ansvarlig: str | None
    source: Source


@dataclass
class ProcessRow:
    team: str
    periode: DateValue  # the free text "Dato/periode", understood
    fra: DateValue
    til: DateValue
    aktivitet: str | None
    opmaerksomhed: str | None
    ansvarlig: str | None
    status: str | None
    source: Source
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def start(self) -> dt.date | None:
        return self.fra.start or self.periode.start

    @property
    def end(self) -> dt.date | None:
        return self.til.end or self.fra.end or self.periode.end


@dataclass
class CriterionRecord:
    team: str
    checklist: str  # "faser" or "rolleansvar"
    id: str
    phase: str | None  # phase id for FFB criteria
    dimension: str | None
    text: str
    level: int
    status: str | None
    ansvarlig: str | None
    deadline: DateValue
    bemaerkning: str | None
    source: Source


@dataclass
class StepRecord:
    team: str
    nr: int
    trin: str
    status: str | None
    ansvarlig: str | None
    start: DateValue
    deadline: DateValue
    bemaerkning: str | None
    source: Source


@dataclass
class RoleRecord:
    team: str
    niveau: str
    rolle: str
    navne: str | None
    source: Source

    @property
    def filled(self) -> bool:
        return bool(self.navne and self.navne.strip())


@dataclass
class RiskRecord:
    team: str
    nr: int | None
    risiko: str | None
    sandsynlighed: int | None
    konsekvens: int | None
    handling: str | None
    ansvarlig: str | None
    frist: DateValue
    status: str | None
    source: Source

    @property
    def score(self) -> int | None:
        if self.sandsynlighed is None or self.konsekvens is None:
            return None
        return self.sandsynlighed * self.konsekvens


@dataclass
class PersonRecord:
    team: str
    navn: str | None
    rolle: str | None
    team_navn: str | None
    source: Source


@dataclass
class TeamInfo:
    team: str
    kommune: str | None = None
    metode: str | None = None
    aktuel_fase: str | None = None
    kontaktperson: str | None = None
    kontakt_email: str | None = None
    opfoelgningsrytme: str | None = None
    naeste_opfoelgning: DateValue = NO_DATE
    opdateret: DateValue = NO_DATE
    udfyldt_af: str | None = None


@dataclass
class WorkbookRead:
    """Everything read from one file: records, problems, and what identifies the file."""

    file: str
    path: str
    sha256: str
    size: int
    modified: dt.datetime | None
    team: str = ""
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
    rows_seen: list[Source] = field(default_factory=list)  # every non-empty data row that was read
    # What it takes to carry the data onto a fresh workbook (annotated copies, migration):
    focus_points: list[tuple[str, str, str | None]] = field(default_factory=list)  # (sheet, name, description)
    timeline_start: dt.date | None = None
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> column key -> column index
    invalid: dict[tuple[str, int, str], str] = field(default_factory=dict)  # (sheet, row, key) -> the text typed
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


def to_jsonable(value):
    """Records to plain JSON values: dates as ISO text, DateValues with raw text and interpreted start/end."""
    if isinstance(value, DateValue):
        return {"tekst": value.raw, "start": value.start.isoformat() if value.start else None,
                "slut": value.end.isoformat() if value.end else None}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
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
