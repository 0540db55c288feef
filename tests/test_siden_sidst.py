"""'Siden sidst': three readings with known changes, through the CLI as a coordinator runs it; the sheet and
the JSON list exactly those changes. A history database of the first version still opens."""
import datetime as dt
import json
import shutil
import sqlite3

import openpyxl
import pytest
from click.testing import CliRunner

import fixtures
from paths import ROOT, SAMPLE_CONFIG
from xlplan.reporting import history
from xlplan.cli import main
from xlplan.core.content import load_yaml

FAM = "Ishøj Kommune - Familieteamet.xlsx"
BORN = "Ishøj Kommune - Børne- og ungeteamet.xlsx"
PLEJE = "Familieplejen - ICS-implementeringsplan.xlsx"
PLAN1 = "1. Fælles faglig forståelse af"  # the samples' sheets, named as an earlier xlplan cut them
PLAN2 = "2. Inddragelse af barnet og fam"
CRITERION_263 = ("2.6.3 Der er skabt klarhed over hvilke data, der fødes med ny dokumentationspraksis, og om disse "
                 "kan anvendes til at følge forandringen")  # data/ffb.yaml
UNCHANGED = "Projektmappen er uændret siden sidste aflæsning"


def row_of(ws, col, text):
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(row=r, column=col).value or "").startswith(text))


class Coordinator:
    """Runs `xlplan consolidate` on a folder of returned workbooks, as the README shows it."""

    def __init__(self, tmp_path, history_path=None):
        self.folder = tmp_path / "ind"
        shutil.copytree(ROOT / "samples" / "returned", self.folder)
        self.out = tmp_path / "samlet-status.xlsx"
        self.json = tmp_path / "samlet-status.json"
        self.history = history_path or tmp_path / history.DEFAULT_NAME

    def consolidate(self, as_of="15-06-2026", *extra):
        """A reading as of `as_of`: a reading of a date already in the history replaces it."""
        result = CliRunner().invoke(main, ["consolidate", str(self.folder), "-o", str(self.out), "--config",
                                           str(SAMPLE_CONFIG), "--as-of", as_of, "--json", str(self.json),
                                           "--history", str(self.history), *map(str, extra)])
        assert result.exit_code == 0, result.output
        return result

    def edit(self, name, change):
        fixtures.edit(self.folder / name, change)

    def from_json(self):
        return [(c["team"], c["kind"], c["what"], c["before"], c["now"],
                 (c["source"]["file"], c["source"]["sheet"], c["source"]["cell"]) if c["source"] else None)
                for c in json.loads(self.json.read_text(encoding="utf-8"))["siden_sidst"]]

    def from_sheet(self):
        ws = openpyxl.load_workbook(self.out)["Siden sidst"]
        headers = [c.value for c in ws[4]]
        rows = [dict(zip(headers, (c.value for c in row))) for row in ws.iter_rows(min_row=5)]
        return [(r["Team"], r["Ændring"], r["Hvad"], _day(r["Før"]), _day(r["Nu"]),
                 (r["Fil"], r["Ark"], r["Celle"]) if r["Fil"] else None) for r in rows if r["Ændring"]]


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def label(kind):
    return load_yaml("siden_sidst.yaml")["ændringer"][kind]["navn"]


def fam_second(wb):
    """Familieteamet met criterion 2.6.3 and finished an activity."""
    ws = wb[PLAN1]
    ws.cell(row=row_of(ws, 2, "ICS som fast punkt"), column=15, value="Afsluttet")
    ws = wb["Fase 2 Igangsæt"]
    ws.cell(row=row_of(ws, 1, "2.6.3"), column=3, value="Opfyldt")


def pleje_second(wb):
    """Familieplejen planned an activity whose mål is already past."""
    ws = wb["Sigtepunkt 1"]
    row = row_of(ws, 2, "Skabelon til plejefamiliernes") + 1
    fixtures.write_row(ws, row, {2: "Evaluering med plejefamilierne", 3: "Mona Lund", 4: dt.date(2026, 4, 1),
                                 5: dt.date(2026, 6, 1), 13: "Alle plejefamilier har evalueret forløbet",
                                 14: dt.date(2026, 5, 1), 15: "I gang"})


def born_third(wb):
    """An error fixed (31. september), a new one made (a deadline 'snart')."""
    wb[PLAN1]["G11"] = dt.date(2026, 9, 30)
    ws = wb["Fase 1 Forbered"]
    ws.cell(row=row_of(ws, 1, "1.1.1"), column=5, value="snart")


def fam_third(wb):
    """A date moved and a responsible person named on one plan row; a procesplan row deleted."""
    ws = wb[PLAN2]
    row = row_of(ws, 2, "Stikprøve af 20 sager")
    ws.cell(row=row, column=5, value=dt.date(2027, 3, 31))
    ws.cell(row=row, column=3, value="Tina Holm")
    ws = wb["Procesplan"]
    ws.delete_rows(row_of(ws, 4, "Genbesøg"))


