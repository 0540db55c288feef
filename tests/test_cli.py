"""The command line, through click's CliRunner: Danish commands and options (the English names of earlier
versions still work, unseen), Danish output, exit codes, no tracebacks, the user's text shown as typed."""
import csv
import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from paths import ROOT, SAMPLE_CONFIG
from xlplan.cli import main

SAMPLES = ROOT / "samples" / "returned"
COMMANDS = {"init": "init", "ny": "new", "skabelon": "template", "tjek": "check", "saml": "consolidate",
            "historik": "history", "flyt": "migrate", "serve": "serve"}
OLD_OPTIONS = ["--out", "--quiet", "--config", "--as-of", "--history", "--no-history", "--export", "--annotate"]


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    # DanishGroup calls sys.exit itself; CliRunner turns that into exit_code.
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_help_is_danish_and_lists_the_danish_commands_in_the_order_of_the_work(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    assert "Vis denne hjælp og afslut." in result.output and "Show this message" not in result.output
    listed = [line.split()[0] for line in result.output.split("Kommandoer:")[1].splitlines() if line.strip()]
    assert listed == list(COMMANDS)


ENGLISH = ["Usage", "Options", "Arguments", "Commands", "Show this", "required", "default:", "FILE", "PATH",
           "DIRECTORY", "TEXT", "INTEGER", "Try '"] + OLD_OPTIONS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_danish_help_with_the_same_short_options(runner, command):
    result = run(runner, command, "--help")
    assert result.exit_code == 0 and result.output.startswith(f"Brug: xlplan {command} [TILVALG]")
    assert "-q, --stille" in result.output and "-h, --help" in result.output
    leaked = [word for word in ENGLISH if word in result.output]
    assert not leaked, result.output
    if command in ("ny", "skabelon", "saml", "flyt"):
        assert "-o, --ud" in result.output


def test_a_required_option_is_marked_in_danish(runner):
    result = run(runner, "flyt", "--help")
    assert "[skal angives]" in result.output and "[required]" not in result.output


def test_old_names_are_not_suggested(runner):
    result = run(runner, "saml", str(SAMPLES), "--ou", "x.xlsx")
    assert result.exit_code == 2 and "Ukendt tilvalg '--ou'" in result.output and "--out" not in result.output


# ---------------------------------------------------------------- every command, by its Danish and its old name

def _names(old: bool, danish: str, english: str) -> str:
    return english if old else danish


@pytest.mark.parametrize("old", [False, True], ids=["dansk", "gammelt navn"])
def test_init(runner, tmp_path, old):
    config = tmp_path / "plan.toml"
    result = run(runner, "init", config, _names(old, "--stille", "--quiet"))
    assert result.exit_code == 0 and config.is_file() and result.output == ""


@pytest.mark.slow
@pytest.mark.parametrize("old", [False, True], ids=["dansk", "gammelt navn"])
def test_new(runner, tmp_path, old):
    result = run(runner, _names(old, "ny", "new"), SAMPLE_CONFIG, _names(old, "--ud", "--out"), tmp_path / "ud")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "ud").glob("*.xlsx"))) == 3 and "Færdig: 3 projektmapper." in result.output


@pytest.mark.slow
@pytest.mark.parametrize("old", [False, True], ids=["dansk", "gammelt navn"])
def test_template(runner, tmp_path, old):
    command, out = _names(old, "skabelon", "template"), _names(old, "--ud", "--out")
    result = run(runner, command, out, tmp_path, "--tjek")
    assert result.exit_code == 1 and "Forældet eller mangler" in result.output
    assert run(runner, command, out, tmp_path).exit_code == 0
    result = run(runner, command, out, tmp_path, "--tjek")
    assert result.exit_code == 0 and "Skabelonerne er opdaterede." in result.output


