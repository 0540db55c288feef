"""History between readings: every consolidation is a snapshot in an embedded SQLite database, so the
next reading can show what moved ("siden sidst") and how each team developed over the readings.

A reading is identified by its date (`--opgjort-pr`): a reading of a date that is stored already replaces
it, keeping its number, and says so. A reading of a new date whose files are all identical (same team,
same sha256) to the latest reading before it is not stored: reading the same files twice does not
double-count. "Siden sidst" and "uændret" compare a reading with the reading of the date before it.
"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from xlplan.core import content, facts
from xlplan.reporting.consolidate import Consolidation
from xlplan.core.errors import problem, Severity, XlplanError

DEFAULT_NAME = "xlplan-historik.sqlite"
# The first version's tables. A database made by it still opens: _migrate adds what came later, and a
# reading stored before then is compared only in what it holds (see FORMAT).
SCHEMA = """
CREATE TABLE IF NOT EXISTS readings (id INTEGER PRIMARY KEY, taken_at TEXT NOT NULL, as_of TEXT NOT NULL,
    municipality TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS files (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    file TEXT, team TEXT, sha256 TEXT, template_id TEXT, template_version TEXT, readable INTEGER);
CREATE TABLE IF NOT EXISTS progress (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    team TEXT, phase TEXT, relevant INTEGER, met INTEGER, in_progress INTEGER, not_started INTEGER);
CREATE TABLE IF NOT EXISTS teams (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    team TEXT, light TEXT, overdue INTEGER, activities INTEGER, finished INTEGER, open_risks INTEGER,
    errors INTEGER, warnings INTEGER);
CREATE TABLE IF NOT EXISTS items (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    team TEXT, kind TEXT, key TEXT, text TEXT, status TEXT, due TEXT, overdue INTEGER);
CREATE INDEX IF NOT EXISTS items_by_reading ON items (reading_id, team, kind, key);
"""
# What later versions added, in order: (table, column, type), and the tables that are new.
ADDED_COLUMNS = (
    ("readings", "format", "INTEGER"),  # NULL: stored by the first version
    ("items", "responsible", "TEXT"),  # '' when nobody is named
    ("items", "file", "TEXT"), ("items", "sheet", "TEXT"), ("items", "cell", "TEXT"),
    ("teams", "overdue_goals", "INTEGER"), ("teams", "unowned", "INTEGER"),
)
ADDED_TABLES = """
CREATE TABLE IF NOT EXISTS problems (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    team TEXT, file TEXT, code TEXT, severity TEXT, sheet TEXT, cell TEXT, message TEXT);
CREATE INDEX IF NOT EXISTS problems_by_reading ON problems (reading_id, team);
"""
# Format 2 readings also hold who is responsible, where each item is, every problem and the teams that
# sent nothing; format 3 readings also a delmål or mål with a date and no text. Only readings that both hold
# these are compared in them.
FORMAT = 3
WHOLE, DATED_WITHOUT_TEXT = 2, 3
OVERALL = "alle"


@dataclass
class Reading:
    id: int
    taken_at: str
    as_of: str
    municipality: str
    files: int
    teams: int

    @property
    def label(self) -> str:
        """'2: 15-07-2026': how a reading is named on the sheets."""
        return f"{self.id}: {_shown_date(self.as_of)}"


def change_kinds() -> dict[str, dict]:
    """The kinds of change since the last reading (data/siden_sidst.yaml), in the order they are shown."""
    return content.load_yaml("siden_sidst.yaml")["ændringer"]


def kinds_with_tone(tone: str) -> list[str]:
    return [key for key, kind in change_kinds().items() if kind["tone"] == tone]


(LIGHT_BETTER, LIGHT_WORSE, LIGHT_CHANGED, NEW_ERROR, ERROR_FIXED, GOAL_OVERDUE, SUBGOAL_OVERDUE, ACTIVITY_OVERDUE,
 CRITERION_OVERDUE, WENT_BACK, MET, FINISHED, CANCELLED, NO_LONGER_OVERDUE, ADDED, REMOVED, DATE_MOVED, OWNER_ADDED,
 OWNER_REMOVED, UNCHANGED) = CHANGE_KINDS = (
    "trafiklys_forbedret", "trafiklys_forværret", "trafiklys_skiftet", "ny_fejl", "fejl_rettet", "mål_overskredet",
    "delmål_overskredet", "aktivitet_forsinket", "kriterium_forsinket", "status_tilbage", "kriterium_opfyldt",
    "aktivitet_afsluttet", "aktivitet_aflyst", "ikke_længere_forsinket", "aktivitet_tilføjet", "aktivitet_fjernet",
    "dato_flyttet", "ansvarlig_tilføjet", "ansvarlig_fjernet", "ingen_ny_version")
BECAME_OVERDUE = {"delmål": SUBGOAL_OVERDUE, "mål": GOAL_OVERDUE, "aktivitet": ACTIVITY_OVERDUE,
                  "kriterium": CRITERION_OVERDUE}  # by the item's kind


@dataclass(frozen=True)
class Where:
    """Where a change can be seen: the file, sheet and cell of the newer reading (of the older one for
    something removed)."""

    file: str | None
    sheet: str | None = None
    cell: str | None = None


@dataclass
class Change:
    team: str
    kind: str  # one of CHANGE_KINDS
    what: str  # the criterion, activity, delmål, error ... that changed
    before: str | dt.date | None = None
    now: str | dt.date | None = None
    source: Where | None = None

    @property
    def label(self) -> str:
        return change_kinds()[self.kind]["navn"]


@dataclass(frozen=True)
class TeamFigures:
    """A team's figures at one reading, as the history holds them."""

    light: str
    share: float | None  # criteria met, all phases
    finished: int | None  # activities finished or cancelled
    activities: int | None
    overdue: int | None

    @property
    def received(self) -> bool:
        return self.activities is not None


@dataclass(frozen=True)
class Recorded:
    """What storing a reading did: stored it as a new reading, replaced the reading of its date, or stored
    nothing (the files are the ones of the reading before it, `same_as`). True when something was stored."""

    as_of: dt.date
    id: int | None = None  # the reading's number, when stored
    replaced: bool = False
    same_as: Reading | None = None

    def __bool__(self) -> bool:
        return self.id is not None

    @property
    def said(self) -> str:
        """The sentence the CLI, the server's page and the Udvikling sheet say it with (tekster.yaml)."""
        said = content.load_yaml("tekster.yaml")["aflæsning"]
        if self.id is None:
            before = self.same_as.as_of if self.same_as else self.as_of.isoformat()
            return said["ikke_gemt"].format(dato=_shown_date(self.as_of.isoformat()), før=_shown_date(before))
        return said["erstattet" if self.replaced else "gemt"].format(dato=_shown_date(self.as_of.isoformat()),
                                                                      nr=self.id)


def _shown_date(iso: str) -> str:
    return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}"


