"""Fresh copies with the team's data: annotated copies for fixing, and migration to the current template."""
import dataclasses
import datetime as dt
import hashlib
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

import fixtures
import hostile
from paths import ROOT
from libreoffice import PDF_ONE_PAGE_PER_SHEET, convert
from xlplan.core import content, versions
from xlplan.core.schema import XLPLAN_AUTHOR
from xlplan.fixing.carry import annotated, fresh_copy, write_annotated_copies
from xlplan.fixing.corrections import MARKED_AT_MOST
from xlplan.cli import main
from xlplan.reporting.consolidate import consolidate
from xlplan.workbook.generate import render_workbook
from xlplan.fixing.migrate import migrate
from xlplan.reading.readback import read_team_workbook
from xlplan.xlsx.writer import render
from workbook_helpers import fields_of

SAMPLES = ROOT / "samples" / "returned"
BORN = SAMPLES / "Ishøj Kommune - Børne- og ungeteamet.xlsx"
WHEN = dt.datetime(2026, 6, 15, 9)


def without_sources(records):
    return [{k: v for k, v in fields_of(r).items() if k not in ("source", "extra")} for r in records]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_fresh_copy_carries_every_record(name, tmp_path):
    before = read_team_workbook(SAMPLES / name)
    copy = tmp_path / "kopi.xlsx"
    copy.write_bytes(render(fresh_copy(before, WHEN)[0]))
    after = read_team_workbook(copy)
    assert after.team == before.team
    for kind in ("plan_rows", "followups", "process_rows", "criteria", "steps", "roles", "risks", "people"):
        assert without_sources(getattr(after, kind)) == without_sources(getattr(before, kind)), kind
    # Invalid values are carried as typed, so the same errors are still there to fix.
    assert sorted(p.code for p in after.errors) == sorted(p.code for p in before.errors)


def test_annotated_copy_marks_every_problem_cell(tmp_path):
    original = BORN.read_bytes()
    read = read_team_workbook(BORN)
    layout, placed = annotated(read, WHEN)
    path = tmp_path / "rettelser.xlsx"
    path.write_bytes(render(layout))
    assert BORN.read_bytes() == original, "the original is never touched"
    assert all(p.sheet for p in placed), "every problem of this file has a cell"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Rettelser" and "Ikke placeret" not in wb.sheetnames, "nothing is without a place"
    for item in placed:
        if item.problem.severity.value == "info":
            continue  # a notice (an inferred year) is listed on Rettelser but marks no cell: nothing to fix
        cell = wb[item.sheet][item.cell]
        assert cell.comment is not None and item.problem.code in cell.comment.text, (item.sheet, item.cell)
        assert cell.fill.fgColor.rgb in ("FFFFC7CE", "FFFFEB9C")
    rettelser = wb["Rettelser"]
    links = [r[3] for r in rettelser.iter_rows(min_row=5) if r[3].value]
    assert len(links) == len(placed) and all(c.hyperlink is not None and c.hyperlink.location for c in links)
    plan = wb["1. Fælles faglig forståelse"]
    header = fixtures.header_row(plan)
    assert plan.cell(row=header, column=17).value == "Prioritet", "the team's own column stands beside the table"
    assert plan.cell(row=header + 1, column=17).value == "Høj"


@pytest.mark.slow
def test_a_copy_of_more_problems_than_a_person_reads_marks_the_first_and_counts_the_rest(sample_config, tmp_path):
    source = tmp_path / "team.xlsx"
    source.write_bytes(render_workbook(sample_config, sample_config.teams[0], WHEN))
    path = hostile.bad_weeks_and_statuses(source, tmp_path / "mange.xlsx", hostile.rows_for_problems(30_000))
    read = read_team_workbook(path)
    assert len(read.problems) >= 30_000
    [copy] = write_annotated_copies([read], tmp_path / "rettekopier", [path])
    assert copy.marked == MARKED_AT_MOST and copy.left_out == len(read.problems) - MARKED_AT_MOST  # tjek says it
    wb = openpyxl.load_workbook(copy.path)
    marked = [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if c.comment is not None and c.comment.author == XLPLAN_AUTHOR]
    assert len(marked) == MARKED_AT_MOST
    rettelser = wb["Rettelser"]
    links = [r[3] for r in rettelser.iter_rows(min_row=5) if r[3].hyperlink is not None]
    assert len(links) == MARKED_AT_MOST and rettelser.max_row == 4 + MARKED_AT_MOST
    said = content.load_yaml("tekster.yaml")["rettelser"]["resten"]
    assert rettelser["A3"].value == said.format(vist=MARKED_AT_MOST, resten=len(read.problems) - MARKED_AT_MOST)
    assert f"{sum(1 for p in read.problems if p.is_error)} fejl skal rettes" in rettelser["A2"].value, "all are counted"


