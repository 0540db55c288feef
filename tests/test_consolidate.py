"""Consolidation over the bundled samples: progress, nothing lost, nothing injected, inputs untouched."""
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil

import openpyxl
import pytest

import fixtures
from paths import ROOT
from xlplan.reading.files import check_output_path, collect_files
from xlplan.reporting.consolidate import consolidate
from xlplan.core.errors import XlplanError
from xlplan.reporting.export import consolidation_dict
from xlplan.workbook.generate import render_workbook
from xlplan.reporting.report import report_workbook
from xlplan.reporting.progress import Share, team_progress
from xlplan.reading.readback import read_team_workbook
from xlplan.xlsx.writer import render

SAMPLES = ROOT / "samples" / "returned"
AS_OF = dt.date(2026, 6, 15)


@pytest.fixture(scope="module")
def result(sample_config):
    return consolidate([SAMPLES], sample_config, AS_OF)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_teams_in_plan_order_with_traffic_lights(result):
    assert [(t.team, t.light) for t in result.teams] == [
        ("Familieteamet", "Gul"), ("Børne- og ungeteamet", "Rød"), ("Familieplejen", "Grøn")]
    assert result.missing_teams == []


def test_checklist_progress_excludes_not_relevant(result):
    fam = result.teams[0]
    # tools/make_samples.py: phase 1 has 30 Opfyldt, 4 I gang, 3 Ikke relevant of 37 criteria
    assert (fam.phases["1"].met, fam.phases["1"].relevant, fam.phases["1"].not_relevant) == (30, 34, 3)
    assert fam.phases["1"].share == pytest.approx(30 / 34)
    assert fam.phases["2"].met == 6 and fam.phases["2"].in_progress == 10
    assert fam.checklist.relevant == 114 - 3


def test_overdue_and_next_deadlines(result):
    fam = result.teams[0]
    assert [(i.kind, i.date) for i in fam.overdue] == [("Delmål", dt.date(2026, 6, 1)), ("Delmål", dt.date(2026, 6, 5))]
    assert fam.next_deadline.date == dt.date(2026, 6, 30)
    assert len(fam.unowned) == 1
    born = result.teams[1]
    assert [i.kind for i in born.overdue] == ["Aktivitet", "Procesplan", "Aktivitet", "Delmål"]


def test_share_counts():
    share = Share()
    for status in ["Opfyldt", "Opfyldt", "I gang", None, "Ikke relevant"]:
        share.add(status)
    assert (share.relevant, share.met, share.in_progress, share.not_started, share.share) == (4, 2, 1, 1, 0.5)


@pytest.mark.slow
def test_every_filled_row_is_in_the_output_or_a_problem(result):
    """Nothing lost: count filled rows independently with openpyxl, and find each in the records or problems."""
    for read in result.reads:
        expected = _filled_rows(SAMPLES / read.file)
        seen = {(s.sheet, s.row) for s in read.rows_seen}
        assert expected <= seen, (read.file, sorted(expected - seen)[:5])
        in_records = {(r.source.sheet, r.source.row) for r in read.records()}
        problem_rows = {(p.sheet, int("".join(ch for ch in p.cell if ch.isdigit()))) for p in read.problems
                        if p.sheet and p.cell}
        assert seen <= in_records | problem_rows, read.file
        report = openpyxl.load_workbook(_report_path(result, read))
        rows = {(r["Ark"], int(r["Celle"][1:])) for r in listing(report["Aktiviteter"]) if r["Fil"] == read.file}
        planned = {(r.source.sheet, r.source.row) for r in read.plan_rows + read.process_rows + read.steps}
        assert rows == planned


def listing(ws, header_row=4, cells=False):
    """The rows of a management-workbook listing as {header: value} (or {header: cell}), found by header."""
    headers = [c.value for c in ws[header_row]]
    return [{h: (c if cells else c.value) for h, c in zip(headers, row) if h}
            for row in ws.iter_rows(min_row=header_row + 1)]


