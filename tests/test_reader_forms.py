"""The forms other programs write a workbook in: each read as what it holds (openpyxl reads the original as
the second, independent reader), by both the fast path and the full parser."""
import datetime as dt
import zipfile

import openpyxl
from openpyxl.styles.numbers import is_datetime
import pytest
import xlsxwriter

import fixtures
import forms
from test_xlsx_reader import STYLES, _xlsx_with_sheet
from xlplan.xlsx import reader as xlsx_reader
from xlplan.workbook.generate import render_workbook
from xlplan.reading.readback import read_team_workbook
from xlplan.xlsx.reader import read_workbook

EXCEL_DAY_ZERO = dt.date(1899, 12, 31)  # serial 0 in the 1900 system: Excel shows it as 00-01-1900


@pytest.fixture(scope="module")
def generated(sample_config, tmp_path_factory):
    """A generated team workbook as XlsxWriter writes it: shared strings, styles, formulas with cached values."""
    path = tmp_path_factory.mktemp("forms") / "generated.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5)))
    return path


@pytest.fixture(scope="module")
def filled(generated, tmp_path_factory):
    """The same workbook with plan rows typed in, saved by openpyxl (dates are real date cells)."""
    path = tmp_path_factory.mktemp("forms") / "filled.xlsx"
    path.write_bytes(generated.read_bytes())
    return fixtures.edit(path, fixtures.filled_plan_rows)


