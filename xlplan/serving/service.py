"""What `xlplan serve` does, as library calls the web pages only show: keep the plan, receive and check a
team's upload, tell the coordinator where every team stands, consolidate, and word a reminder.

Every figure comes from the library (reading, progress, history, the briefing); this module only decides
which of a team's uploads counts and what the status board says about it (`TeamStatus.state`).
"""
from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from xlplan.core import content
from xlplan.core.config import PlanConfig, Team
from xlplan.core.errors import Problem, Severity, XlplanError, problem
from xlplan.fixing.corrections import MARKED_AT_MOST
from xlplan.serving import MAX_UPLOAD_MB
from xlplan.serving.workspace import Upload, Workspace

# The states of the status board, in the order of how much they need the coordinator (data/web.yaml names them).
NOT_RECEIVED, UNREADABLE, REFUSED, ERRORS, UNTOUCHED, UNCHANGED, RECEIVED = (
    "ikke_modtaget", "kan_ikke_læses", "andet_team", "fejl", "ikke_udfyldt", "uændret", "modtaget")
NEEDS_REMINDER = {NOT_RECEIVED, UNREADABLE, REFUSED, ERRORS, UNTOUCHED}
READ_SECONDS = 20  # a team waits for its answer: a workbook that takes longer is cut off and said (RD010)
SHOWN_AT_MOST = MARKED_AT_MOST  # problems on a result page: as many as the fixing copy marks, for the same reason
REPORT_NAME = "samlet-status"


def texts() -> dict:
    """web.yaml's texts; a team not received is named as its traffic light is (trafiklys.yaml)."""
    from xlplan.reporting.progress import light_names, MISSING

    said = content.load_yaml("web.yaml")
    said["tilstande"][NOT_RECEIVED]["navn"] = light_names()[MISSING]
    return said


# ---------------------------------------------------------------- the plan

def current_plan(ws: Workspace) -> PlanConfig | None:
    """The plan in force, or None before there is one. A plan that no longer reads raises XlplanError."""
    from xlplan.workbook.planbook import load_plan

    path = ws.plan_path()
    return load_plan(path) if path else None


def save_plan_file(ws: Workspace, data: bytes, name: str) -> PlanConfig:
    """An uploaded plan.toml or plan.xlsx: checked first, and kept as a new version only when it reads."""
    import tempfile

    from xlplan.workbook.planbook import load_plan

    suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".toml"
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / f"plan{suffix}"
        trial.write_bytes(data)
        try:
            config = load_plan(trial)
        except XlplanError as exc:
            raise XlplanError([_named(p, name) for p in exc.problems]) from None
    ws.store_plan(data, suffix)
    return config


def _named(p: Problem, name: str) -> Problem:
    """A problem in an uploaded plan, spoken of by the name the coordinator knows it by."""
    from dataclasses import replace

    values = {k: (name if k == "sti" else v) for k, v in p.values.items()}
    return replace(p, file=name if p.file else None, values=values)


def save_plan_form(ws: Workspace, fields: dict[str, str], tables: dict[str, list[dict[str, str]]]) -> PlanConfig:
    """The plan typed into the form, checked by plan.xlsx's rules and kept as plan.xlsx."""
    from xlplan.workbook.planbook import plan_bytes, plan_from_form

    config = plan_from_form(fields, tables)
    ws.store_plan(plan_bytes(config), ".xlsx")
    return config


def team_workbook(config: PlanConfig, team: Team, generated: dt.datetime) -> tuple[str, bytes]:
    """The team's workbook as `xlplan ny` writes it (file name and bytes)."""
    from xlplan.workbook.generate import render_workbook, team_file_names

    names = dict(zip((t.name for t in config.teams), team_file_names(config)))
    return names[team.name], render_workbook(config, team, generated)


