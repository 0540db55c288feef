"""Hypothesis for the reader: whatever text, numbers and dates a team types into a plan, it comes back."""
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import fixtures
from xlplan.workbook.generate import render_workbook
from xlplan.reading.readback import read_team_workbook

ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n"}
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=ILLEGAL | {"\r"}),
                min_size=1, max_size=60).filter(lambda s: s.strip())
values = st.one_of(texts, st.integers(-10**6, 10**6), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(texts, values, st.sampled_from(["Afsluttet", "I gang", "færdig", "??"])),
                     min_size=1, max_size=6))
def test_typed_rows_come_back(sample_config, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("h") / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5)))

    def fill(wb):
        ws = wb[fixtures.PLAN]
        h = fixtures.header_row(ws)
        for i, (activity, purpose, status) in enumerate(rows, h + 1):
            fixtures.write_row(ws, i, {1: purpose, 2: activity, 3: "Tina Holm", 15: status})
            ws.cell(row=i, column=2).data_type = "s"
            if isinstance(purpose, str):
                ws.cell(row=i, column=1).data_type = "s"  # typed text, even when it starts with "="

    fixtures.edit(path, fill)
    read = read_team_workbook(path)
    assert len(read.plan_rows) == len(rows)
    for record, (activity, purpose, status) in zip(read.plan_rows, rows):
        assert record.aktivitet == activity.strip()
        expected = purpose.strftime("%d-%m-%Y") if isinstance(purpose, dt.date) else str(purpose).strip()
        assert record.formaal == expected
        if status == "??":
            assert record.status is None
            assert any(p.code == "RB006" and p.cell == record.source.cell.replace("A", "O") for p in read.problems)
        else:
            assert record.status in ("Afsluttet", "I gang")


# ---------------------------------------------------------------- the year rule, in any order

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
          "december"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(months=st.lists(st.integers(1, 12), min_size=1, max_size=8))
def test_months_typed_without_a_year_run_on_in_reading_order_and_are_all_said(sample_config, tmp_path_factory,
                                                                               months):
    """Whatever months a team types without a year, in whatever order: each row is the first such month on or
    after the month of the row above (the first: on or after the plan's start, 05-01-2026), and each says
    so at its cell; past a year after the timeline's end (52 weeks: 03-01-2027) it asks for the year."""
    path = tmp_path_factory.mktemp("y") / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5)))

    def fill(wb):
        for i, month in enumerate(months):
            wb["Procesplan"].cell(row=8 + i, column=1, value=MONTHS[month - 1])
            wb["Procesplan"].cell(row=8 + i, column=4, value=f"Aktivitet {i + 1}")

    read = read_team_workbook(fixtures.edit(path, fill))
    expected, after = [], dt.date(2026, 1, 1)
    for month in months:
        year = after.year if month >= after.month else after.year + 1
        after = dt.date(year, month, 1)
        expected.append(after)
    assert [r.start for r in read.process_rows] == expected
    said = {p.cell: p.code for p in read.problems if p.code in ("RB050", "RB051")}
    assert said == {f"A{8 + i}": "RB051" if day > dt.date(2028, 1, 3) else "RB050" for i, day in enumerate(expected)}


# ---------------------------------------------------------------- the fast path is only a speed-up

# XML text as other programs write it: escaped markup, character references, CR LF line ends, and Excel's
# _xHHHH_ escapes (a carriage return, an escaped underscore, a letter, a surrogate pair, a surrogate alone)
_TOKENS = [*"ab æø\"'\r\n\t_²", "&amp;", "&lt;", "&gt;", "&#10;", "&#x41;", "&quot;", "\r\n", "_x000D_", "_x005F_",
           "_x0041_", "_xD83D__xDE00_", "_xd83d_", "x0041_"]
