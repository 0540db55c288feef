"""Whole rows (model.Row): a listing's rows are written as XML in one go. The reference is XlsxWriter's own
worksheet writing the same cells one by one: the files must be the same, byte for byte."""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest
import xlsxwriter.worksheet

from xlplan.reporting.consolidate import consolidate
from xlplan.reporting.report import report_workbook
from xlplan.xlsx import writer
from xlplan.xlsx.model import Comment, Formatted, Formula, Link, Merge, Sheet, Table, Workbook
from xlplan.xlsx.writer import LayoutError, render

from paths import ROOT

SAMPLES = ROOT / "samples" / "returned"

AS_OF = dt.date(2026, 6, 15)
BOTH_PATHS = pytest.mark.parametrize("fast", [
    pytest.param(True, id="fast", marks=pytest.mark.skipif(not writer.FAST, reason="an XlsxWriter outside FAST_VERSIONS")),
    pytest.param(False, id="public")])


def as_cells(layout: Workbook) -> Workbook:
    """The same layout with every whole row put cell by cell."""
    for sheet in layout.sheets:
        for row in sheet.rows:
            sheet.cells.extend(row.cells())
        sheet.rows = []
    return layout


def by_xlsxwriter(layout: Workbook, monkeypatch) -> bytes:
    """The public path, as the writer takes it outside the XlsxWriter releases its fast rows were built for:
    XlsxWriter's own worksheet, every cell and height through its public calls."""
    with monkeypatch.context() as m:
        m.setattr(writer, "FAST", False)
        return render(layout)


def by_xlsxwriter_cells(layout: Workbook, monkeypatch) -> bytes:
    """Independent of the writer's public path: the rows turned into cells before the writer sees them."""
    with monkeypatch.context() as m:
        m.setattr(writer, "FAST", False)
        return render(as_cells(layout))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def every_kind_of_row() -> Workbook:
    sheet = Sheet("Liste", protect=False)
    sheet.merges.append(Merge(0, 0, 0, 5, "Titel", "title"))
    for col, header in enumerate(["Tekst", "Tal", "Dato", "Sand", "Beløb", "Tom"]):
        sheet.put(2, col, header, "header")
        sheet.column_styles[col] = "wrap_border"
    sheet.put_row(3, ["Første række", 7, dt.date(2027, 3, 1), True, Formatted(1234.5, "#,##0.00 kr."), None],
                  ("wrap_border", "wrap_border", "date_cell", "wrap_border", "wrap_border", "wrap_border"))
    sheet.put_row(4, ["Anden", 0.125, dt.datetime(2027, 3, 1, 14, 30), False, None, ""],
                  ("wrap_border", "wrap_border", "date_cell", "wrap_border", None, None))
    sheet.put_row(5, [None, None, None, None, None, None], (None,) * 6)  # nothing written; its height is
    sheet.row_heights[5] = 30
    sheet.row_heights[6] = 41.5
    sheet.row_heights[45] = 12.75
    sheet.put_row(6, ["Første række", -3, dt.date(1900, 3, 1), "<&>\"'", "æøå 😀", "x" * 300],
                  ("wrap_border", "wrap_border", "date_cell", "wrap_border", "wrap_border", "wrap_border"))
    sheet.rows.append(type(sheet.rows[0])(45, ["forskudt", 1], ("wrap_border", "wrap_border"), first_col=3))
    for row in range(7, 40):  # more than one block of 16 rows, for the spans
        sheet.put_row(row, [f"Række {row}", row, None], ("wrap_border", "wrap_border", "wrap_border"))
    sheet.comments.append(Comment(8, 9, "En note uden for rækken"))
    sheet.tables.append(Table("Liste", 2, 0, 39, 5, ["Tekst", "Tal", "Dato", "Sand", "Beløb", "Tom"]))
    sheet.freeze = (3, 1)
    # a fixed creation time: two files written a moment apart must not differ by their docProps/core.xml
    return Workbook([sheet, Sheet("Andet", cells=[], protect=False)],
                    properties={"created": dt.datetime(2026, 3, 2, 9, 30)})


