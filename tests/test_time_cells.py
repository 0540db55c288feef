"""One model of a time cell, the same in the workbook, the reader and the README.

A date cell (Start, Slut, Delmål-dato, Mål-dato, Frist, Fra, Til) takes a date; what a spreadsheet keeps as
text there is still read by xlplan, so the cell's validation warns and never refuses, and the team's Oversigt
counts the dates its formulas cannot see. The proof types as a Dane types: LibreOffice's UNO bridge with a
da-DK profile and its default settings, into a generated workbook; then what LibreOffice stored, what
xlplan reads, the team's own Oversigt (as LibreOffice computed and saved it) and management's figures are
compared, and again for the fixing copy. Expectations come from the forms' meaning, written here.
"""
from __future__ import annotations

import datetime as dt
import os
import re

import openpyxl
import pytest

from paths import ROOT
from xlplan.core import schema
from xlplan.reading.readback import read_team_workbook
from xlplan.reporting.consolidate import consolidate
from xlplan.workbook.generate import render_workbook

D = dt.date
README = (ROOT / "README.md").read_text(encoding="utf-8")
PLAN_SHEET = "1. Fælles faglig forståelse"


def _readme_forms() -> list[tuple[str, str, str]]:
    """(typed, what LibreOffice keeps: 'dato' or 'tekst', xlplan reads) from the README's table of forms."""
    section = README.split("**What a date cell takes.**", 1)[1].split("\n\n", 2)[1]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| `")]
    return [(typed.strip().strip("`"), kept.strip().split()[0], read.strip()) for typed, kept, _figures, read in rows]


# What each form means, written here: the days xlplan must read (the README's fourth column says the same).
MEANING = {
    "30-09-2026": (D(2026, 9, 30), D(2026, 9, 30)),
    "3-2-26": (D(2026, 2, 3), D(2026, 2, 3)),
    "2026-02-03": (D(2026, 2, 3), D(2026, 2, 3)),
    "30. september 2026": (D(2026, 9, 30), D(2026, 9, 30)),
    "30/9-2026": (D(2026, 9, 30), D(2026, 9, 30)),
    "1/12-2026": (D(2026, 12, 1), D(2026, 12, 1)),
    "3.2.2026": (D(2026, 2, 3), D(2026, 2, 3)),
    "uge 40 2026": (D(2026, 9, 28), D(2026, 10, 4)),
    "primo maj 2026": (D(2026, 5, 1), D(2026, 5, 10)),
    "maj 2027": (D(2027, 5, 1), D(2027, 5, 1)),  # LibreOffice stores the 1st: the month is lost before xlplan
}


def _uno():
    from uno_typing import uno_python
    if uno_python() is None and not os.environ.get("CI"):
        pytest.skip("python3-uno er ikke installeret; kør 'make test'")


def test_the_readme_lists_the_forms_this_file_checks():
    assert {typed for typed, _, _ in _readme_forms()} == set(MEANING)
    for typed, _kept, read in _readme_forms():
        start, end = MEANING[typed]
        shown = f"{start:%d-%m-%Y}" if start == end else f"{start:%d-%m-%Y} – {end:%d-%m-%Y}"
        assert shown in read, (typed, read)


def _date_columns() -> list[tuple[str, schema.Column]]:
    tables = [schema.plan_table(), schema.PROCESPLAN, schema.CHECKLIST, schema.STEPS, schema.RISKS]
    return [(t.title, c) for t in tables for c in t.columns if c.kind == schema.DATE and c.is_input]


@pytest.mark.slow
def test_every_date_cell_warns_and_never_refuses_and_says_what_it_takes(sample_config, tmp_path):
    path = tmp_path / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 12, 7, 9)))
    book = openpyxl.load_workbook(path)
    date_rules = [(ws.title, v) for ws in book for v in ws.data_validations.dataValidation if v.type == "date"]
    assert len(date_rules) >= 8
    for sheet, rule in date_rules:
        assert rule.errorStyle == "warning", (sheet, rule.sqref, "a stop would refuse what xlplan reads")
        assert "30-09-2026" in rule.prompt, (sheet, rule.sqref, rule.prompt)
    # the forms the input message names are forms the README's table lists, with what becomes of them
    listed = {typed for typed, _, _ in _readme_forms()}
    for form in ("30-09-2026", "30/9-2026", "uge 40", "primo maj 2026", "'maj 2027' alene gemmes som 01-05-2027"):
        assert form in schema.DATE_HELP, form
        assert any(typed.startswith(form.split("'")[1] if "'" in form else form) for typed in listed), form
    kinds = README.split("**Two kinds of time cell", 1)[1].split("\n\n", 2)[1]
    for table, column in _date_columns():
        assert f"{column.header}" in kinds, (table, column.header)