@pytest.mark.slow
@pytest.mark.parametrize("old", [False, True], ids=["dansk", "gammelt navn"])
def test_check(runner, tmp_path, old):
    result = run(runner, _names(old, "tjek", "check"), SAMPLES, _names(old, "--rettekopier", "--annotate"),
                 tmp_path / "rettelser")
    assert result.exit_code == 1
    assert "Procesplan!A19  [RB008] Datoen 'Uge 53'" in result.output and "I alt: 3 filer, 4 fejl" in result.output and "Teams: 3." in result.output
    assert len(list((tmp_path / "rettelser").glob("*.xlsx"))) == 3


@pytest.mark.slow
@pytest.mark.parametrize("old", [False, True], ids=["dansk", "gammelt navn"])
def test_consolidate(runner, tmp_path, old):
    out, data = tmp_path / "samlet.xlsx", tmp_path / "data.json"
    args = [_names(old, "saml", "consolidate"), SAMPLES, _names(old, "--ud", "--out"), out,
            _names(old, "--plan", "--config"), SAMPLE_CONFIG, _names(old, "--opgjort-pr", "--as-of"), "15-06-2026",
            "--json", data, _names(old, "--historik", "--history"), tmp_path / "h.sqlite",
            _names(old, "--eksport", "--export"), tmp_path / "eksport"]
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    assert "Familieteamet" in result.output and "Gul" in result.output and "opgjort pr. 15-06-2026" in result.output
    assert out.is_file() and data.is_file() and (tmp_path / "h.sqlite").is_file()
    assert (tmp_path / "eksport" / "problemer.csv").is_file()
    assert json.loads(data.read_text(encoding="utf-8"))["opgjort_pr"] == "2026-06-15"
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"
    result = run(runner, *args[:4], _names(old, "--uden-historik", "--no-history"), _names(old, "-q", "--quiet"))
    assert result.exit_code == 0 and result.output == ""


@pytest.mark.parametrize("old", [False, True], ids=["dansk", "gammelt navn"])
def test_history(runner, tmp_path, old):
    history = tmp_path / "h.sqlite"
    assert run(runner, "saml", SAMPLES, "-o", tmp_path / "s.xlsx", "--historik", history, "-q").exit_code == 0
    command, option = _names(old, "historik", "history"), _names(old, "--historik", "--history")
    result = run(runner, command, option, history)
    assert result.exit_code == 0 and "Nr" in result.output and "Ishøj Kommune" in result.output
    result = run(runner, command, option, history, "--fjern", "1")
    assert result.exit_code == 0 and "Aflæsning 1 er fjernet" in result.output
    assert "Ingen aflæsninger" in run(runner, command, option, history).output


@pytest.mark.parametrize("old", [False, True], ids=["dansk", "gammelt navn"])
def test_migrate(runner, tmp_path, old):
    source = SAMPLES / "Ishøj Kommune - Familieteamet.xlsx"
    result = run(runner, _names(old, "flyt", "migrate"), source, _names(old, "--ud", "--out"), tmp_path / "ny.xlsx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ny.xlsx").is_file() and "Flyttet:" in result.output


# ---------------------------------------------------------------- the user's text, exactly as typed

# A path that holds every word the old word-replacing translation changed ("File" became "Filen" in the
# middle of 'Program Files' and 'Filer'), with Windows' backslashes, which repr() would double.
TRICKY = r"C:\Program Files\Usage Error\Filer 2026 File"


