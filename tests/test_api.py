"""The analysts' API: the README's own examples run, and give what the CLI and the progress model give."""
import datetime as dt
import re
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import xlplan
from paths import ROOT
from xlplan.cli import main

SAMPLES = ROOT / "samples" / "returned"


def _readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### For analysts: pandas"):]
    section = section[:section.index("\n## ")]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def _folder(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "returneret")
    shutil.copy(ROOT / "samples" / "plan.toml", tmp_path / "plan.toml")
    return tmp_path


@pytest.mark.slow
def test_the_readme_examples_run_and_agree_with_the_progress_model(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    monkeypatch.chdir(folder)
    runner = CliRunner()
    first = xlplan.read("returneret", as_of="15-06-2026", config="plan.toml")
    for as_of in ("15-03-2026", "15-06-2026"):  # two readings for the trend; the files changed between them
        assert runner.invoke(main, ["consolidate", "returneret", "-o", "samlet.xlsx", "--config", "plan.toml",
                                    "--as-of", as_of]).exit_code == 0
        (folder / "returneret" / "Familieplejen - ICS-implementeringsplan.xlsx").unlink(missing_ok=True)
    shutil.copy(SAMPLES / "Familieplejen - ICS-implementeringsplan.xlsx", folder / "returneret")
    names: dict = {}
    for example in _readme_examples():
        exec(example, names)  # noqa: S102 - our own README
    reading = names["reading"]
    for team in reading.teams:
        for phase, share in team.phases.items():
            assert names["met"].loc[team.team, phase] == share.share
    assert set(names["overdue"]["team"]) <= {t.team for t in reading.teams}
    assert len(names["overdue"]) == sum(1 for t in reading.teams for d in t.overdue if d.kind == "Procesplan")
    trend = names["trend"]
    assert list(trend.index) == [pd.Timestamp(2026, 3, 15), pd.Timestamp(2026, 6, 15)]
    for team in first.teams:
        if team.checklist.share is not None:
            assert trend.loc[pd.Timestamp(2026, 3, 15), team.team] == team.checklist.share
    assert len(names["history"]["aflæsninger"]) == 2


def test_the_export_is_written_from_the_same_frames(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "eksport"
    result = CliRunner().invoke(main, ["consolidate", str(folder / "returneret"), "-o", str(tmp_path / "s.xlsx"),
                                       "--config", str(folder / "plan.toml"), "--as-of", "15-06-2026",
                                       "--no-history", "--export", str(out)])
    assert result.exit_code == 0, result.output
    reading = xlplan.read(folder / "returneret", as_of=dt.date(2026, 6, 15), config=folder / "plan.toml")
    frames = reading.frames()
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(frames)
    for name, frame in frames.items():
        again = pd.read_parquet(out / f"{name}.parquet")
        pd.testing.assert_frame_equal(again, frame, check_dtype=False)
        csv = pd.read_csv(out / f"{name}.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(csv.columns) == list(frame.columns) and len(csv) == len(frame), name
    plan = frames["planrækker"]
    assert str(plan["start_start"].dtype).startswith("datetime")
    typed = plan[plan["start_tekst"] == "uge 12 2026"].iloc[0]
    assert (typed["start_start"], typed["start_slut"]) == (pd.Timestamp(2026, 3, 16), pd.Timestamp(2026, 3, 22))
    assert list(frames["kilder"]["fil"]) == [r.file for r in reading.reads]


def test_read_takes_the_plan_as_plan_xlsx_as_well_as_plan_toml(tmp_path):
    """Every command takes either form of the plan; read() took only plan.toml and said a plan.xlsx was UTF-16."""
    from xlplan.workbook.planbook import plan_bytes
    from xlplan.core.config import load_config

    toml = ROOT / "samples" / "plan.toml"
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(plan_bytes(load_config(toml)))
    from_toml, from_xlsx = xlplan.read(SAMPLES, "15-06-2026", toml), xlplan.read(SAMPLES, "15-06-2026", workbook)
    assert [t.team for t in from_xlsx.teams] == [t.team for t in from_toml.teams]
    assert from_xlsx.municipality == "Ishøj Kommune" and from_xlsx.missing_teams == from_toml.missing_teams


METADATA_SHEETS = ("xlplan",)  # the metadata: when each file was made


def test_the_front_doors_own_example_runs_and_makes_what_the_command_line_makes(tmp_path, monkeypatch):
    """xlplan.api's docstring is run as it stands, in a folder laid out as it says; its management workbook
    and its checks are those of `xlplan saml` and `xlplan tjek` on the same files."""
    import doctest

    import openpyxl
    from xlplan import api
    (tmp_path / "samples").mkdir()
    shutil.copy(ROOT / "samples" / "plan.toml", tmp_path / "samples" / "plan.toml")
    shutil.copytree(SAMPLES, tmp_path / "returneret")
    shutil.copy(sorted(SAMPLES.glob("*.xlsx"))[0], tmp_path / "gammel.xlsx")
    monkeypatch.chdir(tmp_path)
    found = doctest.testmod(api, raise_on_error=True)
    assert found.attempted >= 6 and found.failed == 0
    assert len(list((tmp_path / "projektmapper").glob("*.xlsx"))) == len(api.load_plan(tmp_path / "samples" / "plan.toml").teams)
    assert (tmp_path / "ny.xlsx").is_file() and list((tmp_path / "rettelser").glob("*.xlsx"))
    runner = CliRunner()
    (tmp_path / "cli").mkdir()  # the command's own first reading, with its own history, of the same files
    done = runner.invoke(main, ["saml", "returneret", "-p", "samples/plan.toml", "-o", "cli/samlet-status.xlsx"])
    assert done.exit_code == 0, done.output

    def cells(path):
        book = openpyxl.load_workbook(path)
        return {(ws.title, c.coordinate): c.value for ws in book if ws.title not in METADATA_SHEETS
                for row in ws.iter_rows() for c in row if c.value is not None and not isinstance(c.value, dt.datetime)}
    assert cells(tmp_path / "samlet-status.xlsx") == cells(tmp_path / "cli" / "samlet-status.xlsx")
    checked = api.check([tmp_path / "returneret"])
    listed = runner.invoke(main, ["tjek", "returneret"])
    assert f"Teams: {checked.teams}." in listed.output
    assert all(f"[{p.code}]" in listed.output for r in checked.reads for p in r.problems if p.is_error)
