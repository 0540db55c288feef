"""History between readings: every consolidation is a snapshot in an embedded SQLite database, so the
next reading can show what moved ("siden sidst") and how each team developed over the readings.

A reading whose files are all identical (same team, same sha256) to the latest reading is not
stored again: reading the same files twice does not double-count.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from xlplan.core import content, facts
from xlplan.reporting.consolidate import Consolidation
from xlplan.core.errors import problem, XlplanError

DEFAULT_NAME = "xlplan-historik.sqlite"
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
OVERALL = "alle"


@dataclass
class Reading:
    id: int
    taken_at: str
    as_of: str
    municipality: str
    files: int
    teams: int


# What can have moved since the last reading, in the order "siden sidst" shows it: good news, bad news,
# and a file that was not updated.
MET, FINISHED, GOAL_OVERDUE, WENT_BACK, UNCHANGED = CHANGE_KINDS = (
    "Kriterium opfyldt", "Aktivitet afsluttet", "Delmål overskredet", "Status gået tilbage", "Ingen ny version")
GOOD_NEWS, BAD_NEWS = (MET, FINISHED), (GOAL_OVERDUE, WENT_BACK)


@dataclass
class Change:
    team: str
    what: str  # one of CHANGE_KINDS
    text: str
    before: str | None = None
    after: str | None = None


@dataclass
class Development:
    readings: list[Reading]
    shares: dict[str, dict[str, dict[int, float | None]]] = field(default_factory=dict)  # phase -> team -> reading
    changes: list[Change] = field(default_factory=list)
    recorded: bool = True  # False when the files were identical to the latest reading

    @property
    def teams(self) -> list[str]:
        return sorted({t for per_team in self.shares.values() for t in per_team})


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=60)  # another run may hold the write lock for a moment
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(SCHEMA)
    except (sqlite3.Error, OSError) as exc:
        detail = _why(exc) if isinstance(exc, sqlite3.Error) else str(exc)
        raise XlplanError(problem("HIS001", sti=str(path), detalje=detail)) from None
    return db


def _finished(list_key: str) -> str:
    """The value that means a criterion is met or an activity finished (the first 'faerdig' value)."""
    return content.value_lists()[list_key].done[0]


def _rank(status: str | None) -> int:
    """How far along a status is, to see a step backwards."""
    lists = content.value_lists()
    if status in (_finished("kriteriestatus"), _finished("aktivitetsstatus")):
        return 2
    if status in lists["kriteriestatus"].in_progress or status in lists["aktivitetsstatus"].in_progress:
        return 1
    return 0


def _items(c: Consolidation):
    """(team, kind, key, text, status, due, overdue) for everything tracked between readings."""
    for read in c.reads:
        if not read.readable:
            continue
        seen: dict[tuple, int] = {}

        def key(*parts):
            base = tuple((p or "").strip().casefold() for p in parts)
            seen[base] = seen.get(base, 0) + 1
            return "|".join(base) + (f"#{seen[base]}" if seen[base] > 1 else "")

        for cr in read.criteria:
            yield read.team, "kriterium", cr.id, f"{cr.id} {cr.text}", cr.status, None, 0
        for row in read.plan_rows:
            text = row.aktivitet or row.formaal or ""
            dates = {d.kind: d for d in facts.due_dates(row)}
            yield (read.team, "aktivitet", key("plan", row.focus_point, text), text, row.status,
                   *_due(dates.get(facts.ACTIVITY), row, c.as_of))
            if row.delmaal:
                yield (read.team, "delmål", key("delmål", row.focus_point, row.delmaal), row.delmaal, row.status,
                       *_due(dates.get(facts.SUBGOAL), row, c.as_of))
        for row in read.process_rows:
            due = next(iter(facts.due_dates(row)), None)
            yield (read.team, "aktivitet", key("procesplan", row.periode.raw, row.aktivitet), row.aktivitet or "",
                   row.status, *_due(due, row, c.as_of))
        for step in read.steps:
            yield read.team, "aktivitet", f"trin|{step.nr}", f"Trin {step.nr}: {step.trin}", step.status, None, 0


def _due(due, record, as_of: dt.date) -> tuple[str | None, int]:
    """The watched date as stored, and whether it is overdue (decided by facts, like everywhere else)."""
    if due is None:
        return None, 0
    return due.date.isoformat(), int(not facts.is_finished(record) and due.date < as_of)


def record(c: Consolidation, path: Path, taken_at: dt.datetime | None = None) -> bool:
    """Store `c` as a reading, unless its files are identical to the latest reading's. True when stored.

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