def openpyxl_cells(path) -> dict[str, dict[tuple[int, int], object]]:
    """Every non-empty cell's value (a formula's cached value) as openpyxl reads it, in xlplan's conventions:
    a date without a time is a date, a time under a date format lies on Excel's day 0, and a time format
    shows the time of day alone (Excel shows 1.5 under h:mm as 12:00)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    result = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if is_datetime(cell.number_format) == "time" and isinstance(value, dt.datetime):
                    value = value.time()  # a time format shows the time of day alone, whatever the day
                elif isinstance(value, dt.time) and is_datetime(cell.number_format) != "time":
                    value = dt.datetime.combine(EXCEL_DAY_ZERO, value)
                if isinstance(value, dt.datetime) and value.time() == dt.time():
                    value = value.date()
                if value not in (None, ""):
                    cells[(cell.row - 1, cell.column - 1)] = value
        result[ws.title] = cells
    return result


def xlplan_cells(path, fast: bool = True) -> dict[str, dict[tuple[int, int], object]]:
    previous, xlsx_reader.FAST = xlsx_reader.FAST, fast
    try:
        book = read_workbook(path)
    finally:
        xlsx_reader.FAST = previous
    return {sheet.name: {position: cell.error or cell.value for position, cell in sheet.cells.items()
                         if (cell.error or cell.value) not in (None, "")} for sheet in book.sheets}


def assert_reads_as(path, original):
    """Both paths read `path` as openpyxl reads `original`."""
    expected = openpyxl_cells(original)
    for fast in (True, False):
        found = xlplan_cells(path, fast)
        assert found.keys() == expected.keys()
        for title in expected:
            assert found[title] == expected[title], (title, "fast" if fast else "expat")


@pytest.mark.slow
def test_the_generated_workbook_reads_as_openpyxl_reads_it(generated, filled):
    assert_reads_as(generated, generated)
    assert_reads_as(filled, filled)


@pytest.mark.slow
def test_shared_strings_with_another_namespace_prefix_keep_every_text(generated, tmp_path):
    for prefix in (b"ns2", b"x", b"main"):
        path = forms.shared_strings_with_prefix(generated, tmp_path / f"{prefix.decode()}.xlsx", prefix)
        assert_reads_as(path, generated)


def test_cached_value_marked_space_preserve_is_kept(generated, tmp_path):
    path = forms.cached_values_with_space_preserved(generated, tmp_path / "space.xlsx")
    assert_reads_as(path, generated)


def test_part_names_in_another_case_than_their_targets_are_found(generated, tmp_path):
    path = forms.part_names_in_other_case(generated, tmp_path / "case.xlsx")
    assert_reads_as(path, generated)


@pytest.mark.slow
def test_strict_open_xml_workbook_reads_like_its_transitional_original(filled, tmp_path):
    path = forms.strict_open_xml(filled, tmp_path / filled.name)
    assert_reads_as(path, filled)
    strict, transitional = read_team_workbook(path), read_team_workbook(filled)
    assert list(strict.records()) and list(strict.records()) == list(transitional.records())
    assert [p.code for p in strict.problems] == [p.code for p in transitional.problems]


@pytest.mark.slow
def test_iso_date_cells_are_dates(filled, tmp_path):
    """openpyxl with iso_dates writes every date as t="d" ISO 8601 text; they are the dates typed."""
    path = tmp_path / "iso.xlsx"
    path.write_bytes(filled.read_bytes())
    fixtures.edit(path, lambda wb: setattr(wb, "iso_dates", True))
    with zipfile.ZipFile(path) as z:
        assert any(b't="d"' in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert_reads_as(path, filled)
    plan = read_team_workbook(path).plan_rows[0]
    assert (plan.start.start, plan.slut.end) == (dt.date(2026, 2, 2), dt.date(2026, 3, 27))


SHEET_WITH = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
              '{}</row></sheetData></worksheet>').format


@pytest.mark.parametrize("text, expected", [
    ("2026-09-01T00:00:00", dt.date(2026, 9, 1)),
    ("2026-09-01", dt.date(2026, 9, 1)),
    ("2026-09-01T11:45:00", dt.datetime(2026, 9, 1, 11, 45)),
    ("2026-09-01T11:45:30.250", dt.datetime(2026, 9, 1, 11, 45, 30, 250_000)),
    ("2026-02-30", "2026-02-30"),  # no such day: the text stays, for the reader of records to report
    ("11:45:00", dt.time(11, 45)),  # a time of day alone (18.17.4.3), as Excel shows it
    ("T08:00", dt.time(8, 0)),
    ("11:45:30.2504", dt.time(11, 45, 30, 250_000)),
    ("24:00:00", "24:00:00"), ("23:59:59.9996", "23:59:59.9996"),  # no time of day: the text stays, to be reported
    ("2026-09-01T11:45:30.2500000001", dt.datetime(2026, 9, 1, 11, 45, 30, 250_000)),  # Strict: more than nine digits
    ("2026-09-01T11:45:30." + "1" * 5000, dt.datetime(2026, 9, 1, 11, 45, 30, 111_000)),
    ("9999-12-31T23:59:59.9996", "9999-12-31T23:59:59.9996"),  # rounds past the last day
])
def test_iso_date_cell_forms(tmp_path, text, expected):
    """ECMA-376 Part 1, 18.17.4: dates, times and date-times; the 1904 setting does not move them."""
    path = tmp_path / "d.xlsx"
    for date1904 in (False, True):
        path.write_bytes(_xlsx_with_sheet(SHEET_WITH(f'<c r="A1" t="d"><v>{text}</v></c>'), STYLES,
                                          date1904=date1904))
        for fast in (True, False):
            assert xlplan_cells(path, fast)["A"] == {(0, 0): expected}


@pytest.mark.slow
def test_whole_column_and_whole_row_merges_are_read(filled, tmp_path):
    path = forms.whole_column_and_row_merges(filled, tmp_path / filled.name, fixtures.PLAN)
    for fast in (True, False):
        assert xlplan_cells(path, fast) == openpyxl_cells(filled)
        xlsx_reader.FAST = fast
        try:
            merged = read_workbook(path).sheet(fixtures.PLAN).merged
        finally:
            xlsx_reader.FAST = True
        assert {(0, 17, 1_048_575, 17), (59, 0, 59, 16_383)} <= set(merged)  # R:R and 60:60, to the edges
    read, original = read_team_workbook(path), read_team_workbook(filled)
    assert not [p for p in read.problems if p.code.startswith("RD")]
    assert list(read.records()) == list(original.records())


@pytest.mark.slow
def test_time_of_day_is_rounded_not_truncated(filled, tmp_path):
    """LibreOffice stores 02-03-2026 11:45 as 46083.4895833333; cutting the fraction off read it as 11:44:59."""
    path = tmp_path / "time.xlsx"
    path.write_bytes(filled.read_bytes())
    moments = [dt.datetime(2026, 3, 2, 11, 45), dt.datetime(2026, 3, 2, 8, 0, 1), dt.datetime(2026, 12, 31, 23, 59, 59)]

    def typed(wb):
        ws = wb[fixtures.PLAN]
        for row, moment in enumerate(moments, 30):
            ws.cell(row=row, column=20, value=moment)

    fixtures.edit(path, typed)
    path = forms.numbers_with_15_significant_digits(path, tmp_path / "15 digits.xlsx")
    for fast in (True, False):
        cells = xlplan_cells(path, fast)[fixtures.PLAN]
        assert [cells[(row, 19)] for row in range(29, 32)] == moments


@pytest.mark.parametrize("serial, expected", [
    (1, dt.date(1900, 1, 1)), (2, dt.date(1900, 1, 2)), (59, dt.date(1900, 2, 28)),
    (60, 60),  # Excel's 29-02-1900, a day that never was: the number stays, no date is guessed
    (61, dt.date(1900, 3, 1)), (46027, dt.date(2026, 1, 5)), (0.5, dt.datetime(1899, 12, 31, 12)),
    (2958465.9999999995, 2958465.9999999995),  # rounds past 31-12-9999: the number stays
])
def test_1900_date_system_with_excels_leap_year(tmp_path, serial, expected):
    """ECMA-376 Part 1, 18.17.4.1: the 1900 backward-compatibility date base counts 29-02-1900 as a day."""
    path = tmp_path / "s.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET_WITH(f'<c r="A1" s="1"><v>{serial}</v></c>'), STYLES))
    for fast in (True, False):
        assert xlplan_cells(path, fast)["A"] == {(0, 0): expected}


@pytest.mark.parametrize("serial, expected", [
    (0, dt.date(1904, 1, 1)), (1, dt.date(1904, 1, 2)), (60, dt.date(1904, 3, 1)), (44565, dt.date(2026, 1, 5)),
])
def test_1904_date_system(tmp_path, serial, expected):
    path = tmp_path / "s.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET_WITH(f'<c r="A1" s="1"><v>{serial}</v></c>'), STYLES, date1904=True))
    for fast in (True, False):
        assert xlplan_cells(path, fast)["A"] == {(0, 0): expected}


@pytest.mark.parametrize("serial, expected", [
    (1, dt.date(1899, 12, 31)), (2, dt.date(1900, 1, 1)), (60, dt.date(1900, 2, 28)), (61, dt.date(1900, 3, 1)),
])
def test_1900_date_system_without_the_leap_year_when_the_workbook_says_so(tmp_path, serial, expected):
    """workbookPr dateCompatibility="0" (ISO/IEC 29500:2008 onwards): serial 0 is 30-12-1899 and 1900 has no
    29 February; LibreOffice reads it the same way."""
    path = tmp_path / "s.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET_WITH(f'<c r="A1" s="1"><v>{serial}</v></c>'), STYLES,
                                      workbook_pr='<workbookPr dateCompatibility="0"/>'))
    for fast in (True, False):
        assert xlplan_cells(path, fast)["A"] == {(0, 0): expected}


TYPED = ["Linje 1\r\nLinje 2", "kode_x0041_ som skrevet", "_x005F_", "tab\tog\x01styretegn"]


@pytest.mark.parametrize("inline", [False, True], ids=["shared-strings", "inline-strings"])
def test_text_written_with_excels_escapes_reads_as_typed(tmp_path, inline):
    """Excel and XlsxWriter write CR as _x000D_ and a literal '_x0041_' as '_x005F_x0041_' (ECMA-376 Part 1,
    22.9.2.19 ST_Xstring); XlsxWriter writes inline strings in constant-memory mode."""
    path = tmp_path / "escapes.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    sheet = book.add_worksheet("A")
    for row, text in enumerate(TYPED):
        sheet.write_string(row, 0, text)
    book.close()
    with zipfile.ZipFile(path) as z:
        assert b"_x000D_" in b"".join(z.read(n) for n in z.namelist())
    for fast in (True, False):
        cells = xlplan_cells(path, fast)["A"]
        assert [cells[(row, 0)] for row in range(len(TYPED))] == TYPED


def test_a_formulas_text_result_is_read_with_excels_escapes(tmp_path):
    """A formula's cached text is an ST_Xstring too: Excel writes =A1&CHAR(13)&A2's carriage return as
    _x000D_ and a typed '_x0041_' as '_x005F_x0041_'."""
    path = tmp_path / "formeltekst.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET_WITH('<c r="A1" t="str"><f>A2&amp;CHAR(13)&amp;A3</f><v>Linje 1_x000D_Linje 2</v></c>'
                                       '<c r="B1" t="str"><f>C1</f><v>kode_x005F_x0041_ som skrevet</v></c>')))
    for fast in (True, False):
        assert xlplan_cells(path, fast)["A"] == {(0, 0): "Linje 1\rLinje 2", (0, 1): "kode_x0041_ som skrevet"}


def test_xlplans_own_formula_texts_read_back_as_written(tmp_path):
    """XlsxWriter writes a formula's cached text as it is given; xlplan's writer escapes it first, so that
    a text that looks like an escape, or holds a carriage return, reads back as it was."""
    from xlplan.xlsx.model import Formula, Sheet, Workbook
    from xlplan.xlsx.writer import render

    sheet = Sheet(name="A", protect=False)
    for row, text in enumerate(TYPED):
        sheet.put(row, 0, Formula('="x"', text), "text")
    path = tmp_path / "formler.xlsx"
    path.write_bytes(render(Workbook([sheet])))
    for fast in (True, False):
        cells = xlplan_cells(path, fast)["A"]
        assert [cells[(row, 0)] for row in range(len(TYPED))] == TYPED


def test_mismatched_cell_close_tag_is_refused_by_both_paths(tmp_path):
    """<c r="A2" cm="1"></x:c> is not well-formed XML: the fast path once read past it while expat refused."""
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
             '<row r="2"><c r="A2" cm="1"></x:c></row></sheetData></worksheet>')
    path = tmp_path / "m.xlsx"
    path.write_bytes(_xlsx_with_sheet(sheet))
    for fast in (True, False):
        with pytest.raises(xlsx_reader.ReadError) as info:
            xlplan_cells(path, fast)
        assert info.value.kind == "bad_xml"


def test_cell_left_open_is_refused_by_both_paths(tmp_path):
    sheet = SHEET_WITH('<c r="A1"><v>1</v><c r="B1"><v>2</v></c>')
    path = tmp_path / "open.xlsx"
    path.write_bytes(_xlsx_with_sheet(sheet))
    for fast in (True, False):
        with pytest.raises(xlsx_reader.ReadError):
            xlplan_cells(path, fast)



@pytest.mark.slow
def test_the_forms_programs_write_are_read_by_the_fast_path(generated, filled, tmp_path, monkeypatch):
    """The fast path is the hot path for a thousand workbooks: what XlsxWriter, openpyxl, LibreOffice and
    Excel write, in every form above, never falls back to expat."""
    from paths import ROOT

    paths = [generated, filled, *(ROOT / "samples" / "returned").glob("*.xlsx"),
             *(ROOT / "templates" / "xlsx").glob("*.xlsx"),
             forms.shared_strings_with_prefix(generated, tmp_path / "prefix.xlsx"),
             forms.cached_values_with_space_preserved(generated, tmp_path / "space.xlsx"),
             forms.part_names_in_other_case(generated, tmp_path / "case.xlsx"),
             forms.strict_open_xml(filled, tmp_path / "strict.xlsx"),
             forms.numbers_with_15_significant_digits(filled, tmp_path / "digits.xlsx"),
             forms.whole_column_and_row_merges(filled, tmp_path / "merges.xlsx", fixtures.PLAN)]
    iso = tmp_path / "iso.xlsx"
    iso.write_bytes(filled.read_bytes())
    paths.append(fixtures.edit(iso, lambda wb: setattr(wb, "iso_dates", True)))
    fell_back = []
    original_sheet, original_strings, original_styles = (xlsx_reader._Reader._sheet, xlsx_reader._scan_shared_strings,
                                                          xlsx_reader._scan_date_styles)

    def sheet_by_expat(reader, data, sheet, *args):
        fell_back.append(sheet.name)
        return original_sheet(reader, data, sheet, *args)

    def strings(data):
        found = original_strings(data)
        if found is None:
            fell_back.append("sharedStrings")
        return found

    def styles(data):
        found = original_styles(data)
        if found is None:
            fell_back.append("styles")
        return found

    monkeypatch.setattr(xlsx_reader._Reader, "_sheet", sheet_by_expat)
    monkeypatch.setattr(xlsx_reader, "_scan_shared_strings", strings)
    monkeypatch.setattr(xlsx_reader, "_scan_date_styles", styles)
    for path in paths:
        read_workbook(path)
        assert not fell_back, (path.name, fell_back)


def test_a_cell_with_an_empty_style_attribute_has_the_default_style(tmp_path):
    """s="" (as some programs write it) is the default style, s="0": the number stays a number."""
    path = tmp_path / "empty-style.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET_WITH('<c r="A1" s=""><v>46027</v></c><c r="B1" s="" t="s"><v>0</v></c>'),
                                      STYLES, '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                              '<si><t>Hej</t></si></sst>'))
    for fast in (True, False):
        assert xlplan_cells(path, fast)["A"] == {(0, 0): 46027, (0, 1): "Hej"}


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
BOOK = (f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets>{}</sheets></workbook>').format
BOOK_RELS = f'<Relationships xmlns="{RELS}">{{}}</Relationships>'.format
ONE_CELL = SHEET_WITH('<c r="A1" t="inlineStr"><is><t>læst</t></is></c>')


def _package(path, parts: dict[str, str]):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_zip_entries_named_with_backslashes_are_the_parts(tmp_path):
    """Some Windows tools write the zip's names with '\\' (xl\\workbook.xml); Excel, openpyxl and calamine
    open such a file, and so does xlplan."""
    path = _package(tmp_path / "backslash.xlsx", {
        "xl\\workbook.xml": BOOK('<sheet name="A" sheetId="1" r:id="rId1"/>'),
        "xl\\_rels\\workbook.xml.rels": BOOK_RELS('<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/>'),
        "xl\\worksheets\\sheet1.xml": ONE_CELL})
    for fast in (True, False):
        assert xlplan_cells(path, fast) == {"A": {(0, 0): "læst"}}


OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def test_the_workbook_part_is_found_through_the_package_relationships(tmp_path):
    """The package's officeDocument relationship may name any part (ECMA-376 Part 2, 9.3): not only
    xl/workbook.xml; its sheets and shared strings are found relative to it."""
    path = _package(tmp_path / "elsewhere.xlsx", {
        "_rels/.rels": BOOK_RELS(f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="/excel/bog.xml"/>'),
        "excel/bog.xml": BOOK('<sheet name="A" sheetId="1" r:id="rId1"/>'),
        "excel/_rels/bog.xml.rels": BOOK_RELS('<Relationship Id="rId1" Type="x" Target="ark/a.xml"/>'),
        "excel/ark/a.xml": SHEET_WITH('<c r="A1" t="s"><v>0</v></c>'),
        "excel/sharedStrings.xml": f'<sst xmlns="{MAIN}"><si><t>delt</t></si></sst>'})
    for fast in (True, False):
        assert xlplan_cells(path, fast) == {"A": {(0, 0): "delt"}}


def test_a_package_whose_main_part_is_no_workbook_is_refused(tmp_path):
    """A Word document named .xlsx: its officeDocument is a document, not a workbook."""
    path = _package(tmp_path / "dokument.xlsx", {
        "_rels/.rels": BOOK_RELS(f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="word/document.xml"/>'),
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'})
    with pytest.raises(xlsx_reader.ReadError) as info:
        read_workbook(path)
    assert info.value.kind == "not_xlsx"


def test_a_sheet_listed_without_its_part_is_skipped_and_the_others_are_read(tmp_path):
    """Excel keeps a legacy macro sheet in the workbook's list of sheets; a reader that finds no part for
    it skips it, as openpyxl and calamine do."""
    path = _package(tmp_path / "makroark.xlsx", {
        "xl/workbook.xml": BOOK('<sheet name="Makro1" sheetId="1" r:id="rId1"/><sheet name="A" sheetId="2" r:id="rId2"/>'
                                '<sheet name="B" sheetId="3" r:id="rId3"/>'),
        "xl/_rels/workbook.xml.rels": BOOK_RELS('<Relationship Id="rId1" Type="x" Target="macrosheets/sheet1.xml"/>'
                                                '<Relationship Id="rId2" Type="x" Target="worksheets/sheet1.xml"/>'),
        "xl/worksheets/sheet1.xml": ONE_CELL})
    for fast in (True, False):
        previous, xlsx_reader.FAST = xlsx_reader.FAST, fast
        try:
            book = read_workbook(path)
        finally:
            xlsx_reader.FAST = previous
        assert [s.name for s in book.sheets] == ["A"] and book.sheet("A").value(0, 0) == "læst"
        assert book.missing == ["Makro1", "B"]


def test_a_team_workbook_with_a_sheet_listed_without_its_part_is_read_with_a_notice(generated, tmp_path):
    path = tmp_path / "makroark.xlsx"
    with zipfile.ZipFile(generated) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"</sheets>", b'<sheet name="Makro1" sheetId="99" r:id="rId999"/></sheets>')
            target.writestr(item, data)
    read, original = read_team_workbook(path, display_name=generated.name), read_team_workbook(generated)
    assert read.readable and list(read.records()) == list(original.records())
    [notice] = [p for p in read.problems if p.code == "RB047"]
    assert notice.sheet == "Makro1" and "'Makro1'" in notice.message and notice.severity.value == "info"
    assert [p.code for p in read.problems if p.code != "RB047"] == [p.code for p in original.problems]


TIME_STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="[h]:mm"/>'
               '<numFmt numFmtId="165" formatCode="[mm]:ss"/><numFmt numFmtId="166" formatCode="h"/>'
               '<numFmt numFmtId="167" formatCode="s"/><numFmt numFmtId="168" formatCode="h:mm"/>'
               '<numFmt numFmtId="169" formatCode="[$-406]d. mmmm yyyy h:mm"/></numFmts><cellXfs><xf numFmtId="0"/>'
               '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="168"/>'
               '<xf numFmtId="46"/><xf numFmtId="20"/><xf numFmtId="169"/></cellXfs></styleSheet>')


@pytest.mark.parametrize("style, serial, expected, text", [
    (1, 1.5, dt.timedelta(hours=36), "36:00"),  # [h]:mm counts elapsed hours: Excel shows 36:00
    (2, 0.0125, dt.timedelta(minutes=18), "0:18"),  # [mm]:ss: Excel shows 18:00, elapsed minutes
    (3, 0.75, dt.time(18), "18:00"),  # h: Excel shows 18
    (4, 1 / 86400, dt.time(0, 0, 1), "00:00:01"),  # s: Excel shows 1
    (5, 1.5, dt.time(12), "12:00"),  # h:mm shows the time of day, not the day: 12:00
    (6, 1.5, dt.timedelta(hours=36), "36:00"),  # built-in 46, [h]:mm:ss
    (7, 0.5, dt.time(12), "12:00"),  # built-in 20, h:mm
    (8, 46083.75, dt.datetime(2026, 3, 2, 18), "02-03-2026 18:00"),  # a date with its time stays a date-time
])
def test_times_and_durations_are_read_as_excel_shows_them(tmp_path, style, serial, expected, text):
    """A number under a time format is the time of day Excel shows; under an elapsed format ([h], [mm],
    [ss]: ECMA-376 Part 1, 18.8.31) a duration. As text (messages, extra columns) a time is hh:mm and a
    duration hours:minutes, with the seconds when there are any, whatever the format's own layout."""
    from xlplan.reading.readback import shown

    path = tmp_path / "tider.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET_WITH(f'<c r="A1" s="{style}"><v>{serial!r}</v></c>'), TIME_STYLES))
    for fast in (True, False):
        assert xlplan_cells(path, fast)["A"] == {(0, 0): expected}
    assert shown(expected) == text


def test_a_time_and_a_duration_in_the_teams_own_column_read_as_excel_shows_them(generated, tmp_path):
    """Mødetid 11:45 (hh:mm) and Timer 36:00 ([h]:mm) beside the plan: their text is what the team sees,
    not 31-12-1899 11:45 and 01-01-1900 12:00."""
    path = tmp_path / "tider.xlsx"
    path.write_bytes(generated.read_bytes())

    def typed(wb):
        fixtures.filled_plan_rows(wb)
        ws = wb[fixtures.PLAN]
        h = fixtures.header_row(ws)
        ws.cell(row=h, column=17, value="Mødetid")
        ws.cell(row=h, column=18, value="Timer")
        ws.cell(row=h + 1, column=17, value=dt.time(11, 45)).number_format = "hh:mm"
        ws.cell(row=h + 1, column=18, value=dt.timedelta(hours=36)).number_format = "[h]:mm"

    fixtures.edit(path, typed)
    [first, _second] = read_team_workbook(path).plan_rows
    assert (first.extra["Mødetid"], first.extra["Timer"]) == ("11:45", "36:00")
