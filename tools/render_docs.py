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

from xlplan.reporting import history
from xlplan.fixing.carry import annotated
from xlplan.core.config import load_config
from xlplan.reading.readback import read_team_workbook
from xlplan.reporting.consolidate import consolidate
from xlplan.reporting.report import report_workbook
from xlplan.xlsx.reader import read_workbook
from xlplan.xlsx.writer import render
from xlplan.reporting.consolidate import mark_unchanged

OUT = ROOT / "docs" / "img"
WANTED = {
    "Ishøj Kommune - Familieteamet.xlsx": {
        "Vejledning": "vejledning", "Oversigt": "oversigt", "1. Fælles faglig forståelse": "plan",
        "Procesplan": "procesplan", "Fase 1 Forbered": "fase", "Roller": "roller", "Risikolog": "risikolog",
        "Personer": "personer"},
    "Styringsgrundlag-implementering.xlsx": {"Trin": "trin", "Rolle og ansvar": "rolle-og-ansvar"},
    "samlet-status.xlsx": {"Overblik": "samlet-overblik", "Udvikling": "samlet-udvikling", "Siden sidst": "samlet-siden-sidst",
                           "Aktiviteter": "samlet-aktiviteter", "Tjekliste": "samlet-tjekliste",
                           "Tidslinje": "samlet-tidslinje", "Problemer": "samlet-problemer", "Roller": "samlet-roller"},
    "Ishøj Kommune - Børne- og ungeteamet - rettelser.xlsx": {"Rettelser": "rettelser",
                                                              "1. Fælles faglig forståelse": "rettelser-plan"},
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


def render_briefing(path: Path, work: Path) -> None:
    """The Resumé as it prints: the first page of the workbook printed with LibreOffice's defaults."""
    folder = work / "printed"
    result = convert([path], "pdf", folder)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    target = OUT / "samlet-resume"
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(folder / (path.stem + ".pdf")),
                    str(target)], check=True)
    print(f"Skrev {target.relative_to(ROOT)}.png")


def three_readings(config, work: Path):
    """The samples read in June, July and September, with the progress teams made in between."""
    import shutil

    import openpyxl

    folder = work / "returneret"
    folder.mkdir()
    for f in (ROOT / "samples" / "returned").glob("*.xlsx"):
        shutil.copy(f, folder / f.name)
    db = work / "historik.sqlite"

    def set_status(path, sheet_prefix, count, status, only_from=None):
        wb = openpyxl.load_workbook(path)
        ws = next(wb[n] for n in wb.sheetnames if n.startswith(sheet_prefix))
        changed = 0
        for row in range(6, ws.max_row + 1):
            value = ws.cell(row=row, column=3).value
            if changed < count and isinstance(ws.cell(row=row, column=1).value, str) and value in only_from:
                ws.cell(row=row, column=3, value=status)
                changed += 1
        wb.save(path)

    fam = folder / "Ishøj Kommune - Familieteamet.xlsx"
    born = folder / "Ishøj Kommune - Børne- og ungeteamet.xlsx"
    steps = [(dt.date(2026, 6, 15), []),
             (dt.date(2026, 7, 15), [(fam, "Fase 2", 6, "Opfyldt", ("I gang",)),
                                     (born, "Fase 1", 8, "Opfyldt", ("I gang",))]),
             (dt.date(2026, 9, 15), [(fam, "Fase 2", 8, "Opfyldt", ("I gang", "Ikke påbegyndt")),
                                     (fam, "Fase 3", 3, "Opfyldt", ("I gang",)),
                                     (born, "Fase 1", 6, "Opfyldt", ("I gang", "Ikke påbegyndt")),
                                     (born, "Fase 2", 2, "Ikke påbegyndt", ("I gang",))])]
    for as_of, edits in steps:
        for path, prefix, count, status, only_from in edits:
            set_status(path, prefix, count, status, only_from)
        result = consolidate([folder], config, as_of)
        mark_unchanged(result, history.previous_files(db, result))
        history.record(result, db, dt.datetime.combine(as_of, dt.time(8)))
    return result, history.development(db)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = load_config(ROOT / "samples" / "plan.toml")
        result, development = three_readings(config, work)
        report = work / "samlet-status.xlsx"
        report.write_bytes(render(report_workbook(result, dt.datetime(2026, 9, 15, 8, 0), development)))
        born = read_team_workbook(ROOT / "samples" / "returned" / "Ishøj Kommune - Børne- og ungeteamet.xlsx")
        (work / "Ishøj Kommune - Børne- og ungeteamet - rettelser.xlsx").write_bytes(
            render(annotated(born, dt.datetime(2026, 6, 15, 8, 0))[0]))
        sources = {"Ishøj Kommune - Familieteamet.xlsx": ROOT / "samples" / "returned",
                   "Styringsgrundlag-implementering.xlsx": ROOT / "templates" / "xlsx", "samlet-status.xlsx": work,
                   "Ishøj Kommune - Børne- og ungeteamet - rettelser.xlsx": work}
        for name, names in WANTED.items():
            render_sheets(sources[name] / name, names, work)
        render_briefing(report, work)


if __name__ == "__main__":
    main()