def _store(db: sqlite3.Connection, c: Consolidation, taken_at: dt.datetime | None) -> bool:
    files = sorted((r.team, r.sha256) for r in c.reads)
    latest = db.execute("SELECT max(id) FROM readings").fetchone()[0]
    if latest is not None:
        previous = sorted(db.execute("SELECT team, sha256 FROM files WHERE reading_id = ?", (latest,)))
        if previous == files:
            return False
    taken = (taken_at or dt.datetime.now()).replace(microsecond=0).isoformat()
    reading = db.execute("INSERT INTO readings (taken_at, as_of, municipality) VALUES (?, ?, ?)",
                         (taken, c.as_of.isoformat(), c.municipality)).lastrowid
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(reading, r.file, r.team, r.sha256, r.template_id, r.template_version, int(r.readable))
                    for r in c.reads])
    rows = []
    for t in c.teams:
        for phase, share in [*t.phases.items(), (OVERALL, t.checklist)]:
            rows.append((reading, t.team, phase, share.relevant, share.met, share.in_progress, share.not_started))
    db.executemany("INSERT INTO progress VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO teams VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [(reading, t.team, t.light, len(t.overdue), sum(t.activities.values()), t.finished,
                     t.open_risks, t.errors, t.warnings)
                    for t in c.teams])
    db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [(reading, *item) for item in _items(c)])
    return True


def previous_files(path: Path, c: Consolidation) -> set[tuple[str, str]]:
    """(team, sha256) of every file of the previous reading: the latest one, unless it holds exactly the
    files read now (the same folder read again), then the one before it. Empty without one."""
    if not path.exists():
        return set()
    db = _connect(path)
    current = {(r.team.casefold(), r.sha256) for r in c.reads}
    result: set[tuple[str, str]] = set()
    for (reading,) in db.execute("SELECT id FROM readings ORDER BY id DESC").fetchall():
        files = {((team or "").casefold(), sha) for team, sha in db.execute(
            "SELECT team, sha256 FROM files WHERE reading_id = ?", (reading,))}
        if files != current:
            result = files
            break
    db.close()
    return result


def readings(path: Path) -> list[Reading]:
    if not path.exists():
        return []
    db = _connect(path)
    rows = db.execute("""SELECT r.id, r.taken_at, r.as_of, r.municipality, count(f.file), count(DISTINCT f.team)
                         FROM readings r LEFT JOIN files f ON f.reading_id = r.id GROUP BY r.id ORDER BY r.id""")
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


def development(path: Path) -> Development:
    """Shares per phase and team over all readings, and what changed between the last two."""
    db = _connect(path)
    all_readings = readings(path)
    dev = Development(all_readings)
    for reading_id, team, phase, relevant, met in db.execute(
            "SELECT reading_id, team, phase, relevant, met FROM progress ORDER BY reading_id"):
        dev.shares.setdefault(phase, {}).setdefault(team, {})[reading_id] = met / relevant if relevant else None
    if len(all_readings) >= 2:
        dev.changes = _changes(db, all_readings[-2].id, all_readings[-1].id)
    db.close()
    return dev


