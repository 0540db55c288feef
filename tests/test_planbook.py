"""The plan as a workbook (plan.xlsx): `xlplan init plan.xlsx`, the same plan as plan.toml, the same checks,
and Danish errors that name the sheet and the cell. Edits are made with openpyxl (a second writer) and,
in the LibreOffice test, typed into cells as a person does."""
import datetime as dt
import shutil
from importlib import resources

import openpyxl
import pytest
from click.testing import CliRunner

from paths import ROOT
from xlplan.cli import main
from xlplan.core.config import load_config, parse_config
from xlplan.core.errors import XlplanError
from xlplan.workbook.generate import generate_team_workbooks
from xlplan.workbook.planbook import load_plan, write_example_plan

EXAMPLE_TOML = resources.files("xlplan.data").joinpath("plan.eksempel.toml").read_text(encoding="utf-8")


@pytest.fixture
def plan_xlsx(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_example_plan(path)
    return path


def edit(path, changes):
    """Set (sheet, cell) -> value with openpyxl and save (validations it cannot keep do not matter here)."""
    book = openpyxl.load_workbook(path)
    for (sheet, ref), value in changes.items():
        book[sheet][ref] = value
    book.save(path)


def problems(path):
    with pytest.raises(XlplanError) as info:
        load_plan(path)
    return info.value.problems


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_init_writes_the_example_plan_as_a_workbook_that_reads_as_the_toml_does(tmp_path):
    path = tmp_path / "plan.xlsx"
    result = run("init", path)
    assert result.exit_code == 0 and "xlplan ny" in result.output
    assert load_plan(path) == parse_config(EXAMPLE_TOML)  # the same plan, to its fingerprint


def test_the_plan_workbook_has_dropdowns_help_and_tables(plan_xlsx):
    book = openpyxl.load_workbook(plan_xlsx)
    assert book.sheetnames == ["Plan", "Teams", "Personer", "Sigtepunkter", "Lister"]
    assert book["Lister"].sheet_state == "hidden"
    plan = book["Plan"]
    labels = {plan.cell(row, 1).value: row for row in range(1, 30) if plan.cell(row, 1).value}
    lists = {str(v.sqref): v.formula1 for v in plan.data_validations.dataValidation if v.type == "list"}
    for label in ("Metode", "Opfølgningsrytme", "Beskyt arkene"):
        assert f"B{labels[label]}" in lists and "Lister" in lists[f"B{labels[label]}"]
    dates = [v for v in plan.data_validations.dataValidation if v.type == "date"]
    assert [str(v.sqref) for v in dates] == [f"B{labels['Startdato']}"]
    assert all(v.prompt for v in plan.data_validations.dataValidation)  # every field has its help text
    methods = [c.value for c in book["Lister"]["A"] if c.value]
    assert "ICS" in methods and "ICS + FFB" in methods and len(methods) == 7
    people = book["Personer"]
    assert [people.cell(4, c).value for c in (1, 2, 3)] == ["Navn", "Rolle", "Team"]
    team_lists = [v for v in people.data_validations.dataValidation if v.type == "list"]
    assert team_lists and "C5" in str(team_lists[0].sqref) and "Lister" in team_lists[0].formula1
    assert book["Lister"]["D1"].value == "Alle" and book["Lister"]["D2"].value.startswith("=IF(")
    assert [c.value for c in book["Teams"][5]][:1] == ["Team Nord"]


def test_ny_and_saml_take_plan_xlsx(plan_xlsx, tmp_path):
    result = run("ny", plan_xlsx, "-o", tmp_path / "mapper")
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (tmp_path / "mapper").iterdir())
    assert made == ["Eksempel Kommune - Team Nord.xlsx", "Eksempel Kommune - Team Syd.xlsx"]
    result = run("saml", tmp_path / "mapper", "-o", tmp_path / "s.xlsx", "--plan", plan_xlsx, "--uden-historik")
    assert result.exit_code == 0 and "Team Nord" in result.output and "Team Syd" in result.output


