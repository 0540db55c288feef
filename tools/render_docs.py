"""Renders the pictures in docs/img/ from real files: a filled sample team workbook, the blank
styringsgrundlag template and the management workbook, each sheet opened in LibreOffice, exported
to PDF one page per sheet, and turned into PNG with pdftoppm.

Usage: python tools/render_docs.py   (or: make docs)
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from libreoffice import PDF_ONE_PAGE_PER_SHEET, convert  # noqa: E402

from xlplan.config import load_config  # noqa: E402
from xlplan.consolidate import consolidate  # noqa: E402
from xlplan.layout.report import report_workbook  # noqa: E402
from xlplan.xlsx_reader import read_workbook  # noqa: E402
from xlplan.xlsx_writer import render  # noqa: E402

OUT = ROOT / "docs" / "img"
WANTED = {
    "Ishøj Kommune - Familieteamet.xlsx": {
        "Vejledning": "vejledning", "Oversigt": "oversigt", "1. Fælles faglig forståelse af": "plan",
        "Procesplan": "procesplan", "Fase 1 Forbered": "fase", "Roller": "roller", "Risikolog": "risikolog",
        "Personer": "personer"},
    "Styringsgrundlag-implementering.xlsx": {"Trin": "trin", "Rolle og ansvar": "rolle-og-ansvar"},
    "samlet-status.xlsx": {"Overblik": "samlet-overblik", "Aktiviteter": "samlet-aktiviteter",
                           "Tjekliste": "samlet-tjekliste", "Tidslinje": "samlet-tidslinje",
                           "Problemer": "samlet-problemer", "Roller": "samlet-roller"},
}


def render_sheets(path: Path, names: dict[str, str], work: Path) -> None:
    result = convert([path], PDF_ONE_PAGE_PER_SHEET, work)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    pdf = work / (path.stem + ".pdf")
    order = [s.name for s in read_workbook(path).sheets]
    for sheet, picture in names.items():
        page = order.index(sheet) + 1
        target = OUT / picture
        # 1,600 pixels wide; tall sheets are cut at 1,000 pixels (the top shows what the sheet is like).
        subprocess.run(["pdftoppm", "-png", "-scale-to-x", "1600", "-scale-to-y", "-1", "-x", "0", "-y", "0",
                        "-W", "1600", "-H", "1000", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                        str(target)], check=True)
        print(f"Skrev {target.relative_to(ROOT)}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = load_config(ROOT / "samples" / "plan.toml")
        result = consolidate([ROOT / "samples" / "returned"], config, dt.date(2026, 6, 15))
        report = work / "samlet-status.xlsx"
        report.write_bytes(render(report_workbook(result, dt.datetime(2026, 6, 15, 8, 0))))
        sources = {"Ishøj Kommune - Familieteamet.xlsx": ROOT / "samples" / "returned",
                   "Styringsgrundlag-implementering.xlsx": ROOT / "templates" / "xlsx", "samlet-status.xlsx": work}
        for name, names in WANTED.items():
            render_sheets(sources[name] / name, names, work)


if __name__ == "__main__":
    main()
