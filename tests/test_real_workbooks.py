"""The reader on workbooks that Excel saved (tests/data/real/, from XlsxWriter's test suite: see the README
there), compared cell by cell with openpyxl. The expectation is openpyxl's value or what Excel shows; where
the two differ, the case says what Excel shows and why openpyxl does not."""
import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from paths import ROOT

from xlplan.xlsx.comments import read_comments
from xlplan.xlsx.reader import read_workbook

REAL = ROOT / "tests" / "data" / "real"
FILES = sorted(p for p in REAL.iterdir() if p.suffix in (".xlsx", ".xlsm"))

# The characters XlsxWriter's test_shared_strings01 wrote, one a row in column A (chr(34) left out), and
# test_shared_strings03's two non-characters: Excel stored each as an _xHHHH_ escape (ECMA-376 Part 1,
# 22.9.2.19) and shows the character; openpyxl gives the escape's letters.
CONTROL = {(n, 0): chr(n) for n in range(127) if n != 34}
NON_CHARACTERS = {(0, 0): "\ufffe", (1, 0): "\uffff"}
ESCAPED = {"control_characters_as_xhhhh_escapes.xlsx": CONTROL,
           "non_characters_as_xhhhh_escapes.xlsx": NON_CHARACTERS}

# Cells where openpyxl's value is not what Excel shows.
EXCEL_SHOWS = {
    # Serial 0 under a date format in the 1904 system is 1 January 1904 (XlsxWriter's test wrote that date,
    # Excel shows 01-01-1904); openpyxl takes every serial below 1 as a time of day.
    ("dates_in_the_1904_system.xlsx", "Sheet1", (0, 0)): dt.date(1904, 1, 1),
}


def _expected(path) -> tuple[dict, dict, dict]:
    """openpyxl's view: {sheet: {(row, col): value}}, the sheets' states and their merged ranges."""
    book = openpyxl.load_workbook(path, data_only=True)
    cells, states, merged = {}, {}, {}
    for sheet in book.worksheets:
        found = {}
        for (row, col), c in sheet._cells.items():  # not iter_rows: a comment in XFD1048576 spans the sheet
            if c.value is not None and c.value != "":
                found[(row - 1, col - 1)] = ("error", c.value) if c.data_type == "e" else c.value
        cells[sheet.title] = found
        states[sheet.title] = sheet.sheet_state
        merged[sheet.title] = sorted((r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
                                     for r in sheet.merged_cells.ranges)
    return cells, states, merged


def _same(ours, theirs) -> bool:
    """openpyxl gives a date under a date-only format as a datetime at midnight: xlplan gives the date."""
    if isinstance(theirs, dt.datetime) and not isinstance(ours, dt.datetime) and isinstance(ours, dt.date):
        return theirs.time() == dt.time(0) and theirs.date() == ours
    if isinstance(theirs, float) and theirs.is_integer() and isinstance(ours, int):
        return theirs == ours
    return type(ours) is type(theirs) and ours == theirs


def test_every_fixture_was_saved_by_excel():
    assert len(FILES) >= 20
    for path in FILES:
        with zipfile.ZipFile(path) as archive:
            app = archive.read("docProps/app.xml").decode()
        assert "<Application>Microsoft Excel</Application>" in app, path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_cell_reads_as_openpyxl_or_excel_shows_it(path):
    ours = read_workbook(path)
    cells, states, merged = _expected(path)
    # every sheet in the workbook's order; openpyxl's worksheets leave chart sheets out, its sheetnames not
    assert [s.name for s in ours.sheets] == openpyxl.load_workbook(path).sheetnames
    for sheet in ours.sheets:
        if sheet.name not in cells:  # a chart sheet: no cells
            assert sheet.cells == {}
            continue
        assert sheet.state == states[sheet.name]
        assert sorted(sheet.merged) == merged[sheet.name]
        expected = dict(cells[sheet.name])
        expected.update(ESCAPED.get(path.name, {}))
        expected.update({ref: value for (name, title, ref), value in EXCEL_SHOWS.items()
                         if name == path.name and title == sheet.name})
        got = {ref: ("error", c.error) if c.error else c.value for ref, c in sheet.cells.items()
               if c.value is not None or c.error}
        assert got.keys() == expected.keys()
        wrong = {ref: (got[ref], expected[ref]) for ref in got if not _same(got[ref], expected[ref])}
        assert wrong == {}


def test_the_date_systems_are_told_apart():
    assert read_workbook(REAL / "dates_in_the_1904_system.xlsx").date1904
    assert not read_workbook(REAL / "dates_in_the_1900_system.xlsx").date1904
    # the same dates written into both systems (XlsxWriter's test_date_1904_01 and _02): what Excel shows
    days = [dt.date(1904, 1, 1), dt.date(1906, 9, 27), dt.date(1917, 9, 9), dt.date(1931, 5, 19),
            dt.date(2177, 10, 15), dt.date(4641, 11, 27)]
    sheet = read_workbook(REAL / "dates_in_the_1904_system.xlsx").sheet("Sheet1")
    assert [sheet.value(row, 0) for row in range(6)] == days


def test_a_time_a_date_and_a_datetime_keep_their_kinds():
    sheet = read_workbook(REAL / "time_date_and_datetime.xlsx").sheet("Sheet1")
    assert sheet.value(0, 0) == dt.time(12, 0)
    assert type(sheet.value(1, 0)) is dt.date and sheet.value(1, 0) == dt.date(2016, 9, 23)
    assert sheet.value(2, 0) == dt.datetime(2016, 9, 12, 12, 0)


def test_formulas_keep_their_text_beside_the_cached_result():
    sheet = read_workbook(REAL / "formulas_with_cached_results.xlsx").sheet("Sheet1")
    book = openpyxl.load_workbook(REAL / "formulas_with_cached_results.xlsx").active
    for (row, col), c in sheet.cells.items():
        if c.formula is not None:
            assert "=" + c.formula == book.cell(row + 1, col + 1).value


def test_macros_are_noticed():
    assert read_workbook(REAL / "macros.xlsm").has_macros
    assert not read_workbook(REAL / "booleans.xlsx").has_macros


@pytest.mark.parametrize("name", ["comment.xlsx", "comment_in_the_last_cell_of_the_sheet.xlsx"])
def test_comments_are_read_as_openpyxl_reads_them(name):
    book = openpyxl.load_workbook(REAL / name)
    expected = sorted((s.title, c.row - 1, c.column - 1, c.comment.author, c.comment.text)
                      for s in book.worksheets for c in s._cells.values() if c.comment)
    got = sorted((c.sheet, c.row, c.col, c.author, c.text) for c in read_comments(REAL / name))
    assert got == expected and expected


def test_the_readme_names_every_fixture():
    readme = (REAL / "README.md").read_text()
    listed = re.findall(r"^\| `([^`]+)` \|", readme, re.MULTILINE)
    assert sorted(listed) == [p.name for p in FILES]