@pytest.mark.libreoffice
def test_annotated_copy_in_libreoffice(tmp_path):
    read = read_team_workbook(BORN)
    path = tmp_path / "rettelser.xlsx"
    path.write_bytes(render(annotated(read, WHEN)[0]))
    assert convert([path], PDF_ONE_PAGE_PER_SHEET, tmp_path / "pdf").returncode == 0
    assert (tmp_path / "pdf" / "rettelser.pdf").stat().st_size > 20_000
    assert convert([path], "xlsx", tmp_path / "lo").returncode == 0
    again = read_team_workbook(tmp_path / "lo" / "rettelser.xlsx")
    assert {p.code for p in again.errors} == {p.code for p in read.errors}, "the problems are still visible"
    wb = openpyxl.load_workbook(tmp_path / "lo" / "rettelser.xlsx")
    assert wb["1. Fælles faglig forståelse"]["G11"].comment is not None


# ---------------------------------------------------------------- migration from an older template version
#
# The declaration of "version 0", kept here: the guide's 113 checkboxes as printed, where criterion
# 1.5.3 did not exist (it stood inside 1.5.2.c) so the last criterion of Forbered/Teknisk understøttelse
# was numbered 1.5.3, and the plan's last column was headed "Kommentar til rækken".
OLD_VERSIONS = {
    "aktuel": 1,
    "understøttede": [0, 1],
    "overgange": {0: {"kriterier": {"1.5.3": "1.5.4"}, "kolonner": {"bemaerkning": ["Kommentar til rækken"]},
                      "nye_kriterier": ["1.5.3"]}},
}


def make_version_0(path):
    def old(wb):
        for row in wb["xlplan"].iter_rows():
            if row[0].value == "template_version":
                row[1].value = "0"
        ws = wb["Fase 1 Forbered"]
        rows = {ws.cell(row=r, column=1).value: r for r in range(6, ws.max_row + 1)}
        ws.cell(row=rows["1.5.2.c"], column=2, value="Konverteringsplan godkendt af styregruppen "
                                                      "Implementeringsforløb er planlagt med lokal it-/digitaliseringsafdeling")
        ws.cell(row=rows["1.5.4"], column=3, value="I gang")
        ws.cell(row=rows["1.5.4"], column=6, value="Afventer IT")
        fixtures.delete_rows(ws, rows["1.5.3"])
        ws.cell(row=rows["1.5.4"] - 1, column=1, value="1.5.3")
        plan = wb[fixtures.PLAN]
        h = fixtures.header_row(plan)
        plan.cell(row=h, column=16, value="Kommentar til rækken")
        plan.cell(row=h + 1, column=16, value="Vigtig")
    return fixtures.edit(path, lambda wb: (fixtures.filled_plan_rows(wb), fixtures.extra_column_added(wb), old(wb)))


@pytest.fixture
def old_versions(monkeypatch):
    monkeypatch.setattr(versions, "load", lambda: OLD_VERSIONS)


@pytest.fixture
def version_0(sample_config, tmp_path):
    path = tmp_path / "gammel.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], WHEN))
    return make_version_0(path)


def test_older_version_is_read_through_the_mapping(old_versions, version_0):
    read = read_team_workbook(version_0)
    status = {c.id: (c.status, c.bemaerkning) for c in read.criteria}
    assert status["1.5.4"] == ("I gang", "Afventer IT")
    assert "1.5.3" not in status
    assert read.plan_rows[0].bemaerkning == "Vigtig"
    assert ("kriterium", "1.5.3", "1.5.4") in read.renamed


def test_unsupported_older_version_is_refused(version_0):
    read = read_team_workbook(version_0)
    assert not read.readable and [p.code for p in read.problems] == ["RB029"]


