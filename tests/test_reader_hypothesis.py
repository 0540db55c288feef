"""Hypothesis for the reader: whatever text, numbers and dates a team types into a plan, it comes back."""
import datetime as dt
import re

from hypothesis import HealthCheck, given, settings, strategies as st

import fixtures
from xlplan.workbook.generate import render_workbook
from xlplan.reading.readback import read_team_workbook

ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n"}
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=ILLEGAL | {"\r"}),
                min_size=1, max_size=60).filter(lambda s: s.strip())
values = st.one_of(texts, st.integers(-10**6, 10**6), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))


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


# ---------------------------------------------------------------- the fast path is only a speed-up

# XML text as other programs write it: escaped markup, character references, CR LF line ends
_TOKENS = [*"ab æø\"'\r\n\t", "&amp;", "&lt;", "&gt;", "&#10;", "&#x41;", "&quot;", "\r\n"]
_xml_texts = st.lists(st.sampled_from(_TOKENS), max_size=6).map("".join)


def _escape(text: str) -> str:
    return text  # the tokens are already valid XML text


@st.composite
def _cell_xml(draw, ref: str, strings: int, plain: bool):
    kind = draw(st.sampled_from(["", "s", "n", "str", "b", "e", "inlineStr", "d"]))
    style = draw(st.sampled_from(["", "0", "1", "2"]))
    attrs = [f'r="{ref}"'] if plain or draw(st.integers(0, 5)) else []  # a reference is optional in the format
    order = draw(st.sampled_from(["st", "ts"]))
    for part in order:
        if part == "s" and style:
            attrs.append(f's="{style}"')
        if part == "t" and kind:
            attrs.append(f't="{kind}"')
    if not plain and draw(st.integers(0, 3)) == 0:
        attrs.append('cm="1"')
    body = ""
    formula = draw(st.sampled_from(["", "<f>1+1</f>", "<f/>", "<f>A1&amp;\"x\"</f>"]
                                   + ([] if plain else ['<f t="shared" si="0"/>'])))
    body += formula
    if kind == "inlineStr":
        body += draw(st.sampled_from(["", "<is></is>", f"<is><t>{_escape(draw(_xml_texts))}</t></is>",
                                      "<is><r><t>a</t></r><r><t xml:space=\"preserve\"> b</t></r></is>",
                                      "<is><t>x</t><rPh sb=\"0\" eb=\"1\"><t>y</t></rPh></is>", "<is><t/></is>"]))
    else:
        number = draw(st.integers(-1, strings + 1))
        if kind == "s" and strings and draw(st.booleans()):
            body += f"<v>{draw(st.integers(0, strings - 1))}</v>"  # an index into the shared strings
        else:
            body += draw(st.sampled_from(["", "<v/>", "<v></v>", f"<v>{number}</v>", "<v>46027.5</v>",
                                          f"<v>{_escape(draw(_xml_texts))}</v>", "<v>#N/A</v>", "<v>1</v>"]))
    if not body and draw(st.booleans()):
        return f"<c {' '.join(attrs)}/>"
    return f"<c {' '.join(attrs)}>{body}</c>"


@st.composite
def _sheet_xml(draw):
    strings = draw(st.lists(_xml_texts, max_size=4))
    plain = draw(st.booleans())  # only the shapes the one-pass pattern reads, or anything
    rows = []
    for r in range(1, draw(st.integers(0, 4)) + 1):
        cells = [draw(_cell_xml(f"{col}{r}", len(strings), plain)) for col in "ABC"[:draw(st.integers(0, 3))]]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    merges = draw(st.sampled_from(["", '<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>']))
    sheet = (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(rows)}</sheetData>{merges}</worksheet>')
    if not rows or draw(st.integers(0, 5)) == 0:
        sheet = sheet.replace("<sheetData></sheetData>", "<sheetData/>")
    if not plain and draw(st.integers(0, 5)) == 0:  # a comment holding what looks like a cell is no cell
        sheet = sheet.replace("<sheetData>", '<sheetData><!-- <c r="Z9"><v>9</v></c> -->')
    prefixes = "none" if plain else draw(st.sampled_from(["none", "none", "one cell", "every element"]))
    if prefixes == "one cell":  # a cell with a namespace prefix among plain ones
        sheet = sheet.replace('xmlns="', 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                         'xmlns="').replace("<c ", "<x:c ", 1).replace("</c>", "</x:c>", 1)
    if prefixes == "every element":  # every element with a namespace prefix, as some libraries write
        sheet = re.sub(r"<(/?)(\w+)", r"<\1x:\2", sheet).replace("xmlns=", "xmlns:x=")
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + "".join(f"<si><t>{_escape(s)}</t></si>" for s in strings) + "</sst>")
    return sheet, sst


STYLES_WITH_DATES = ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">'
                     '<numFmt numFmtId="164" formatCode="dd-mm-yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
                     '<xf numFmtId="164"/><xf numFmtId="14"/></cellXfs><dxfs count="1"><dxf><numFmt numFmtId="0" '
                     'formatCode="General"/></dxf></dxfs></styleSheet>')


@settings(max_examples=300, deadline=None)
@given(parts=_sheet_xml())
def test_fast_path_reads_any_cell_shape_as_the_full_parser_does(tmp_path_factory, parts):
    from test_xlsx_reader import _xlsx_with_sheet

    from xlplan.xlsx import reader as xlsx_reader
    sheet, sst = parts
    path = tmp_path_factory.mktemp("x") / "a.xlsx"
    path.write_bytes(_xlsx_with_sheet(sheet, STYLES_WITH_DATES, sst))
    outcomes = []
    for fast in (True, False):
        xlsx_reader.FAST = fast
        try:
            book = xlsx_reader.read_workbook(path)
            outcomes.append([(s.name, s.cells, sorted(s.merged)) for s in book.sheets])
        except xlsx_reader.ReadError as exc:
            outcomes.append(exc.kind)
        finally:
            xlsx_reader.FAST = True
    assert outcomes[0] == outcomes[1], sheet