@dataclass
class Development:
    readings: list[Reading]
    shares: dict[str, dict[str, dict[int, float | None]]] = field(default_factory=dict)  # phase -> team -> reading
    figures: dict[str, dict[int, TeamFigures]] = field(default_factory=dict)  # team -> reading
    changes: list[Change] = field(default_factory=list)
    recorded: Recorded | None = None  # what storing this reading did (None: only looked at)

    @property
    def teams(self) -> list[str]:
        return sorted({t for per_team in self.shares.values() for t in per_team} | set(self.figures))

    @property
    def compared(self) -> tuple[Reading, Reading] | None:
        """The two readings "siden sidst" compares: the last two."""
        return (self.readings[-2], self.readings[-1]) if len(self.readings) >= 2 else None

    def before_and_now(self, team: str) -> tuple[TeamFigures | None, TeamFigures | None]:
        """A team's figures at the two compared readings (None where it has none)."""
        per_reading = self.figures.get(team, {})
        if not self.readings:
            return None, None
        now = per_reading.get(self.readings[-1].id)
        before = per_reading.get(self.readings[-2].id) if len(self.readings) >= 2 else None
        return before, now


def in_team_order(changes: list[Change], teams: list[str]) -> list[Change]:
    """The changes with the teams in the given order (the plan's), others after them by name; within a
    team in the order of the kinds, then by what changed."""
    rank = {name.casefold(): i for i, name in enumerate(teams)}
    kinds = list(change_kinds())
    return sorted(changes, key=lambda ch: (rank.get(ch.team.casefold(), len(rank)), ch.team.casefold(),
                                           kinds.index(ch.kind), ch.what.casefold()))