def test_migrate_reports_what_moved_was_renamed_and_had_no_place(old_versions, version_0, tmp_path):
    before = hashlib.sha256(version_0.read_bytes()).hexdigest()
    result = migrate(version_0, tmp_path / "ny.xlsx", WHEN)
    assert hashlib.sha256(version_0.read_bytes()).hexdigest() == before
    assert result.moved["planrækker"] == 3 and result.moved["kriterier"] == 113
    codes = {(n.code, n.message) for n in result.notes}
    assert ("MIG001", "Kriteriet 1.5.3 hedder nu 1.5.4.") in codes
    assert any(code == "MIG002" and "1.5.3" in message for code, message in codes)
    assert any(code == "MIG003" and "Prioritet" in message for code, message in codes)
    assert not [p for p in result.problems if p.code == "RB014"], "a new criterion is not reported as deleted"
    new = read_team_workbook(tmp_path / "ny.xlsx")
    assert new.template_version == "1" and not new.renamed
    status = {c.id: (c.status, c.bemaerkning) for c in new.criteria}
    assert status["1.5.4"] == ("I gang", "Afventer IT") and status["1.5.3"] == ("Ikke påbegyndt", None)
    assert len(new.criteria) == 114
    assert [r.bemaerkning for r in new.plan_rows][:1] == ["Vigtig"]
    assert [r.extra for r in new.plan_rows if r.extra] == [{"Prioritet": "Høj"},
                                                           {"Prioritet": "Kun i den ekstra kolonne"}]


def test_versions_side_by_side_in_consolidation(old_versions, version_0, sample_config, tmp_path):
    folder = tmp_path / "inn"
    folder.mkdir()
    shutil.copy(version_0, folder / "gammel.xlsx")
    new = folder / "ny.xlsx"
    new.write_bytes(render_workbook(sample_config, sample_config.teams[1], WHEN))
    result = consolidate([folder], sample_config, dt.date(2026, 6, 15))
    assert sorted((r.team, r.template_version) for r in result.reads) == [("Børne- og ungeteamet", "1"),
                                                                           ("Familieteamet", "0")]
    # The old workbook has the guide's 113 criteria, the current one 114.
    assert {t.team: t.checklist.relevant for t in result.teams} == {"Familieteamet": 113, "Børne- og ungeteamet": 114}


def test_versions_data_agrees_with_the_templates():
    from xlplan.core import content
    assert versions.current() == content.template_version() and versions.current() in versions.supported()


@pytest.mark.slow
def test_cli_annotate_and_migrate(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["tjek", str(BORN), "--rettekopier", str(tmp_path / "rette")])
    assert result.exit_code == 1 and "Kopi med rettelser:" in result.output
    assert (tmp_path / "rette" / "Ishøj Kommune - Børne- og ungeteamet - rettelser.xlsx").is_file()
    result = runner.invoke(main, ["migrate", str(BORN), "-o", str(tmp_path / "ny.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Flyttet: 4 planrækker" in result.output and "MIG003" in result.output
    result = runner.invoke(main, ["migrate", str(BORN), "-o", str(BORN)])
    assert result.exit_code == 2 and "[OUT003]" in result.output


@pytest.mark.slow
def test_a_real_date_in_the_period_column_stays_a_date_in_the_fixing_copy(sample_config, tmp_path):
    path = tmp_path / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], WHEN))
    fixtures.edit(path, fixtures.real_date_in_period_column)
    copy = tmp_path / "kopi.xlsx"
    copy.write_bytes(render(annotated(read_team_workbook(path), WHEN)[0]))
    ws = openpyxl.load_workbook(copy)["Procesplan"]
    row = fixtures.header_row(ws, "Dato/periode") + 1
    cell = ws.cell(row=row, column=1)
    assert cell.value == dt.datetime(2026, 5, 4) and cell.is_date, (cell.value, cell.number_format)


def _records(read, dates_by_meaning: bool = False):
    """Every record as its JSON form without where it stood (a fresh copy lays the rows out anew and puts
    a team's own rows after the template's), in a stable order. With `dates_by_meaning`, a date read is
    compared by the days it means, not by how it was written, and a procesplan row by its start and end (a
    fixing copy writes dates typed as text as real dates, and a period's days in Fra and Til)."""
    import json
    from xlplan.core.records import ProcessRow, to_jsonable
    out = []
    for record in [*read.records(), read.info]:
        data = to_jsonable(record)
        data.pop("source", None)
        if dates_by_meaning:
            for key, value in list(data.items()):
                if isinstance(value, dict) and {"tekst", "start", "slut"} <= value.keys() and value["start"]:
                    data[key] = {"start": value["start"], "slut": value["slut"]}
            if isinstance(record, ProcessRow):
                data.pop("fra"), data.pop("til")
        out.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
    return sorted(out)


