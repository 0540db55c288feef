"""Drive a real headless LibreOffice: convert workbooks to PDF or round-trip them through xlsx.

Each run gets its own profile with LibreOffice's default settings, as users have it: formulas are not
recalculated on load, so what it shows and saves is the value stored in the file. `recalculate=True`
gives a profile that recalculates every formula on load: the oracle for what a formula computes.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
PDF_ONE_PAGE_PER_SHEET = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(files: list[Path], target: str, out_dir: Path, timeout: int = 240,
            recalculate: bool = False) -> subprocess.CompletedProcess:
    """Convert `files` with LibreOffice; target is e.g. 'pdf', 'xlsx' or PDF_ONE_PAGE_PER_SHEET."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlplan-lo-") as profile:
        if recalculate:
            user = Path(profile) / "user"
            user.mkdir(parents=True)
            (user / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
        command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", target, "--outdir", str(out_dir), *map(str, files)]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
