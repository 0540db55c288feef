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
PLAN1 = "1. Fælles faglig forståelse af"
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

    def consolidate(self, as_of="15-06-2026"):
        """A reading as of `as_of`: a reading of a date already in the history replaces it."""
        result = CliRunner().invoke(main, ["consolidate", str(self.folder), "-o", str(self.out), "--config",
                                           str(SAMPLE_CONFIG), "--as-of", as_of, "--json", str(self.json),
                                           "--history", str(self.history)])
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
        # a mål of 01-05-2026 is past at 15-06-2026: red by the rule in trafiklys.yaml
        ("Familieplejen", "trafiklys_forværret", "Trafiklyset", "Grøn", "Rød", None),
        ("Familieplejen", "aktivitet_tilføjet", "Evaluering med plejefamilierne", None, "I gang",
         (PLEJE, "Sigtepunkt 1", "A11")),
    ]
    assert run.from_json() == second
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
    as_json = [(t, k, w, b.isoformat() if isinstance(b, dt.date) else b, n.isoformat() if isinstance(n, dt.date) else n,
                s) for t, k, w, b, n, s in third]
    assert run.from_json() == as_json
    assert run.from_sheet() == [(team, label(kind), *rest) for team, kind, *rest in third]


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
