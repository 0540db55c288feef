"""The command line, through click's CliRunner: Danish output, exit codes, no tracebacks."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from xlplan.cli import main

ROOT = __import__("pathlib").Path(__file__).parent.parent


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    # DanishGroup calls sys.exit itself; CliRunner turns that into exit_code.
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_help_is_danish(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    assert "Vis denne hjælp og afslut." in result.output and "Show this message" not in result.output
    for command in ("init", "new", "template"):
        assert command in result.output


def test_init_writes_a_config_that_new_accepts(runner, tmp_path):
    config = tmp_path / "plan.toml"
    result = run(runner, "init", str(config))
    assert result.exit_code == 0 and config.is_file()
    result = run(runner, "new", str(config), "-o", str(tmp_path / "ud"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ud").iterdir()) == [
        "Eksempel Kommune - Team Nord.xlsx", "Eksempel Kommune - Team Syd.xlsx"]


def test_init_does_not_overwrite(runner, tmp_path):
    config = tmp_path / "plan.toml"
    config.write_text("mine")
    result = run(runner, "init", str(config))
    assert result.exit_code == 2 and "[OUT002]" in result.output and "--overskriv" in result.output
    assert config.read_text() == "mine"


def test_config_mistake_gives_danish_message_with_line(runner, tmp_path):
    config = tmp_path / "plan.toml"
    config.write_text('kommune = "X"\nmetode = "lean"\nstartdato = 2026-01-05\n[[team]]\nnavn = "A"\n', encoding="utf-8")
    result = run(runner, "new", str(config), "-o", str(tmp_path / "ud"))
    assert result.exit_code == 2
    assert "linje 2: [CFG005] Ukendt metode 'lean'." in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "ud").exists()


def test_missing_config_file(runner, tmp_path):
    result = run(runner, "new", str(tmp_path / "findes-ikke.toml"))
    assert result.exit_code == 2 and "[CFG001]" in result.output and "xlplan init" in result.output


def test_unknown_option_is_danish(runner):
    result = run(runner, "new", "--bogus")
    assert result.exit_code == 2 and "Ukendt tilvalg" in result.output and "xlplan new --help" in result.output


def test_template_check(runner, tmp_path):
    result = run(runner, "template", "-o", str(tmp_path), "--tjek")
    assert result.exit_code == 1 and "Forældet eller mangler" in result.output
    assert run(runner, "template", "-o", str(tmp_path)).exit_code == 0
    assert run(runner, "template", "-o", str(tmp_path), "--tjek").exit_code == 0


def test_help_does_not_import_the_excel_libraries():
    code = ("import sys; from xlplan.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('xlsxwriter', 'openpyxl', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().endswith("[]"), out.stdout + out.stderr


SAMPLES = ROOT / "samples" / "returned"


def test_check_lists_problems_with_place_and_exits_1(runner):
    result = run(runner, "check", str(SAMPLES))
    assert result.exit_code == 1
    assert "Procesplan!A19  [RB008] Datoen 'Uge 53'" in result.output
    assert "Advarsel" in result.output and "I alt: 3 filer, 4 fejl" in result.output


def test_check_clean_file_exits_0(runner, sample_workbooks, tmp_path):
    import shutil

    import fixtures
    path = tmp_path / sample_workbooks[0].name
    shutil.copy(sample_workbooks[0], path)
    fixtures.edit(path, fixtures.filled_plan_rows)
    result = run(runner, "check", str(path))
    assert result.exit_code == 0 and "ingen problemer" in result.output


def test_check_says_an_untouched_workbook_is_not_filled_in(runner, sample_workbooks):
    result = run(runner, "check", str(sample_workbooks[0]))
    assert result.exit_code == 0 and "[RB032]" in result.output and "ingen problemer" not in result.output


def test_check_errors_only(runner):
    result = run(runner, "check", str(SAMPLES), "--kun-fejl")
    assert "Advarsel" not in result.output.replace("advarsler", "")


def test_consolidate_writes_workbook_and_json(runner, tmp_path):
    out, data = tmp_path / "samlet.xlsx", tmp_path / "data.json"
    result = run(runner, "consolidate", str(SAMPLES), "-o", str(out), "--config", str(ROOT / "samples" / "plan.toml"),
                 "--as-of", "15-06-2026", "--json", str(data))
    assert result.exit_code == 0, result.output
    assert "Familieteamet" in result.output and "Gul" in result.output and "opgjort pr. 15-06-2026" in result.output
    assert out.is_file() and data.is_file()
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_consolidate_refuses_to_overwrite_an_input(runner, tmp_path):
    import shutil
    copy = tmp_path / "team.xlsx"
    shutil.copy(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", copy)
    before = copy.read_bytes()
    result = run(runner, "consolidate", str(tmp_path), "-o", str(copy))
    assert result.exit_code == 2 and "[OUT003]" in result.output
    assert copy.read_bytes() == before


def test_consolidate_bad_date(runner, tmp_path):
    result = run(runner, "consolidate", str(SAMPLES), "-o", str(tmp_path / "x.xlsx"), "--as-of", "i morgen")
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