# Every other date column of an ICS+FFB team workbook: (sheet, column letter, first row, what makes the row a
# record). The plan sheet's Slut is typed in typed_by_a_dane.
OTHER_DATE_CELLS = [
    ("2. Inddragelse af barnet", "D", 9, {"B": "Aktivitet"}),
    ("1. Fælles faglig forståelse", "G", 9, {"B": "Aktivitet", "F": "Delmål"}),
    ("3. Ledelsesmæssig opfølgning", "N", 9, {"B": "Aktivitet", "M": "Mål"}),
    ("Procesplan", "B", 9, {"D": "Milepæl"}),
    ("Procesplan", "C", 9 + 10, {"D": "Milepæl", "B": "01-01-2026"}),
    ("Risikolog", "H", 6, {"B": "Risiko"}),
]


@pytest.fixture(scope="module")
def every_date_column_typed(tmp_path_factory, request):
    """Each README form typed through LibreOffice into every kind of date column, and into a checklist's
    Frist; returns the file and the cells: (sheet, ref, form)."""
    from uno_typing import type_cells
    _uno()
    sample_config = request.getfixturevalue("sample_config")
    folder = tmp_path_factory.mktemp("alle")
    source = folder / "ny.xlsx"
    source.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 12, 7, 9)))
    book = openpyxl.load_workbook(source)
    criteria = [r for r in range(1, 200) if re.fullmatch(r"\d+\.\d+\.\d+", str(book["Fase 1 Forbered"].cell(r, 1).value))]
    forms = [typed for typed, _, _ in _readme_forms()]
    cells, typings = [], []
    for sheet, col, first, beside in OTHER_DATE_CELLS:
        for i, typed in enumerate(forms):
            typings += [(sheet, f"{other}{first + i}", text) for other, text in beside.items()]
            cells.append((sheet, f"{col}{first + i}", typed))
    cells += [("Fase 1 Forbered", f"E{row}", typed) for row, typed in zip(criteria, forms)]
    assert len(cells) == (len(OTHER_DATE_CELLS) + 1) * len(forms)
    typed = folder / "typed.xlsx"
    type_cells(source, typed, typings + [(sheet, ref, text) for sheet, ref, text in cells])
    return typed, cells


@pytest.mark.libreoffice
def test_every_date_column_keeps_and_reads_each_form_as_the_readme_says(every_date_column_typed):
    path, cells = every_date_column_typed
    book = openpyxl.load_workbook(path)
    read = read_team_workbook(path)
    kept = {typed: how for typed, how, _ in _readme_forms()}
    by_place = {(record.source.sheet, record.source.row): record for record in read.records()}
    for sheet, ref, typed in cells:
        stored = book[sheet][ref].value
        assert ("dato" if isinstance(stored, dt.datetime) else "tekst") == kept[typed], (sheet, ref, typed, stored)
        record = by_place[(sheet, int(ref[1:]))]
        header = book[sheet].cell(_header_row(book[sheet]), openpyxl.utils.column_index_from_string(ref[0])).value
        value = _date_field(record, header)
        assert (value.start, value.end) == MEANING[typed], (sheet, ref, typed, value)


def _header_row(ws) -> int:
    return next(r for r in range(1, 20) if any(ws.cell(r, c).value in ("Slut", "Fra", "Frist", "Start")
                                              for c in range(1, 12)))


def _date_field(record, header):
    for table in (schema.plan_table(), schema.PROCESPLAN, schema.CHECKLIST, schema.RISKS, schema.STEPS):
        for column in table.columns:
            if column.header == header and column.kind == schema.DATE and hasattr(record, column.attribute):
                return column.value_of(record)
    raise AssertionError(f"no date column {header!r} on {type(record).__name__}")


@pytest.fixture(scope="module")
def typed_by_a_dane(tmp_path_factory, request):
    """A generated workbook with each README form typed through LibreOffice (da-DK, default profile) as Slut
    of its own plan row, with an Aktivitet and no status, and a procesplan row with only a period."""
    from uno_typing import type_cells
    _uno()
    sample_config = request.getfixturevalue("sample_config")
    folder = tmp_path_factory.mktemp("dansk")
    source = folder / "ny.xlsx"
    source.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 12, 7, 9)))
    typings = []
    for i, (typed, _kept, _read) in enumerate(_readme_forms()):
        typings += [(PLAN_SHEET, f"B{9 + i}", f"Aktivitet {i + 1}"), (PLAN_SHEET, f"E{9 + i}", typed)]
        if i % 3:  # every third activity without a responsible person
            typings.append((PLAN_SHEET, f"C{9 + i}", "Jonas Krogh"))
    typings += [("Procesplan", "A8", "uge 36-37 2026"), ("Procesplan", "D8", "Temadag")]
    typed = folder / "typed.xlsx"
    type_cells(source, typed, typings)
    return typed