@pytest.mark.slow
def test_three_readings_give_the_complete_siden_sidst_in_sheet_and_json(tmp_path):
    run = Coordinator(tmp_path)
    run.consolidate()
    assert run.from_json() == [] and run.from_sheet() == []

    run.edit(FAM, fam_second)
    run.edit(PLEJE, pleje_second)
    run.consolidate("16-06-2026")
    second = [
        ("Familieteamet", "kriterium_opfyldt", CRITERION_263, "Ikke påbegyndt", "Opfyldt",
         (FAM, "Fase 2 Igangsæt", f"A{_criterion_row('2.6.3', FAM, 'Fase 2 Igangsæt')}")),
        ("Familieteamet", "aktivitet_afsluttet", "ICS som fast punkt på teammøder (15 min. casedrøftelse)", "I gang",
         "Afsluttet", (FAM, PLAN1, "A10")),
        ("Børne- og ungeteamet", "ingen_ny_version", UNCHANGED, None, None, (BORN, None, None)),
        # a mål of 01-05-2026 is past at 16-06-2026: red by the rule in trafiklys.yaml; the new row's mål and its
        # end (01-06-2026) are overdue from the start, and each moves the count of what is overdue
        ("Familieplejen", "trafiklys_forværret", "Trafiklyset", "Grøn", "Rød", None),
        ("Familieplejen", "mål_overskredet", "Alle plejefamilier har evalueret forløbet", None, dt.date(2026, 5, 1),
         (PLEJE, "Sigtepunkt 1", "A11")),
        ("Familieplejen", "aktivitet_forsinket", "Evaluering med plejefamilierne", None, dt.date(2026, 6, 1),
         (PLEJE, "Sigtepunkt 1", "A11")),
        ("Familieplejen", "aktivitet_tilføjet", "Evaluering med plejefamilierne", None, "I gang",
         (PLEJE, "Sigtepunkt 1", "A11")),
    ]
    assert run.from_json() == _as_json(second)
    assert run.from_sheet() == [(team, label(kind), *rest) for team, kind, *rest in second]

    run.edit(BORN, born_third)
    run.edit(FAM, fam_third)
    run.consolidate("17-06-2026")
    third = [
        ("Familieteamet", "aktivitet_fjernet", "Genbesøg: evaluering af årets arbejde", "Ikke påbegyndt", None,
         (FAM, "Procesplan", "A32")),  # where it was at the second reading
        ("Familieteamet", "dato_flyttet", "Stikprøve af 20 sager hvert kvartal", dt.date(2026, 12, 31),
         dt.date(2027, 3, 31), (FAM, PLAN2, "A10")),
        ("Familieteamet", "ansvarlig_tilføjet", "Stikprøve af 20 sager hvert kvartal", None, "Tina Holm",
         (FAM, PLAN2, "A10")),
        ("Børne- og ungeteamet", "ny_fejl",
         "Datoen 'snart' i Frist kan ikke bruges: 'snart' kan ikke læses som en dato eller periode.", None, "RB008",
         (BORN, "Fase 1 Forbered", f"E{_criterion_row('1.1.1', BORN, 'Fase 1 Forbered')}")),
        ("Børne- og ungeteamet", "fejl_rettet",
         "Datoen '31. september 2026' i Delmål-dato kan ikke bruges: 31. september 2026 findes ikke.", "RB008", None,
         (BORN, PLAN1, "G11")),
        ("Familieplejen", "ingen_ny_version", UNCHANGED, None, None, (PLEJE, None, None)),
    ]
    assert run.from_json() == _as_json(third)
    assert run.from_sheet() == [(team, label(kind), *rest) for team, kind, *rest in third]


def subgoal_dated_without_text(wb):
    """Familieplejen planned an activity with a delmål date of 20-06-2026 and wrote no delmål."""
    ws = wb["Sigtepunkt 1"]
    row = row_of(ws, 2, "Skabelon til plejefamiliernes") + 1
    fixtures.write_row(ws, row, {2: "Opfølgning med plejefamilierne", 3: "Mona Lund", 7: dt.date(2026, 6, 20),
                                 15: "I gang"})