def team_order(c, dev: Development) -> list[str]:
    """The teams of a reading in the plan's order (the consolidation's), then those only the history knows, by
    name."""
    known = [t.team for t in c.teams] + list(c.missing_teams)
    seen = {name.casefold() for name in known}
    return known + sorted((t for t in dev.teams if t.casefold() not in seen), key=str.casefold)


def ordered_changes(c, dev: Development | None) -> list[Change]:
    """"Siden sidst" in the one order every output lists it in (the workbook, the meeting PDF, the JSON, the
    server's page): by team in team_order, then in_team_order."""
    return in_team_order(dev.changes, team_order(c, dev)) if dev is not None else []


def _connect(path: Path) -> sqlite3.Connection:
    """The history, its tables made or brought up to date. A file this call made and could not fill (a full
    disk) is removed again: an empty file left behind would ask every later run to make the tables anew."""
    fresh = not _holds_history(path)
    db = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=60)  # another run may hold the write lock for a moment
        db.execute("PRAGMA foreign_keys = ON")
        if not _up_to_date(db):
            _create_or_migrate(db)
    except (sqlite3.Error, OSError) as exc:
        if db is not None:
            db.close()
        if fresh:
            _remove_empty(path)
        detail = _why(exc) if isinstance(exc, sqlite3.Error) else str(exc)
        raise XlplanError(problem("HIS001", sti=str(path), detalje=detail)) from None
    return db


