"""The streaming reader: values, dates, formulas, merged cells, sheet states; and refusals."""
import datetime as dt
import io
import zipfile

import pytest

from xlplan.core import schema
from xlplan.core.refs import cell
from xlplan.xlsx.reader import ReadError, read_workbook


def test_reads_a_generated_workbook(sample_workbooks):
    wb = read_workbook(sample_workbooks[0])
    assert [s.name for s in wb.sheets][:3] == ["Vejledning", "Oversigt", "Personer"]
    assert wb.sheet("xlplan").state == "veryHidden" and wb.sheet("Lister").state == "hidden"
    over = wb.sheet("Oversigt")
    assert over.value(3, 1) == "Familieteamet"
    assert (0, 0, 0, 5) in over.merged
    roles = wb.sheet("Roller")
    names, filled = schema.ROLES.index("navne"), schema.ROLES.index("besat")
    assert roles.cells[(5, filled)].formula.startswith(f"IF(LEN(TRIM({cell(5, names)}))")


def _xlsx_with_sheet(sheet_xml: str, styles: str = "", strings: str = "", date1904: bool = False,
                     workbook_pr: str = "", strict: bool = False) -> bytes:
    """A one-sheet workbook around `sheet_xml`; `strict` moves every part into the Strict namespaces."""
    workbook_pr = workbook_pr or ('<workbookPr date1904="1"/>' if date1904 else "")
    parts = {
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                           'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                           f'relationships">{workbook_pr}<sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets>'
                           '</workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      'relationships"><Relationship Id="rId1" Type="x" '
                                      'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml, "xl/styles.xml": styles, "xl/sharedStrings.xml": strings}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            if strict:
                data = data.replace("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                    "http://purl.oclc.org/ooxml/spreadsheetml/main").replace(
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships")
            if data:
                z.writestr(name, data)
    return buffer.getvalue()


SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>46027</v></c><c r="C1"><f>1+1</f><v>2</v></c>'
         '<c r="D1" t="inlineStr"><is><t>inline</t></is></c><c r="E1" t="e"><v>#N/A</v></c></row>'
         '<row><c t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c t="b"><v>1</v></c></row>'
         '</sheetData><mergeCells><mergeCell ref="A5:C6"/></mergeCells></worksheet>')
STYLES = ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>'
          '<numFmt numFmtId="164" formatCode="dd-mm-yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/>'
          '</cellXfs></styleSheet>')
STRINGS = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>Hej </t></r><r><t>du</t>'
           '</r><rPh><t>x</t></rPh></si></sst>')


def test_cell_types(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET, STYLES, STRINGS))
    sheet = read_workbook(path).sheet("A")
    assert sheet.value(0, 0) == "Hej du"
    assert sheet.value(0, 1) == dt.date(2026, 1, 5)
    assert sheet.cells[(0, 2)].formula == "1+1" and sheet.value(0, 2) == 2
    assert sheet.value(0, 3) == "inline"
    assert sheet.cells[(0, 4)].error == "#N/A"
    assert sheet.value(1, 0) == "ab" and sheet.value(1, 1) is True
    assert sheet.merged == [(4, 0, 5, 2)]


GENERAL_STYLES = STYLES.replace('<xf numFmtId="164"/>', '<xf numFmtId="0"/>')
OTHER_STRINGS = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Farvel</t></si></sst>'
SAME_CELLS = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" s="1"><v>46027</v></c><c r="B1" t="s"><f>A1</f><v>0</v></c>'
              '<c r="C1" t="inlineStr"><is><t>inline</t></is></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("styles, strings, date1904, number, text", [
    (STYLES, STRINGS, False, dt.date(2026, 1, 5), "Hej du"),
    (GENERAL_STYLES, STRINGS, False, 46027, "Hej du"),
    (STYLES, STRINGS, True, dt.date(1904, 1, 1) + dt.timedelta(days=46027), "Hej du"),  # ECMA-376 18.17.4.1
    (STYLES, OTHER_STRINGS, False, dt.date(2026, 1, 5), "Farvel")],
    ids=["date-style", "general-style", "1904", "other-strings"])
def test_the_same_cell_xml_in_workbooks_that_differ_around_it(tmp_path, styles, strings, date1904, number, text):
    """A process reads many workbooks and keeps the cells it has met: a number is a date only under this
    workbook's date styles and date system, a shared string is this workbook's."""
    for previous in [(STYLES, STRINGS, False), (GENERAL_STYLES, OTHER_STRINGS, True)]:  # read before, in any order
        (tmp_path / "before.xlsx").write_bytes(_xlsx_with_sheet(SAME_CELLS, *previous))
        read_workbook(tmp_path / "before.xlsx")
    path = tmp_path / "a.xlsx"
    path.write_bytes(_xlsx_with_sheet(SAME_CELLS, styles, strings, date1904))
    sheet = read_workbook(path).sheet("A")
    assert sheet.value(0, 0) == number
    assert (sheet.cells[(0, 1)].formula, sheet.value(0, 1)) == ("A1", text)
    assert sheet.value(0, 2) == "inline"