def _cases(tmp_path):
    existing = tmp_path / f"{TRICKY}.toml"
    existing.write_text("mine", encoding="utf-8")
    missing = str(tmp_path / f"{TRICKY} mangler.xlsx")
    return {
        "init: the file exists": (["init", existing], str(existing)),
        "init: an extra argument": (["init", "a.toml", TRICKY], TRICKY),
        "ny: the plan does not exist": (["ny", missing], missing),
        "ny: an unknown option": (["ny", "--File"], "--File"),
        "skabelon: where it writes": (["skabelon", "-o", tmp_path / TRICKY], str(tmp_path / TRICKY)),
        "tjek: the file does not exist": (["tjek", missing], f"{TRICKY} mangler.xlsx"),
        "saml: a date that is none": (["saml", SAMPLES, "--opgjort-pr", "Filer 2026 File Usage Error"],
                                      "'Filer 2026 File Usage Error'"),
        "saml: the plan does not exist": (["saml", SAMPLES, "-o", tmp_path / "s.xlsx", "--plan", missing], missing),
        "historik: no history there": (["historik", "--historik", missing], missing),
        "flyt: the file does not exist": (["flyt", missing, "-o", tmp_path / "ud"], f"{TRICKY} mangler.xlsx"),
        "serve: the plan does not exist": (["serve", tmp_path / "mappe", "--plan", missing], missing),
        "an unknown command": ([TRICKY], TRICKY),
    }


def test_the_users_text_passes_through_every_message_unchanged(runner, tmp_path):
    cases = _cases(tmp_path)
    assert {args[0] for args, _ in cases.values()} >= set(COMMANDS)
    for name, (args, shown) in cases.items():
        result = run(runner, *args)
        assert shown in result.output, f"{name}:\n{result.output}"
        assert "Traceback" not in result.output


# ---------------------------------------------------------------- tjek for scripts: --json and --csv