def _holds_history(path: Path) -> bool:
    """Whether there is a history to read: a file with something in it (SQLite makes an empty one first)."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _remove_empty(path: Path) -> None:
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


def _up_to_date(db: sqlite3.Connection) -> bool:
    """Whether every table and column of this version is there (a read: runs at the same time never wait)."""
    names = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    wanted = set(re.findall(r"CREATE (?:TABLE|INDEX) IF NOT EXISTS (\w+)", SCHEMA + ADDED_TABLES))
    if not wanted <= names:
        return False
    return all(column in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
               for table, column, _kind in ADDED_COLUMNS)


def _create_or_migrate(db: sqlite3.Connection) -> None:
    """Make the tables, or add the columns and tables of later versions to a database made by an earlier
    one, holding the write lock from the start: two runs that begin together on a new file would otherwise
    both read the schema and then both ask to write, and SQLite refuses one at once (no waiting)."""
    db.isolation_level = None
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in _statements(SCHEMA):
            db.execute(statement)
        for table, column, kind in ADDED_COLUMNS:
            if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        for statement in _statements(ADDED_TABLES):
            db.execute(statement)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.isolation_level = ""


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


def _finished(list_key: str) -> str:
    """The value that means a criterion is met or an activity finished (the first 'faerdig' value)."""
    return content.value_lists()[list_key].done[0]


def _rank(status: str | None) -> int:
    """How far along a status is, to see a step backwards: done (finished, met, cancelled) is the furthest."""
    lists = content.value_lists()
    if status in lists["kriteriestatus"].done or status in lists["aktivitetsstatus"].done:
        return 2
    if status in lists["kriteriestatus"].in_progress or status in lists["aktivitetsstatus"].in_progress:
        return 1
    return 0


ITEM_COLUMNS = ("team", "kind", "key", "text", "status", "due", "overdue", "responsible", "file", "sheet", "cell")


def _items(c: Consolidation):
    """A row of ITEM_COLUMNS for everything followed between readings: criteria, activities (plan,
    procesplan, trin), delmål and mål, with their watched date as facts.py decides it."""
    for read in c.reads:
        if not read.readable:
            continue
        seen: dict[tuple, int] = {}

        def key(*parts):
            base = tuple((p or "").strip().casefold() for p in parts)
            seen[base] = seen.get(base, 0) + 1
            return "|".join(base) + (f"#{seen[base]}" if seen[base] > 1 else "")

        def item(kind, item_key, text, record, due):
            where = record.source
            return (read.team, kind, item_key, text, record.status, *_due(due, c.overdue),
                    record.ansvarlig or "", where.file, where.sheet, where.cell)

        for cr in read.criteria:
            yield item("kriterium", cr.id, f"{cr.id} {cr.text}", cr, _first(facts.due_dates(cr)))
        for row in read.plan_rows:
            text = row.aktivitet or row.formaal or ""
            dates = {d.kind: d for d in facts.due_dates(row)}
            yield item("aktivitet", key("plan", row.focus_point, text), facts.name_of(facts.ACTIVITY, text, row.source),
                       row, dates.get(facts.ACTIVITY))
            for kind, dated, typed in (("delmål", facts.SUBGOAL, row.delmaal), ("mål", facts.GOAL, row.maal)):
                due = dates.get(dated)
                if typed:
                    yield item(kind, key(kind, row.focus_point, typed), typed, row, due)
                elif due is not None:  # a date without a text: known by its row's activity, named by facts
                    yield item(kind, key(kind, row.focus_point, "", text), due.text, row, due)
        for row in read.process_rows:
            yield item("aktivitet", key("procesplan", row.periode.raw, row.aktivitet),
                       facts.name_of(facts.PROCESS, row.aktivitet, row.source), row, _first(facts.due_dates(row)))
        for step in read.steps:
            yield item("aktivitet", f"trin|{step.nr}", f"Trin {step.nr}: {step.trin}", step,
                       _first(facts.due_dates(step)))


def _first(dues):
    return next(iter(dues), None)


def _due(due, overdue: frozenset) -> tuple[str | None, int]:
    """The watched date as stored, and whether it is overdue (as progress decided: Consolidation.overdue)."""
    if due is None:
        return None, 0
    return due.date.isoformat(), int(due in overdue)


def _insert(db: sqlite3.Connection, table: str, columns: tuple[str, ...], rows) -> None:
    names = ", ".join(("reading_id", *columns))
    marks = ", ".join("?" * (len(columns) + 1))
    db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def record(c: Consolidation, path: Path, taken_at: dt.datetime | None = None) -> Recorded:
    """Store `c` as the reading of its date: in place of a reading of the same date (with its number), or as
    a new reading, unless its files are identical to those of the reading before its date. True when stored.

    Two runs at the same time take turns (the second waits for the first and then sees its reading, so
    the same files are never stored twice); a disk that is full, a read-only or locked file is a Danish
    problem, and the history is left as it was."""
    db = _connect(path)
    try:
        db.isolation_level = None  # the transaction is ours: taken before the latest reading is looked at
        db.execute("BEGIN IMMEDIATE")
        try:
            stored = _store(db, c, taken_at)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # SQLite itself rolls back on some errors, a full disk among them
                db.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise XlplanError(problem("HIS004", sti=str(path), detalje=_why(exc))) from None
    finally:
        db.close()
    return stored


def _why(exc: sqlite3.Error) -> str:
    """SQLite's reason in Danish (tekster.yaml), for the usual ones; its own words otherwise."""
    text = str(exc).lower()
    for words, danish in content.load_yaml("tekster.yaml")["historik_fejl"].items():
        if words in text:
            return danish
    return str(exc)