@pytest.fixture
def everything(sample_config, tmp_path):
    path = tmp_path / "alt.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], WHEN))
    return fixtures.edit(path, fixtures.everything_a_team_has)


@pytest.mark.slow
def test_a_fixing_copy_holds_everything_the_team_had(everything, tmp_path):
    read = read_team_workbook(everything)
    copy = tmp_path / "rettelser.xlsx"
    copy.write_bytes(render(annotated(read, WHEN)[0]))
    again = read_team_workbook(copy)
    assert _records(again, dates_by_meaning=True) == _records(read, dates_by_meaning=True), \
        "the same records, own rows, own columns and invalid values"
    assert {(c.author, c.text) for c in again.comments} == {(c.author, c.text) for c in read.comments}
    assert len(read.comments) == 4
    original = openpyxl.load_workbook(everything)
    fixed = openpyxl.load_workbook(copy)
    for ref in ("A1", "B2", "C3"):  # the team's own sheet, values and number formats as they were
        before, after = original["Vores noter"][ref], fixed["Vores noter"][ref]
        assert (after.value, after.number_format) == (before.value, before.number_format), ref
    assert fixed["Vores noter"]["A1"].comment.text == "Referat ligger på drevet"
    budget = next(c for row in fixed["Procesplan"].iter_rows() for c in row if c.value == 12500)
    assert budget.number_format == '#,##0 "kr."'
    assert fixed["Procesplan"].cell(row=fixtures.header_row(fixed["Procesplan"], "Dato/periode"),
                                    column=budget.column).value == "Budget"
    # What has no place in the template is listed where the team can see it, with where it stood.
    def team_note(cell):
        return cell.comment.text if cell.comment and cell.comment.author != "xlplan" else None

    unplaced = {tuple(c.value for c in row[:4]) + (team_note(row[3]),)
                for row in fixed["Ikke placeret"].iter_rows(min_row=5)}
    plan = fixtures.PLAN
    assert unplaced == {(plan, "R2", "Uden for tabeller og felter", "Husk budget", "Til budgetmødet"),
                        (plan, "E4", "Skjult i en flettet celle", "Skjult note i sigtepunktet", None)}
    assert {s.name for s in again.own_sheets} == {"Vores noter", "Ikke placeret"}
    assert [p.code for p in again.errors] == [p.code for p in read.errors], "the same things still to fix"


# ---------------------------------------------------------------- a workbook filled and saved by LibreOffice

def _typed_by_a_team(plan: str, criterion_row: int, role_row: int) -> list[dict]:
    """What a team does in LibreOffice (da-DK, default settings): types into the plan (a date, a misspelt
    status), unprotects sheets to add its own column, a note beside a table, a criterion row and a role,
    merges cells that hold text, writes comments, and adds a sheet of notes with formatted numbers."""
    def typed(sheet, cell, text):
        return {"do": "type", "sheet": sheet, "cell": cell, "text": text}

    return [
        typed(plan, "A9", "Fælles sprog"), typed(plan, "B9", "Kursus"), typed(plan, "C9", "Tina Holm"),
        typed(plan, "D9", "3/2-2026"), typed(plan, "O9", "Afslutet"), typed(plan, "P9", "Vigtig"),
        {"do": "comment", "sheet": plan, "cell": "B9", "text": "Spørg Bo om datoen"},
        {"do": "unprotect", "sheet": plan},
        typed(plan, "Q8", "Prioritet"), typed(plan, "Q9", "Høj"), typed(plan, "R2", "Husk budget"),
        typed(plan, "B10", "Teammøder"), typed(plan, "C10", "Et eget navn"),
        {"do": "merge", "sheet": plan, "range": "B10:C10"},  # merged with 'Et eget navn' kept hidden
        typed("Procesplan", "A8", "Uge 10 2026"), typed("Procesplan", "D8", "Temadag"),
        {"do": "unprotect", "sheet": "Procesplan"},
        typed("Procesplan", "H7", "Budget"), typed("Procesplan", "H8", "12500"),
        {"do": "number_format", "sheet": "Procesplan", "cell": "H8", "code": '#.##0" kr."'},
        {"do": "insert_rows", "sheet": "Fase 1 Forbered", "row": criterion_row, "count": 1},
        {"do": "unprotect", "sheet": "Fase 1 Forbered"},
        typed("Fase 1 Forbered", f"A{criterion_row + 1}", "Egen 1"),
        typed("Fase 1 Forbered", f"B{criterion_row + 1}", "Vi holder fælles morgenmøder"),
        typed("Fase 1 Forbered", f"C{criterion_row + 1}", "I gang"),
        {"do": "unprotect", "sheet": "Roller"},
        typed("Roller", f"A{role_row + 1}", "Taktisk"), typed("Roller", f"B{role_row + 1}", "Datakoordinator"),
        typed("Roller", f"F{role_row + 1}", "Jonas Krogh"),
        {"do": "comment", "sheet": "Oversigt", "cell": "B7", "text": "Vi skifter fase efter sommer"},
        {"do": "new_sheet", "name": "Vores noter"},
        typed("Vores noter", "A1", "Aftalt på teammødet"), typed("Vores noter", "B2", "1500"),
        {"do": "number_format", "sheet": "Vores noter", "cell": "B2", "code": "#.##0,00"},
        typed("Vores noter", "C3", "03-03-2026"),
        {"do": "comment", "sheet": "Vores noter", "cell": "A1", "text": "Referat ligger på drevet"},
    ]