_REPORTS = {}


def _report_path(result, read):
    if "path" not in _REPORTS:
        import tempfile
        from pathlib import Path
        path = Path(tempfile.mkdtemp()) / "samlet.xlsx"
        path.write_bytes(render(report_workbook(result)))
        _REPORTS["path"] = path
    return _REPORTS["path"]


def _filled_rows(path):
    """(sheet, row) of every non-empty data row, found with openpyxl and the sheets' own headers."""
    wb = openpyxl.load_workbook(path)
    found = set()
    for ws in wb.worksheets:
        header = None
        for row in ws.iter_rows(min_row=1, max_row=40):
            values = [str(c.value).strip() for c in row if c.value is not None]
            if {"Formål", "Aktivitet"} <= set(values) or {"Dato/periode", "Aktivitet"} <= set(values) or \
                    {"Risiko", "Handling"} <= set(values) or {"Navn", "Rolle", "Team"} <= set(values):
                header = row[0].row
                heads = {c.column: str(c.value).strip() for c in row if c.value is not None}
                break
        if header is None:
            continue
        entry = {col for col, h in heads.items() if h not in ("Nr.", "Score")}
        for row in ws.iter_rows(min_row=header + 1):
            first = str(row[0].value or "")
            if first == "Opfølgning":
                break
            if first.startswith("Brug for flere rækker"):
                continue
            if any(c.value not in (None, "") for c in row if c.column in entry):
                found.add((ws.title, row[0].row))
    return found