def _store(db: sqlite3.Connection, c: Consolidation, taken_at: dt.datetime | None) -> Recorded:
    from xlplan.reporting.progress import MISSING, light_name

    as_of = c.as_of.isoformat()
    # A history of an earlier version may hold more than one reading of a date: all are replaced by this one.
    same_date = [reading for (reading,) in db.execute("SELECT id FROM readings WHERE as_of = ? ORDER BY id", (as_of,))]
    if not same_date:
        before = db.execute("SELECT id, taken_at, as_of, municipality FROM readings WHERE as_of < ? "
                            "ORDER BY as_of DESC, id DESC LIMIT 1", (as_of,)).fetchone()
        files = sorted((r.team, r.sha256) for r in c.reads)
        if before is not None and sorted(db.execute("SELECT team, sha256 FROM files WHERE reading_id = ?",
                                                    (before[0],))) == files:
            return Recorded(c.as_of, same_as=Reading(*before, files=len(files), teams=len(c.teams)))
    db.executemany("DELETE FROM readings WHERE id = ?", [(reading,) for reading in same_date])
    taken = (taken_at or dt.datetime.now()).replace(microsecond=0).isoformat()
    reading = db.execute("INSERT INTO readings (id, taken_at, as_of, municipality, format) VALUES (?, ?, ?, ?, ?)",
                         (same_date[0] if same_date else None, taken, as_of, c.municipality, FORMAT)).lastrowid
    _insert(db, "files", ("file", "team", "sha256", "template_id", "template_version", "readable"),
            [(reading, r.file, r.team, r.sha256, r.template_id, r.template_version, int(r.readable))
             for r in c.reads])
    _insert(db, "progress", ("team", "phase", "relevant", "met", "in_progress", "not_started"),
            [(reading, t.team, phase, s.relevant, s.met, s.in_progress, s.not_started)
             for t in c.teams for phase, s in [*t.phases.items(), (OVERALL, t.checklist)]])
    _insert(db, "teams", ("team", "light", "overdue", "activities", "finished", "open_risks", "errors", "warnings",
                          "overdue_goals", "unowned"),
            [(reading, t.team, t.light, len(t.overdue), t.activities_total, t.finished, t.open_risks,
              t.errors, t.warnings, t.overdue_goals, len(t.unowned)) for t in c.teams]
            + [(reading, name, light_name(MISSING), *[None] * 8) for name in c.missing_teams])
    _insert(db, "items", ITEM_COLUMNS, [(reading, *item) for item in _items(c)])
    team_of = {r.file: r.team for r in c.reads}
    _insert(db, "problems", ("team", "file", "code", "severity", "sheet", "cell", "message"),
            [(reading, team_of.get(p.file), p.file, p.code, p.severity.value, p.sheet, p.cell, p.message)
             for read in c.reads for p in read.problems])
    return Recorded(c.as_of, reading, replaced=bool(same_date))


def previous_files(path: Path, c: Consolidation) -> set[tuple[str, str]]:
    """(team, sha256) of every file of the previous reading: the latest one of an earlier date than `c`'s (a
    reading of its own date is the one `c` replaces), unless it holds exactly the files read now (the same
    folder read again), then the one before it. Empty without one."""
    if not _holds_history(path):
        return set()
    db = _connect(path)
    current = {(r.team.casefold(), r.sha256) for r in c.reads}
    result: set[tuple[str, str]] = set()
    for (reading,) in db.execute("SELECT id FROM readings WHERE as_of < ? ORDER BY as_of DESC, id DESC",
                                 (c.as_of.isoformat(),)).fetchall():
        files = {((team or "").casefold(), sha) for team, sha in db.execute(
            "SELECT team, sha256 FROM files WHERE reading_id = ?", (reading,))}
        if files != current:
            result = files
            break
    db.close()
    return result


def readings(path: Path, up_to: dt.date | None = None) -> list[Reading]:
    """The readings in the order of their dates (of the same date, an earlier version's, by number); with
    `up_to`, those of that date and before."""
    if not _holds_history(path):
        return []
    db = _connect(path)
    rows = db.execute("""SELECT r.id, r.taken_at, r.as_of, r.municipality, count(f.file), count(DISTINCT f.team)
                         FROM readings r LEFT JOIN files f ON f.reading_id = r.id WHERE r.as_of <= ?
                         GROUP BY r.id ORDER BY r.as_of, r.id""", ((up_to or dt.date.max).isoformat(),))
    result = [Reading(*row) for row in rows]
    db.close()
    return result


