"""Generated team workbooks, read back with openpyxl: sheets, dropdowns, help, protection, print setup."""
import warnings

import pytest

from xlplan.core import content, schema
from xlplan.core.config import parse_config
from xlplan.core.refs import cell
from xlplan.workbook.generate import generate_team_workbooks, render_workbook, team_file_names
from xlplan.workbook import plan as plan_layout
from xlplan.workbook.workbook import build_workbook

from workbook_helpers import column_of, load, metadata, source, texts, validation_at, validations

EXPECTED_SHEETS = ["Vejledning", "Oversigt", "Personer", "1. Fælles faglig forståelse", "2. Inddragelse af barnet",
                   "3. Ledelsesmæssig opfølgning", "Procesplan", "Fase 1 Forbered", "Fase 2 Igangsæt", "Fase 3 Fasthold",
                   "Fase 4 Genbesøg", "Roller", "Risikolog", "Lister", "xlplan"]


@pytest.fixture(scope="module")
def wb(sample_workbooks):
    return load(sample_workbooks[0])


def test_one_workbook_per_team_with_safe_names(sample_workbooks):
    assert [p.name for p in sample_workbooks] == [
        "Ishøj Kommune - Familieteamet.xlsx", "Ishøj Kommune - Børne- og ungeteamet.xlsx",
        "Ishøj Kommune - Familieplejen.xlsx"]


def test_sheets_in_order_and_hidden_ones(wb):
    assert wb.sheetnames == EXPECTED_SHEETS
    assert wb["Lister"].sheet_state == "hidden"
    assert wb["xlplan"].sheet_state == "veryHidden"
    assert all(wb[n].sheet_state == "visible" for n in EXPECTED_SHEETS[:-2])
    assert all(len(n) <= 31 for n in wb.sheetnames)


def test_metadata_lets_the_reader_recognise_the_workbook(wb, sample_config):
    meta = metadata(wb)
    assert meta["schema"] == "xlplan-projektmappe"
    assert meta["template_id"] == "ics+ffb"
    assert meta["template_version"] == str(content.template_version())
    assert meta["team"] == "Familieteamet" and meta["kommune"] == "Ishøj Kommune"
    assert meta["config_hash"] == sample_config.config_hash
    assert meta["generated"][:4].isdigit()
    assert meta["sheet:plan:1"] == "1. Fælles faglig forståelse"
    assert meta["sheet:fase:3"] == "Fase 3 Fasthold"


def test_every_dropdown_reads_from_a_range_never_an_inline_list(wb):
    count = 0
    for ws in wb.worksheets:
        for dv in validations(ws):
            if dv.type == "list":
                count += len(dv.sqref.ranges)
                assert source(wb, dv).startswith(("'Lister'!", "Lister!", "'Personer'!", "Personer!")), dv.formula1
                assert '"' not in dv.formula1
    assert count > 50


def test_status_dropdown_with_error_alert(wb):
    ws = wb["1. Fælles faglig forståelse"]
    rows = plan_layout.plan_layout_rows()
    header = rows["header"] + 1
    status = column_of(ws, header, "Status")
    dv = validation_at(ws, f"{status}{header + 1}")
    assert dv.type == "list" and dv.showErrorMessage and dv.errorStyle in (None, "stop")
    values = [c.value for c in wb["Lister"][source(wb, dv).split("!")[1].replace("$", "").split(":")[0][0]]][1:]
    assert [v for v in values if v] == list(content.value_lists()["aktivitetsstatus"].values)


def test_responsible_dropdown_lists_the_teams_people_and_allows_others(wb):
    ws = wb["1. Fælles faglig forståelse"]
    header = plan_layout.plan_layout_rows()["header"] + 1
    col = column_of(ws, header, "Ansvarlig")
    dv = validation_at(ws, f"{col}{header + 1}")
    assert source(wb, dv).startswith("'Personer'!") and dv.errorStyle == "warning"
    people = [r[0].value for r in wb["Personer"].iter_rows(min_row=6, max_col=1) if r[0].value]
    assert people == ["Flemming Nielsen", "Tina Holm", "Jonas Krogh"]