_xml_texts = st.lists(st.sampled_from(_TOKENS), max_size=6).map("".join)
# what a t="d" cell holds: ISO 8601 dates and date-times (ECMA-376 Part 1, 18.17.4), and text that is none
_ISO_TEXTS = ["2026-09-01T00:00:00", "2026-09-01", "2026-09-01T11:45:30", "2026-09-01T11:45:30.125", "2026-02-30",
              "11:45:00", "1900-02-28", "9999-12-31T23:59:59.999", "9999-12-31T23:59:59.9996", "２０２６-09-01"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@st.composite
def _cell_xml(draw, ref: str, strings: int, plain: bool):
    """One cell. `plain`: only forms the fast path reads (the test checks that it does)."""
    kind = draw(st.sampled_from(["", "s", "n", "str", "b", "e", "inlineStr", "d"]))
    style = draw(st.sampled_from(["", "0", "1", "2"]))
    attrs = [f'r="{ref}"'] if plain or draw(st.integers(0, 5)) else []  # a reference is optional in the format
    order = draw(st.sampled_from(["st", "ts"]))
    for part in order:
        if part == "s" and style:
            attrs.append(f's="{style}"')
        if part == "t" and kind:
            attrs.append(f't="{kind}"')
    metadata = draw(st.sampled_from(["", "", "", 'cm="1"', 'vm="2"', 'cm="1" vm="1"', 'ph="1"']))
    if metadata and not plain and draw(st.integers(0, 2)) == 0:
        attrs.insert(1, metadata)  # before s and t: the fast path steps aside
    elif metadata:  # cell metadata, as Excel writes it for dynamic arrays and rich values
        attrs.append(metadata)
    body = [draw(st.sampled_from(["", "<f>1+1</f>", "<f/>", "<f>A1&amp;\"x\"</f>", '<f aca="false">2*3</f>',
                                  '<f t="shared" ref="A1:A3" si="0">B1</f>', '<f t="shared" si="0"/>']))]
    if kind == "inlineStr":
        body.append(draw(st.sampled_from(["", "<is></is>", f"<is><t>{draw(_xml_texts)}</t></is>",
                                          "<is><r><t>a</t></r><r><t xml:space=\"preserve\"> b</t></r></is>",
                                          "<is><t>x</t><rPh sb=\"0\" eb=\"1\"><t>y</t></rPh></is>", "<is><t/></is>"])))
    else:
        number = draw(st.integers(-1, strings + 1))
        if kind == "s" and strings and draw(st.booleans()):
            text = str(draw(st.integers(0, strings - 1)))  # an index into the shared strings
        elif kind == "d":
            text = draw(st.sampled_from(_ISO_TEXTS))
        else:
            text = draw(st.sampled_from(["", str(number), "46027.5", "46083.4895833333", "59", "60", "61", "0.5",
                                         "2958465.9999999995",
                                         draw(_xml_texts), "#N/A", "1"]))
        body.append(draw(st.sampled_from(["", "<v/>", "<v />", f"<v>{text}</v>",
                                          f'<v xml:space="preserve">{text}</v>'])))
    spacing = draw(st.sampled_from(["", "", "\n  "]))  # pretty-printed, as some libraries write
    inner = spacing.join(part for part in body if part)
    if not inner and draw(st.booleans()):
        return f"<c {' '.join(attrs)}/>"
    return f"<c {' '.join(attrs)}>{inner}</c>"


@st.composite
def _sheet_xml(draw):
    strings = draw(st.lists(_xml_texts, max_size=4))
    plain = draw(st.booleans())  # only the forms the fast path reads, or anything
    rows = []
    for r in range(1, draw(st.integers(0, 4)) + 1):
        cells = [draw(_cell_xml(f"{col}{r}", len(strings), plain)) for col in "ABC"[:draw(st.integers(0, 3))]]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    merges = draw(st.sampled_from(["", '<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>',
                                   '<mergeCells count="2"><mergeCell ref="R:R"/><mergeCell ref="$3:$4"/>'
                                   '</mergeCells>']))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData>{merges}</worksheet>'
    if not rows or draw(st.integers(0, 5)) == 0:
        sheet = sheet.replace("<sheetData></sheetData>", "<sheetData/>")
    broken = "none" if plain else draw(st.sampled_from(["none"] * 6 + ["mismatched end tag", "cell left open"]))
    if broken == "mismatched end tag":  # the counterexample: <c r="A2" cm="1"></x:c>
        sheet = sheet.replace(f'xmlns="{MAIN}"', f'xmlns="{MAIN}" xmlns:x="{MAIN}"').replace(
            "</row>", '<c r="Z9" cm="1"></x:c></row>', 1)
    if broken == "cell left open":
        sheet = sheet.replace("</row>", '<c r="Z9"><v>1</v></row>', 1)
    if not plain and draw(st.integers(0, 5)) == 0:  # a comment holding what looks like a cell is no cell
        sheet = sheet.replace("<sheetData>", '<sheetData><!-- <c r="Z9"><v>9</v></c> -->')
    prefixes = draw(st.sampled_from(["none", "none", "every element"] + ([] if plain else ["one cell"])))
    if prefixes == "one cell":  # a cell with a namespace prefix among plain ones
        if "xmlns:x=" not in sheet:
            sheet = sheet.replace('xmlns="', f'xmlns:x="{MAIN}" xmlns="')
        sheet = sheet.replace("<c ", "<x:c ", 1).replace("</c>", "</x:c>", 1)
    if prefixes == "every element":  # every element with a namespace prefix, as some libraries write
        sheet = _prefixed(sheet, draw(st.sampled_from(["x", "ns2", "main"])))
    items = []
    for text in strings:
        items.append(draw(st.sampled_from([f"<si><t>{text}</t></si>", f'<si><t xml:space="preserve">{text}</t></si>',
                                           f"<si><r><t>{text}</t></r><r><rPr><b/></rPr><t>!</t></r></si>",
                                           f'<si><t>{text}</t><rPh sb="0" eb="1"><t>y</t></rPh></si>'])))
    sst = f'<sst xmlns="{MAIN}">' + "".join(items) + "</sst>"
    if draw(st.booleans()):  # .NET and Java libraries write <ns2:sst xmlns:ns2="…">
        sst = _prefixed(sst, draw(st.sampled_from(["x", "ns2"])))
    return sheet, sst, plain


def _prefixed(xml: str, prefix: str) -> str:
    xml = re.sub(r"<(/?)([A-Za-z]\w*)", rf"<\1{prefix}:\2", xml)
    if f"xmlns:{prefix}=" in xml:  # bound already: the default namespace goes
        return re.sub(r' xmlns="[^"]*"', "", xml, count=1)
    return xml.replace("xmlns=", f"xmlns:{prefix}=", 1)


STYLES_WITH_DATES = ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">'
                     '<numFmt numFmtId="164" formatCode="dd-mm-yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
                     '<xf numFmtId="164"/><xf numFmtId="14"/></cellXfs><dxfs count="1"><dxf><numFmt numFmtId="0" '
                     'formatCode="General"/></dxf></dxfs></styleSheet>')