def remove(path: Path, reading_id: int) -> None:
    db = _connect(path)
    with db:
        deleted = db.execute("DELETE FROM readings WHERE id = ?", (reading_id,)).rowcount
    db.close()
    if not deleted:
        raise XlplanError(problem("HIS002", id=reading_id, sti=str(path)))


def development(path: Path, up_to: dt.date | None = None) -> Development:
    """Shares per phase and team and each team's figures over the readings (with `up_to`, those of that date
    and before: a reading of an earlier date, made again, compares with the one before it), and what changed
    between the last two."""
    db = _connect(path)
    all_readings = readings(path, up_to)
    dev = Development(all_readings)
    shown = {r.id for r in all_readings}
    for reading_id, team, phase, relevant, met in db.execute(
            "SELECT reading_id, team, phase, relevant, met FROM progress ORDER BY reading_id"):
        if reading_id in shown:
            dev.shares.setdefault(phase, {}).setdefault(team, {})[reading_id] = met / relevant if relevant else None
    for reading_id, team, light, finished, activities, overdue in db.execute(
            "SELECT reading_id, team, light, finished, activities, overdue FROM teams ORDER BY reading_id"):
        if reading_id not in shown:
            continue
        share = dev.shares.get(OVERALL, {}).get(team, {}).get(reading_id)
        dev.figures.setdefault(team, {})[reading_id] = TeamFigures(light, share, finished, activities, overdue)
    if len(all_readings) >= 2:
        dev.changes = _changes(db, all_readings[-2].id, all_readings[-1].id)
    db.close()
    return dev


# ---------------------------------------------------------------- what moved between two readings

@dataclass(frozen=True)
class _Item:
    team: str
    kind: str
    key: str
    text: str
    status: str | None
    due: str | None
    overdue: int
    responsible: str | None  # None: not known (a reading of the first format)
    file: str | None
    sheet: str | None
    cell: str | None

    @property
    def where(self) -> Where | None:
        return Where(self.file, self.sheet, self.cell) if self.file else None


def _format(db: sqlite3.Connection, reading: int) -> int:
    return db.execute("SELECT format FROM readings WHERE id = ?", (reading,)).fetchone()[0] or 1


def _received(db: sqlite3.Connection, reading: int) -> dict[str, str]:
    """Team -> traffic light of every team at the reading; teams that sent nothing have no activities."""
    return {team: light for team, light in db.execute(
        "SELECT team, light FROM teams WHERE reading_id = ? AND activities IS NOT NULL", (reading,))}


def _changes(db: sqlite3.Connection, before: int, after: int) -> list[Change]:
    formats = min(_format(db, before), _format(db, after))
    both_new = formats >= WHOLE
    old_received, new_received = _received(db, before), _received(db, after)
    compared = set(old_received) & set(new_received)  # a team that sent nothing has nothing to compare
    changes = _light_changes(db, before, after)
    old = [i for i in _stored_items(db, before) if i.team in compared]
    new = [i for i in _stored_items(db, after) if i.team in compared]
    for previous, current in _paired(old, new):
        if previous is None:
            if current.kind == "aktivitet" and both_new:
                changes.append(Change(current.team, ADDED, current.text, None, current.status, current.where))
            if current.overdue and (both_new if current.kind == "aktivitet" else formats >= DATED_WITHOUT_TEXT):
                # typed since, with a date already past: it moves the count of what is overdue
                changes.append(Change(current.team, BECAME_OVERDUE[current.kind], current.text, None,
                                      _iso_date(current.due), current.where))
        elif current is None:
            if previous.kind == "aktivitet" and both_new:
                changes.append(Change(previous.team, REMOVED, previous.text, previous.status, None, previous.where))
            elif previous.overdue and both_new:  # a delmål or mål gone (its text or date removed) while overdue
                changes.append(Change(previous.team, NO_LONGER_OVERDUE, previous.text, _iso_date(previous.due), None,
                                      previous.where))
        else:
            changes += _item_changes(previous, current)
    if both_new:
        changes += _problem_changes(db, before, after, compared)
    old_files = dict(db.execute("SELECT team, sha256 FROM files WHERE reading_id = ?", (before,)))
    for team, sha, file in db.execute("SELECT team, sha256, file FROM files WHERE reading_id = ?", (after,)):
        if old_files.get(team) == sha:
            changes.append(Change(team, UNCHANGED, _said("ingen_ny_version"), source=Where(file)))
    kinds = list(change_kinds())
    return sorted(changes, key=lambda ch: (ch.team, kinds.index(ch.kind), ch.what))