def test_plan_sheet_fields_help_and_room_to_grow(wb):
    ws = wb["1. Fælles faglig forståelse"]
    rows = plan_layout.plan_layout_rows()
    header = rows["header"] + 1
    headers = [c.value for c in ws[header] if c.value]
    assert headers == ["Formål", "Aktivitet", "Ansvarlig", "Start", "Slut", "Delmål", "Delmål-dato", "S", "M", "A", "R",
                       "T", "Mål", "Mål-dato", "Status", "Bemærkning"]
    assert ws["A4"].value == "Sigtepunkt" and ws["B4"].value == "Fælles faglig forståelse af ICS"
    assert ws["B5"].value.startswith("Medarbejderne anvender ICS")
    formaal = validation_at(ws, f"A{header + 1}")
    assert "Hvad peger rapporten fra barometermålingen på?" in formaal.prompt
    delmaal = validation_at(ws, f"{column_of(ws, header, 'Delmål')}{header + 1}")
    assert "3, 6, 9 og 12 måneder" in delmaal.prompt
    assert rows["last"] - rows["first"] + 1 >= 3
    all_text = texts(ws)
    assert "Opfølgning" in all_text and "Hvem er ansvarlig for opfølgning og formidling?" in all_text
    assert "SMART-tjek af delmålet" in all_text


def test_dates_are_formatted_and_validated(wb):
    ws = wb["1. Fælles faglig forståelse"]
    header = plan_layout.plan_layout_rows()["header"] + 1
    start = column_of(ws, header, "Start")
    cell = ws[f"{start}{header + 1}"]
    assert cell.number_format == "dd-mm-yyyy"
    dv = validation_at(ws, cell.coordinate)
    assert dv.type == "date" and dv.operator in (None, "between")  # OOXML's default operator is between


def test_input_cells_unlocked_structure_protected(wb):
    ws = wb["1. Fælles faglig forståelse"]
    header = plan_layout.plan_layout_rows()["header"] + 1
    assert ws.protection.sheet is True and not ws.protection.password
    assert ws.protection.insertRows is False  # False means "not protected": rows may be inserted
    assert ws[f"A{header + 1}"].protection.locked is False
    assert ws[f"A{header}"].protection.locked is True


def test_print_setup_and_frozen_headers(wb):
    for name in ["1. Fælles faglig forståelse", "Procesplan", "Fase 1 Forbered", "Roller", "Risikolog"]:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize in (9, "9"), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None), name
        assert ws.print_title_rows, name
        assert "Familieteamet" in ws.oddHeader.left.text and "&P" in ws.oddFooter.right.text, name
        assert ws.freeze_panes, name


def test_phase_sheets_hold_every_criterion_with_status(wb):
    for phase in content.phases():
        ws = wb[f"Fase {phase.id} {phase.short}"]
        ids = [r[0].value for r in ws.iter_rows(min_row=6, max_col=1)
               if isinstance(r[0].value, str) and r[0].value[:1].isdigit() and " " not in r[0].value]
        assert ids == [c.id for c in phase.criteria]
        statuses = [r[2].value for r in ws.iter_rows(min_row=6, max_col=3) if r[0].value in ids]
        assert statuses == ["Ikke påbegyndt"] * len(ids)
        all_text = texts(ws)
        for d in phase.dimensions:
            assert any(d.content[0] in t for t in all_text), "Indhold text beside the criteria"
        assert ws.conditional_formatting, "status colours"


def test_roles_and_risk_log(wb):
    roles = wb["Roller"]
    names = [r[1].value for r in roles.iter_rows(min_row=6, max_col=2) if r[1].value]
    assert names == [r.name for r in content.roles()]
    names, filled = (cell(5, schema.ROLES.index(k)) for k in ("navne", "besat"))
    assert roles[filled].value.startswith(f"=IF(LEN(TRIM({names}))")
    risk = wb["Risikolog"]
    assert [c.value for c in risk[5]][:5] == ["Nr.", "Risiko", "Sandsynlighed (1-5)", "Konsekvens (1-5)", "Score"]
    assert risk["E6"].value.startswith("=IF(AND(ISNUMBER(C6)")


def test_overview_has_live_progress_formulas(wb):
    ws = wb["Oversigt"]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any("'Fase 1 Forbered'!" in f and "Opfyldt" in f for f in formulas)
    assert any("'1. Fælles faglig forståelse'!" in f for f in formulas)
    phase = validation_at(ws, "B7")
    assert phase is not None and source(wb, phase).startswith("'Lister'!")