def test_missing_and_duplicate_teams_and_lock_files(sample_config, tmp_path):
    for f in SAMPLES.glob("*.xlsx"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "Familieplejen - ICS-implementeringsplan.xlsx").unlink()
    shutil.copy(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", tmp_path / "Familieteamet - ny version.xlsx")
    fixtures.with_lock_file(tmp_path)
    result = consolidate([tmp_path], sample_config, AS_OF)
    assert result.missing_teams == ["Familieplejen"]
    assert [t.team for t in result.teams] == ["Familieteamet", "Børne- og ungeteamet"]
    codes = [p.code for p in result.notices]
    assert codes.count("RB063") == 1 and "RB019" in codes and "RB020" in codes
    assert len(result.reads) + len(result.not_counted) == 3, "the lock file is not a team's submission"


# ---------------------------------------------------------------- a reading counts teams, not files

def _team_names(folder) -> set[str]:
    """The teams the workbooks in `folder` are from, by their Oversigt (B4: Team), read with openpyxl."""
    names = set()
    for path in folder.glob("*.xlsx"):
        wb = openpyxl.load_workbook(path, read_only=True)
        names.add(wb["Oversigt"]["B4"].value)
        wb.close()
    return names


@pytest.fixture
def copies_and_versions(tmp_path):
    """Familieteamet's workbook saved twice from mail, and Familieplejen's first and fixed versions (the fixed
    one says it was updated later, and has one activity more)."""
    for f in SAMPLES.glob("*.xlsx"):
        shutil.copy(f, tmp_path / f.name)
    copy = fixtures.saved_twice_from_mail(tmp_path / "Ishøj Kommune - Familieteamet.xlsx")
    first = fixtures.edit(tmp_path / "Familieplejen - ICS-implementeringsplan.xlsx",
                          fixtures.updated_on(dt.date(2026, 5, 1)))
    fixed = tmp_path / "Familieplejen - rettet.xlsx"
    shutil.copy(first, fixed)
    fixtures.edit(fixed, fixtures.updated_on(dt.date(2026, 6, 10)))
    fixtures.edit(fixed, fixtures.activity_added)
    os.utime(fixed, (first.stat().st_mtime - 3600,) * 2)  # downloaded first: the folder's time would mislead
    return tmp_path, copy, first, fixed


@pytest.mark.slow
def test_copies_and_versions_count_each_team_once(sample_config, copies_and_versions):
    folder, copy, first, fixed = copies_and_versions
    result = consolidate([folder], sample_config, AS_OF)
    assert len(result.teams) == len(_team_names(folder)) == len(sample_config.teams) == 3
    assert sorted(r.file for r in result.reads) == sorted(
        ["Ishøj Kommune - Familieteamet.xlsx", "Ishøj Kommune - Børne- og ungeteamet.xlsx", fixed.name])
    left_out = {n.read.file: n for n in result.not_counted}
    assert set(left_out) == {copy.name, first.name}
    assert left_out[copy.name].notice.code == "RB063"
    assert "Ishøj Kommune - Familieteamet.xlsx" in left_out[copy.name].notice.message
    older = left_out[first.name].notice
    assert older.code == "RB018" and older.file == first.name
    assert fixed.name in older.message and "10-06-2026" in older.message and "01-05-2026" in older.message
    alone = consolidate([SAMPLES], sample_config, AS_OF)
    plejen = {t.team: t for t in result.teams}["Familieplejen"]
    assert plejen.activities_total == {t.team: t for t in alone.teams}["Familieplejen"].activities_total + 1
    goals = [d for t in result.teams for d in t.overdue]
    assert len(goals) == len(set((d.source.file, d.source.sheet, d.source.row, d.kind) for d in goals))


@pytest.mark.slow
def test_a_teams_files_not_counted_are_named_on_kilder_problemer_resume_and_in_the_json(sample_config,
                                                                                           copies_and_versions):
    from xlplan.reporting.resume import briefing

    folder, copy, first, fixed = copies_and_versions
    result = consolidate([folder], sample_config, AS_OF)
    book = report_workbook(result, dt.datetime(2026, 6, 15, 12), None)
    sources = book.sheet("Kilder")
    header = next(c.row for c in sources.every_cell() if c.value == "Fil")
    column = {c.value: c.col for c in sources.every_cell() if c.row == header}
    rows = {}
    for c in sources.every_cell():
        if c.row > header and c.col in (column["Fil"], column["Talt med"]):
            rows.setdefault(c.row, {})[c.col] = c.value
    counted = {r[column["Fil"]]: r.get(column["Talt med"]) for r in rows.values()}
    assert len(counted) == 5
    assert counted[copy.name] == "Nej, kopi af Ishøj Kommune - Familieteamet.xlsx"
    assert counted[first.name] == f"Nej, {fixed.name} er nyere"
    assert counted[fixed.name] == "Ja"
    problems = [c.value for c in book.sheet("Problemer").every_cell()]
    assert "RB018" in problems and "RB063" in problems
    said = briefing(result)
    assert said.summary.startswith("3 teams: ")
    assert any(first.name in line and copy.name in line for line in said.decisions)
    document = consolidation_dict(result)
    assert {(n["fil"], n["talt_med_i_stedet"], n["kode"]) for n in document["ikke_talt_med"]} == {
        (copy.name, "Ishøj Kommune - Familieteamet.xlsx", "RB063"), (first.name, fixed.name, "RB018")}
    assert len(document["fremdrift"]) == 3


def test_the_workbooks_saved_time_decides_when_senest_opdateret_does_not(sample_config, tmp_path):
    older, newer = fixtures.first_and_fixed_version(SAMPLES / "Familieplejen - ICS-implementeringsplan.xlsx",
                                                    tmp_path / "Familieplejen.xlsx", tmp_path / "Familieplejen - ny.xlsx")
    fixtures.saved_at(older, dt.datetime(2026, 6, 1, 8, 0))
    fixtures.saved_at(newer, dt.datetime(2026, 6, 2, 8, 0))
    os.utime(newer, (older.stat().st_mtime - 3600,) * 2)
    result = consolidate([tmp_path], sample_config, AS_OF)
    assert [r.file for r in result.reads] == [newer.name]
    assert [(n.read.file, n.notice.code) for n in result.not_counted] == [(older.name, "RB060")]


def test_the_files_time_decides_last_and_equal_dates_are_said(sample_config, tmp_path):
    a, b = fixtures.first_and_fixed_version(SAMPLES / "Familieplejen - ICS-implementeringsplan.xlsx",
                                            tmp_path / "a.xlsx", tmp_path / "b.xlsx")
    for path in (a, b):
        fixtures.saved_at(path, dt.datetime(2026, 6, 1, 8, 0))
    os.utime(a, (1_780_000_000,) * 2)
    os.utime(b, (1_780_000_000 + 60,) * 2)
    result = consolidate([tmp_path], sample_config, AS_OF)
    assert [(n.read.file, n.counted.file, n.notice.code) for n in result.not_counted] == [("a.xlsx", "b.xlsx", "RB061")]
    os.utime(a, (1_780_000_000 + 60,) * 2)
    result = consolidate([tmp_path], sample_config, AS_OF)
    assert [(n.read.file, n.counted.file, n.notice.code) for n in result.not_counted] == [("b.xlsx", "a.xlsx", "RB062")]


def test_inputs_are_never_modified(sample_config, tmp_path):
    before = {f.name: sha(f) for f in SAMPLES.glob("*.xlsx")}
    consolidate([SAMPLES], sample_config, AS_OF)
    for f in SAMPLES.glob("*.xlsx"):
        read_team_workbook(f)
    assert {f.name: sha(f) for f in SAMPLES.glob("*.xlsx")} == before


def test_output_that_is_an_input_is_refused():
    with pytest.raises(XlplanError) as info:
        check_output_path(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", [SAMPLES])
    assert info.value.problems[0].code == "OUT003"


def test_own_report_in_the_input_folder_is_skipped(sample_config, tmp_path, result):
    for f in SAMPLES.glob("*.xlsx"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "samlet-status.xlsx").write_bytes(render(report_workbook(result)))
    again = consolidate([tmp_path], sample_config, AS_OF)
    assert len(again.teams) == 3
    assert any(p.code == "RB026" for p in again.problems)


@pytest.mark.slow
def test_formula_and_link_text_stays_text(sample_config, tmp_path):
    path = tmp_path / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5)))
    fixtures.edit(path, fixtures.formula_and_link_text_in_user_fields)
    result = consolidate([path], sample_config, AS_OF)
    texts = fixtures.HOSTILE_TEXTS
    read = result.reads[0]
    for field in ("formaal", "aktivitet", "ansvarlig", "delmaal", "maal", "bemaerkning"):
        assert [getattr(r, field) for r in read.plan_rows] == texts, field
    assert [(r.aktivitet, r.opmaerksomhed, r.ansvarlig) for r in read.process_rows] == [(t, t, t) for t in texts]
    assert [(r.risiko, r.handling, r.ansvarlig) for r in read.risks] == [(t, t, t) for t in texts]
    assert read.roles[0].navne == texts[0] and texts[1] in [p.navn for p in read.people]
    out = tmp_path / "samlet.xlsx"
    out.write_bytes(render(report_workbook(result)))
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f" or not any(t in str(c.value) for t in ("HYPERLINK", "cmd", "SUM(1+1)")), \
                    (ws.title, c.coordinate)
                assert c.hyperlink is None, (ws.title, c.coordinate)
    user_fields = ("Formål", "Aktivitet", "Ansvarlig", "Delmål", "Mål", "Bemærkning")
    plan = [r for r in listing(wb["Aktiviteter"], cells=True) if r["Type"].value == "Plan"]
    assert [[r[h].value for h in user_fields] for r in plan] == [[t] * 6 for t in texts]
    assert all(r[h].data_type == "s" for r in plan for h in user_fields)
    assert sorted(r["Risiko"] for r in listing(wb["Risici"]) if r["Risiko"]) == sorted(texts)
    assert wb["Roller"]["C5"].value == texts[0]
    data = consolidation_dict(result)
    assert [r["aktivitet"] for r in data["filer"][0]["planrækker"]] == texts
    assert [r["handling"] for r in data["filer"][0]["risici"]] == texts