def _said(key: str) -> str:
    return content.load_yaml("siden_sidst.yaml")["tekster"][key]


def _stored_items(db: sqlite3.Connection, reading: int) -> list[_Item]:
    return [_Item(*row) for row in db.execute(
        f"SELECT {', '.join(ITEM_COLUMNS)} FROM items WHERE reading_id = ? ORDER BY rowid", (reading,))]


def _paired(old: list[_Item], new: list[_Item]):
    """(before, now) for every item: by key, then what is left by its text (an activity whose period was
    retyped keeps its text), None on the side where it is not."""
    by_key = {(i.team, i.kind, i.key): i for i in old}
    left_old = dict(by_key)
    left_new = []
    for item in new:
        match = left_old.pop((item.team, item.kind, item.key), None)
        if match is None:
            left_new.append(item)
        else:
            yield match, item
    by_text: dict[tuple, list[_Item]] = {}
    for item in left_old.values():
        by_text.setdefault((item.team, item.kind, item.text.strip().casefold()), []).append(item)
    for item in left_new:
        same = by_text.get((item.team, item.kind, item.text.strip().casefold()))
        yield (same.pop(0) if same else None), item
    for rest in by_text.values():
        for item in rest:
            yield item, None


def _iso_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _item_changes(old: _Item, new: _Item) -> list[Change]:
    def change(kind, before=old.status, now=new.status):
        return Change(new.team, kind, new.text, before, now, new.where)

    out = []
    met, finished = _finished("kriteriestatus"), _finished("aktivitetsstatus")
    done = content.value_lists()["aktivitetsstatus"].done
    if new.kind == "kriterium" and new.status == met and old.status != met:
        out.append(change(MET))
    elif new.kind == "aktivitet" and new.status == finished and old.status != finished:
        out.append(change(FINISHED))
    elif new.kind == "aktivitet" and new.status in done and new.status != old.status and new.status != finished:
        out.append(change(CANCELLED))  # it counts as finished, from any status: nothing more is expected of it
    if new.kind in ("kriterium", "aktivitet") and _rank(new.status) < _rank(old.status):
        out.append(change(WENT_BACK))  # a delmål and a mål share their row's status
    if new.overdue and not old.overdue:
        out.append(change(BECAME_OVERDUE[new.kind], None, _iso_date(new.due)))
    if old.due and new.due and old.due != new.due:
        out.append(change(DATE_MOVED, _iso_date(old.due), _iso_date(new.due)))
    if new.kind in ("kriterium", "aktivitet") and old.responsible == "" and new.responsible:
        out.append(change(OWNER_ADDED, None, new.responsible))
    if new.kind in ("kriterium", "aktivitet") and old.responsible and new.responsible == "":
        out.append(change(OWNER_REMOVED, old.responsible, None))
    if old.overdue and not new.overdue and not out:  # finished, met or moved say it already
        out.append(change(NO_LONGER_OVERDUE, _iso_date(old.due), None))
    return out


def _light_changes(db: sqlite3.Connection, before: int, after: int) -> list[Change]:
    from xlplan.reporting.progress import light_names

    rank = {name: i for i, name in enumerate(light_names()[key] for key in LIGHT_ORDER)}
    old = dict(db.execute("SELECT team, light FROM teams WHERE reading_id = ?", (before,)))
    out = []
    for team, light in db.execute("SELECT team, light FROM teams WHERE reading_id = ?", (after,)):
        was = old.get(team)
        if was is None or was == light:
            continue
        if was in rank and light in rank:
            kind = LIGHT_BETTER if rank[light] > rank[was] else LIGHT_WORSE
        else:
            kind = LIGHT_CHANGED  # a light named otherwise at an earlier reading
        out.append(Change(team, kind, _said("trafiklys"), was, light))
    return out