def test_check_json_and_csv_carry_the_same_problem_records_as_the_consolidation(runner, tmp_path):
    data, table, report = tmp_path / "tjek.json", tmp_path / "tjek.csv", tmp_path / "samlet.json"
    result = run(runner, "tjek", SAMPLES, "--json", data, "--csv", table)
    assert result.exit_code == 1
    checked = json.loads(data.read_text(encoding="utf-8"))
    assert checked["format"] == "xlplan-tjek" and len(checked["filer"]) == 3
    assert sum(f["fejl"] for f in checked["filer"]) == 4
    assert run(runner, "saml", SAMPLES, "-o", tmp_path / "s.xlsx", "--json", report, "--uden-historik",
               "--opgjort-pr", "15-06-2026").exit_code == 0
    consolidated = json.loads(report.read_text(encoding="utf-8"))["problemer"]
    key = lambda p: json.dumps(p, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert sorted(map(key, checked["problemer"])) == sorted(map(key, consolidated))
    raw = table.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    as_text = [{k: "" if v is None else str(v) for k, v in p.items()} for p in checked["problemer"]]
    assert rows == as_text


@pytest.mark.slow
def test_check_csv_of_a_clean_run_has_its_header(runner, tmp_path, sample_workbooks):
    table = tmp_path / "tjek.csv"
    run(runner, "tjek", sample_workbooks[0], "--csv", table, "--kun-fejl")
    header = table.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(";")[:4] == ["kode", "niveau", "fil", "ark"]


def test_check_json_may_not_overwrite_an_input(runner, tmp_path):
    copy = tmp_path / "team.xlsx"
    shutil.copy(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", copy)
    before = copy.read_bytes()
    result = run(runner, "tjek", copy, "--json", copy)
    assert result.exit_code == 2 and "[OUT003]" in result.output and copy.read_bytes() == before


def test_check_quiet_shows_only_errors(runner):
    result = run(runner, "tjek", SAMPLES, "-q")
    assert result.exit_code == 1 and "[RB008]" in result.output
    assert "Advarsel" not in result.output and "I alt" not in result.output and "ingen problemer" not in result.output


# ---------------------------------------------------------------- the rest

def test_init_does_not_overwrite(runner, tmp_path):
    config = tmp_path / "plan.toml"
    config.write_text("mine")
    result = run(runner, "init", config)
    assert result.exit_code == 2 and "[OUT002]" in result.output and "--overskriv" in result.output
    assert config.read_text() == "mine"


def test_config_mistake_gives_danish_message_with_line(runner, tmp_path):
    config = tmp_path / "plan.toml"
    config.write_text('kommune = "X"\nmetode = "lean"\nstartdato = 2026-01-05\n[[team]]\nnavn = "A"\n', encoding="utf-8")
    result = run(runner, "ny", config, "-o", tmp_path / "ud")
    assert result.exit_code == 2
    assert "linje 2: [CFG005] Ukendt metode 'lean'." in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "ud").exists()


def test_missing_config_file(runner, tmp_path):
    result = run(runner, "ny", tmp_path / "findes-ikke.toml")
    assert result.exit_code == 2 and "[CFG001]" in result.output and "xlplan init" in result.output


def test_unknown_option_is_danish(runner):
    result = run(runner, "ny", "--bogus")
    assert result.exit_code == 2 and "Ukendt tilvalg '--bogus'" in result.output and "xlplan ny --help" in result.output


def test_help_does_not_import_the_excel_libraries():
    code = ("import sys; from xlplan.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('xlsxwriter', 'openpyxl', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().endswith("[]"), out.stdout + out.stderr


def test_check_clean_file_exits_0(runner, sample_workbooks, tmp_path):
    import fixtures
    path = tmp_path / sample_workbooks[0].name
    shutil.copy(sample_workbooks[0], path)
    fixtures.edit(path, fixtures.filled_plan_rows)
    result = run(runner, "tjek", path)
    assert result.exit_code == 0 and "ingen problemer" in result.output


def test_check_says_an_untouched_workbook_is_not_filled_in(runner, sample_workbooks):
    result = run(runner, "tjek", sample_workbooks[0])
    assert result.exit_code == 0 and "[RB032]" in result.output and "ingen problemer" not in result.output


def test_check_errors_only(runner):
    result = run(runner, "tjek", SAMPLES, "--kun-fejl")
    assert "Advarsel" not in result.output.replace("advarsler", "")


def test_check_errors_only_prints_no_info_lines(runner, sample_workbooks, tmp_path):
    """An untouched workbook (a warning, RB032) and a sample with errors and a comment (an info, RB046): only the
    errors are printed, each of them."""
    import openpyxl
    from openpyxl.comments import Comment

    from xlplan.reading.readback import read_team_workbook

    shutil.copy(sample_workbooks[0], tmp_path / "uudfyldt.xlsx")
    wb = openpyxl.load_workbook(SAMPLES / "Ishøj Kommune - Børne- og ungeteamet.xlsx")
    wb["Oversigt"]["B7"].comment = Comment("Vi skifter fase efter sommer", "Jonas Krogh")
    wb.save(tmp_path / "born.xlsx")
    expected = sorted(p.code for name in ("uudfyldt.xlsx", "born.xlsx")
                      for p in read_team_workbook(tmp_path / name).problems if p.is_error)
    told = run(runner, "tjek", tmp_path).output
    assert "[RB032]" in told and "Info" in told and "[RB046]" in told, "the premise: without the flag, all are said"
    result = run(runner, "tjek", tmp_path, "--kun-fejl")
    lines = [line.strip() for line in result.output.splitlines() if "[" in line]
    assert lines and all(line.startswith("Fejl") for line in lines), result.output
    assert sorted(line.split("[")[1].split("]")[0] for line in lines) == expected


def test_consolidate_refuses_to_overwrite_an_input(runner, tmp_path):
    copy = tmp_path / "team.xlsx"
    shutil.copy(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", copy)
    before = copy.read_bytes()
    result = run(runner, "saml", tmp_path, "-o", copy)
    assert result.exit_code == 2 and "[OUT003]" in result.output
    assert copy.read_bytes() == before


def test_consolidate_bad_date(runner, tmp_path):
    result = run(runner, "saml", SAMPLES, "-o", tmp_path / "x.xlsx", "--opgjort-pr", "i morgen")
    assert result.exit_code == 2 and "er ikke en dato" in result.output and "Traceback" not in result.output


def test_counts_say_one_in_the_singular(runner, sample_workbooks):
    # An untouched workbook: one warning (RB032), no errors
    result = run(runner, "check", str(sample_workbooks[0]))
    assert ": 0 fejl, 1 advarsel\n" in result.output and "1 advarsler" not in result.output
    assert "I alt: 1 fil, 0 fejl, 1 advarsel." in result.output


def test_help_shows_no_english_from_click(runner):
    result = run(runner, "migrate", "--help")
    assert "[required]" not in result.output and "[skal angives]" in result.output
    assert "intet droppes i stilhed" not in result.output and "intet forsvinder uden besked" in result.output
    result = run(runner, "history", "--help")
    assert "--fjern NUMMER" in result.output


# ---------------------------------------------------------------- a reading counts teams, not files

@pytest.fixture
def mail_folder(tmp_path):
    """The three samples, Familieteamet's saved twice from mail, and Familieplejen's first and fixed versions."""
    import datetime as dt
    import os

    import fixtures

    folder = tmp_path / "indbakke"
    folder.mkdir()
    for f in SAMPLES.glob("*.xlsx"):
        shutil.copy(f, folder / f.name)
    copy = fixtures.saved_twice_from_mail(folder / "Ishøj Kommune - Familieteamet.xlsx")
    first, fixed = fixtures.first_and_fixed_version(SAMPLES / "Familieplejen - ICS-implementeringsplan.xlsx",
                                                    folder / "Familieplejen - ICS-implementeringsplan.xlsx",
                                                    folder / "Familieplejen - rettet.xlsx")
    fixtures.saved_at(first, dt.datetime(2026, 6, 1, 8, 0))
    fixtures.saved_at(fixed, dt.datetime(2026, 6, 3, 8, 0))
    os.utime(fixed, (first.stat().st_mtime - 3600,) * 2)
    return folder, copy.name, first.name, fixed.name


def test_check_counts_teams_and_names_the_files_that_do_not_count(runner, mail_folder):
    folder, copy, first, fixed = mail_folder
    result = run(runner, "tjek", folder)
    assert "I alt: 5 filer," in result.output and "Teams: 3." in result.output
    assert f"{copy}: [RB063] Filen er en nøjagtig kopi af 'Ishøj Kommune - Familieteamet.xlsx'" in result.output
    assert f"{first}: [RB060] Filen tæller ikke med: '{fixed}' er også fra teamet 'Familieplejen'" in result.output
    # the copy's problems are the original's: listed once, and counted once in the total
    assert f"({copy}):" not in result.output and f"(Ishøj Kommune - Familieteamet.xlsx): " in result.output
    alone = run(runner, "tjek", SAMPLES)  # the two Familieplejen files have no errors: the same count of errors
    errors = lambda output: next(line for line in output.splitlines() if line.startswith("I alt:")).split(", ")[1]
    assert errors(result.output) == errors(alone.output)


def test_consolidate_counts_teams_and_names_the_files_that_do_not_count(runner, tmp_path, mail_folder):
    folder, copy, first, fixed = mail_folder
    data = tmp_path / "data.json"
    result = run(runner, "saml", folder, "-o", tmp_path / "s.xlsx", "--plan", SAMPLE_CONFIG, "--opgjort-pr",
                 "15-06-2026", "--json", data, "--uden-historik")
    assert result.exit_code == 0, result.output
    assert "Læste 5 projektmapper fra 3 teams" in result.output
    team_lines = [line for line in result.output.splitlines() if line.startswith("  ") and "forsinket" in line]
    assert len(team_lines) == 3
    assert f"{copy}: [RB063]" in result.output and f"{first}: [RB060]" in result.output
    document = json.loads(data.read_text(encoding="utf-8"))
    assert sorted(n["fil"] for n in document["ikke_talt_med"]) == sorted([copy, first])
    assert len(document["fremdrift"]) == 3 and len(document["filer"]) == 3