def test_json_contract(result):
    data = json.loads(json.dumps(consolidation_dict(result), ensure_ascii=False))
    assert data["format"] == "xlplan-data" and data["opgjort_pr"] == "2026-06-15"
    born = next(f for f in data["filer"] if f["team"] == "Børne- og ungeteamet")
    row = next(r for r in born["planrækker"] if r["start"]["tekst"] == "uge 12 2026")
    assert row["start"] == {"tekst": "uge 12 2026", "start": "2026-03-16", "slut": "2026-03-22", "år_udledt": False}
    assert row["source"]["file"] == "Ishøj Kommune - Børne- og ungeteamet.xlsx" and row["source"]["cell"].startswith("A")
    fam = next(f for f in data["filer"] if f["team"] == "Familieteamet")
    assert len(fam["procesplan"]) == 25 and len(fam["kriterier"]) == 114 and len(fam["risici"]) == 3
    assert fam["risici"][0]["score"] == 12
    progress = {p["team"]: p for p in data["fremdrift"]}
    assert progress["Familieteamet"]["faser"]["1"]["opfyldt"] == 30
    assert {p["kode"] for p in data["problemer"]} >= {"RB008", "RB006", "RB007", "RB009", "RB015", "RB016"}
    assert all(p["fil"] for p in data["problemer"])


