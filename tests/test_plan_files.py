"""Plan files as people save them (issue 18): other encodings than UTF-8, TOML syntax errors in Danish,
start dates the workbooks cannot show, plans with thousands of mistakes, names too long for a page header."""
import ast
import datetime as dt
import inspect
import sys
import tomllib._parser
from importlib import resources

import openpyxl
import pytest

from xlplan.core.config import danish_toml_message, load_config, parse_config, start_range, texts
from xlplan.core.errors import XlplanError
from xlplan.reading.files import read_inputs
from xlplan.workbook.generate import generate_team_workbooks

EXAMPLE = resources.files("xlplan.data").joinpath("plan.eksempel.toml").read_text(encoding="utf-8")
DANISH = EXAMPLE.replace("Eksempel Kommune", "Ishøj Kommune").replace("Team Syd", "Børne- og ungeteamet")


def problems_of(call, *args):
    with pytest.raises(XlplanError) as info:
        call(*args)
    return info.value.problems


# ---------------------------------------------------------------- TOML syntax, in Danish

def _tomllib_messages() -> list[str]:
    """Every message the running Python's TOML parser can give, read from its source; a part that varies
    (an f-string's value) as tomllib shows it: a key as a tuple, a character as its repr."""
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(tomllib._parser))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "suffixed_err":
            message = node.args[2]
            if isinstance(message, ast.Constant):
                found.append(message.value)
            elif isinstance(message, ast.JoinedStr):
                found.append("".join(v.value if isinstance(v, ast.Constant) else "('team',)" if "key" in ast.unparse(v)
                                     else "'x'" for v in message.values))
    return found


def test_every_message_of_the_toml_parser_has_a_danish_explanation():
    messages = _tomllib_messages()
    assert len(messages) >= 20
    unknown = texts()["toml"]["ukendt"]
    missing = [m for m in messages if danish_toml_message(m) == unknown]
    assert not missing, missing


@pytest.mark.parametrize("line, danish", [
    ('metode = ics', "tekst skal stå i anførselstegn"),
    ('metode = "ics', "ikke afsluttet med anførselstegn"),
    ('metode = ["ics", "ffb"', "liste er ikke lukket"),
    ('startdato = 2026-13-01', "der står mere efter værdien"),
])
def test_a_syntax_error_says_in_danish_what_is_wrong_with_its_line_and_key(line, danish):
    text = EXAMPLE.replace('metode = "ics"', line) if "metode" in line else \
        EXAMPLE.replace("startdato = 2027-01-04", line)
    [p] = problems_of(parse_config, text, "plan.toml")
    number = text.splitlines().index(line) + 1
    assert p.code == "CFG002" and p.line == number and p.key == line.split()[0]
    assert danish in p.message and f"(ved '{p.key}')" in p.message
    assert not any(word in str(p) for word in ("Invalid", "Unclosed", "Expected", "line", "column"))


def test_a_windows_path_in_a_text_is_explained():
    [p] = problems_of(parse_config, EXAMPLE.replace('adgangskode = ""', 'adgangskode = "C:\\Mappe"'), "plan.toml")
    assert p.code == "CFG002" and "Windows-sti" in p.message and p.key == "adgangskode"


# ---------------------------------------------------------------- encodings

