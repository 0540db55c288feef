"""What people see without recalculating is what the formulas compute, and the team's Oversigt shows
the figures management sees for the same file.

LibreOffice with its default settings does not recalculate an .xlsx on load (nor do Google Sheets,
Excel's protected view or mail previewers): it shows the value stored with each formula. The oracle is
the same LibreOffice told to recalculate everything on load."""
import datetime as dt
import math

import pytest

import fixtures
from libreoffice import convert
from paths import ROOT
from xlplan.fixing.carry import annotated
from xlplan.reporting.consolidate import consolidate
from xlplan.workbook.generate import render_template, render_workbook, template_names
from xlplan.reading.readback import read_team_workbook
from xlplan.xlsx.reader import read_workbook
from xlplan.xlsx.writer import render

pytestmark = pytest.mark.libreoffice
TODAY = dt.date.today()


def _formula_values(path):
    """(sheet, row, col) -> value of every formula cell, as the file stores it."""
    book = read_workbook(path)
    return {(s.name, r, c): cell.value for s in book.sheets for (r, c), cell in s.cells.items() if cell.formula}


def _same(a, b) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@pytest.fixture(scope="module")
def outputs(sample_config, tmp_path_factory):
    """Workbooks xlplan writes: a team workbook, a filled fixing copy, and every blank template."""
    folder = tmp_path_factory.mktemp("outputs")
    now = dt.datetime.combine(TODAY, dt.time(9))
    team = folder / "team.xlsx"
    team.write_bytes(render_workbook(sample_config, sample_config.teams[0], now))
    filled = folder / "filled-by-team.xlsx"
    filled.write_bytes(team.read_bytes())
    fixtures.edit(filled, fixtures.filled_from_the_lists_around(TODAY))
    (folder / "rettekopi.xlsx").write_bytes(render(annotated(read_team_workbook(filled), now)[0]))
    edge = folder / "edge.xlsx"
    edge.write_bytes(team.read_bytes())
    fixtures.edit(edge, fixtures.dated_rows_with_edge_cases)
    (folder / "rettekopi-kanttilfælde.xlsx").write_bytes(render(annotated(read_team_workbook(edge), now)[0]))
    for key, name in template_names().items():
        (folder / name).write_bytes(render_template(key))
    return folder, [team, folder / "rettekopi.xlsx", folder / "rettekopi-kanttilfælde.xlsx",
                    *(folder / name for name in template_names().values())], filled


def test_every_formula_shows_the_value_it_computes(outputs, tmp_path):
    folder, files, _ = outputs
    assert convert(files, "xlsx", tmp_path / "shown").returncode == 0
    assert convert(files, "xlsx", tmp_path / "computed", recalculate=True).returncode == 0
    checked = 0
    for path in files:
        shown, computed = _formula_values(tmp_path / "shown" / path.name), _formula_values(
            tmp_path / "computed" / path.name)
        assert shown.keys() == computed.keys(), path.name
        wrong = {k: (shown[k], computed[k]) for k in shown if not _same(shown[k], computed[k])}
        assert not wrong, (path.name, sorted(wrong.items())[:5])
        checked += len(shown)
    assert checked > 900


def test_the_team_sees_on_its_oversigt_what_management_sees(outputs, sample_config, tmp_path):
    _, _, filled = outputs
    copy = tmp_path / "in" / "rettekopi.xlsx"
    copy.parent.mkdir()
    copy.write_bytes(render(annotated(read_team_workbook(filled), dt.datetime.combine(TODAY, dt.time(9)))[0]))
    assert convert([copy], "xlsx", tmp_path / "computed", recalculate=True).returncode == 0
    sheet = read_workbook(tmp_path / "computed" / copy.name).sheet("Oversigt")
    shown = {sheet.value(r, 0): [sheet.value(r, c) for c in range(1, 6)] for r in range(sheet.max_row + 1)
             if isinstance(sheet.value(r, 0), str)}

    [team] = consolidate([copy.parent], sample_config, TODAY).teams
    phase = team.phases["1"]
    assert shown["Fase 1: Forbered forandringen"][1:4] == [phase.met, phase.in_progress, phase.not_started]
    assert shown["Fase 1: Forbered forandringen"][4] == pytest.approx(phase.share)
    plan_rows = [k for k in shown if k.startswith("Aktiviteter i planerne")][0]
    process_rows = [k for k in shown if k.startswith("Procesplanens")][0]
    activities = shown[plan_rows][0] + shown[process_rows][0]
    assert activities == sum(team.activities.values())
    assert shown[plan_rows][1] + shown[process_rows][1] == team.finished
    late = [k for k in shown if k.startswith("Forsinket")][0]
    assert shown[late][0] == len(team.overdue) > 0
    assert shown["Heraf mål med overskredet dato"][0] == team.overdue_goals == 1
    assert shown["Aktiviteter uden ansvarlig"][0] == len(team.unowned) == 2
    assert shown["Åbne risici"][0] == team.open_risks == 1
    assert shown["Højeste risikoscore"][0] == team.max_risk == 25
