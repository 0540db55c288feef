"""Nothing lost: a value typed in any cell of any template sheet is in the records or reported at its cell.

The test fills every cell a team could type into – every input cell, every empty cell of the sheet's
used area and the rows and columns beside and below it, and every position inside a merged range – with
a text of its own, and then looks for each text in the records read back (as a value, an `extra`
column, an invalid value kept as typed, a date as typed) or in a problem at exactly that cell. Cells
holding the template's own text (titles, headers, labels, criteria, formulas) are left as they are.

Not filled: the hidden sheets Lister and xlplan (xlplan's own machinery), and the column of the guide's
text on Vejledning, which xlplan takes as the guide's (the README says so).
"""
import datetime as dt
import shutil

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

import fixtures
from paths import ROOT
from xlplan.core.records import to_jsonable
from xlplan.reading.readback import read_team_workbook
from xlplan.workbook.generate import render_workbook

MACHINERY = {"Lister", "xlplan"}
BEYOND = 3  # rows and columns filled beyond each sheet's used area


def fill_every_cell(path):
    """Write a text of its own into every cell a team could type into; (sheet, cell) -> text."""
    wb = openpyxl.load_workbook(path)
    written = {}
    for index, ws in enumerate(wb.worksheets):
        if ws.title in MACHINERY:
            continue
        last_row, last_col = ws.max_row + BEYOND, ws.max_column + BEYOND
        for row in range(1, last_row + 1):
            for col in range(1, last_col + 1):
                ref = f"{get_column_letter(col)}{row}"
                if ws.title == "Vejledning" and col == 2:
                    continue
                cell = ws.cell(row=row, column=col)
                text = f"t{index}-{ref}"
                if isinstance(cell, MergedCell):
                    fixtures.put_in_merged_cell(ws, ref, text)
                elif cell.value is None or not cell.protection.locked:
                    cell.value = text
                else:
                    continue
                written[(ws.title, ref)] = text
    wb.save(path)
    return written


def _leaves(value, keys=True):
    """Every text in a record's JSON form, dictionary keys included (a team's column header is a key)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if keys:
                yield key
            yield from _leaves(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, keys)
    elif isinstance(value, str):
        yield value


def _record_texts(read):
    """(sheet, row) -> the texts of the records read there; (sheet, None) -> those of records that stand
    for a block of rows (the Oversigt, an Opfølgning block) and the keys of every record's columns."""
    found: dict[tuple[str, int | None], set[str]] = {}
    for record in [*read.records(), read.info]:
        data = to_jsonable(record)
        data.pop("source", None)
        sheet, row = record.source.sheet, record.source.row
        block = type(record).__name__ in ("TeamInfo", "FollowUp")
        found.setdefault((sheet, None if block else row), set()).update(_leaves(data, keys=block))
        found.setdefault((sheet, None), set()).update(data.get("extra") or {})
    for sheet, name, description in read.focus_points:  # in the JSON as sigtepunkter
        found.setdefault((sheet, None), set()).update(t for t in (name, description) if t)
    return found


TEMPLATES = sorted(p.name for p in (ROOT / "templates" / "xlsx").glob("*.xlsx"))


@pytest.fixture(params=["team workbook", *TEMPLATES])
def every_cell_filled(request, sample_config, tmp_path):
    path = tmp_path / "alt-udfyldt.xlsx"
    if request.param == "team workbook":
        path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    else:
        shutil.copy(ROOT / "templates" / "xlsx" / request.param, path)
    return path, fill_every_cell(path)


@pytest.mark.slow
def test_every_value_typed_anywhere_is_in_the_records_or_reported_at_its_cell(every_cell_filled):
    path, written = every_cell_filled
    read = read_team_workbook(path)
    assert read.readable
    reported = {(p.sheet, p.cell) for p in read.problems if p.sheet and p.cell}
    texts = _record_texts(read)
    lost = []
    for (sheet, ref), text in written.items():
        row = int("".join(ch for ch in ref if ch.isdigit()))
        if (sheet, ref) in reported:
            continue
        if text in texts.get((sheet, row), ()) or text in texts.get((sheet, None), ()):
            continue
        lost.append((sheet, ref, text))
    assert not lost, f"{len(lost)} of {len(written)} values lost, e.g. {lost[:8]}"
    assert len(written) > 2_000


@pytest.mark.slow
def test_a_fixing_copy_of_a_workbook_filled_everywhere_reads_back_to_the_same_records(every_cell_filled, tmp_path):
    """Everything the team had is in the copy: the same records (own rows, own columns, invalid values as
    typed), and what has no place in the template listed on 'Ikke placeret'."""
    from xlplan.fixing.carry import annotated
    from xlplan.xlsx.writer import render
    path, written = every_cell_filled
    read = read_team_workbook(path)
    copy = tmp_path / "rettelser.xlsx"
    copy.write_bytes(render(annotated(read, dt.datetime(2026, 6, 15, 9))[0]))
    again = read_team_workbook(copy)
    assert _comparable(again) == _comparable(read)
    [listing] = [s for s in again.own_sheets if s.name == "Ikke placeret"]
    listed = {text for _cell, text in listing.texts}
    assert {u.value for u in read.unplaced} <= listed and len(read.unplaced) > 100


def _comparable(read):
    import json
    out = []
    for record in [*read.records(), read.info]:
        data = to_jsonable(record)
        data.pop("source", None)
        out.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
    return sorted(out)