def test_a_plan_saved_in_windows_ansi_is_refused_at_its_first_line_with_other_characters(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(DANISH.encode("cp1252"))
    [p] = problems_of(load_config, path)
    first = next(i for i, line in enumerate(DANISH.splitlines(), 1) if not line.isascii())
    assert p.code == "CFG013" and p.line == first and "UTF-8" in p.fix
    assert DANISH.splitlines()[first - 1].strip() in p.message  # shown as the user wrote it


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_plan_saved_with_a_byte_order_mark_is_converted_with_a_notice(tmp_path, encoding):
    path = tmp_path / "plan.toml"
    data = DANISH.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    config = load_config(path)
    utf8 = tmp_path / "utf8.toml"
    utf8.write_text(DANISH, encoding="utf-8")
    assert config == load_config(utf8) and config.municipality == "Ishøj Kommune"
    assert [n.code for n in config.notices] == ["CFG014"]


def test_a_plan_in_utf16_without_byte_order_mark_is_refused(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(DANISH.encode("utf-16-le"))
    assert [p.code for p in problems_of(load_config, path)] == ["CFG015"]


def test_utf8_with_byte_order_mark_is_read_as_it_is(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(b"\xef\xbb\xbf" + DANISH.encode("utf-8"))
    config = load_config(path)
    assert config.municipality == "Ishøj Kommune" and not config.notices


# ---------------------------------------------------------------- start dates

@pytest.mark.parametrize("start", ["9999-12-27", "0001-01-01", "1900-03-04", "2201-01-01"])
def test_a_start_date_the_workbooks_cannot_show_is_refused(start):
    [p] = problems_of(parse_config, EXAMPLE.replace("startdato = 2027-01-04", f"startdato = {start}"))
    assert p.code == "CFG016" and p.line == 19 and "05-03-1900" in p.fix and "31-12-2200" in p.fix


@pytest.mark.slow
@pytest.mark.parametrize("which", [0, 1], ids=["første", "sidste"])
def test_workbooks_from_the_first_and_the_last_start_date_pass_their_own_check(tmp_path, which):
    start = start_range()[which]
    config = parse_config(EXAMPLE.replace("startdato = 2027-01-04", f"startdato = {start.isoformat()}")
                          .replace("tidslinje_uger = 52", "tidslinje_uger = 260").replace('"Kvartalsvis"', '"Årlig"'))
    written = generate_team_workbooks(config, tmp_path)
    reads, notices = read_inputs([w.path for w in written], summary=True)
    errors = [str(p) for r in reads for p in r.problems if p.is_error] + [str(n) for n in notices if n.is_error]
    assert not errors
    sheet = openpyxl.load_workbook(written[0].path)["Procesplan"]
    shown = [c.value for row in sheet.iter_rows(max_row=12) for c in row if isinstance(c.value, dt.datetime)]
    assert shown and min(shown).date() >= dt.date(1900, 3, 1)


# ---------------------------------------------------------------- many mistakes

def _lines_run_in_config(text: str) -> int:
    """How many lines of xlplan/core/config.py run while `text` is parsed: a measure of work that does not
    depend on the machine's speed."""
    import xlplan.core.config as config_module

    count = 0
    target = config_module.__file__

    def trace(frame, event, _arg):
        nonlocal count
        if frame.f_code.co_filename != target:
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        with pytest.raises(XlplanError):
            parse_config(text)
    finally:
        sys.settrace(None)
    return count


def test_error_reporting_grows_linearly_with_the_plans_size():
    def plan(n):
        return EXAMPLE + "\n" + "\n".join(f"ukendt{i} = 1" for i in range(n)) + "\n"

    small, large = _lines_run_in_config(plan(500)), _lines_run_in_config(plan(2000))
    assert large < 4.4 * small, (small, large)  # four times the mistakes, about four times the work (not 16)


# ---------------------------------------------------------------- names too long for a page header

def test_a_name_too_long_for_the_page_header_is_shortened_with_a_notice(tmp_path):
    long_team = ("Team Nord " + "med et meget langt navn " * 12).strip()
    config = parse_config(EXAMPLE.replace('navn = "Team Nord"', f'navn = "{long_team}"')
                          .replace('team = "Team Nord"', 'team = "Alle"'))
    written = generate_team_workbooks(config, tmp_path)
    nord = next(w for w in written if w.team == long_team)
    [notice] = nord.notices
    assert notice.code == "GEN005" and notice.file == nord.path.name and "255" in notice.message
    assert not next(w for w in written if w.team == "Team Syd").notices
    book = openpyxl.load_workbook(nord.path)  # an independent reader: the header is there, within the limit
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            left = sheet.oddHeader.left.text
            assert left.startswith("Eksempel Kommune – Team Nord med et meget") and left.endswith("…")
            assert len(sheet.oddHeader.left.text) + len(sheet.oddHeader.center.text or "") < 255


def test_a_municipality_too_long_for_the_management_workbook_header_is_shortened_with_a_notice(tmp_path):
    from paths import ROOT
    from xlplan.reporting.run import write_report

    long_name = "Kommune " * 40
    config = parse_config(EXAMPLE.replace("Eksempel Kommune", long_name))
    out = tmp_path / "samlet.xlsx"
    report = write_report([ROOT / "samples" / "returned"], out, config, dt.date(2026, 6, 15), history_path=None)
    assert [n.code for n in report.notices] == ["GEN005"]
    assert openpyxl.load_workbook(out).worksheets[0].oddHeader.left.text.startswith("Kommune Kommune")


def test_the_writer_refuses_a_header_excel_would_drop():
    from xlplan.xlsx.model import PrintSetup, Sheet, Workbook
    from xlplan.xlsx.writer import LayoutError, render

    sheet = Sheet("Ark", print_setup=PrintSetup(header="&L" + "x" * 300))
    with pytest.raises(LayoutError):
        render(Workbook([sheet]))