def test_vejledning_is_personal(wb):
    text = "\n".join(texts(wb["Vejledning"]))
    assert "Familieteamet i Ishøj Kommune" in text
    assert "Flemming Nielsen (flemming.nielsen@ishoj.dk)" in text
    assert "Planen starter 05-01-2026" in text
    assert "Hvem skal informeres? (Herunder medarbejdere, chefer, samarbejdsparter)." in text


def test_document_properties(wb):
    assert wb.properties.title == "ICS-implementeringsplan + FFB-implementering – Familieteamet"
    assert wb.properties.creator == "Flemming Nielsen"


HOSTILE = """\
kommune = "=HYPERLINK(\\"http://evil.example\\",\\"klik\\")"
metode = "styringsgrundlag"
startdato = 2026-01-05
[[team]]
navn = "+cmd|' /C calc'!A0"
kontaktperson = "http://evil.example"
[[person]]
navn = "@SUM(1+1)"
team = "Alle"
[[sigtepunkt]]
navn = "-2+3"
"""


def test_user_text_never_becomes_a_formula_or_link(tmp_path):
    config = parse_config(HOSTILE.replace("styringsgrundlag", "ics"))
    [written] = generate_team_workbooks(config, tmp_path)
    wb = load(written.path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert "HYPERLINK" not in c.value and "cmd" not in c.value, (ws.title, c.coordinate)
                assert c.hyperlink is None
    assert wb["Oversigt"]["B5"].value == '=HYPERLINK("http://evil.example","klik")'
    assert wb["Oversigt"]["B5"].data_type == "s"
    assert wb["Personer"]["A6"].value == "@SUM(1+1)" and wb["Personer"]["A6"].data_type == "s"


@pytest.mark.slow
def test_any_number_of_focus_points_and_clashing_names(tmp_path):
    points = "".join(f'[[sigtepunkt]]\nnavn = "Oversigt"\n' for _ in range(7))
    config = parse_config(HOSTILE.split("[[sigtepunkt]]")[0].replace("styringsgrundlag", "ics") + points)
    wb = load(generate_team_workbooks(config, tmp_path)[0].path)
    assert wb.sheetnames[:3] == ["Vejledning", "Oversigt", "Personer"]
    assert len([n for n in wb.sheetnames if n.startswith(tuple("1234567"))]) == 7


def test_styringsgrundlag_preset(tmp_path):
    config = parse_config(HOSTILE)
    wb = load(generate_team_workbooks(config, tmp_path)[0].path)
    assert "Trin" in wb.sheetnames and "Rolle og ansvar" in wb.sheetnames
    steps = [r[1].value for r in wb["Trin"].iter_rows(min_row=6, max_col=2) if r[1].value]
    assert steps == [s.name for s in content.steering()["steps"]]
    phase = wb["Lister"]
    assert any(isinstance(c.value, str) and c.value.startswith("Trin 1: ") for c in texts_cells(phase))


def texts_cells(ws):
    return [c for row in ws.iter_rows() for c in row]


def test_xlsxwriter_emits_no_warning(sample_config):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render_workbook(sample_config, sample_config.teams[0])


@pytest.mark.slow
def test_refuses_to_overwrite_without_permission(sample_config, tmp_path):
    from xlplan.core.errors import XlplanError
    generate_team_workbooks(sample_config, tmp_path)
    with pytest.raises(XlplanError) as info:
        generate_team_workbooks(sample_config, tmp_path)
    assert {p.code for p in info.value.problems} == {"OUT002"}
    generate_team_workbooks(sample_config, tmp_path, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(team_file_names(sample_config))


def test_layout_is_pure_and_deterministic(sample_config):
    import datetime as dt
    when = dt.datetime(2026, 1, 5, 9, 0)
    a = render_workbook(sample_config, sample_config.teams[1], when)
    b = render_workbook(sample_config, sample_config.teams[1], when)
    assert a == b
    assert build_workbook(sample_config, sample_config.teams[1], when).sheet("Procesplan").freeze


def test_one_validation_per_rule_over_all_its_cells(wb, sample_config):
    """The same rule on many rows is written once, over several ranges; no cell has two rules, so merging
    cannot change which rule a cell gets."""
    layout = build_workbook(sample_config, sample_config.teams[0])
    for sheet in layout.sheets:
        covered = set()
        for v in sheet.validations:
            cells = {(r, c) for r in range(v.first_row, v.last_row + 1) for c in range(v.first_col, v.last_col + 1)}
            assert not cells & covered, sheet.name
            covered |= cells
    phase = wb["Fase 1 Forbered"]
    layout_sheet = layout.sheet("Fase 1 Forbered")
    assert len(validations(phase)) < len(layout_sheet.validations) / 5
    for v in layout_sheet.validations:  # every cell keeps its rule
        ref = f"{chr(65 + v.first_col)}{v.first_row + 1}"
        assert validation_at(phase, ref).type == {"any": None}.get(v.kind, v.kind), ref


def test_phase_sheets_show_the_phases_kendetegn_above_the_checklist(wb):
    # Seed 002, each phase's page "Kendetegn", e.g. "I forandringens første fase handler det i høj grad om ..."
    for phase in content.phases():
        ws = wb[f"Fase {phase.id} {phase.short}"]
        column_a = [r[0].value for r in ws.iter_rows(min_row=1, max_col=1)]
        header = column_a.index("Nr.")
        assert column_a[header + 1] == "Kendetegn", phase.name
        assert column_a[header + 2].startswith(f"Fra guiden: I forandringens {'første anden tredje fjerde'.split()[int(phase.id) - 1]} fase")
        assert column_a[header + 3] == f"{phase.id}.1 Ressourcer og planlægning"
        height = ws.row_dimensions[header + 3].height
        assert height is not None and 60 < height <= 409, "the whole text shows, within Excel's row height limit"


def test_roles_sheet_shows_the_guides_attention_points(wb):
    roles = wb["Roller"]
    header = [c.value for c in roles[5]]
    assert header[:6] == ["Niveau", "Rolle", "Varetages typisk af", "Formål", "Opmærksomhedspunkter",
                          "Typiske arbejdsopgaver"]
    attention = header.index("Opmærksomhedspunkter") + 1
    # Seed 002, Forandringsagent: "Det er særligt vigtigt at være opmærksom på forandringsagentens dobbeltrolle ..."
    agent = next(r for r in range(6, 13) if roles.cell(row=r, column=2).value == "Forandringsagent")
    assert roles.cell(row=agent, column=attention).value.startswith(
        "Det er særligt vigtigt at være opmærksom på forandringsagentens dobbeltrolle i en implementering.")


def _overview_follow_up(config, made):
    import datetime as dt
    import io
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(config, config.teams[0], made)))
    [value] = [row[1].value for row in book["Oversigt"].iter_rows(max_col=2) if row[0].value == "Næste opfølgning"]
    guide = "\n".join(texts(book["Vejledning"]))
    return (value.date() if isinstance(value, dt.datetime) else value), guide