def test_report_sheets(result, tmp_path):
    out = tmp_path / "samlet.xlsx"
    out.write_bytes(render(report_workbook(result)))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Resumé", "Overblik", "Aktiviteter", "Tjekliste", "Tidslinje", "Risici", "Roller", "Problemer",
                             "Kilder", "xlplan"]
    over = wb["Overblik"]
    assert [over.cell(row=r, column=2).value for r in (5, 6, 7)] == ["Gul", "Rød", "Grøn"]
    assert over._charts, "a native Excel chart of progress per team"
    problems = wb["Problemer"]
    assert problems.max_row - 4 == len(result.problems)
    sources = wb["Kilder"]
    assert {sources.cell(row=r, column=13).value for r in range(5, 8)} == {r.sha256 for r in result.reads}
    matrix = wb["Tjekliste"]
    assert [c.value for c in matrix[4]][4:] == ["Familieteamet", "Børne- og ungeteamet"]
    roles = wb["Roller"]
    assert roles["C5"].value == "Direktør Lene Juhl" and roles["D5"].value == "Ikke besat"


def test_collect_files_reports_empty_folder(tmp_path):
    files, notices = collect_files([tmp_path])
    assert files == [] and [n.code for n in notices] == ["RB023"]


def test_listings_leave_empty_cells_to_their_column_style(result):
    """Aktiviteter, Risici, Problemer and Kilder: the bordered style sits on the columns, so the tens of thousands
    of empty cells of a national workbook are not written one by one; other sheets write theirs."""
    book = report_workbook(result)
    for name in ("Aktiviteter", "Risici", "Problemer", "Kilder"):
        sheet = book.sheet(name)
        headers = [c.col for c in sheet.cells if c.row == 3]
        assert all(sheet.column_styles.get(col) == "wrap_border" for col in headers), name
        assert not [c for c in sheet.every_cell() if c.row > 3 and c.value in (None, "")], name
    assert not book.sheet("Tjekliste").column_styles


