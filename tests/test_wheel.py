"""The wheel a municipal IT department installs: built from the source, installed into a fresh virtual
environment, `xlplan --help` and `python -m xlplan tjek` run from there, not from this checkout.

The dependencies come from this test's own environment rather than from PyPI, but only those the wheel
declares, with theirs: a dependency xlplan uses without declaring it fails here. (Building the wheel
needs setuptools, which pip fetches for the build as it does for `make setup`.)"""
import os
import shutil
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from paths import ROOT

pytestmark = pytest.mark.wheel


def _build_wheel(tmp_path: Path) -> Path:
    """`pip wheel` on a copy of the sources, so the build leaves nothing in the checkout."""
    source = tmp_path / "kilde"
    shutil.copytree(ROOT / "xlplan", source / "xlplan", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    out = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
                   check=True, timeout=120, env=_clean_env())
    [wheel] = out.glob("xlplan-*.whl")
    return wheel


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _declared_distributions(wheel: Path) -> set[str]:
    """The distributions the wheel requires (not its extras), with everything they require in turn."""
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(meta).decode("utf-8").splitlines()
    wanted = [Requirement(line.split(":", 1)[1].strip()) for line in lines if line.startswith("Requires-Dist:")]
    found: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = requirement.name.lower()
        if name in found:
            continue
        found.add(name)
        wanted += [Requirement(r) for r in metadata.distribution(name).requires or ()]
    return found


def _link_dependencies(names: set[str], target: Path) -> None:
    """Make only the declared distributions' top-level modules visible in `target`."""
    target.mkdir()
    for name in names:
        dist = metadata.distribution(name)
        tops = {Path(str(f)).parts[0] for f in dist.files or () if not str(f).startswith("..")}
        for top in tops:
            if top.endswith((".dist-info", ".egg-info")) or top == "__pycache__":
                continue
            source = Path(dist.locate_file(top))
            if source.exists() and not (target / top).exists():
                (target / top).symlink_to(source, target_is_directory=source.is_dir())


def test_the_wheel_installs_into_a_fresh_virtual_environment_and_runs(tmp_path):
    wheel = _build_wheel(tmp_path)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    command = env_dir / ("Scripts/xlplan.exe" if os.name == "nt" else "bin/xlplan")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, timeout=120, env=_clean_env())
    dependencies = tmp_path / "afhaengigheder"
    _link_dependencies(_declared_distributions(wheel), dependencies)
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        capture_output=True, text=True, check=True).stdout.strip())
    (site_packages / "afhaengigheder.pth").write_text(str(dependencies) + "\n", encoding="utf-8")

    run = dict(capture_output=True, text=True, timeout=60, env=_clean_env(), cwd=tmp_path)
    where = subprocess.run([str(python), "-c", "import xlplan; print(xlplan.__file__)"], **run)
    assert Path(where.stdout.strip()).is_relative_to(env_dir), where.stdout + where.stderr

    helped = subprocess.run([str(command), "--help"], **run)
    assert helped.returncode == 0 and helped.stdout.startswith("Brug: xlplan"), helped.stdout + helped.stderr
    assert "saml" in helped.stdout

    checked = subprocess.run([str(python), "-m", "xlplan", "tjek", str(ROOT / "samples" / "returned")], **run)
    assert checked.returncode == 1, checked.stdout + checked.stderr  # the samples hold errors on purpose
    assert "I alt: 3 filer, 4 fejl" in checked.stdout and "Traceback" not in checked.stderr

    wrong = subprocess.run([str(command), "ny", "--bogus"], **run)
    assert wrong.returncode == 2 and "Ukendt tilvalg '--bogus'" in wrong.stderr  # the Danish catalogue is in the wheel
    plan = subprocess.run([str(command), "init", "plan.xlsx"], **run)
    assert plan.returncode == 0 and (tmp_path / "plan.xlsx").is_file()