def test_every_kind_of_value_in_whole_rows_is_written_as_xlsxwriter_writes_it(monkeypatch):
    if not os.environ.get("XLPLAN_FLOORS"):  # the floors' XlsxWriter (tests/test_floors.py) takes the public path
        assert writer.FAST, f"XlsxWriter {xlsxwriter.__version__} is one the fast rows were built for"
    fast = parts(render(every_kind_of_row()))
    assert fast == parts(by_xlsxwriter(every_kind_of_row(), monkeypatch))
    assert fast == parts(by_xlsxwriter_cells(every_kind_of_row(), monkeypatch))


@pytest.mark.parametrize("version, fast", [("3.3.0", True), ("3.3.4", True), ("3.2.9", False), ("3.4.0", False),
                                           ("4.0.1", False)])
def test_the_fast_rows_are_taken_only_with_the_xlsxwriter_releases_they_were_built_for(version, fast):
    assert (writer.FAST_VERSIONS[0] <= writer._release(version) < writer.FAST_VERSIONS[1]) is fast


def test_the_management_workbook_is_written_as_xlsxwriter_writes_its_cells(sample_config, monkeypatch):
    result = consolidate([SAMPLES], sample_config, AS_OF)
    made = dt.datetime(2026, 6, 15, 12)
    layout = report_workbook(result, made)
    assert sum(len(s.rows) for s in layout.sheets) > 50
    fast = render(layout, release_cells=True)
    assert parts(fast) == parts(by_xlsxwriter(report_workbook(result, made), monkeypatch))


@pytest.mark.parametrize("value", [Formula("=1+1", 2), Link("Liste", "A1", "der"), float("nan"), float("inf"),
                                   dt.time(12, 0), b"bytes"], ids=repr)
@BOTH_PATHS
def test_a_whole_row_refuses_what_it_cannot_hold(value, fast, monkeypatch):
    monkeypatch.setattr(writer, "FAST", fast)
    sheet = Sheet("Liste", protect=False)
    sheet.put_row(0, ["tekst", value], ("wrap_border", "wrap_border"))
    with pytest.raises(LayoutError, match="Liste!B1"):
        render(Workbook([sheet]))


@BOTH_PATHS
def test_a_whole_row_that_also_has_cells_put_is_refused(fast, monkeypatch):
    monkeypatch.setattr(writer, "FAST", fast)
    sheet = Sheet("Liste", protect=False)
    sheet.put(0, 7, "for sig", "text")
    sheet.put_row(0, ["tekst"], ("wrap_border",))
    with pytest.raises(LayoutError, match="row 1 of Liste"):
        render(Workbook([sheet]))


@BOTH_PATHS
def test_a_text_longer_than_a_cell_holds_is_refused_in_a_whole_row(fast, monkeypatch):
    monkeypatch.setattr(writer, "FAST", fast)
    sheet = Sheet("Liste", protect=False)
    sheet.put_row(0, ["x" * 32768], ("wrap_border",))
    with pytest.raises(LayoutError, match="longer than a cell holds"):
        render(Workbook([sheet]))


@pytest.mark.parametrize("other", ["merge", "table"])
def test_a_table_over_a_merge_or_another_table_is_refused(other):
    """XlsxWriter finds these cell by cell; the writer, which keeps it from noting every cell of a table,
    checks them by their corners."""
    sheet = Sheet("Liste", protect=False)
    if other == "merge":
        sheet.merges.append(Merge(30, 0, 30, 3, "Midt i", "text"))
    else:
        sheet.tables.append(Table("Foer", 25, 2, 40, 4, ["a", "b", "c"]))
    sheet.tables.append(Table("Liste", 2, 0, 99, 3, ["a", "b", "c", "d"]))
    with pytest.raises(LayoutError, match="overlaps"):
        render(Workbook([sheet]))
