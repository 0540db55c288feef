"""Each table is declared once (xlplan/core/schema.py): a column added there is in the generated workbook,
in the records read back, in the management workbook's listing, in the JSON and CSV exports and in a
fresh copy, with no other change. The script runs in its own interpreter, so that the added column is
part of the declaration from the start, as it would be in the source."""
import csv
import json
import subprocess
import sys

import pytest
import openpyxl

from paths import ROOT

ADD_A_COLUMN = '''
import dataclasses, datetime as dt, sys
from pathlib import Path
import xlplan.core.schema as schema
schema.PROCESPLAN = dataclasses.replace(schema.PROCESPLAN, columns=schema.PROCESPLAN.columns + (
    schema.Column("budget", "Budget (kr.)", 12, schema.TEXT, help="Hvad koster aktiviteten?"),))

import openpyxl
from xlplan.fixing.carry import annotated
from xlplan.reading.readback import read_team_workbook
from xlplan.core.config import load_config
from xlplan.reporting.consolidate import consolidate
from xlplan.reporting.export import consolidation_json, export_tables
from xlplan.workbook.generate import render_workbook
from xlplan.reporting.report import report_workbook
from xlplan.xlsx.writer import render

out = Path(sys.argv[1])
config = load_config(Path(sys.argv[2]))
team = out / "returned" / "Familieteamet.xlsx"
team.parent.mkdir()
team.write_bytes(render_workbook(config, config.teams[0], dt.datetime(2026, 1, 5, 9)))
(out / "blank.xlsx").write_bytes(team.read_bytes())
wb = openpyxl.load_workbook(team)
ws = wb["Procesplan"]
header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Dato/periode")
column = {ws.cell(header, c).value: c for c in range(1, 40)}
ws.cell(header + 1, 1, "Uge 10 2026")
ws.cell(header + 1, column["Aktivitet"], "Kursus")
ws.cell(header + 1, column["Budget (kr.)"], "12.000")
wb.save(team)
result = consolidate([team.parent], config, dt.date(2026, 6, 15))
(out / "samlet.xlsx").write_bytes(render(report_workbook(result)))
(out / "samlet.json").write_bytes(consolidation_json(result))
export_tables(result, out)
(out / "rettet.xlsx").write_bytes(render(annotated(read_team_workbook(team))[0]))
'''


def _header_row(ws, first):
    return next(r for r in range(1, 40) if ws.cell(r, 1).value == first)


@pytest.mark.slow
def test_a_column_added_in_one_place_is_everywhere(tmp_path):
    run = subprocess.run([sys.executable, "-c", ADD_A_COLUMN, str(tmp_path), str(ROOT / "samples" / "plan.toml")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr

    blank = openpyxl.load_workbook(tmp_path / "blank.xlsx")["Procesplan"]
    row = _header_row(blank, "Dato/periode")
    headers = [blank.cell(row, c).value for c in range(1, 40)]
    assert "Budget (kr.)" in headers
    budget = headers.index("Budget (kr.)") + 1
    assert any(v.sqref and blank.cell(row + 1, budget).coordinate in v.sqref
               for v in blank.data_validations.dataValidation), "the help text is on the new column's cells"

    data = json.loads((tmp_path / "samlet.json").read_text(encoding="utf-8"))
    [entry] = data["filer"]
    assert [(r["aktivitet"], r["budget"]) for r in entry["procesplan"]] == [("Kursus", "12.000")]

    listing = openpyxl.load_workbook(tmp_path / "samlet.xlsx")["Aktiviteter"]
    headers = [c.value for c in listing[4]]
    rows = [dict(zip(headers, (c.value for c in r))) for r in listing.iter_rows(min_row=5)]
    assert [(r["Aktivitet"], r["Budget (kr.)"]) for r in rows] == [("Kursus", "12.000")]

    with open(tmp_path / "procesplan.csv", encoding="utf-8-sig", newline="") as handle:
        assert [r["budget"] for r in csv.DictReader(handle, delimiter=";")] == ["12.000"]

    copy = openpyxl.load_workbook(tmp_path / "rettet.xlsx")["Procesplan"]
    row = _header_row(copy, "Dato/periode")
    headers = [copy.cell(row, c).value for c in range(1, 40)]
    assert copy.cell(row + 1, headers.index("Budget (kr.)") + 1).value == "12.000"
