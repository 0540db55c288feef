"""Each derived fact is decided once (xlplan/core/facts.py) and every place that shows it agrees: the
progress figures, the JSON, the management workbook and the history. The expectations are worked out
by hand from the fixture's dates, seen from 15-06-2026."""
import datetime as dt
import sqlite3

import openpyxl
import pytest

import fixtures
from xlplan.reporting import history
from xlplan.reporting.consolidate import consolidate
from xlplan.reporting.export import consolidation_dict
from xlplan.workbook.generate import render_workbook
from xlplan.reporting.report import report_workbook
from xlplan.xlsx.writer import render

AS_OF = dt.date(2026, 6, 15)
PLAN, PROCESS = fixtures.PLAN, "Procesplan"


@pytest.fixture(scope="module")
def reading(sample_config, tmp_path_factory):
    folder = tmp_path_factory.mktemp("facts")
    path = folder / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    fixtures.edit(path, fixtures.dated_rows_with_edge_cases)
    result = consolidate([folder], sample_config, AS_OF)
    return result, path


@pytest.mark.slow
def test_overdue_rows_by_hand(reading):
    result, _ = reading
    [read] = result.reads
    process_first = min(r.source.row for r in read.process_rows)
    plan_first = min(r.source.row for r in read.plan_rows)
    expected = {(PROCESS, process_first), (PROCESS, process_first + 1), (PLAN, plan_first)}
    [team] = result.teams
    from_progress = {(d.source.sheet, d.source.row) for d in team.overdue if d.source.sheet in (PLAN, PROCESS)}
    assert from_progress == expected
    assert {d.kind for d in team.overdue if d.source.sheet == PLAN} == {"Mål"}
    criteria = {d.text.split()[0] for d in team.overdue if d.kind == "Kriterium"}
    assert criteria == {"1.1.2"}


def test_json_management_workbook_and_history_agree(reading, tmp_path):
    result, _ = reading
    [read] = result.reads
    [team] = result.teams
    progress_rows = {(d.source.sheet, d.source.row) for d in team.overdue if d.source.sheet in (PLAN, PROCESS)}

    data = consolidation_dict(result)
    [entry] = data["filer"]
    from_json = {(r["source"]["sheet"], r["source"]["row"]) for key in ("planrækker", "procesplan")
                 for r in entry[key] if r["forsinket"]}
    assert from_json == progress_rows
    assert {r["id"] for r in entry["kriterier"] if r["forsinket"]} == {"1.1.2"}

    out = tmp_path / "samlet.xlsx"
    out.write_bytes(render(report_workbook(result, dt.datetime(2026, 6, 15, 12))))
    ws = openpyxl.load_workbook(out)["Aktiviteter"]
    headers = [c.value for c in ws[4]]
    late, sheet, cell = headers.index("Forsinket"), headers.index("Ark"), headers.index("Celle")
    shown = {(row[sheet].value, int(row[cell].value[1:])) for row in ws.iter_rows(min_row=5)
             if row[late].value == "Ja"}
    assert shown == progress_rows

    finished_shown = ws.parent["Overblik"].cell(row=5, column=headers_of(ws.parent["Overblik"]).index(
        "Aktiviteter afsluttet") + 1).value
    assert finished_shown == team.finished == 2  # "Færdig" read as Afsluttet, and the plan row Afsluttet

    db = tmp_path / "historik.sqlite"
    history.record(result, db)
    with sqlite3.connect(db) as con:
        stored = {text for text, overdue in con.execute("SELECT text, overdue FROM items WHERE kind = 'aktivitet'")
                  if overdue}
    assert stored == {"Periode alene, uden status", "Ugyldig Til-dato"}


def headers_of(ws):
    return [c.value for c in ws[4]]