@pytest.mark.parametrize("start, rhythm, made, expected, guide_dates", [
    # The case: a monthly plan from 02-03-2026, the workbook made on 07-12-2026. The follow-ups
    # fall on the 2nd of each month; 02-12-2026 has passed, so the next is 02-01-2027.
    ("2026-03-02", "Månedlig", (2026, 12, 7), (2027, 1, 2), ["02-01-2027", "02-02-2027", "02-03-2027", "02-04-2027"]),
    # Made on a follow-up day: that day is the next follow-up.
    ("2026-03-02", "Månedlig", (2026, 12, 2), (2026, 12, 2), ["02-12-2026", "02-01-2027"]),
    # A plan that starts after the workbook is made: its first follow-up, a rhythm after the start.
    ("2027-01-04", "Kvartalsvis", (2026, 12, 7), (2027, 4, 4), ["04-04-2027", "04-07-2027"]),
])
def test_next_follow_up_is_never_in_the_past(sample_config, start, rhythm, made, expected, guide_dates):
    import dataclasses
    import datetime as dt
    config = dataclasses.replace(sample_config, start=dt.date.fromisoformat(start), rhythm=rhythm)
    value, guide = _overview_follow_up(config, dt.datetime(*made, 10))
    assert value == dt.date(*expected)
    assert "de næste opfølgninger er " + ", ".join(guide_dates) in guide
