"""Sheet protection lets a team do what the README says: insert and delete rows in its own tables, add a
column of its own beside them; the template's content (criteria, roles, steps, headers) stays locked.

LibreOffice deletes a row on a protected sheet only when the sheet allows it and every cell of the row,
beside the table too, is unlocked; it has no option to allow hiding columns or rows on a protected sheet.
Both are checked in a real LibreOffice with its default settings, through the menus' enabled state (what
a person sees greyed out) and by deleting a row through its API.
"""
import datetime as dt

import openpyxl
import pytest

import fixtures
from xlplan.workbook.generate import render_workbook

PLAN = fixtures.PLAN
DELETE, INSERT = ".uno:DeleteRows", ".uno:InsertRowsBefore"
HIDE_COLUMN, HIDE_ROW = ".uno:HideColumn", ".uno:HideRow"


@pytest.fixture(scope="module")
def workbook(sample_config, tmp_path_factory):
    path = tmp_path_factory.mktemp("beskyttelse") / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    return path


def _rows(path):
    """(sheet, header row, first data row) of the tables whose rows are the team's, 1-based."""
    wb = openpyxl.load_workbook(path)
    return {name: fixtures.header_row(wb[name], first) for name, first in
            ((PLAN, "Formål"), ("Procesplan", "Dato/periode"), ("Personer", "Navn"))}


@pytest.mark.slow
def test_the_rows_of_the_teams_tables_are_unlocked_beside_the_table_too(workbook):
    wb = openpyxl.load_workbook(workbook)
    for name, header in _rows(workbook).items():
        ws = wb[name]
        # In the file's terms False means allowed: rows inserted and deleted, columns and rows formatted
        # (widths, heights, hiding: Excel honours it, LibreOffice allows widths and heights only).
        assert ws.protection.sheet and not ws.protection.deleteRows and not ws.protection.insertRows
        assert not ws.protection.formatColumns and not ws.protection.formatRows
        for row in (header, header + 1, header + 5):
            dimension = ws.row_dimensions[row]
            assert dimension.customFormat and not dimension.protection.locked, (name, row)
        for row in (header + 1, header + 5):  # the header row's own cells stay locked
            assert all(not c.protection.locked for c in ws[row] if c.style_id), (name, row)
        assert ws.row_dimensions[header - 2].protection.locked, "the rows above the table stay locked"


@pytest.mark.libreoffice
def test_libreoffice_lets_a_team_insert_and_delete_rows_of_its_tables_but_not_the_templates_content(workbook):
    from uno_typing import edit, uno_python
    if uno_python() is None:
        pytest.skip("python3-uno is not installed")
    rows = _rows(workbook)
    wb = openpyxl.load_workbook(workbook)
    criterion = next(r for r in range(6, 60) if wb["Fase 1 Forbered"].cell(r, 1).value == "1.1.1")
    role = next(r for r in range(6, 30) if wb["Roller"].cell(r, 2).value)
    probes = [(name, row + 1) for name, row in rows.items()] + [("Fase 1 Forbered", criterion), ("Roller", role),
                                                                (PLAN, rows[PLAN] - 2)]

    def state(sheet, row):
        return {"do": "command_state", "sheet": sheet, "select": f"A{row}:XFD{row}",
                "commands": [DELETE, INSERT, HIDE_ROW]}

    steps = [state(sheet, row) for sheet, row in probes]
    steps.append({"do": "command_state", "sheet": PLAN, "select": "C1:C1048576",
                  "commands": [HIDE_COLUMN, ".uno:ColumnWidth"]})
    steps.append({"do": "command_state", "sheet": PLAN, "select": f"A{rows[PLAN] + 1}:XFD{rows[PLAN] + 1}",
                  "commands": [".uno:RowHeight"]})
    results = edit(workbook, None, steps)
    states = dict(zip(probes, results))
    for name, header in rows.items():
        assert states[(name, header + 1)][DELETE] and states[(name, header + 1)][INSERT], name
    for locked in (("Fase 1 Forbered", criterion), ("Roller", role), (PLAN, rows[PLAN] - 2)):
        assert not states[locked][DELETE], f"{locked}: the template's content cannot be deleted"
    # What LibreOffice locks on every protected sheet, whatever the file allows (the README says so):
    assert not any(states[probe][HIDE_ROW] for probe in probes)
    assert results[len(probes)] == {HIDE_COLUMN: False, ".uno:ColumnWidth": True}
    assert results[len(probes) + 1] == {".uno:RowHeight": True}
    # And a row really goes: the first data row deleted, the second takes its place.
    saved = workbook.with_name("slettet.xlsx")
    done = edit(workbook, saved, [{"do": "type", "sheet": PLAN, "cell": f"B{rows[PLAN] + 2}", "text": "Anden række"},
                                  {"do": "delete_rows", "sheet": PLAN, "row": rows[PLAN], "count": 1}])
    assert done == [None, "done"]
    assert openpyxl.load_workbook(saved)[PLAN].cell(rows[PLAN] + 1, 2).value == "Anden række", "the row is gone"
