"""The declared dependency floors are true: the oldest release pyproject.toml allows of every dependency,
installed together from PyPI into a fresh virtual environment with xlplan itself, makes the demo's outputs
equal to this environment's, and passes the tests of the parts each dependency serves.

A floor is what a coordinator's PC may already have (`pip install --user` keeps an old release that
satisfies it), so a false floor is an install that breaks. The first run downloads the releases (pip keeps
them in its cache for the next)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import openpyxl
import pytest
from packaging.requirements import Requirement

from paths import ROOT

pytestmark = pytest.mark.floors
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")

# The tests that exercise what each dependency is used for: the writer (XlsxWriter, through its public path
# before 3.3), reading (openpyxl in the tests), the CLI and its Danish messages (click), the exports (pandas,
# pyarrow), the meeting PDF (ReportLab), the web pages (Flask, Jinja2, waitress), the reader's properties
# (hypothesis).
SUITE = ["tests/test_writer.py", "tests/test_generate.py", "tests/test_readback.py", "tests/test_cli.py",
         "tests/test_cli_translation.py", "tests/test_export.py", "tests/test_meeting_pdf.py", "tests/test_serve.py",
         "tests/test_consolidate.py", "tests/test_reader_hypothesis.py"]


def floors(names: list[str]) -> list[str]:
    """`name==floor` for each requirement's lower bound (every dependency must declare one)."""
    pinned = []
    for line in names:
        requirement = Requirement(line)
        [floor] = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        pinned.append(f"{requirement.name}=={floor}")
    return pinned


def _declared() -> tuple[list[str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["dependencies"], project["optional-dependencies"]["test"]


def test_every_dependency_declares_a_floor():
    runtime, test = _declared()
    assert len(floors(runtime)) == len(runtime) and len(floors(test)) == len(test)


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture(scope="module")
def oldest(tmp_path_factory) -> Path:
    """A virtual environment with the floor of every runtime and test dependency, and xlplan from this
    checkout (not editable: a copy of its sources, as a wheel installs it)."""
    folder = tmp_path_factory.mktemp("floors")
    venv.EnvBuilder(with_pip=True).create(folder / "venv")
    python = folder / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    runtime, test = _declared()
    wanted = [r for r in floors(test) if not r.startswith("playwright==")]  # the browser tests do not run here
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", *floors(runtime), *wanted],
                             capture_output=True, text=True, timeout=900, env=_env())
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    source = folder / "kilde"
    shutil.copytree(ROOT / "xlplan", source / "xlplan", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(source)],
                          capture_output=True, text=True, timeout=300, env=_env())
    if done.returncode != 0:  # setuptools is not in a fresh venv on every Python: let pip fetch it for the build
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(source)],
                              capture_output=True, text=True, timeout=300, env=_env())
    assert done.returncode == 0, done.stderr[-3000:]
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True, env=_env())
    assert check.returncode == 0, "the floors install together: " + check.stdout
    return python


def _versions(python: Path) -> dict[str, str]:
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"], capture_output=True, text=True,
                            env=_env(), check=True)
    return {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}


def _demo(python: Path, out: Path) -> None:
    def xlplan(*args):
        done = subprocess.run([str(python), "-m", "xlplan", *args], capture_output=True, text=True, timeout=300,
                              cwd=out.parent, env=_env())
        assert done.returncode in (0, 1), done.stdout + done.stderr
        assert "Traceback" not in done.stderr and "INT001" not in done.stdout + done.stderr, done.stderr
    xlplan("ny", str(ROOT / "samples" / "plan.toml"), "-o", str(out / "projektmapper"))
    xlplan("tjek", str(ROOT / "samples" / "returned"), "--rettekopier", str(out / "rettelser"))
    xlplan("saml", str(ROOT / "samples" / "returned"), "--plan", str(ROOT / "samples" / "plan.toml"),
           "--opgjort-pr", "15-06-2026", "-o", str(out / "samlet-status.xlsx"), "--json", str(out / "s.json"),
           "--pdf", str(out / "s.pdf"), "--export", str(out / "tabeller"), "--uden-historik")


def _cells(path: Path) -> dict:
    """Every value, but the moment the file was made (the metadata sheet's time stamps)."""
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in book for row in ws.iter_rows() for c in row
            if c.value is not None and not (ws.title == "xlplan" and STAMP.fullmatch(str(c.value)))}


def _json_without_times(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("genereret", None)
    data.pop("xlplan_version", None)
    return data


def test_the_oldest_releases_allowed_make_the_same_outputs(oldest, tmp_path):
    runtime, _ = _declared()
    versions = _versions(oldest)
    assert {r.split("==")[0].lower(): versions.get(r.split("==")[0].lower()) for r in floors(runtime)} == {
        r.split("==")[0].lower(): r.split("==")[1] for r in floors(runtime)}, "each floor itself, not a newer one"
    old, new = tmp_path / "gamle", tmp_path / "nye"
    old.mkdir(), new.mkdir()
    _demo(oldest, old)
    _demo(Path(sys.executable), new)
    assert _cells(old / "samlet-status.xlsx") == _cells(new / "samlet-status.xlsx")
    assert _json_without_times(old / "s.json") == _json_without_times(new / "s.json")
    for workbook in (new / "projektmapper").iterdir():
        assert _cells(old / "projektmapper" / workbook.name) == _cells(workbook), workbook.name
    assert sorted(p.name for p in (old / "tabeller").iterdir()) == sorted(p.name for p in (new / "tabeller").iterdir())
    assert (old / "s.pdf").read_bytes()[:5] == b"%PDF-"


def test_the_tests_of_every_part_pass_with_the_oldest_releases(oldest):
    done = subprocess.run([str(oldest), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                           "-m", "not libreoffice and not browser and not wheel and not floors", *SUITE],
                          capture_output=True, text=True, timeout=1200, cwd=ROOT,
                          env={**_env(), "XLPLAN_FLOORS": "1"})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