def test_an_untouched_workbook_has_its_own_state_everywhere(sample_config, tmp_path):
    """Sent back exactly as generated: not green, not 'no problems'."""
    path = tmp_path / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    read = read_team_workbook(path)
    assert [p.code for p in read.problems] == ["RB032"]
    result = consolidate([tmp_path], sample_config, AS_OF)
    [team] = result.teams
    assert (team.untouched, team.light) == (True, "Ikke udfyldt")
    [entry] = consolidation_dict(result)["fremdrift"]
    assert (entry["trafiklys"], entry["ikke_udfyldt"]) == ("Ikke udfyldt", True)
    wb = openpyxl.load_workbook(_write_report(result, tmp_path))
    assert listing(wb["Overblik"])[0]["Trafiklys"] == "Ikke udfyldt"


@pytest.mark.slow
def test_one_value_typed_is_enough_to_be_touched(sample_config, tmp_path):
    path = tmp_path / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))

    def one_status(wb):
        phase = wb["Fase 1 Forbered"]
        phase.cell(row=next(r for r in range(6, 60) if phase.cell(row=r, column=1).value == "1.1.1"), column=3,
                   value="I gang")
    fixtures.edit(path, one_status)
    assert "RB032" not in [p.code for p in read_team_workbook(path).problems]
    [team] = consolidate([tmp_path], sample_config, AS_OF).teams
    assert not team.untouched and team.light == "Grøn"


def _write_report(result, folder):
    path = folder / "samlet.xlsx"
    path.write_bytes(render(report_workbook(result)))
    return path


def test_every_file_in_a_folder_is_read_or_listed_with_why(tmp_path):
    shutil.copy(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", tmp_path / "team.xlsx")
    (tmp_path / "Familieplejen.ods").write_bytes(b"PK\x03\x04 an OpenDocument spreadsheet")
    (tmp_path / "noter.txt").write_text("noter", encoding="utf-8")
    (tmp_path / "gamle").mkdir()
    shutil.copy(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", tmp_path / "gamle" / "team.xlsx")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    files, notices = collect_files([tmp_path])
    assert [f.name for f in files] == ["team.xlsx"]
    assert sorted((n.code, n.file) for n in notices) == [
        ("RB035", "Familieplejen.ods"), ("RB036", "gamle"), ("RB037", "noter.txt")]
    assert [n.is_error for n in notices if n.code == "RB035"] == [True]

@pytest.mark.slow
def test_only_the_current_phase_chosen_is_enough_to_be_touched(sample_config, tmp_path):
    """The phase list is made for the workbook (no first value in lister.yaml): choosing from it is input."""
    path = tmp_path / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))

    def phase_only(wb):
        overview = wb["Oversigt"]
        row = next(r for r in range(1, 20) if overview.cell(row=r, column=1).value == "Aktuel fase")
        overview.cell(row=row, column=2, value="Fase 2: Igangsæt forandringen")
    fixtures.edit(path, phase_only)
    read = read_team_workbook(path)
    assert read.readable and read.info.aktuel_fase == "Fase 2: Igangsæt forandringen"
    assert "RB032" not in [p.code for p in read.problems]


def test_the_listings_are_excel_tables_with_danish_names(result, tmp_path):
    path = tmp_path / "samlet.xlsx"
    path.write_bytes(render(report_workbook(result)))
    wb = openpyxl.load_workbook(path)
    for sheet in ("Aktiviteter", "Risici", "Problemer", "Kilder"):
        [(name, ref)] = wb[sheet].tables.items()
        rows = listing(wb[sheet])
        assert name == sheet and ref.startswith("A4:") and int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) \
            >= 4 + len([r for r in rows if any(v is not None for v in r.values())])


