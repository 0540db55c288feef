"""The error catalogue (xlplan/data/fejl.yaml) is the one source of messages: every code in it is raised
by the code, every place that raises a code finds it there, and the codes no other test reaches are
raised here, each by the situation it describes."""
import datetime as dt
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

import fixtures
from paths import ROOT
from test_config import GOOD, problems
from xlplan.cli import main
from xlplan.core.errors import Severity, XlplanError, catalogue
from xlplan.fixing.carry import write_annotated_copies
from xlplan.reading.readback import read_team_workbook
from xlplan.reporting import history
from xlplan.workbook.generate import render_workbook

SOURCES = sorted((ROOT / "xlplan").rglob("*.py"))


def _raised_codes() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    return set(re.findall(r"""["']([A-Z]{2,3}\d{3})["']""", text))


def test_every_code_in_the_catalogue_is_raised_and_every_raised_code_is_in_it():
    known, raised = set(catalogue()), _raised_codes()
    assert known - raised == set(), "codes nothing raises"
    assert raised - known == set(), "codes raised but not in fejl.yaml"
    for code, entry in catalogue().items():
        assert entry["besked"].strip() and entry["rettelse"].strip(), code
        Severity(entry.get("niveau", "fejl"))


@pytest.mark.parametrize("line, code", [
    ('rytme = "Hver anden uge"', "CFG010"),
    ('afsnit = ["plan", "budget"]', "CFG011"),
    (f'kommune = "{"x" * 2001}"', "CFG012"),
])
def test_plan_mistakes(line, code):
    text = GOOD.replace('kommune = "Testkommune"\n', "") if line.startswith("kommune") else GOOD
    text = text.replace('startdato = 2026-03-02\n', f'startdato = 2026-03-02\n{line}\n')
    assert code in [p.code for p in problems(text)]


@pytest.fixture
def fresh(sample_config, tmp_path):
    path = tmp_path / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    return path


def _edit(path, change):
    fixtures.edit(path, change)
    return read_team_workbook(path)


def test_team_name_deleted_is_RB003(fresh):
    def delete_team(wb):
        ws = wb["Oversigt"]
        row = next(r for r in range(1, 30) if ws.cell(row=r, column=1).value == "Team")
        ws.cell(row=row, column=2).value = None
        meta = wb["xlplan"]
        for row in meta.iter_rows():
            if row[0].value == "team":
                row[1].value = None  # the metadata's team too
    read = _edit(fresh, delete_team)
    assert "RB003" in [p.code for p in read.problems]


def test_a_column_header_deleted_is_RB005(fresh):
    def delete_status_header(wb):
        ws = wb[fixtures.PLAN]
        h = fixtures.header_row(ws)
        ws.cell(row=h, column=15).value = None
    read = _edit(fresh, delete_status_header)
    [p] = [p for p in read.problems if p.code == "RB005"]
    assert p.values["kolonne"] == "Status"


def test_an_excel_error_value_is_RB011_and_a_score_outside_1_5_is_RB012(fresh):
    def errors(wb):
        ws = wb[fixtures.PLAN]
        h = fixtures.header_row(ws)
        fixtures.write_row(ws, h + 1, {2: "Kursus", 3: "Tina Holm"})
        ws.cell(row=h + 1, column=1).value = "#N/A"
        ws.cell(row=h + 1, column=1).data_type = "e"
        risk = wb["Risikolog"]
        fixtures.write_row(risk, 6, {2: "Sygdom", 3: 7, 4: "høj"})
    read = _edit(fresh, errors)
    found = {(p.code, p.sheet) for p in read.problems}
    assert ("RB011", fixtures.PLAN) in found and ("RB012", "Risikolog") in found


def test_a_plan_without_its_sigtepunkts_name_is_RB021(fresh):
    def unnamed(wb):
        ws = wb[fixtures.PLAN]
        row = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Sigtepunkt")
        ws.cell(row=row, column=2).value = None
        h = fixtures.header_row(ws)
        fixtures.write_row(ws, h + 1, {2: "Kursus", 3: "Tina Holm"})
    read = _edit(fresh, unnamed)
    assert [p.sheet for p in read.problems if p.code == "RB021"] == [fixtures.PLAN]


def test_a_missing_file_is_RD008():
    result = CliRunner().invoke(main, ["check", str(ROOT / "findes-ikke.xlsx")])
    assert "[RD008]" in result.output and result.exit_code == 1


def test_no_fixing_copy_of_an_unreadable_file_is_RET001(tmp_path):
    broken = tmp_path / "i stykker.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    read = read_team_workbook(broken)
    [copy] = write_annotated_copies([read], tmp_path / "ud", [tmp_path])
    assert copy.path is None and copy.notice.code == "RET001"


def test_a_history_that_cannot_be_opened_is_HIS001_and_one_that_is_missing_HIS003(tmp_path):
    not_a_database = tmp_path / "historik.sqlite"
    not_a_database.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(XlplanError) as info:
        history.readings(not_a_database)
    assert info.value.problems[0].code == "HIS001"
    result = CliRunner().invoke(main, ["history", "--history", str(tmp_path / "ingen.sqlite")])
    assert "[HIS003]" in result.output and result.exit_code != 0