def _cached(path, sheet, ref):
    return openpyxl.load_workbook(path, data_only=True)[sheet][ref].value


def _oversigt_figures(path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path, data_only=True)["Oversigt"]
    return {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)
            if isinstance(ws.cell(row=r, column=1).value, str)}


@pytest.mark.libreoffice
def test_libreoffice_keeps_each_form_as_the_readme_says_and_xlplan_reads_its_meaning(typed_by_a_dane):
    ws = openpyxl.load_workbook(typed_by_a_dane)[PLAN_SHEET]
    read = read_team_workbook(typed_by_a_dane)
    by_activity = {r.aktivitet: r for r in read.plan_rows}
    for i, (typed, kept, _read) in enumerate(_readme_forms()):
        stored = ws[f"E{9 + i}"].value
        assert ("dato" if isinstance(stored, dt.datetime) else "tekst") == kept, (typed, stored)
        row = by_activity[f"Aktivitet {i + 1}"]
        assert (row.slut.start, row.slut.end) == MEANING[typed], typed
        if kept == "tekst":  # said at its cell, with the code the README's row names
            codes = {p.code for p in read.problems if p.cell == f"E{9 + i}" and p.sheet == PLAN_SHEET}
            [named] = re.findall(r"\((RB\d{3})\)", _read)
            assert named in codes, (typed, named, codes)


@pytest.mark.libreoffice
def test_the_teams_oversigt_and_managements_figures_agree_for_dates_typed_as_text(typed_by_a_dane):
    today = dt.date.today()  # LibreOffice's TODAY() when it computed the Oversigt
    ours = _oversigt_figures(typed_by_a_dane)
    [team] = consolidate([typed_by_a_dane], as_of=today).teams
    forms = _readme_forms()
    # independent of both: each typed date before today, and the procesplan's weeks 36-37 2026
    late = sum(1 for typed, _, _ in forms if MEANING[typed][1] < today) + (D(2026, 9, 13) < today)
    as_text = sum(1 for typed, kept, _ in forms if kept == "tekst" and MEANING[typed][1] < today) + 1
    assert len(team.overdue) == late
    assert ours["Forsinket: dato overskredet, ikke afsluttet"] == late - as_text
    assert ours["Datoer skrevet som tekst (tælles ikke med ovenfor)"] == sum(
        1 for _, kept, _ in forms if kept == "tekst") + 1, "the sheet says how many it cannot count"
    without = len(range(0, len(forms), 3))
    assert ours["Aktiviteter uden ansvarlig"] == len(team.unowned) == without
    assert ours["Heraf mål med overskredet dato"] == team.overdue_goals == 0


@pytest.mark.libreoffice
def test_one_round_trip_through_the_fixing_copy_makes_the_teams_figures_complete(typed_by_a_dane, tmp_path):
    from libreoffice import convert
    from xlplan.fixing.carry import annotated
    from xlplan.xlsx.writer import render
    today = dt.date.today()
    read = read_team_workbook(typed_by_a_dane)
    copy = tmp_path / "rettelser.xlsx"
    copy.write_bytes(render(annotated(read, dt.datetime.combine(today, dt.time(9)))[0]))
    ws = openpyxl.load_workbook(copy)
    plan, process = ws[PLAN_SHEET], ws["Procesplan"]
    forms = _readme_forms()
    slut = [c.value for c in plan["E"][8:8 + len(forms)]]
    periods = [typed for typed, _, _ in forms if MEANING[typed][0] != MEANING[typed][1]]
    # every single day becomes a real date; a period in a date cell stays as typed (one date would lose its
    # other days) and is still counted on the Oversigt as a date the sheet cannot see
    assert {typed: isinstance(value, dt.datetime) for (typed, _, _), value in zip(forms, slut)} == {
        typed: typed not in periods for typed, _, _ in forms}
    assert [v for (typed, _, _), v in zip(forms, slut) if typed in periods] == periods
    assert (process["B8"].value, process["C8"].value) == (dt.datetime(2026, 8, 31), dt.datetime(2026, 9, 13))
    assert process["A8"].value == "uge 36-37 2026", "the period stays as typed beside its days"
    # LibreOffice recalculating every formula is the oracle for what the copy's Oversigt computes
    convert([copy], "xlsx", tmp_path / "regnet", recalculate=True)
    ours = _oversigt_figures(tmp_path / "regnet" / copy.name)
    [team] = consolidate([copy], as_of=today).teams
    late_periods = sum(1 for typed in periods if MEANING[typed][1] < today)
    assert ours["Forsinket: dato overskredet, ikke afsluttet"] == len(team.overdue) - late_periods
    assert ours["Datoer skrevet som tekst (tælles ikke med ovenfor)"] == len(periods)
    assert _oversigt_figures(copy) == ours, "the values stored with the formulas are what they compute"