@pytest.mark.parametrize("content, kind", [
    (b"", "not_zip"),
    (b"Navn;Status\nA;B\n", "not_zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1500, "ole_broken"),
    (b"PK\x03\x04 truncated", "bad_zip"),
], ids=["empty", "csv", "compound-document-of-zeros", "truncated-zip"])
def test_refuses_what_is_not_a_workbook(tmp_path, content, kind):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_workbook(path)
    assert info.value.kind == kind


def test_refuses_any_dtd(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(_xlsx_with_sheet('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "b">]><worksheet/>'))
    with pytest.raises(ReadError) as info:
        read_workbook(path)
    assert info.value.kind == "dtd"


def test_a_damaged_part_is_refused_every_time_it_is_read(tmp_path):
    """Parts that recur byte for byte are read once per process; a damaged one is refused at each reading."""
    path = tmp_path / "x.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET, STYLES, workbook_pr="<workbookPr date1904=1/>"))
    for _ in range(2):
        with pytest.raises(ReadError) as info:
            read_workbook(path)
        assert info.value.kind == "bad_xml"


def test_long_cells_are_not_kept_from_file_to_file(tmp_path):
    """What a cell's XML holds is kept for the next workbooks a process reads, but not a long text: a
    hostile file's long cells would stay in memory after it."""
    from xlplan.xlsx import reader as xlsx_reader
    text = "lang tekst " * 500
    sheet = SAME_CELLS.replace("<t>inline</t>", f"<t>{text}</t>")
    path = tmp_path / "lang.xlsx"
    path.write_bytes(_xlsx_with_sheet(sheet, STYLES, STRINGS))
    assert read_workbook(path).sheet("A").value(0, 2) == text
    kept = [*xlsx_reader._OUTLINES, *xlsx_reader._TEXTS, *(key[0] for key in xlsx_reader._NUMBERS)]
    assert kept and max(map(len, kept)) < len(text)


def _all_workbooks(tmp_path, sample_workbooks):
    from paths import ROOT

    import fixtures
    from xlplan.workbook.generate import render_workbook
    paths = [*sample_workbooks, *(ROOT / "samples" / "returned").glob("*.xlsx"), *(ROOT / "templates" / "xlsx").glob("*.xlsx")]
    for name in ("formula_without_cached_value", "merged_purpose_over_two_rows", "values_pasted_over_dropdowns",
                 "formula_and_link_text_in_user_fields", "rows_inserted_deleted_and_blank_between"):
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(sample_workbooks[0].read_bytes())
        fixtures.edit(path, getattr(fixtures, name))
        paths.append(path)
    return paths


@pytest.mark.slow
def test_fast_path_reads_exactly_what_the_full_parser_reads(tmp_path, sample_workbooks, monkeypatch):
    """The regular-expression scan is a speed-up only: cells, merges, records and problems are the same."""
    from xlplan.xlsx import reader as xlsx_reader
    from xlplan.reading.readback import read_team_workbook

    for path in _all_workbooks(tmp_path, sample_workbooks):
        monkeypatch.setattr(xlsx_reader, "FAST", True)
        fast, fast_read = read_workbook(path), read_team_workbook(path)
        monkeypatch.setattr(xlsx_reader, "FAST", False)
        full, full_read = read_workbook(path), read_team_workbook(path)
        for a, b in zip(fast.sheets, full.sheets, strict=True):
            assert (a.name, a.state, a.cells, sorted(a.merged)) == (b.name, b.state, b.cells, sorted(b.merged)), \
                (path.name, a.name)
        assert list(fast_read.records()) == list(full_read.records()), path.name
        assert fast_read.problems == full_read.problems, path.name


@pytest.mark.parametrize("malformed", ['<xf numFmtId="&amp;bad;"/>', '<xf numFmtId="14x"/>', "<xf numFmtId='abc'/>"])
def test_a_style_whose_number_format_is_no_number_is_refused_as_expat_refuses_it(tmp_path, malformed):
    """The fast reader of the styles read numFmtId="&bad;" as the General format (0), so a date in that
    style became a number without a word; now such a part goes to the full parser, which refuses it."""
    styles = STYLES.replace('<xf numFmtId="164"/>', malformed)
    path = tmp_path / "stil.xlsx"
    path.write_bytes(_xlsx_with_sheet(SHEET, styles, STRINGS))
    with pytest.raises(ReadError):
        read_workbook(path)


def test_what_a_process_remembers_is_bounded_in_entries_and_in_size():
    """The reader's and the read-back's tables from file to file (core/remembered.py): full, they start
    again; a text larger than they keep is worked out each time and never kept."""
    from xlplan.core.remembered import Remembered, remembered

    kept = Remembered(3, 5)
    for i in range(7):
        kept.keep(i, str(i))
    assert len(kept) <= 3 and kept[6] == "6"
    assert kept.keep("long", "x" * 9, 9) == "x" * 9 and "long" not in kept
    calls = []

    @remembered(10, 5)
    def upper(text):
        calls.append(text)
        return text.upper()
    assert [upper("kort"), upper("kort"), upper("meget lang"), upper("meget lang")] == ["KORT", "KORT"] + ["MEGET LANG"] * 2
    assert calls == ["kort", "meget lang", "meget lang"] and len(upper.kept) == 1