@pytest.mark.libreoffice
def test_a_fixing_copy_of_a_workbook_saved_by_libreoffice_reads_back_the_same_plus_the_corrections(
        sample_config, tmp_path):
    from uno_typing import edit, uno_python
    if uno_python() is None:
        pytest.skip("python3-uno is not installed")
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(render_workbook(sample_config, sample_config.teams[0], WHEN))
    wb = openpyxl.load_workbook(blank)
    criterion_row = next(r for r in range(1, 200) if wb["Fase 1 Forbered"].cell(r, 1).value == "1.1.3")
    role_row = max(r for r in range(6, 40) if wb["Roller"].cell(r, 2).value)
    original = tmp_path / "fra-libreoffice.xlsx"
    edit(blank, original, _typed_by_a_team(fixtures.PLAN, criterion_row, role_row))
    read = read_team_workbook(original)
    codes = {p.code for p in read.problems}
    assert {"RB006", "RB040", "RB041", "RB043", "RB044", "RB046", "RB031"} <= codes, codes
    assert len(read.comments) == 3 and read.own_sheets[0].name == "Vores noter"

    copy = tmp_path / "rettelser.xlsx"
    layout, placed = annotated(read, WHEN)
    copy.write_bytes(render(layout))
    again = read_team_workbook(copy)
    assert _records(again, dates_by_meaning=True) == _records(read, dates_by_meaning=True)
    assert {(c.author, c.text) for c in again.comments} == {(c.author, c.text) for c in read.comments}
    where = {(p.problem.code, p.problem.cell): (p.sheet, p.cell) for p in placed}
    assert where[("RB041", "C10")][0] == "Ikke placeret" and where[("RB040", "R2")][0] == "Ikke placeret"
    assert where[("RB016", "C10")] == (fixtures.PLAN, "C10"), "the row's own problem stays at its cell"
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(copy)
    for ref in ("A1", "B2", "C3"):
        assert (after["Vores noter"][ref].value, after["Vores noter"][ref].number_format) == (
            before["Vores noter"][ref].value, before["Vores noter"][ref].number_format), ref
    budget = next(c for row in after["Procesplan"].iter_rows() for c in row if c.value == 12500)
    assert budget.number_format == before["Procesplan"]["H8"].number_format

    # The team corrects the status in the copy, in LibreOffice: the same records, plus the correction.
    status = next(r for r in again.plan_rows if r.invalid)
    corrected = tmp_path / "rettet.xlsx"
    edit(copy, corrected, [{"do": "type", "sheet": status.source.sheet, "cell": f"O{status.source.row}",
                            "text": "Afsluttet"}])
    fixed = read_team_workbook(corrected)
    changed = [(r.aktivitet, r.status, r.invalid) for r in fixed.plan_rows if r.aktivitet == "Kursus"]
    assert changed == [("Kursus", "Afsluttet", {})]
    expected = [record.replace('"invalid": {"status": "Afslutet"}', '"invalid": {}').replace(
        '"status": null', '"status": "Afsluttet"') if '"Afslutet"' in record else record
        for record in _records(read, dates_by_meaning=True)]
    assert _records(fixed, dates_by_meaning=True) == sorted(expected)
    assert "RB006" not in {p.code for p in fixed.problems if p.sheet == status.source.sheet}