@pytest.mark.slow
def test_a_delmaal_with_a_date_and_no_text_that_became_overdue_is_in_siden_sidst_by_its_place(tmp_path):
    import subprocess

    run = Coordinator(tmp_path)
    run.edit(PLEJE, subgoal_dated_without_text)
    row = row_of(openpyxl.load_workbook(run.folder / PLEJE)["Sigtepunkt 1"], 2, "Opfølgning med plejefamilierne")
    name = f"Delmål uden tekst (Sigtepunkt 1, række {row})"
    pdf = tmp_path / "møde.pdf"
    run.consolidate("15-06-2026", "--pdf", pdf)
    pleje = next(t for t in json.loads(run.json.read_text(encoding="utf-8"))["fremdrift"] if t["team"] == "Familieplejen")
    assert [(d["kind"], d["text"]) for d in pleje["kommende_frister"] if d["date"] == "2026-06-20"] == [("Delmål", name)]
    shown = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    assert "Delmål uden tekst" in shown  # under Kommende, not an empty text
    run.edit(FAM, fam_second)  # another team sent something new: the reading of 25-06 is stored
    run.consolidate("25-06-2026")
    assert ("Familieplejen", "delmål_overskredet", name, None, "2026-06-20", (PLEJE, "Sigtepunkt 1", f"A{row}")) \
        in run.from_json()


def _as_json(changes):
    """The changes as the JSON gives them: dates as ISO text."""
    def iso(value):
        return value.isoformat() if isinstance(value, dt.date) else value
    return [(t, k, w, iso(b), iso(n), s) for t, k, w, b, n, s in changes]


def test_every_kind_of_change_is_declared_once():
    assert set(history.CHANGE_KINDS) == set(history.change_kinds())
    assert all(kind["tone"] in ("god", "dårlig", "neutral") for kind in history.change_kinds().values())


FIRST_VERSION_SCHEMA = """
CREATE TABLE readings (id INTEGER PRIMARY KEY, taken_at TEXT NOT NULL, as_of TEXT NOT NULL,
    municipality TEXT NOT NULL DEFAULT '');
CREATE TABLE files (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    file TEXT, team TEXT, sha256 TEXT, template_id TEXT, template_version TEXT, readable INTEGER);
CREATE TABLE progress (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    team TEXT, phase TEXT, relevant INTEGER, met INTEGER, in_progress INTEGER, not_started INTEGER);
CREATE TABLE teams (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    team TEXT, light TEXT, overdue INTEGER, activities INTEGER, finished INTEGER, open_risks INTEGER,
    errors INTEGER, warnings INTEGER);
CREATE TABLE items (reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    team TEXT, kind TEXT, key TEXT, text TEXT, status TEXT, due TEXT, overdue INTEGER);
CREATE INDEX items_by_reading ON items (reading_id, team, kind, key);
"""
OLD_COLUMNS = {"readings": "id, taken_at, as_of, municipality",
               "files": "reading_id, file, team, sha256, template_id, template_version, readable",
               "progress": "reading_id, team, phase, relevant, met, in_progress, not_started",
               "teams": "reading_id, team, light, overdue, activities, finished, open_risks, errors, warnings",
               "items": "reading_id, team, kind, key, text, status, due, overdue"}


def first_version_database(path, reading_made_now):
    """A database as the first version wrote it (its tables as the README of that version gave them), holding
    one reading: the columns that version stored, of a reading made now."""
    with sqlite3.connect(path) as old:
        old.executescript(FIRST_VERSION_SCHEMA)
        old.execute("ATTACH DATABASE ? AS now", (str(reading_made_now),))
        for table, columns in OLD_COLUMNS.items():
            old.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM now.{table}")
            if table == "items":  # the first version stored no mål
                old.execute("DELETE FROM main.items WHERE kind = 'mål'")


@pytest.mark.slow
def test_a_history_from_the_first_version_still_opens_and_compares(tmp_path):
    scratch = Coordinator(tmp_path / "scratch")
    scratch.consolidate()
    old_db = tmp_path / "gammel-historik.sqlite"
    first_version_database(old_db, scratch.history)

    run = Coordinator(tmp_path / "run", history_path=old_db)
    run.edit(FAM, fam_second)
    run.edit(FAM, fam_third)
    run.consolidate("16-06-2026")
    assert [r.id for r in history.readings(old_db)] == [1, 2]
    with sqlite3.connect(old_db) as db:
        assert {"responsible", "file", "sheet", "cell"} <= {row[1] for row in db.execute("PRAGMA table_info(items)")}
        assert db.execute("SELECT format FROM readings ORDER BY id").fetchall() == [(None,), (history.FORMAT,)]
    kinds = {(team, kind) for team, kind, *_ in run.from_json()}
    # What the first version stored is compared ...
    assert {("Familieteamet", "kriterium_opfyldt"), ("Familieteamet", "aktivitet_afsluttet"),
            ("Familieteamet", "dato_flyttet"), ("Børne- og ungeteamet", "ingen_ny_version")} <= kinds
    # ... and what it did not store (who is responsible, problems, activities as a set) is not guessed at
    assert not kinds & {("Familieteamet", k) for k in ("ansvarlig_tilføjet", "aktivitet_fjernet", "fejl_rettet")}