WORKBOOK_PROPERTIES = ["", '<workbookPr date1904="1"/>', '<workbookPr dateCompatibility="0"/>']


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(parts=_sheet_xml(), strict=st.booleans(), workbook_pr=st.sampled_from(WORKBOOK_PROPERTIES))
def test_fast_path_reads_any_cell_shape_as_the_full_parser_does(tmp_path_factory, parts, strict, workbook_pr):
    """Both paths give the same cells or the same refusal; the forms the fast path knows never reach expat."""
    from test_xlsx_reader import _xlsx_with_sheet

    from xlplan.xlsx import reader as xlsx_reader
    sheet, sst, plain = parts
    path = tmp_path_factory.mktemp("x") / "a.xlsx"
    path.write_bytes(_xlsx_with_sheet(sheet, STYLES_WITH_DATES, sst, workbook_pr=workbook_pr, strict=strict))
    outcomes, full_parser = [], []
    original_sheet, original_strings = xlsx_reader._Reader._sheet, xlsx_reader._scan_shared_strings

    def sheet_by_expat(*args):
        full_parser.append("sheet")
        return original_sheet(*args)

    def strings(data):
        found = original_strings(data)
        if found is None:
            full_parser.append("shared strings")
        return found

    for fast in (True, False):
        xlsx_reader.FAST = fast
        xlsx_reader._Reader._sheet, xlsx_reader._scan_shared_strings = sheet_by_expat, strings
        try:
            book = xlsx_reader.read_workbook(path)
            outcomes.append([(s.name, s.cells, sorted(s.merged)) for s in book.sheets])
        except xlsx_reader.ReadError as exc:
            outcomes.append(exc.kind)
        finally:
            xlsx_reader.FAST = True
            xlsx_reader._Reader._sheet, xlsx_reader._scan_shared_strings = original_sheet, original_strings
        if fast and plain:
            assert not full_parser, f"a form the fast path reads went to expat: {full_parser}"
    assert outcomes[0] == outcomes[1], sheet