def test_a_cell_with_a_warning_and_an_error_keeps_its_input_style_in_the_errors_colour():
    """Marked twice (the warning first, so the error's colour shows), a date cell stays a date cell: the
    second mark once took the first's colour for the cell's style and wrote it as a plain input."""
    from xlplan.core.errors import problem
    from xlplan.fixing.corrections import Marks
    from xlplan.xlsx.model import Cell, Sheet

    sheet = Sheet(name="Plan")
    sheet.cells.append(Cell(5, 3, dt.date(2026, 3, 2), "input_date"))
    marks = Marks(sheet)
    marks.mark("D6", problem("RB009", sheet="Plan", cell="D6", værdi="2/3", kolonne="Start", tolkning="02-03-2026"))
    marks.mark("D6", problem("RB008", sheet="Plan", cell="D6", værdi="2/3", kolonne="Start", årsag="uklar"))
    assert [(c.value, c.style) for c in sheet.cells] == [(dt.date(2026, 3, 2), "annotated_error_input_date")]
    [comment] = sheet.comments
    assert "[RB009]" in comment.text and "[RB008]" in comment.text and comment.author == XLPLAN_AUTHOR


@dataclasses.dataclass
class Where:
    sheet: str
    cell: str


@pytest.mark.libreoffice
def test_a_fixing_copy_corrected_in_libreoffice_brings_back_none_of_xlplans_notes(tmp_path):
    """The team opens its fixing copy in LibreOffice, corrects the impossible date and the status, saves and
    sends it again. LibreOffice writes every note's author as a space; xlplan's notes are still not the team's
    comments, and the corrected cells have no problem left."""
    from uno_typing import edit, uno_python
    if uno_python() is None:
        pytest.skip("python3-uno is not installed")
    read = read_team_workbook(BORN)
    assert read.comments == []
    layout, placed = annotated(read, WHEN)
    copy = tmp_path / "rettelser.xlsx"
    copy.write_bytes(render(layout))
    where = {id(item.problem): (item.sheet, item.cell) for item in placed}  # in the copy (its sheets renamed)
    date = next(p for p in read.errors if p.code == "RB008")  # '31. september 2026' does not exist
    status = next(p for p in read.errors if p.code == "RB006")  # 'måske'
    date, status = (Where(*where[id(date)]), Where(*where[id(status)]))
    corrected = tmp_path / "rettet i LibreOffice.xlsx"
    edit(copy, corrected, [{"do": "type", "sheet": date.sheet, "cell": date.cell, "text": "30-09-2026"},
                           {"do": "type", "sheet": status.sheet, "cell": status.cell, "text": "I gang"},
                           {"do": "comment", "sheet": date.sheet, "cell": "A9", "text": "Rettet efter mødet"}])
    from xlplan.xlsx.comments import read_comments
    marked = [c for c in read_comments(corrected) if c.text.startswith(("Fejl [", "Advarsel [", "Info ["))]
    assert marked and XLPLAN_AUTHOR not in {c.author for c in marked}, "the premise: LibreOffice rewrote the author"
    again = read_team_workbook(corrected)
    assert [(c.sheet, c.cell, c.text) for c in again.comments] == [(date.sheet, "A9", "Rettet efter mødet")]
    assert [p.cell for p in again.problems if p.code == "RB046"] == ["A9"]
    left = {(p.sheet, p.cell) for p in again.problems}
    assert (date.sheet, date.cell) not in left and (status.sheet, status.cell) not in left
    assert sorted(p.code for p in again.errors) == sorted(p.code for p in read.errors if p.code not in ("RB006", "RB008"))
    # the next fixing copy carries the team's comment, and xlplan's notes only for the problems left
    layout, placed_again = annotated(again, WHEN)
    path = tmp_path / "næste.xlsx"
    path.write_bytes(render(layout))
    notes = {(ws.title, c.coordinate): c.comment for ws in openpyxl.load_workbook(path).worksheets
             for row in ws.iter_rows() for c in row if c.comment is not None}
    assert {where for where, c in notes.items() if c.author != XLPLAN_AUTHOR} == {(date.sheet, "A9")}
    assert (date.sheet, date.cell) not in notes and (status.sheet, status.cell) not in notes