def _criterion_row(cid: str, file: str, sheet: str) -> int:
    """Where the criterion stands on a sample's phase sheet, found with openpyxl."""
    ws = openpyxl.load_workbook(ROOT / "samples" / "returned" / file)[sheet]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == cid)


# ---------------------------------------------------------------- every change that moves a figure is said

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

FIRST_AS_OF = dt.date(2026, 5, 15)
ACTIVITY_STATUSES = load_yaml("lister.yaml")["aktivitetsstatus"]
DONE = set(ACTIVITY_STATUSES["faerdig"])  # finished or cancelled: nothing more is expected (lister.yaml)
_state = st.fixed_dictionaries({
    "status": st.sampled_from([None, *ACTIVITY_STATUSES["værdier"]]),
    "owner": st.booleans(),
    # days after 01-05-2026 of the activity's end, the delmål and the mål (None: no date)
    "slut": st.none() | st.integers(0, 70), "delmaal": st.none() | st.integers(0, 70), "maal": st.none() | st.integers(0, 70),
})
_row = st.tuples(st.booleans(), st.booleans(), _state, _state)  # delmål typed, mål typed; before, now


def _plan_row(i: int, subgoal_typed: bool, goal_typed: bool, state: dict):
    from xlplan.core.records import DateValue, PlanRow, Source

    def day(n):
        when = None if n is None else dt.date(2026, 5, 1) + dt.timedelta(days=n)
        return DateValue(None if when is None else f"{when:%d-%m-%Y}", when, when)

    return PlanRow(team="Teamet", focus_point="Sigtepunkt", formaal=None, aktivitet=f"Aktivitet {i}",
                   ansvarlig="Tina Holm" if state["owner"] else None, slut=day(state["slut"]),
                   delmaal=f"Delmål {i}" if subgoal_typed else None, delmaal_dato=day(state["delmaal"]),
                   maal=f"Mål {i}" if goal_typed else None, maal_dato=day(state["maal"]), status=state["status"],
                   source=Source("teamet.xlsx", "Plan 1", f"A{10 + i}", 10 + i))


def _reading(rows, which: int, sha: str, as_of: dt.date):
    from xlplan.core.records import WorkbookRead
    from xlplan.reporting.consolidate import build_consolidation

    read = WorkbookRead("teamet.xlsx", "teamet.xlsx", sha, 1, None, team="Teamet")
    read.plan_rows = [_plan_row(i, sub, goal, states[which]) for i, (sub, goal, *states) in enumerate(rows)]
    return build_consolidation([read], [], None, as_of)


def _expected(rows, gap: int) -> tuple[set, set]:
    """From the records alone: (row, name, kind) of each watched date that became overdue, and (row, name) of
    each figure that moved otherwise (no longer overdue, finished or reopened, responsible named or gone)."""
    as_of = (FIRST_AS_OF, FIRST_AS_OF + dt.timedelta(days=gap))
    became, moved = set(), set()
    for i, (sub, goal, *states) in enumerate(rows):
        names = {"slut": f"Aktivitet {i}", "delmaal": f"Delmål {i}" if sub else f"Delmål uden tekst (Plan 1, række {10 + i})",
                 "maal": f"Mål {i}" if goal else f"Mål uden tekst (Plan 1, række {10 + i})"}
        kinds = {"slut": "aktivitet_forsinket", "delmaal": "delmål_overskredet", "maal": "mål_overskredet"}
        for field in names:
            late = [s[field] is not None and dt.date(2026, 5, 1) + dt.timedelta(days=s[field]) < day
                    and s["status"] not in DONE for s, day in zip(states, as_of)]
            if late[1] and not late[0]:
                became.add((10 + i, names[field], kinds[field]))
            elif late[0] and not late[1]:
                moved.add((10 + i, names[field]))
        if (states[0]["status"] in DONE) != (states[1]["status"] in DONE) or states[0]["owner"] != states[1]["owner"]:
            moved.add((10 + i, f"Aktivitet {i}"))
    return became, moved


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, min_size=1, max_size=5), gap=st.integers(1, 45))
def test_every_change_that_moves_a_figure_has_its_entry_in_siden_sidst(rows, gap):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "historik.sqlite"
        history.record(_reading(rows, 0, "a" * 64, FIRST_AS_OF), db)
        history.record(_reading(rows, 1, "b" * 64, FIRST_AS_OF + dt.timedelta(days=gap)), db)
        changes = history.development(db).changes
    said = {(int(c.source.cell[1:]), c.what, c.kind) for c in changes if c.source and c.source.cell}
    became, moved = _expected(rows, gap)
    assert became <= said, became - said
    assert all(c.what for c in changes)
    missing = {(row, name) for row, name in moved if not any(r == row and w == name for r, w, _ in said)}
    assert not missing, (missing, said)
