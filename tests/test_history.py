"""History between readings: three readings over time with known changes."""
import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import fixtures
from paths import ROOT
from xlplan.reporting import history
from xlplan.cli import main
from xlplan.reporting.consolidate import consolidate
from xlplan.core.errors import XlplanError
from xlplan.reporting.report import report_workbook
from xlplan.xlsx.writer import render

SAMPLES = ROOT / "samples" / "returned"
FAM = "Ishøj Kommune - Familieteamet.xlsx"
PLEJE = "Familieplejen - ICS-implementeringsplan.xlsx"


def _set_plan_status(wb, sheet_prefix, activity, status):
    ws = next(wb[n] for n in wb.sheetnames if n.startswith(sheet_prefix))
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=2).value == activity:
            ws.cell(row=row, column=15, value=status)
            return
    raise KeyError(activity)


@pytest.fixture
def readings(sample_config, tmp_path):
    """Run three readings; return the history path and the folder."""
    folder = tmp_path / "returneret"
    folder.mkdir()
    for f in SAMPLES.glob("*.xlsx"):
        shutil.copy(f, folder / f.name)
    db = tmp_path / "historik.sqlite"

    def reading(as_of, when):
        result = consolidate([folder], sample_config, as_of)
        return history.record(result, db, when), result

    assert reading(dt.date(2026, 6, 15), dt.datetime(2026, 6, 15, 9))[0]
    # Reading 2: Familieteamet met a criterion and finished an activity; Familieplejen went backwards;
    # Børne- og ungeteamet sent nothing new.
    def second(wb):
        _set_plan_status(wb, "1.", "ICS som fast punkt på teammøder (15 min. casedrøftelse)", "Afsluttet")
        ws = wb["Fase 2 Igangsæt"]
        for row in range(6, ws.max_row + 1):
            if ws.cell(row=row, column=1).value == "2.6.3":
                ws.cell(row=row, column=3, value="Opfyldt")
    fixtures.edit(folder / FAM, second)
    fixtures.edit(folder / PLEJE, lambda wb: _set_plan_status(wb, "Sigtepunkt 1", "Informationsmøde for plejefamilier",
                                                               "I gang"))
    assert reading(dt.date(2026, 6, 16), dt.datetime(2026, 7, 15, 9))[0]
    # Reading 3: later as-of date: Familieteamet's delmål of 30-06-2026 has become overdue.
    fixtures.edit(folder / FAM, lambda wb: wb["Oversigt"].cell(row=12, column=2, value=dt.date(2026, 8, 1)))
    stored, last = reading(dt.date(2026, 8, 15), dt.datetime(2026, 8, 15, 9))
    assert stored
    return db, folder, last


@pytest.mark.slow
def test_three_readings_and_what_moved(readings):
    db, _folder, _last = readings
    dev = history.development(db)
    assert [r.id for r in dev.readings] == [1, 2, 3]
    changes = {(c.team, c.label, c.what) for c in dev.changes}
    # Due 30-06-2026 and still "I gang": overdue by the third reading (the other delmål of that date was finished)
    assert ("Familieteamet", "Delmål overskredet", "Status drøftet på 5 ledermøder") in changes
    assert ("Familieteamet", "Delmål overskredet", "Mindst 10 sager drøftet med trekanten") not in changes
    overdue = next(c for c in dev.changes if c.kind == history.SUBGOAL_OVERDUE)
    assert (overdue.before, overdue.now) == (None, dt.date(2026, 6, 30))  # the date it was due
    assert ("Børne- og ungeteamet", "Ingen ny version", "Projektmappen er uændret siden sidste aflæsning") in changes
    assert ("Familieplejen", "Ingen ny version", "Projektmappen er uændret siden sidste aflæsning") in changes