def test_a_text_typed_in_a_narrow_date_column_shows_whole_in_the_fixing_copy(tmp_path):
    """'31. september 2026' in Delmål-dato (a date that does not exist, kept as typed): the copy wraps it from the
    left in a row tall enough for its lines, instead of centring one clipped line in an 11-character column."""
    read = read_team_workbook(BORN)
    refused = next(p for p in read.errors if p.code == "RB008")
    path = tmp_path / "rettelser.xlsx"
    layout, placed = annotated(read, WHEN)
    path.write_bytes(render(layout))
    [(sheet, ref)] = [(item.sheet, item.cell) for item in placed if item.problem is refused]
    ws = openpyxl.load_workbook(path)[sheet]
    cell = ws[ref]
    assert cell.value == "31. september 2026"
    assert cell.alignment.wrap_text and cell.alignment.horizontal == "left"
    width = ws.column_dimensions[cell.column_letter].width
    lines = int((ws.row_dimensions[cell.row].height or 15) // 15)
    words, line, needed = cell.value.split(), "", 1  # laid out word by word as a wrapped cell is
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            needed, line = needed + 1, word
        else:
            line = f"{line} {word}".strip()
    assert lines >= needed >= 2, (width, lines)


def test_the_fixing_copy_writes_a_day_as_a_date_and_keeps_what_a_date_would_lose_or_invent(sample_config, tmp_path):
    """A day typed as text becomes a real date; a period in one date cell, an open period, a text no date
    could be read from and a year xlplan chose stay as typed; a procesplan period gets Fra and Til only where
    neither holds anything the team typed."""
    path = tmp_path / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], WHEN))

    def typed(wb):
        ws = wb[fixtures.PLAN]
        first = fixtures.header_row(ws) + 1
        for offset, (start, slut) in enumerate([("30/9-2026", "1/12-2026"), ("uge 40-42 2026", "fra 1. oktober 2026"),
                                                ("løbende", "december")]):
            fixtures.write_row(ws, first + offset, {2: f"Aktivitet {offset}", 4: start, 5: slut})
        pp = wb["Procesplan"]
        row = fixtures.header_row(pp, "Dato/periode") + 1
        fixtures.write_row(pp, row, {1: "uge 40-42 2026", 2: "løbende", 4: "Temadag"})
        fixtures.write_row(pp, row + 1, {1: "uge 44 2026", 4: "Opfølgning"})
    fixtures.edit(path, typed)
    read = read_team_workbook(path)
    copy = tmp_path / "kopi.xlsx"
    copy.write_bytes(render(annotated(read, WHEN)[0]))
    ws = openpyxl.load_workbook(copy)[fixtures.PLAN]
    first = fixtures.header_row(ws) + 1
    plan = [(ws.cell(row=first + i, column=4).value, ws.cell(row=first + i, column=5).value) for i in range(3)]
    assert plan == [(dt.datetime(2026, 9, 30), dt.datetime(2026, 12, 1)),
                    ("uge 40-42 2026", "fra 1. oktober 2026"), ("løbende", "december")]
    pp = openpyxl.load_workbook(copy)["Procesplan"]
    row = fixtures.header_row(pp, "Dato/periode") + 1
    assert [pp.cell(row=row, column=c).value for c in (1, 2, 3)] == ["uge 40-42 2026", "løbende", None]
    assert [pp.cell(row=row + 1, column=c).value for c in (1, 2, 3)] == [
        "uge 44 2026", dt.datetime(2026, 10, 26), dt.datetime(2026, 11, 1)]


def test_a_workbook_whose_only_notice_is_a_date_kept_as_text_gets_a_fixing_copy(sample_config, tmp_path):
    from xlplan.fixing.carry import write_annotated_copies
    path = tmp_path / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], WHEN))
    fixtures.edit(path, lambda wb: fixtures.write_row(wb[fixtures.PLAN], fixtures.header_row(wb[fixtures.PLAN]) + 1,
                                                      {1: "Fælles sprog", 2: "Kursus", 3: "Tina Holm", 5: "30/9-2027"}))
    read = read_team_workbook(path)
    assert {p.severity.value for p in read.problems} <= {"info"} and "RB070" in {p.code for p in read.problems}
    [made] = write_annotated_copies([read], tmp_path / "rettelser", [path])
    ws = openpyxl.load_workbook(made.path)[fixtures.PLAN]
    assert ws.cell(row=fixtures.header_row(ws) + 1, column=5).value == dt.datetime(2027, 9, 30)