@pytest.mark.slow
def test_management_workbook_written_while_releasing_its_cells_is_the_same_workbook(result, tmp_path):
    """`saml` lets the layout's cells go as XlsxWriter takes them (a national workbook is not held twice):
    openpyxl reads the same values, number formats and merges, and the layout has no cells left."""
    kept, released = report_workbook(result, dt.datetime(2026, 6, 15, 12)), report_workbook(result, dt.datetime(2026, 6, 15, 12))
    (tmp_path / "kept.xlsx").write_bytes(render(kept))
    (tmp_path / "released.xlsx").write_bytes(render(released, release_cells=True))
    assert all(not s.cells and not s.rows for s in released.sheets)
    assert any(s.cells for s in kept.sheets) and any(s.rows for s in kept.sheets)

    def seen(path):
        wb = openpyxl.load_workbook(path)
        return {ws.title: ([(c.coordinate, c.value, c.number_format) for row in ws.iter_rows() for c in row],
                           sorted(map(str, ws.merged_cells.ranges)), sorted(ws.tables))
                for ws in wb.worksheets}
    assert seen(tmp_path / "released.xlsx") == seen(tmp_path / "kept.xlsx")


def test_a_record_read_keeps_no_dict_of_its_own():
    """A national consolidation holds hundreds of thousands of records: with slots they take about a
    third less memory than with a __dict__ each."""
    read = read_team_workbook(next(SAMPLES.glob("*.xlsx")))
    records = [*read.plan_rows, *read.process_rows, *read.criteria, *read.roles, *read.risks]
    assert records and all(not hasattr(r, "__dict__") and not hasattr(r.source, "__dict__") for r in records)
    dates = [r.slut for r in read.plan_rows] + [r.fra for r in read.process_rows]
    assert dates and not any(hasattr(d, "__dict__") for d in dates)


def test_records_that_kept_nothing_more_share_one_empty_mapping_that_cannot_be_changed(tmp_path):
    """A national reading holds hundreds of thousands of records: those without the team's own columns or
    unreadable values share one empty mapping per file (through the workers' pickling too), and it refuses
    to be changed, so no record can change another's."""
    import pickle

    from xlplan.core.records import to_jsonable
    from xlplan.reading.files import read_all

    [read] = read_all([max(SAMPLES.glob("*.xlsx"), key=lambda p: p.stat().st_size)])
    records = list(read.records())
    shared = {id(r.invalid) for r in records if not r.invalid} | {id(r.extra) for r in records
                                                                  if hasattr(r, "extra") and not r.extra}
    assert len(records) > 10 and len(shared) == 1
    with pytest.raises(TypeError):
        records[0].invalid["status"] = "x"
    again = pickle.loads(pickle.dumps(read))
    assert len({id(r.invalid) for r in again.records() if not r.invalid}) == 1
    assert to_jsonable(records[0])["invalid"] == {}


def test_a_place_and_a_date_read_come_back_whole_from_a_worker():
    """Source and DateValue pickle as a call with their fields (faster than dataclasses' own way for frozen
    classes with slots): every field must come back."""
    import pickle

    from xlplan.core.records import DateValue, Source

    for value in (Source("fil.xlsx", "Procesplan", "B7", 7), DateValue("uge 12", dt.date(2026, 3, 16), dt.date(2026, 3, 22))):
        again = pickle.loads(pickle.dumps(value))
        assert again == value and type(again) is type(value)
        assert [getattr(again, f.name) for f in dataclasses.fields(value)] == \
            [getattr(value, f.name) for f in dataclasses.fields(value)]


def test_the_time_a_workbook_was_saved_is_read_from_it_and_a_damaged_one_costs_only_that(tmp_path):
    import zipfile

    path = fixtures.saved_at(shutil.copy(SAMPLES / "Familieplejen - ICS-implementeringsplan.xlsx", tmp_path / "a.xlsx"),
                             dt.datetime(2026, 6, 1, 8, 0))
    utc = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone.utc)
    assert read_team_workbook(path).saved == utc.astimezone().replace(tzinfo=None)
    damaged = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            target.writestr(info, b"<cp:coreProperties><dcterms:modified>" if info.filename == "docProps/core.xml"
                            else source.read(info))
    read = read_team_workbook(damaged)
    assert read.readable and read.saved is None and read.team == "Familieplejen"