@pytest.mark.slow
def test_changes_between_first_and_second_reading(readings, tmp_path):
    db, _, _ = readings
    history.remove(db, 3)  # now the last two readings are 1 and 2
    dev = history.development(db)
    changes = {(c.team, c.label, c.before, c.now): c.what for c in dev.changes}
    assert changes[("Familieteamet", "Kriterium opfyldt", "Ikke påbegyndt", "Opfyldt")].startswith("2.6.3 ")
    assert changes[("Familieteamet", "Aktivitet afsluttet", "I gang", "Afsluttet")] == \
        "ICS som fast punkt på teammøder (15 min. casedrøftelse)"
    assert changes[("Familieplejen", "Status gået tilbage", "Afsluttet", "I gang")] == \
        "Informationsmøde for plejefamilier"
    assert ("Børne- og ungeteamet", "Ingen ny version", None, None) in changes


@pytest.mark.slow
def test_history_figures_per_team_and_phase(readings):
    db, _, _ = readings
    dev = history.development(db)
    fam = dev.shares["2"]["Familieteamet"]
    assert fam[1] == pytest.approx(6 / 27) and fam[2] == pytest.approx(7 / 27) and fam[3] == pytest.approx(7 / 27)
    assert dev.shares[history.OVERALL]["Familieteamet"][2] == pytest.approx(37 / 111)


@pytest.mark.slow
def test_same_files_again_are_not_counted_twice(readings, sample_config):
    db, folder, _ = readings
    later = consolidate([folder], sample_config, dt.date(2026, 8, 20))
    assert not history.record(later, db)
    assert len(history.readings(db)) == 3


