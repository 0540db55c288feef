"""Generated workbooks and shipped templates, opened in a real headless LibreOffice."""
import re

import pytest

from xlplan.core import content, schema
from xlplan.workbook.generate import template_names

from libreoffice import convert
from workbook_helpers import fields_of, load, metadata

pytestmark = pytest.mark.libreoffice

ROOT = __import__("pathlib").Path(__file__).parent.parent
TEMPLATES = [ROOT / "templates" / "xlsx" / name for name in template_names().values()]


@pytest.fixture(scope="module")
def roundtrip(sample_workbooks, tmp_path_factory):
    """The sample workbooks and templates saved again as .xlsx by LibreOffice, with its default settings."""
    out = tmp_path_factory.mktemp("lo-xlsx")
    result = convert([*sample_workbooks, *TEMPLATES], "xlsx", out)
    assert result.returncode == 0, result.stderr
    return out


def test_every_workbook_and_template_converts_to_pdf(sample_workbooks, tmp_path):
    files = [*sample_workbooks, *TEMPLATES]
    result = convert(files, "pdf", tmp_path)
    assert result.returncode == 0, result.stderr
    for f in files:
        pdf = tmp_path / (f.stem + ".pdf")
        assert pdf.is_file(), f"LibreOffice made no PDF of {f.name}: {result.stdout} {result.stderr}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 5


def test_roundtrip_keeps_sheets_validations_and_metadata(sample_workbooks, roundtrip):
    original = load(sample_workbooks[0])
    again = load(roundtrip / sample_workbooks[0].name)
    assert again.sheetnames == original.sheetnames
    assert again["Lister"].sheet_state == "hidden"
    assert again["xlplan"].sheet_state in ("hidden", "veryHidden")  # LibreOffice turns very hidden into hidden
    assert metadata(again)["team"] == "Familieteamet"
    for name in ("1. Fælles faglig forståelse", "Procesplan", "Fase 2 Igangsæt", "Risikolog"):
        kinds = {dv.type for dv in again[name].data_validations.dataValidation}
        assert {"list", "date"} <= kinds, name
        assert again[name].protection.sheet
    # The value lists are defined names, and the dropdowns point at the names, after LibreOffice saved it too.
    names = {k: v.attr_text.replace("'", "") for k, v in again.defined_names.items()}
    assert names["liste_aktivitetsstatus"] == "Lister!$A$2:$A$7" and names["liste_personer"].startswith("Personer!")
    sources = {dv.formula1 for dv in again["Procesplan"].data_validations.dataValidation if dv.type == "list"}
    assert sources == {"liste_aktivitetsstatus", "liste_personer"}


def test_progress_formulas_compute_in_libreoffice(sample_workbooks, roundtrip):
    import openpyxl
    values = openpyxl.load_workbook(roundtrip / sample_workbooks[0].name, data_only=True)
    ws = values["Oversigt"]
    rows = {r[0].value: [c.value for c in r[1:6]] for r in ws.iter_rows(max_col=6) if r[0].value}
    for phase in content.phases():
        n = len(phase.criteria)
        assert rows[f"Fase {phase.id}: {phase.name}"][:4] == [n, 0, 0, n]
    procesplan = values["Procesplan"]
    assert procesplan["I6"].value == 2  # ISO week of 05-01-2026, the sample's start date
    roles = values["Roller"]
    filled = schema.ROLES.index("besat") + 1
    assert [roles.cell(row=r, column=filled).value for r in range(6, 13)] == ["Nej"] * 7


def test_blank_templates_survive_a_roundtrip(roundtrip):
    for template in TEMPLATES:
        wb = load(roundtrip / template.name)
        meta = metadata(wb)
        assert meta["schema"] == "xlplan-projektmappe" and meta["team"] == ""
        assert "Oversigt" in wb.sheetnames