@pytest.mark.parametrize("changes, code, sheet, cell", [
    ({("Plan", "B6"): "Lean"}, "CFG005", "Plan", "B6"),
    ({("Plan", "B5"): None}, "CFG020", "Plan", "B5"),
    ({("Plan", "B8"): "31-02-2026"}, "CFG021", "Plan", "B8"),
    ({("Plan", "B8"): "01-01-1800"}, "CFG016", "Plan", "B8"),
    ({("Plan", "B8"): dt.datetime(2300, 1, 1)}, "CFG016", "Plan", "B8"),
    ({("Plan", "B9"): "Ugentlig"}, "CFG010", "Plan", "B9"),
    ({("Plan", "B10"): 400}, "CFG021", "Plan", "B10"),
    ({("Plan", "B11"): "Måske"}, "CFG021", "Plan", "B11"),
    ({("Teams", "A6"): "team nord", ("Personer", "C7"): "Alle"}, "CFG007", "Teams", "A6"),
    ({("Personer", "C6"): "Team Vest"}, "CFG025", "Personer", "C6"),
    ({("Personer", "A6"): None}, "CFG020", "Personer", "A6"),
    ({("Teams", "A5"): None, ("Teams", "B5"): None, ("Teams", "C5"): None, ("Teams", "A6"): None,
      ("Teams", "B6"): None, ("Personer", "C6"): "Alle", ("Personer", "C7"): "Alle"}, "CFG026", "Teams", None),
])
def test_a_mistake_is_reported_in_danish_at_its_sheet_and_cell(plan_xlsx, changes, code, sheet, cell):
    edit(plan_xlsx, changes)
    [p] = problems(plan_xlsx)
    assert (p.code, p.sheet, p.cell) == (code, sheet, cell), str(p)
    assert p.file == str(plan_xlsx)
    if cell:
        assert f"ark '{sheet}', celle {cell}: [{code}]" in str(p)


def test_the_cli_shows_the_sheet_and_cell(plan_xlsx, tmp_path):
    edit(plan_xlsx, {("Plan", "B6"): "Lean"})
    result = run("ny", plan_xlsx, "-o", tmp_path / "ud")
    assert result.exit_code == 2
    assert f"{plan_xlsx}, ark 'Plan', celle B6: [CFG005] Ukendt metode 'Lean'." in result.output
    assert "ICS + FFB" in result.output and not (tmp_path / "ud").exists()


def test_several_methods_a_date_typed_as_text_and_numbers_as_text_are_read(plan_xlsx):
    edit(plan_xlsx, {("Plan", "B6"): "FFB + ICS", ("Plan", "B8"): "5-1-2026", ("Plan", "B10"): "26",
                     ("Plan", "B11"): "nej", ("Plan", "B7"): "plan, procesplan"})
    config = load_plan(plan_xlsx)
    assert config.methods == ("ffb", "ics") and config.start == dt.date(2026, 1, 5)
    assert config.timeline_weeks == 26 and config.protect is False and config.sections == ("plan", "procesplan")


def test_a_value_outside_the_plan_is_a_warning_at_its_cell(plan_xlsx):
    edit(plan_xlsx, {("Teams", "E5"): "husk at ringe", ("Plan", "A20"): "Noter"})
    config = load_plan(plan_xlsx)
    assert sorted((n.code, n.sheet, n.cell) for n in config.notices) == [
        ("CFG022", "Plan", "A20"), ("CFG022", "Teams", "E5")]


def test_inserted_rows_and_columns_do_no_harm(plan_xlsx):
    book = openpyxl.load_workbook(plan_xlsx)
    book["Plan"].insert_rows(6)
    book["Teams"].insert_cols(1)
    book["Teams"]["A4"] = "Nr."  # a column the coordinator added has its own header: reported, not lost
    book["Teams"]["A5"] = 1
    book.save(plan_xlsx)
    config = load_plan(plan_xlsx)
    assert config == parse_config(EXAMPLE_TOML)
    assert {(n.code, n.sheet) for n in config.notices} == {("CFG022", "Teams")}