@pytest.mark.slow
def test_udvikling_sheet_with_line_charts(readings, tmp_path):
    db, _, last = readings
    out = tmp_path / "samlet.xlsx"
    out.write_bytes(render(report_workbook(last, development=history.development(db))))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:4] == ["Resumé", "Overblik", "Udvikling", "Siden sidst"]
    ws = wb["Udvikling"]
    assert len(ws._charts) >= 3
    texts = [c.value for row in wb["Siden sidst"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Delmål overskredet" in texts
    subtitle = [c.value for row in ws.iter_rows(max_row=3) for c in row if isinstance(c.value, str)]
    assert any(text.endswith(" · 3 aflæsninger") for text in subtitle), subtitle


def test_udvikling_counts_one_reading_in_the_singular(sample_config, tmp_path):
    db = tmp_path / "historik.sqlite"
    result = consolidate([SAMPLES], sample_config, dt.date(2026, 6, 15))
    history.record(result, db, dt.datetime(2026, 6, 15, 9))
    out = tmp_path / "samlet.xlsx"
    out.write_bytes(render(report_workbook(result, development=history.development(db))))
    ws = openpyxl.load_workbook(out)["Udvikling"]
    subtitle = [c.value for row in ws.iter_rows(max_row=3) for c in row if isinstance(c.value, str)]
    assert any(text.endswith(" · 1 aflæsning") for text in subtitle), subtitle


@pytest.mark.slow
def test_remove_unknown_reading(readings):
    db, _, _ = readings
    with pytest.raises(XlplanError) as info:
        history.remove(db, 99)
    assert info.value.problems[0].code == "HIS002"


@pytest.mark.slow
def test_history_cli(readings):
    db, folder, _ = readings
    runner = CliRunner()
    result = runner.invoke(main, ["history", "--history", str(db)])
    assert result.exit_code == 0 and "15-06-2026" in result.output and "15-08-2026" in result.output
    result = runner.invoke(main, ["history", "--history", str(db), "--fjern", "2"])
    assert result.exit_code == 0 and [r.id for r in history.readings(db)] == [1, 3]


@pytest.mark.slow
def test_consolidate_records_beside_the_output(tmp_path):
    runner = CliRunner()
    out = tmp_path / "ud" / "samlet-status.xlsx"
    for _ in range(2):
        result = runner.invoke(main, ["saml", str(SAMPLES), "-o", str(out), "--opgjort-pr", "15-06-2026"])
        assert result.exit_code == 0, result.output
    assert "Aflæsningen pr. 15-06-2026 er erstattet (nr. 1); 1 aflæsning i historikken" in result.output
    assert [r.id for r in history.readings(tmp_path / "ud" / history.DEFAULT_NAME)] == [1]
    result = runner.invoke(main, ["saml", str(SAMPLES), "-o", str(out), "--opgjort-pr", "16-06-2026"])
    assert "Aflæsningen pr. 16-06-2026 er ikke gemt: projektmapperne er de samme som ved aflæsningen pr. " \
           "15-06-2026" in result.output
    result = runner.invoke(main, ["saml", str(SAMPLES), "-o", str(tmp_path / "x.xlsx"), "--uden-historik"])
    assert result.exit_code == 0 and not (tmp_path / history.DEFAULT_NAME).exists()


@pytest.mark.slow
def test_a_team_that_sent_the_same_file_again_is_not_green(tmp_path):
    """Familieplejen is green at the first reading; at the next, its file is unchanged while another team's
    moved: it is told so, and is no longer green. Reading the same folder twice marks nobody."""
    folder = tmp_path / "ind"
    shutil.copytree(SAMPLES, folder)
    out = tmp_path / "samlet.xlsx"
    runner = CliRunner()
    args = ["saml", str(folder), "-o", str(out), "--opgjort-pr", "14-06-2026", "--json", str(tmp_path / "d.json")]
    for _ in range(2):
        assert runner.invoke(main, args).exit_code == 0
        lights = {t["team"]: (t["trafiklys"], t["uændret"]) for t in _json(tmp_path / "d.json")["fremdrift"]}
        assert lights["Familieplejen"] == ("Grøn", False)
    fixtures.edit(folder / FAM, fixtures.filled_plan_rows)
    assert runner.invoke(main, [*args[:5], "15-06-2026", *args[6:]]).exit_code == 0  # the next reading
    teams = {t["team"]: t for t in _json(tmp_path / "d.json")["fremdrift"]}
    assert (teams["Familieplejen"]["trafiklys"], teams["Familieplejen"]["uændret"]) == ("Gul", True)
    assert "uændret siden sidste aflæsning" in teams["Familieplejen"]["begrundelse"]
    assert teams["Familieteamet"]["uændret"] is False


def _json(path):
    import json
    return json.loads(path.read_text(encoding="utf-8"))


def _mount_tiny(path, size="96k"):
    import subprocess
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("this machine cannot mount a small filesystem (needs root)")


def test_a_full_disk_under_the_history_is_a_danish_problem_and_the_history_is_kept(sample_config, tmp_path):
    import subprocess
    tiny = tmp_path / "lille-drev"
    _mount_tiny(tiny)
    try:
        db = tiny / "historik.sqlite"
        first = consolidate([SAMPLES / PLEJE], sample_config, dt.date(2026, 6, 15))
        assert history.record(first, db)
        everything = consolidate([SAMPLES], sample_config, dt.date(2026, 9, 15))
        with pytest.raises(XlplanError) as info:
            history.record(everything, db)
        [p] = info.value.problems
        assert p.code == "HIS004" and "drevet er fuldt" in p.message
        assert [r.id for r in history.readings(db)] == [1]
        result = CliRunner().invoke(main, ["consolidate", str(SAMPLES), "-o", str(tmp_path / "samlet.xlsx"),
                                           "--history", str(db), "--as-of", "15-09-2026"])
        assert result.exit_code == 2 and "[HIS004]" in result.output and "INT001" not in result.output
    finally:
        subprocess.run(["umount", str(tiny)], check=False)


@pytest.mark.slow
def test_two_runs_at_once_over_the_same_files_store_one_reading(tmp_path):
    import subprocess
    import sys
    db = tmp_path / "historik.sqlite"
    command = [sys.executable, "-m", "xlplan", "consolidate", str(SAMPLES), "--as-of", "15-06-2026", "-q",
               "--history", str(db)]
    runs = [subprocess.Popen(command + ["-o", str(tmp_path / f"samlet-{i}.xlsx")], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(3)]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    assert [r.id for r in history.readings(db)] == [1]


def _open_history(path: str) -> str:
    try:
        history._connect(Path(path)).close()
        return "ok"
    except XlplanError as exc:
        return str(exc)


def test_runs_that_open_a_new_history_at_the_same_moment_all_open_it(tmp_path):
    """Two runs both saw a column missing and both added it ('duplicate column name'), and one failed."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(4) as pool:
        for attempt in range(25):
            path = str(tmp_path / f"historik-{attempt}.sqlite")
            assert pool.map(_open_history, [path] * 4) == ["ok"] * 4


@pytest.mark.slow
def test_udvikling_with_more_teams_than_a_chart_shows_draws_all_teams_as_one_line(readings, tmp_path):
    """A national plan: 300 teams. Excel holds 255 series a chart (XlsxWriter dropped the rest with an
    English warning); the chart now draws one line for all teams, from a row under the table."""
    import warnings

    from xlplan.reporting.development import development_sheet
    db, _, last = readings
    dev = history.development(db)
    first = dev.teams[0]
    names = [f"Team {i:03d}" for i in range(300)]
    for i, name in enumerate(names):
        dev.teams.append(name)
        dev.figures[name] = {r: f for r, f in dev.figures[first].items()}
        for per_team in dev.shares.values():
            if first in per_team:
                per_team[name] = {r: (v if v is None or i % 2 else v / 2) for r, v in per_team[first].items()}
    sheet = development_sheet(last, "", dev)
    assert sheet.charts and all(len(chart.series) == 1 for chart in sheet.charts)
    out = tmp_path / "samlet.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out.write_bytes(render(report_workbook(last, development=dev)))
    ws = openpyxl.load_workbook(out)["Udvikling"]
    teams = set(dev.teams)
    summaries = {r: int(found[1]) for r in range(1, ws.max_row + 1)
                 if (found := re.match(r"Alle (\d+) teams, ", str(ws.cell(row=r, column=1).value)))}
    assert len(summaries) == len(sheet.charts) and all(n > 255 for n in summaries.values())
    for chart, (r, n) in zip(sheet.charts, summaries.items()):
        assert f"${r}:" in chart.series[0].values  # the line is drawn from the row of all teams
        above = range(r - 1, r - 1 - n, -1)
        assert all(ws.cell(row=t, column=1).value in teams for t in above)
        for col in range(2, 2 + min(len(dev.readings), 8)):
            known = [ws.cell(row=t, column=col).value for t in above if ws.cell(row=t, column=col).value is not None]
            mean = "gennemsnit" in ws.cell(row=r, column=1).value
            expected = (sum(known) / len(known) if mean else sum(known)) if known else None
            assert ws.cell(row=r, column=col).value == pytest.approx(expected)


# ---------------------------------------------------------------- a reading per date

def _sha(path):
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stored_lights(db, as_of):
    import sqlite3
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT t.team, t.light FROM teams t JOIN readings r ON r.id = t.reading_id "
                                "WHERE r.as_of = ?", (as_of,)))


@pytest.mark.slow
def test_a_reading_of_the_same_date_replaces_it_and_compares_with_the_date_before(tmp_path):
    """The issue's sequence: a month's reading, then a folder with extra files; the extra files removed and
    `saml` run again with the same --opgjort-pr; then the next month."""
    from paths import SAMPLE_CONFIG

    folder = tmp_path / "ind"
    shutil.copytree(SAMPLES, folder)
    db = tmp_path / "h.sqlite"
    runner = CliRunner()

    def saml(as_of):
        result = runner.invoke(main, ["saml", str(folder), "-o", str(tmp_path / "s.xlsx"), "--plan", str(SAMPLE_CONFIG),
                                      "--opgjort-pr", as_of, "--json", str(tmp_path / "d.json"), "--historik", str(db)])
        assert result.exit_code == 0, result.output
        return result.output, _json(tmp_path / "d.json")

    saml("15-05-2026")
    may = {name: _sha(folder / name) for name in (FAM, PLEJE, "Ishøj Kommune - Børne- og ungeteamet.xlsx")}
    fixtures.edit(folder / FAM, fixtures.filled_plan_rows)
    extra = fixtures.saved_twice_from_mail(folder / FAM)
    output, with_extra = saml("15-06-2026")
    assert "Aflæsningen pr. 15-06-2026 er gemt som nr. 2" in output
    extra.unlink()
    output, june = saml("15-06-2026")
    assert "Aflæsningen pr. 15-06-2026 er erstattet (nr. 2); 2 aflæsninger i historikken" in output
    assert [(r.id, r.as_of) for r in history.readings(db)] == [(1, "2026-05-15"), (2, "2026-06-15")]
    # "uændret" is decided against 15-05, not against the reading it replaces
    unchanged = {t["team"] for t in june["fremdrift"] if t["uændret"]}
    assert unchanged == {"Børne- og ungeteamet", "Familieplejen"}
    assert {name for name, sha in may.items() if sha == _sha(folder / name)} == {
        "Ishøj Kommune - Børne- og ungeteamet.xlsx", PLEJE}
    assert june["siden_sidst"] == with_extra["siden_sidst"] and june["siden_sidst"]
    # the history holds the lights the coordinator was shown
    assert _stored_lights(db, "2026-06-15") == {t["team"]: t["trafiklys"] for t in june["fremdrift"]}
    # the next month compares with the corrected reading of 15-06
    fixtures.edit(folder / PLEJE, lambda wb: wb["Oversigt"].cell(row=12, column=2, value=dt.date(2026, 7, 1)))
    _output, july = saml("15-07-2026")
    lights = [(c["team"], c["before"], c["now"]) for c in july["siden_sidst"] if c["kind"].startswith("trafiklys")]
    june_lights = {t["team"]: t["trafiklys"] for t in june["fremdrift"]}
    july_lights = {t["team"]: t["trafiklys"] for t in july["fremdrift"]}
    assert lights and set(lights) == {(team, june_lights[team], light) for team, light in july_lights.items()
                                      if light != june_lights[team]}


def test_a_reading_removed_and_made_again_is_stored(tmp_path):
    db = tmp_path / "h.sqlite"
    runner = CliRunner()
    args = ["saml", str(SAMPLES), "-o", str(tmp_path / "s.xlsx"), "--historik", str(db), "--opgjort-pr"]
    assert runner.invoke(main, [*args, "15-05-2026"]).exit_code == 0
    assert runner.invoke(main, [*args, "15-06-2026"]).exit_code == 0  # the same files: not stored
    assert [r.as_of for r in history.readings(db)] == ["2026-05-15"]
    result = runner.invoke(main, ["historik", "--historik", str(db), "--fjern", "1"])
    assert result.exit_code == 0 and history.readings(db) == []
    result = runner.invoke(main, [*args, "15-06-2026"])
    assert "Aflæsningen pr. 15-06-2026 er gemt som nr. 1" in result.output
    assert [(r.id, r.as_of, r.teams) for r in history.readings(db)] == [(1, "2026-06-15", 3)]


def test_a_history_holding_two_readings_of_one_date_opens_and_both_are_replaced(sample_config, tmp_path):
    """What the previous version wrote when `saml` ran twice with the same --opgjort-pr: two readings of a date."""
    import sqlite3

    db = tmp_path / "h.sqlite"
    history.record(consolidate([SAMPLES], sample_config, dt.date(2026, 5, 15)), db)
    history.record(consolidate([SAMPLES / FAM], sample_config, dt.date(2026, 6, 15)), db)
    with sqlite3.connect(db) as con:  # a second reading of 15-06 minutes later, as the previous version stored it
        con.execute("INSERT INTO readings (id, taken_at, as_of, municipality, format) "
                    "SELECT 3, taken_at, as_of, municipality, format FROM readings WHERE id = 2")
        for table in ("files", "progress", "teams", "items", "problems"):
            columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})") if row[1] != "reading_id"]
            con.execute(f"INSERT INTO {table} (reading_id, {', '.join(columns)}) "
                        f"SELECT 3, {', '.join(columns)} FROM {table} WHERE reading_id = 2")
    assert [r.id for r in history.readings(db)] == [1, 2, 3]
    recorded = history.record(consolidate([SAMPLES], sample_config, dt.date(2026, 6, 15)), db)
    assert recorded and recorded.replaced and recorded.id == 2
    assert [(r.id, r.as_of, r.files) for r in history.readings(db)] == [(1, "2026-05-15", 3), (2, "2026-06-15", 3)]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM files WHERE reading_id = 3").fetchone() == (0,)