def test_management_workbook_renders_and_reads_back(sample_config, tmp_path):
    import datetime as dt

    from xlplan.reporting.consolidate import consolidate
    from xlplan.reporting.report import report_workbook
    from xlplan.xlsx.writer import render

    result = consolidate([ROOT / "samples" / "returned"], sample_config, dt.date(2026, 6, 15))
    path = tmp_path / "samlet-status.xlsx"
    path.write_bytes(render(report_workbook(result)))
    pdf = convert([path], "pdf", tmp_path / "pdf")
    assert pdf.returncode == 0 and (tmp_path / "pdf" / "samlet-status.pdf").stat().st_size > 10_000
    again = convert([path], "xlsx", tmp_path / "xlsx")
    assert again.returncode == 0
    wb = load(tmp_path / "xlsx" / "samlet-status.xlsx")
    assert wb["Overblik"]["B5"].value == "Gul"
    # The listings stay Excel Tables by their names after LibreOffice saved the workbook.
    assert {name for sheet in ("Aktiviteter", "Risici", "Problemer", "Kilder")
            for name, _ref in wb[sheet].tables.items()} == {"Aktiviteter", "Risici", "Problemer", "Kilder"}


def test_a_libreoffice_save_reads_back_the_same(sample_config, tmp_path):
    """The same filled workbook, as written by openpyxl and as saved again by LibreOffice, gives the same records."""
    import shutil

    import fixtures
    from xlplan.reading.readback import read_team_workbook

    source = ROOT / "samples" / "returned" / "Ishøj Kommune - Familieteamet.xlsx"
    result = convert([source], "xlsx", tmp_path)
    assert result.returncode == 0
    before, after = read_team_workbook(source), read_team_workbook(tmp_path / source.name)
    strip = lambda rows: [{k: v for k, v in fields_of(r).items() if k != "source"} for r in rows]  # noqa: E731
    for name in ("plan_rows", "process_rows", "criteria", "roles", "risks", "people", "followups"):
        assert strip(getattr(before, name)) == strip(getattr(after, name)), name
    assert [p.code for p in before.problems] == [p.code for p in after.problems]


def test_timeline_bars_follow_each_rows_dates_in_libreoffice(sample_config, tmp_path):
    """The Tidslinje's bars are conditional formats; their conditions, written into the grid as formulas and
    computed by LibreOffice, mark exactly the weeks between each row's Start and Slut (green when done, red when
    overdue)."""
    import datetime as dt

    from xlplan.reporting.consolidate import consolidate
    from xlplan.xlsx.model import Formula
    from xlplan.reporting.report import bar_conditions, report_workbook
    from xlplan.xlsx.reader import read_workbook
    from xlplan.xlsx.writer import render

    header_row, first_col = 4, 6
    result = consolidate([ROOT / "samples" / "returned"], sample_config, dt.date(2026, 6, 15))
    book = report_workbook(result)
    sheet = book.sheet("Tidslinje")
    anchor = bar_conditions(header_row + 1, first_col, header_row)
    assert [cf.formula for cf in sheet.conditional_formats if cf.style.startswith("cf_bar")] == \
        [f"=AND({anchor[0]},{anchor[1]})", f"=AND({anchor[0]},{anchor[2]})", f"={anchor[0]}"]
    weeks = {c.col: c.value for c in sheet.cells if c.row == header_row and c.col >= first_col}
    rows = {c.row: {} for c in sheet.every_cell() if c.row > header_row}
    for c in sheet.every_cell():
        if c.row > header_row:
            rows[c.row][c.col] = c.value
    sheet.cells += [c for row in sheet.rows for c in row.cells()]  # the formulas below join the bars' rows
    sheet.rows = []
    for row in rows:
        for col in weeks:
            in_week, done, late = bar_conditions(row, col, header_row)
            sheet.put(row, col, Formula(f"=IF({in_week},IF({done},2,IF({late},3,1)),0)"), "text")
    book.sheets = [sheet]
    path = tmp_path / "tidslinje.xlsx"
    path.write_bytes(render(book))
    assert convert([path], "xlsx", tmp_path / "lo", recalculate=True).returncode == 0
    computed = read_workbook(tmp_path / "lo" / "tidslinje.xlsx").sheet("Tidslinje")

    done_values = set(content.value_lists()["aktivitetsstatus"].done)
    marks = []
    for row, values in rows.items():
        start, end, status, late = values.get(2), values.get(3), values.get(4), values.get(5)
        for col, monday in weeks.items():
            expected = 0 if not (start and start <= monday + dt.timedelta(days=6) and end >= monday) else \
                2 if status in done_values else 3 if late == "Ja" else 1
            assert computed.value(row, col) == expected, (row, col, start, end, monday)
            marks.append(expected)
    assert marks.count(1) > 50 and marks.count(2) > 5 and marks.count(3) > 5