def test_what_is_not_a_plan_workbook_is_said_so(tmp_path, plan_xlsx):
    text = tmp_path / "tekst.xlsx"
    text.write_text("kommune = 'x'", encoding="utf-8")
    assert [p.code for p in problems(text)] == ["CFG024"]
    book = openpyxl.load_workbook(plan_xlsx)
    del book["Teams"]
    book.save(plan_xlsx)
    [p] = problems(plan_xlsx)
    assert p.code == "CFG023" and "Teams" in p.message
    team_workbook = ROOT / "samples" / "returned" / "Ishøj Kommune - Familieteamet.xlsx"
    assert [p.code for p in problems(team_workbook)] == ["CFG023"]
    assert [p.code for p in problems(tmp_path / "findes-ikke.xlsx")] == ["CFG001"]


def test_a_toml_plan_named_otherwise_is_still_read_as_toml(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(EXAMPLE_TOML, encoding="utf-8")
    assert load_plan(path) == parse_config(EXAMPLE_TOML)


# ---------------------------------------------------------------- typed in LibreOffice, as a person does

SAMPLE_WITHOUT_TITLE = (ROOT / "samples" / "plan.toml").read_text(encoding="utf-8").replace(
    'titel = "Implementering og forankring af ICS"\n', "")  # a field that changes nothing; plan.xlsx has none


def _typings(config) -> list[tuple[str, str, str]]:
    """What a coordinator types over the example plan to write `config`: every field, every row, and ""
    where the example has a row too many."""
    typed = [("Plan", "B5", config.municipality), ("Plan", "B6", " + ".join(m.upper() for m in config.methods)),
             ("Plan", "B8", config.start.strftime("%d-%m-%Y")), ("Plan", "B9", config.rhythm),
             ("Plan", "B10", str(config.timeline_weeks)), ("Plan", "B11", "Ja" if config.protect else "Nej"),
             ("Plan", "B13", config.contact_name), ("Plan", "B14", config.contact_email)]
    tables = {"Teams": [(t.name, t.contact, t.email) for t in config.teams],
              "Personer": [(p.name, p.role, p.team) for p in config.people],
              "Sigtepunkter": [(f.name, f.description) for f in config.focus_points]}
    for sheet, rows in tables.items():
        width = len(rows[0])
        for i in range(max(len(rows), 3)):
            values = rows[i] if i < len(rows) else ("",) * width
            typed += [(sheet, f"{'ABC'[col]}{5 + i}", value) for col, value in enumerate(values)]
    return typed


@pytest.mark.libreoffice
def test_plan_xlsx_typed_in_libreoffice_gives_the_same_team_workbooks_as_plan_toml(tmp_path):
    from uno_typing import type_cells, uno_python

    if uno_python() is None:
        pytest.skip("python3-uno er ikke installeret; kør 'make test'")
    toml = tmp_path / "plan.toml"
    toml.write_text(SAMPLE_WITHOUT_TITLE, encoding="utf-8")
    wanted = load_config(toml)
    blank = tmp_path / "eksempel.xlsx"
    assert run("init", blank).exit_code == 0
    typed = tmp_path / "plan.xlsx"
    type_cells(blank, typed, _typings(wanted))

    read = load_plan(typed)
    assert read == wanted and not read.notices
    now = dt.datetime(2026, 1, 5, 9, 0)
    from_toml = generate_team_workbooks(wanted, tmp_path / "fra-toml", now=now)
    from_xlsx = generate_team_workbooks(read, tmp_path / "fra-xlsx", now=now)
    assert [w.path.name for w in from_toml] == [w.path.name for w in from_xlsx]
    for a, b in zip(from_toml, from_xlsx):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name
    result = run("ny", typed, "-o", tmp_path / "cli")
    assert result.exit_code == 0 and len(list((tmp_path / "cli").glob("*.xlsx"))) == 3
    shutil.rmtree(tmp_path / "cli")