def plan_dates_refused_and_typed_as_periods(wb) -> None:
    """Start and Slut as teams write them when they have no date: 'løbende', 'primo næste år'; and one as a week."""
    ws = wb[fixtures.PLAN]
    h = fixtures.header_row(ws)
    fixtures.write_row(ws, h + 1, {1: "Fælles sprog", 2: "Supervision", 3: "Tina Holm", 4: "løbende",
                                   5: "primo næste år", 15: "I gang"})
    fixtures.write_row(ws, h + 2, {2: "Teammøder", 3: "Jonas Krogh", 4: "uge 12 2026", 5: dt.datetime(2026, 12, 18),
                                   15: "I gang"})
    fixtures.write_row(ws, h + 3, {2: "Kursus", 3: "Jonas Krogh", 4: dt.datetime(2026, 3, 2),
                                   5: dt.datetime(2026, 3, 27), 15: "Afsluttet"})


def test_a_refused_start_or_slut_stands_in_aktiviteter_as_the_team_typed_it(sample_config, tmp_path):
    path = tmp_path / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    fixtures.edit(path, plan_dates_refused_and_typed_as_periods)
    result = consolidate([path], sample_config, AS_OF)
    assert {("RB008", "D"), ("RB008", "E")} <= {(p.code, p.cell[0]) for p in result.problems if p.cell}
    wb = openpyxl.load_workbook(_write_report(result, tmp_path))
    rows = {r["Aktivitet"]: (r["Periode (som skrevet)"], r["Start"], r["Slut"])
            for r in listing(wb["Aktiviteter"]) if r["Type"] == "Plan"}
    assert rows == {"Supervision": ("løbende – primo næste år", "løbende", "primo næste år"),
                    "Teammøder": ("uge 12 2026 – 18-12-2026", dt.datetime(2026, 3, 16), dt.datetime(2026, 12, 18)),
                    "Kursus": (None, dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 27))}


def _with_status(status: str, criterion: str):
    def change(wb) -> None:
        ws = wb[fixtures.PLAN]
        h = fixtures.header_row(ws)
        fixtures.write_row(ws, h + 1, {1: "Fælles sprog", 2: "Kursus", 3: "Tina Holm", 4: dt.datetime(2026, 2, 2),
                                       5: dt.datetime(2026, 3, 27), 15: status})
        phase = wb["Fase 1 Forbered"]
        row = next(r for r in range(6, 60) if phase.cell(row=r, column=1).value == "1.1.1")
        phase.cell(row=row, column=3, value=criterion)
    return change


def test_ok_is_not_finished_the_team_is_asked_to_choose(sample_config, tmp_path):
    """'OK' for an activity past its Slut, and for a criterion: in progress or done? Neither is guessed (RB080,
    an error at the cell, the text kept), so the activity is overdue as one without a status is."""
    results = {}
    for status in ("OK", "", "Afsluttet"):
        folder = tmp_path / (status or "tom")
        folder.mkdir()
        path = folder / "Familieteamet.xlsx"
        path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
        fixtures.edit(path, _with_status(status or None, status or None))
        results[status] = consolidate([folder], sample_config, AS_OF)
    ok = results["OK"]
    asked = [p for p in ok.problems if p.code == "RB080"]
    assert sorted(p.sheet for p in asked) == sorted([fixtures.PLAN, "Fase 1 Forbered"]) and all(p.is_error for p in asked)
    assert "'I gang' eller 'Afsluttet'" in next(p.message for p in asked if p.sheet == fixtures.PLAN)
    [row] = [r for r in ok.reads[0].plan_rows if r.aktivitet == "Kursus"]
    assert (row.status, row.invalid.get("status")) == (None, "OK")
    overdue = {status: len(c.teams[0].overdue) for status, c in results.items()}
    assert overdue["OK"] == overdue[""] == overdue["Afsluttet"] + 1