LIGHT_ORDER = ("ikke_modtaget", "ikke_udfyldt", "rød", "gul", "grøn")  # worst first (keys of trafiklys.yaml)


def _problem_changes(db: sqlite3.Connection, before: int, after: int, teams: set[str]) -> list[Change]:
    """Errors that are new, and errors that are gone, in the files of teams that sent something both times.
    An error is the same when its code, sheet, cell and message are."""
    def errors(reading):
        found = {}
        for team, file, code, sheet, cell, message in db.execute(
                "SELECT team, file, code, sheet, cell, message FROM problems WHERE reading_id = ? AND severity = ?",
                (reading, Severity.ERROR.value)):
            if team in teams:
                found.setdefault((team, code, sheet, cell, message), Where(file, sheet, cell))
        return found

    old, new = errors(before), errors(after)
    return ([Change(key[0], NEW_ERROR, key[4], None, key[1], where) for key, where in new.items() if key not in old]
            + [Change(key[0], ERROR_FIXED, key[4], key[1], None, where) for key, where in old.items() if key not in new])


def frames(path: Path) -> dict:
    """The history as pandas DataFrames: `aflæsninger` (one row per reading), `fremdrift` (share of criteria
    met per reading, team and phase; phase 'alle' is the whole checklist), `teams` (per reading and team:
    traffic light, overdue, activities, finished, open risks, errors, warnings) and `poster` (every
    tracked criterion and activity per reading, with its status, due date and whether it was overdue)."""
    import pandas as pd

    if not _holds_history(path):
        raise XlplanError(problem("HIS003", sti=str(path)))
    db = _connect(path)
    try:
        def table(sql: str, columns: list[str], dates=()):
            frame = pd.DataFrame(db.execute(sql).fetchall(), columns=columns)
            for column in dates:
                frame[column] = pd.to_datetime(frame[column])
            return frame.convert_dtypes()

        readings_sql = """SELECT r.id, r.taken_at, r.as_of, r.municipality, count(f.file), count(DISTINCT f.team)
                          FROM readings r LEFT JOIN files f ON f.reading_id = r.id GROUP BY r.id ORDER BY r.as_of, r.id"""
        out = {
            "aflæsninger": table(readings_sql, ["aflæsning", "aflæst", "opgjort_pr", "kommune", "filer", "teams"],
                                 ("aflæst", "opgjort_pr")),
            "fremdrift": table("""SELECT p.reading_id, r.as_of, p.team, p.phase, p.relevant, p.met, p.in_progress,
                                  p.not_started FROM progress p JOIN readings r ON r.id = p.reading_id
                                  ORDER BY r.as_of, p.reading_id""",
                               ["aflæsning", "opgjort_pr", "team", "fase", "relevante", "opfyldt", "i_gang",
                                "ikke_påbegyndt"], ("opgjort_pr",)),
            "teams": table("""SELECT t.reading_id, r.as_of, t.team, t.light, t.overdue, t.activities, t.finished,
                              t.open_risks, t.errors, t.warnings FROM teams t JOIN readings r ON r.id = t.reading_id
                              ORDER BY r.as_of, t.reading_id""",
                           ["aflæsning", "opgjort_pr", "team", "trafiklys", "forsinket", "aktiviteter", "afsluttet",
                            "åbne_risici", "fejl", "advarsler"], ("opgjort_pr",)),
            "poster": table("""SELECT i.reading_id, i.team, i.kind, i.key, i.text, i.status, i.due, i.overdue
                               FROM items i JOIN readings r ON r.id = i.reading_id ORDER BY r.as_of, i.reading_id""",
                            ["aflæsning", "team", "slags", "nøgle", "tekst", "status", "frist", "forsinket"],
                            ("frist",)),
        }
    finally:
        db.close()
    share = out["fremdrift"]
    share["andel"] = (share["opfyldt"] / share["relevante"]).where(share["relevante"] > 0)
    out["poster"]["forsinket"] = out["poster"]["forsinket"].astype("boolean")
    return out