def all_team_workbooks(config: PlanConfig, generated: dt.datetime) -> bytes:
    """Every team's workbook in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # workbooks are compressed already
        for team in config.teams:
            name, data = team_workbook(config, team, generated)
            archive.writestr(zipfile.ZipInfo(name, generated.timetuple()[:6]), data)
    return buffer.getvalue()


def plan_generated(ws: Workspace) -> dt.datetime:
    """When the plan in force was saved: the workbooks made from it carry this time, so that a workbook
    downloaded twice is the same file."""
    path = ws.plan_path()
    stamp = path.stem.removeprefix("plan-") if path else ""
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f").replace(microsecond=0)
    except ValueError:
        return dt.datetime.now().replace(microsecond=0)


# ---------------------------------------------------------------- a team's upload

@dataclass
class CheckedUpload:
    upload: Upload
    problems: list[Problem]
    same: Upload | None = None  # the upload that counted before, when this one is the same file

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class UploadRead:
    """What the reading worker sends back for an upload: the reading, and the fixing copy it laid out and
    wrote under the same limits (None: nothing to fix, or not the team's workbook)."""

    read: object  # records.WorkbookRead
    copy: bytes | None = None


def read_upload(path: str, team: str, now: dt.datetime) -> UploadRead:
    """In the reading worker, under its time and memory limits (READ_SECONDS for both): read the upload and,
    when it is the team's own workbook and has something to fix, make its fixing copy. Nothing done with an
    upload runs unbounded in the server's request thread."""
    from xlplan.fixing.carry import fixing_copy
    from xlplan.reading import isolation

    read = isolation.read_full(path)
    made = fixing_copy(read, now) if read.readable and not _another_team(read, team) else None
    return UploadRead(read, made[0] if made else None)


def _another_team(read, team: str) -> bool:
    return bool(read.team) and read.team.casefold() != team.casefold()


# Uploads read at the same time, each by a worker process; one more is answered at once with "try again in a
# moment" (WEB010) rather than holding a thread of the server: the others stay free for the pages
# (server.THREADS is 8).
READ_AT_ONCE = 6
_reading = threading.BoundedSemaphore(READ_AT_ONCE)


def receive_upload(ws: Workspace, entry: dict[str, str], data: bytes, original_name: str) -> CheckedUpload:
    """Keep the file as sent, read it and make its fixing copy in an isolated worker like any returned file
    (read_upload), and keep the copy. A workbook made for another team is kept, said, and not counted for
    this one; the same file as the one that counted before is said too (`same`). Kept whole or not at all:
    when a write fails (a full disk, a folder without write access), nothing of the upload stays."""
    if not _reading.acquire(blocking=False):
        raise XlplanError(problem("WEB010", antal=READ_AT_ONCE))
    try:
        return _receive(ws, entry, data, original_name)
    finally:
        _reading.release()


def _receive(ws: Workspace, entry: dict[str, str], data: bytes, original_name: str) -> CheckedUpload:
    counted_before = ws.latest_usable(entry)
    upload, path = ws.store_upload(entry, data, original_name)
    kept = [path]
    try:
        return _read_and_record(ws, entry, upload, path, counted_before, kept)
    except BaseException:
        for written in kept:
            written.unlink(missing_ok=True)
        raise


def _read_and_record(ws: Workspace, entry: dict[str, str], upload, path: Path, counted_before,
                     kept: list[Path]) -> CheckedUpload:
    from functools import partial

    from xlplan.core.atomic import write_atomic
    from xlplan.fixing.carry import fixing_copy_path
    from xlplan.reading.files import check_output_path, collect_files
    from xlplan.reading.isolation import read_isolated

    files, notices = collect_files([path])
    now = dt.datetime.now().replace(microsecond=0)
    answers = read_isolated(files, timeout=READ_SECONDS, reader=partial(read_upload, team=entry["name"], now=now))
    problems = list(notices)
    if answers:
        # A worker that failed (time, memory, a crash) answers with the failed reading alone.
        read, copy = (answers[0].read, answers[0].copy) if isinstance(answers[0], UploadRead) else (answers[0], None)
        problems += read.problems
        upload.readable, upload.sha256, upload.workbook_team = read.readable, read.sha256, read.team
        if read.readable and _another_team(read, entry["name"]):
            upload.refused = "WEB002"
            problems.insert(0, problem("WEB002", hold=read.team, adresse=entry["name"]))
        if read.readable and not upload.refused and copy is not None:
            target = fixing_copy_path(read, ws.fixing_folder(entry))
            check_output_path(target, [path])
            write_atomic(target, copy, private=True)
            kept.append(target)
            upload.fixing_copy = target.name
    else:
        upload.readable = False
    upload.errors = sum(1 for p in problems if p.is_error)
    upload.warnings = sum(1 for p in problems if p.is_warning)
    upload.untouched = any(p.code == "RB032" for p in problems)
    same = counted_before if counted_before and upload.usable and counted_before.sha256 == upload.sha256 else None
    upload.same_as = same.id if same else ""  # the team is told: nothing new has come in
    ws.save_upload(upload, problems)
    return CheckedUpload(upload, problems, same)


def stored_upload(ws: Workspace, entry: dict[str, str], upload_id: str) -> CheckedUpload | None:
    found = ws.upload(entry, upload_id)
    if found is None:
        return None
    return CheckedUpload(found, ws.upload_problems(found), ws.upload(entry, found.same_as) if found.same_as else None)


# ---------------------------------------------------------------- the status board

@dataclass
class TeamStatus:
    team: Team
    entry: dict[str, str]  # its key and folder
    state: str  # one of the states above
    latest: Upload | None  # the newest upload, whatever it held
    counted: Upload | None  # the upload the figures come from: the newest that could be read and is the team's
    progress: object | None = None  # reporting.progress.TeamProgress of `counted`
    uploads: int = 0

    @property
    def needs_reminder(self) -> bool:
        return self.state in NEEDS_REMINDER

    @property
    def light_key(self) -> str:
        """The light's key in trafiklys.yaml (its colour on the page), from the name progress gave it."""
        from xlplan.reporting.progress import light_key

        return light_key(self.progress.light) if self.progress else ""


@dataclass
class Board:
    config: PlanConfig
    as_of: dt.date
    teams: list[TeamStatus] = field(default_factory=list)
    consolidation: object | None = None


def counted_files(ws: Workspace, config: PlanConfig) -> dict[Path, str]:
    """The file each team's figures come from: its newest readable upload of its own workbook, by its path, each
    with the name it is shown under (shown_name)."""
    files = {}
    for entry in ws.team_entries([t.name for t in config.teams]):
        counted = ws.latest_usable(entry)
        if counted is not None:
            files[ws.upload_path(counted)] = shown_name(counted)
    return files


def shown_name(upload: Upload) -> str:
    """How a reading names an upload: the name the team sent, beside the name it is stored under (unique, and
    the file to look for in MAPPE)."""
    return texts()["sendt_fil"].format(sendt=upload.original_name, gemt=upload.stored_name)


def status_board(ws: Workspace, config: PlanConfig, as_of: dt.date | None = None) -> Board:
    """Where every team of the plan stands: what it sent last, and the progress of what counts."""
    from xlplan.reporting import history
    from xlplan.reporting.consolidate import consolidate, mark_unchanged

    as_of = as_of or dt.date.today()
    files = counted_files(ws, config)
    key = (tuple(str(f) for f in files), config, as_of, _modified(ws.history_path))
    with _board_lock(ws.root):  # boards asked for at once share one reading: the first reads, the others wait
        cached_key, consolidation = _board_cache.get(ws.root, (None, None))
        if cached_key != key:
            consolidation = consolidate(list(files), config, as_of, names=files)
            if ws.history_path.exists():
                mark_unchanged(consolidation, history.previous_files(ws.history_path, consolidation))
            _board_cache[ws.root] = (key, consolidation)
    by_file = {}
    for progress in consolidation.teams:
        for file in progress.files:
            by_file[file] = progress
    board = Board(config, as_of, consolidation=consolidation)
    for team, entry in zip(config.teams, ws.team_entries([t.name for t in config.teams])):
        uploads = ws.uploads(entry)
        latest = uploads[0] if uploads else None
        counted = next((u for u in uploads if u.usable), None)
        progress = by_file.get(shown_name(counted)) if counted else None
        board.teams.append(TeamStatus(team, entry, board_state(latest, progress), latest, counted, progress,
                                      len(uploads)))
    return board


# The last board's reading per MAPPE: the files that count never change under their names (every upload is a
# new file), so the same files, plan, date and history give the same figures without reading them again.
_board_cache: dict[Path, tuple[tuple, object]] = {}
_board_locks: dict[Path, threading.Lock] = {}
_board_locks_made = threading.Lock()


def _board_lock(root: Path) -> threading.Lock:
    with _board_locks_made:
        return _board_locks.setdefault(root, threading.Lock())


def _modified(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def board_state(latest: Upload | None, progress) -> str:
    """What the coordinator needs to know first about a team: its newest upload decides, then what counts."""
    if latest is None:
        return NOT_RECEIVED
    if not latest.readable:
        return UNREADABLE
    if latest.refused:
        return REFUSED
    if latest.errors:
        return ERRORS
    if latest.untouched:
        return UNTOUCHED
    if progress is not None and progress.unchanged:
        return UNCHANGED
    return RECEIVED


# ---------------------------------------------------------------- consolidation

class Consolidator:
    """Writes samlet-status.xlsx, .json and .pdf into MAPPE/samlet and stores the reading in the history,
    one run at a time; keeps the last report for the page."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self._lock = threading.Lock()
        self.last = None  # reporting.run.Report

    def paths(self) -> dict[str, Path]:
        folder = self.ws.report_folder
        return {"xlsx": folder / f"{REPORT_NAME}.xlsx", "json": folder / f"{REPORT_NAME}.json",
                "pdf": folder / f"{REPORT_NAME}.pdf"}

    def run(self, config: PlanConfig, as_of: dt.date | None = None):
        from xlplan.reporting.run import write_report

        paths = self.paths()
        with self._lock:
            files = counted_files(self.ws, config)
            report = write_report(list(files), paths["xlsx"], config, as_of or dt.date.today(),
                                  json_output=paths["json"], pdf_output=paths["pdf"],
                                  history_path=self.ws.history_path, names=files)
            self.last = report
            return report


# ---------------------------------------------------------------- reminders

@dataclass(frozen=True)
class Reminder:
    to: str  # the team's e-mail from the plan, or ""
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(self.to, safe='@')}?subject={quote(self.subject)}&body={quote(self.body)}"


def reminder(config: PlanConfig, status: TeamStatus, address: str) -> Reminder:
    """The Danish reminder for a team that has not sent its workbook, or whose workbook needs fixing."""
    said = texts()["påmindelse"]
    team = status.team
    values = {"team": team.name, "hilsen": team.contact or team.name, "kommune": config.municipality,
              "adresse": address, "fejl": status.latest.errors if status.latest else 0,
              "afsender": config.contact_name or config.municipality}
    kind = "ikke_modtaget" if status.state == NOT_RECEIVED else "rettes"
    return Reminder(team.email, said[kind]["emne"].format(**values), said[kind]["tekst"].format(**values))


def shown_problems(problems: list[Problem]) -> tuple[list[Problem], str]:
    """The problems a result page lists, errors first: at most SHOWN_AT_MOST, and what it says of the rest
    ("" when it lists them all). A 0.5 MB workbook can hold 100,000 problems: no one reads a page of them."""
    ordered = severity_order(problems)
    rest = len(ordered) - SHOWN_AT_MOST
    if rest <= 0:
        return ordered, ""
    return ordered[:SHOWN_AT_MOST], texts()["udeladt"].format(vist=SHOWN_AT_MOST, resten=rest)


def severity_order(problems: list[Problem]) -> list[Problem]:
    ranks = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(problems, key=lambda p: ranks[p.severity])