def _changes(db: sqlite3.Connection, before: int, after: int) -> list[Change]:
    def items(reading):
        return {(team, kind, key): (text, status, overdue) for team, kind, key, text, status, overdue in db.execute(
            "SELECT team, kind, key, text, status, overdue FROM items WHERE reading_id = ?", (reading,))}

    old, new = items(before), items(after)
    changes = []
    for (team, kind, key), (text, status, overdue) in sorted(new.items()):
        if (team, kind, key) not in old:
            continue
        _, old_status, old_overdue = old[(team, kind, key)]
        met, finished = _finished("kriteriestatus"), _finished("aktivitetsstatus")
        if kind == "kriterium" and status == met and old_status != met:
            changes.append(Change(team, MET, text, old_status, status))
        elif kind == "aktivitet" and status == finished and old_status != finished:
            changes.append(Change(team, FINISHED, text, old_status, status))
        if kind == "delmål" and overdue and not old_overdue:
            changes.append(Change(team, GOAL_OVERDUE, text, old_status, status))
        if kind != "delmål" and _rank(status) < _rank(old_status):  # a delmål shares its row's status
            changes.append(Change(team, WENT_BACK, text, old_status, status))
    old_files = dict(db.execute("SELECT team, sha256 FROM files WHERE reading_id = ?", (before,)))
    for team, sha in db.execute("SELECT team, sha256 FROM files WHERE reading_id = ?", (after,)):
        if old_files.get(team) == sha:
            changes.append(Change(team, UNCHANGED, "Projektmappen er uændret siden sidste aflæsning"))
    return sorted(changes, key=lambda ch: (ch.team, CHANGE_KINDS.index(ch.what), ch.text))


def frames(path: Path) -> dict:
    """The history as pandas DataFrames: `aflæsninger` (one row per reading), `fremdrift` (share of criteria
    met per reading, team and phase; phase 'alle' is the whole checklist), `teams` (per reading and team:
    traffic light, overdue, activities, finished, open risks, errors, warnings) and `poster` (every
    tracked criterion and activity per reading, with its status, due date and whether it was overdue)."""
    import pandas as pd

    if not path.exists():
        raise XlplanError(problem("HIS003", sti=str(path)))
    db = _connect(path)
    try:
        def table(sql: str, columns: list[str], dates=()):
            frame = pd.DataFrame(db.execute(sql).fetchall(), columns=columns)
            for column in dates:
                frame[column] = pd.to_datetime(frame[column])
            return frame.convert_dtypes()

        readings_sql = """SELECT r.id, r.taken_at, r.as_of, r.municipality, count(f.file), count(DISTINCT f.team)
                          FROM readings r LEFT JOIN files f ON f.reading_id = r.id GROUP BY r.id ORDER BY r.id"""
        out = {
            "aflæsninger": table(readings_sql, ["aflæsning", "aflæst", "opgjort_pr", "kommune", "filer", "teams"],
                                 ("aflæst", "opgjort_pr")),
            "fremdrift": table("""SELECT p.reading_id, r.as_of, p.team, p.phase, p.relevant, p.met, p.in_progress,
                                  p.not_started FROM progress p JOIN readings r ON r.id = p.reading_id
                                  ORDER BY p.reading_id""",
                               ["aflæsning", "opgjort_pr", "team", "fase", "relevante", "opfyldt", "i_gang",
                                "ikke_påbegyndt"], ("opgjort_pr",)),
            "teams": table("""SELECT t.reading_id, r.as_of, t.team, t.light, t.overdue, t.activities, t.finished,
                              t.open_risks, t.errors, t.warnings FROM teams t JOIN readings r ON r.id = t.reading_id
                              ORDER BY t.reading_id""",
                           ["aflæsning", "opgjort_pr", "team", "trafiklys", "forsinket", "aktiviteter", "afsluttet",
                            "åbne_risici", "fejl", "advarsler"], ("opgjort_pr",)),
            "poster": table("""SELECT i.reading_id, i.team, i.kind, i.key, i.text, i.status, i.due, i.overdue
                               FROM items i ORDER BY i.reading_id""",
                            ["aflæsning", "team", "slags", "nøgle", "tekst", "status", "frist", "forsinket"],
                            ("frist",)),
        }
    finally:
        db.close()
    share = out["fremdrift"]
    share["andel"] = (share["opfyldt"] / share["relevante"]).where(share["relevante"] > 0)
    out["poster"]["forsinket"] = out["poster"]["forsinket"].astype("boolean")
    return out
