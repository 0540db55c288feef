"""Filled team workbooks of every kind a municipality sends, for the benchmark.

A kind is a method (ICS; ICS with FFB's checklists; styringsgrundlag), the program that saved the
filled workbook (openpyxl, as a script or Excel-like tool writes it; LibreOffice, as a team using it
returns it) and how much was typed (a few rows, or a full procesplan of 60 rows and full plans and
risk logs). Each kind is made the way staff make it: `xlplan ny` generates the team workbooks from a
plan like `xlplan init`'s example, openpyxl types into them (periods as people write them, dates,
statuses, names, some mistakes), and for the LibreOffice kinds a real headless LibreOffice (default
profile) opens and saves them.

Filling and converting a thousand files one by one would take longer than measuring them, so a few
variants per kind are filled (and converted) once into a cache, and the N files are copies of these
variants with the team's name changed in the XML: each copy is still the bytes openpyxl or
LibreOffice wrote, apart from the name.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = 6  # filled workbooks per kind; the N files are copies of these, renamed
METHODS = {"ics": '"ics"', "icsffb": '["ics", "ffb"]', "styring": '"styringsgrundlag"'}
WRITERS = ("openpyxl", "libreoffice")
AMOUNTS = {"few": 5, "many": 60}  # procesplan rows typed


@dataclass(frozen=True)
class Kind:
    method: str  # a key of METHODS
    writer: str  # openpyxl | libreoffice
    amount: str  # few | many

    @property
    def name(self) -> str:
        return f"{self.method}-{'lo' if self.writer == 'libreoffice' else 'opx'}-{self.amount}"

    @staticmethod
    def parse(name: str) -> "Kind":
        method, writer, amount = name.split("-")
        return Kind(method, "libreoffice" if writer == "lo" else "openpyxl", amount)


ALL_KINDS = [Kind(m, w, a) for m in METHODS for w in WRITERS for a in AMOUNTS]

# Periods as teams type them in a procesplan (Ishøj Kommune's real plan and the forms the README lists),
# some exact, some approximate, a few that are mistakes to be reported.
PERIODS = ["14. august 2027", "4. september", "Uge 40 – 43", "2. november 2027", "Uge 45 – 52", "Uge 5 2028",
           "23. og 24. januar 2028", "19. og 20. marts samt én dag primo april 2028", "Maj, juni og juli",
           "August, september, oktober", "November, december", "primo marts 2027", "efterår 2027",
           "inden sommerferien 2027", "Uge 6 – 13 2027", "Marts – december 2027", "medio juni", "2. halvår 2027",
           "uge 12", "ultimo maj 2027", "31. september 2027", "uge 40 foreløbig", "efter påske 2027", ""]
ACTIVITIES = ["Kursus i ICS-trekanten for alle sagsbehandlere", "Drøftelse på personalemøde", "Temadag for hele teamet",
              "Projektgruppemøde", "Stikprøve af 20 sager", "Makkerpar etableres", "Evaluering af årets arbejde",
              "Introduktionsdag for det samlede personale", "Beslutning om superbrugere",
              "Opsamling og præsentation af samlet materiale\ninkl. proces for implementering"]
NOTES = ["", "", "Husk lokale", "Vikardækning aftalt", "Hvem deltager?\nInvitationer er sendt ud.",
         "Skal være klædt på og have netværk før andre medarbejdere", "Afventer jurist"]
PEOPLE = ["Anna Andersen", "Navn Navnesen"] * 6 + ["Tina Holm", "Flemming / Tina", ""]  # mostly from the list
ACTIVITY_STATUS = ["Afsluttet", "I gang", "Ikke påbegyndt", ""] * 8 + ["igang", "Færdig"]  # a few typed over the list
CRITERION_STATUS = ["Opfyldt", "I gang", "Ikke påbegyndt", "Ikke relevant"] * 8 + ["done"]
RISK_STATUS = ["Åben", "Under håndtering", "Lukket"]


# ---------------------------------------------------------------- typing into a workbook with openpyxl

def _header(ws, first: str, column: int = 1, last: int = 60) -> int | None:
    for row in range(1, last):
        if ws.cell(row=row, column=column).value == first:
            return row
    return None


def _columns(ws, row: int) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[row] if isinstance(cell.value, str)}


def _day(rng: random.Random, year: int = 2027) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 540))


def _fill_procesplan(ws, rows: int, rng: random.Random) -> None:
    header = _header(ws, "Dato/periode")
    cols = _columns(ws, header)
    for row in range(header + 1, header + 1 + rows):
        ws.cell(row=row, column=cols["Dato/periode"], value=rng.choice(PERIODS) or None)
        if rng.random() < 0.4:
            start = _day(rng)
            ws.cell(row=row, column=cols["Fra"], value=start)
            ws.cell(row=row, column=cols["Til"], value=start + dt.timedelta(days=rng.randrange(0, 90)))
        ws.cell(row=row, column=cols["Aktivitet"], value=rng.choice(ACTIVITIES))
        ws.cell(row=row, column=cols["Opmærksomhedspunkter"], value=rng.choice(NOTES) or None)
        ws.cell(row=row, column=cols["Ansvarlig"], value=rng.choice(PEOPLE) or None)
        ws.cell(row=row, column=cols["Status"], value=rng.choice(ACTIVITY_STATUS) or None)


def _fill_plan(ws, rows: int, rng: random.Random) -> None:
    header = _header(ws, "Formål")
    cols = _columns(ws, header)
    for i, row in enumerate(range(header + 1, header + 1 + rows)):
        if i % 3 == 0:
            ws.cell(row=row, column=cols["Formål"], value=f"Formål {i // 3 + 1}: fælles sprog om barnets udvikling")
        ws.cell(row=row, column=cols["Aktivitet"], value=rng.choice(ACTIVITIES))
        ws.cell(row=row, column=cols["Ansvarlig"], value=rng.choice(PEOPLE) or None)
        start = _day(rng)
        ws.cell(row=row, column=cols["Start"], value=start if rng.random() < 0.8 else "uge 12 2027")
        ws.cell(row=row, column=cols["Slut"], value=start + dt.timedelta(days=rng.randrange(0, 200)))
        ws.cell(row=row, column=cols["Delmål"], value="Alle sagsbehandlere har gennemført kurset")
        ws.cell(row=row, column=cols["Delmål-dato"], value=_day(rng))
        for letter in "SMART":
            ws.cell(row=row, column=cols[letter], value=rng.choice(["Ja"] * 12 + ["Nej"] * 3 + ["x"]))
        if rng.random() < 0.5:
            ws.cell(row=row, column=cols["Mål"], value="ICS-trekanten bruges i alle nye undersøgelser")
            ws.cell(row=row, column=cols["Mål-dato"], value=_day(rng, 2028))
        ws.cell(row=row, column=cols["Status"], value=rng.choice(ACTIVITY_STATUS) or None)
        ws.cell(row=row, column=cols["Bemærkning"], value=rng.choice(NOTES) or None)
    followup = _header(ws, "Opfølgning", last=200)
    for offset, answer in enumerate(("Kvartalsvis på ledermødet", "Teamet og afdelingslederen", "Anna Andersen"), 1):
        ws.cell(row=followup + offset, column=3, value=answer)


def _fill_checklist(ws, share: float, rng: random.Random) -> None:
    header = _header(ws, "Nr.")
    cols = _columns(ws, header)
    for row in range(header + 1, ws.max_row + 1):
        ident = ws.cell(row=row, column=1).value
        if not (isinstance(ident, str) and " " not in ident and any(ch.isdigit() for ch in ident)):
            continue
        if rng.random() < share:
            ws.cell(row=row, column=cols["Status"], value=rng.choice(CRITERION_STATUS))
            if rng.random() < 0.3:
                ws.cell(row=row, column=cols["Ansvarlig"], value=rng.choice(PEOPLE) or None)
                ws.cell(row=row, column=cols["Frist"], value=_day(rng))


def _fill_steps(ws, rng: random.Random) -> None:
    header = _header(ws, "Trin")
    cols = _columns(ws, header)
    for row in range(header + 1, header + 8):
        ws.cell(row=row, column=cols["Status"], value=rng.choice(ACTIVITY_STATUS) or None)
        ws.cell(row=row, column=cols["Ansvarlig"], value=rng.choice(PEOPLE) or None)
        ws.cell(row=row, column=cols["Start"], value=_day(rng))
        ws.cell(row=row, column=cols["Frist"], value=_day(rng, 2028))


def _fill_roles(ws, rng: random.Random) -> None:
    header = _header(ws, "Niveau")
    names = _columns(ws, header)["Navn(e)"]
    for row in range(header + 1, header + 8):
        if rng.random() < 0.7:
            ws.cell(row=row, column=names, value=rng.choice(["Anna Andersen", "Navn Navnesen", "Anna Andersen, Navn Navnesen"]))


def _fill_risks(ws, rows: int, rng: random.Random) -> None:
    header = _header(ws, "Nr.")
    cols = _columns(ws, header)
    for row in range(header + 1, header + 1 + rows):
        ws.cell(row=row, column=cols["Risiko"], value="Sagsbehandlerne når ikke kurset pga. sagspres")
        ws.cell(row=row, column=cols["Sandsynlighed (1-5)"], value=rng.randint(1, 5))
        ws.cell(row=row, column=cols["Konsekvens (1-5)"], value=rng.randint(1, 5))
        ws.cell(row=row, column=cols["Handling"], value="Vikardækning og faste kursusdage")
        ws.cell(row=row, column=cols["Ansvarlig"], value=rng.choice(PEOPLE) or None)
        ws.cell(row=row, column=cols["Frist"], value=_day(rng))
        ws.cell(row=row, column=cols["Status"], value=rng.choice(RISK_STATUS))


def fill(path: Path, kind: Kind, seed: int) -> None:
    """Type into a generated team workbook as a team does, and save it with openpyxl."""
    import openpyxl
    rng = random.Random(seed)
    many = kind.amount == "many"
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        title = ws.title
        if title[:1].isdigit() and _header(ws, "Formål"):
            _fill_plan(ws, 15 if many else 2, rng)
        elif title == "Procesplan":
            _fill_procesplan(ws, AMOUNTS[kind.amount], rng)
        elif title.startswith("Fase ") or title == "Rolle og ansvar":
            _fill_checklist(ws, 0.9 if many else 0.2, rng)
        elif title == "Trin":
            _fill_steps(ws, rng)
        elif title == "Roller":
            _fill_roles(ws, rng)
        elif title == "Risikolog":
            _fill_risks(ws, 20 if many else 2, rng)
    over = wb["Oversigt"]
    labels = {over.cell(row=r, column=1).value: r for r in range(1, 20)}
    over.cell(row=labels["Senest opdateret"], column=2, value=_day(rng))
    over.cell(row=labels["Udfyldt af"], column=2, value=rng.choice(PEOPLE[:2]))
    wb.save(path)


# ---------------------------------------------------------------- variants and copies

def _plan(kind: Kind, folder: Path) -> Path:
    """`xlplan init`'s example plan, with the kind's method and one team per variant."""
    text = (ROOT / "xlplan" / "data" / "plan.eksempel.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^metode = .*$", f"metode = {METHODS[kind.method]}", text)
    text = text.replace('navn = "Team Nord"', 'navn = "Team V0"').replace('team = "Team Nord"', 'team = "Alle"')
    head, sep, rest = text.partition("\n[[team]]\n")
    teams = "".join(f'\n[[team]]\nnavn = "Team V{v}"\nkontaktperson = "Anna Andersen"\n' for v in range(1, VARIANTS))
    path = folder / "plan.toml"
    path.write_text(head + teams + sep + rest, encoding="utf-8")
    return path


def variants(kind: Kind, cache: Path) -> list[Path]:
    """The kind's filled (and, for LibreOffice, converted) workbooks, made once into the cache."""
    folder = cache / "variants" / kind.name
    done = sorted(folder.glob("*.xlsx"))
    if len(done) == VARIANTS:
        return done
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="xlplan-bench-") as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-m", "xlplan", "ny", str(_plan(kind, tmp)), "-o", str(tmp / "ny"), "-q"],
                       check=True, cwd=ROOT)
        generated = sorted((tmp / "ny").glob("*.xlsx"))
        generated = [p for p in generated if re.search(r"Team V\d\.xlsx$", p.name)]
        assert len(generated) == VARIANTS, generated
        for seed, path in enumerate(generated):
            fill(path, kind, seed)
        if kind.writer == "libreoffice":
            sys.path.insert(0, str(ROOT / "tests"))
            from libreoffice import convert
            result = convert(generated, "xlsx", tmp / "lo", timeout=600)
            if result.returncode != 0:
                raise SystemExit(f"LibreOffice failed: {result.stderr}")
            generated = sorted((tmp / "lo").glob("*.xlsx"))
            assert len(generated) == VARIANTS, generated
        folder.mkdir(parents=True)
        for path in generated:
            shutil.copyfile(path, folder / path.name)
    return sorted(folder.glob("*.xlsx"))


def renamed_copy(source: Path, target: Path, old: str, new: str) -> None:
    """The workbook with the team's name changed in every XML part: the rest stays as its program wrote it."""
    old_b, new_b = old.encode(), new.encode()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                data = data.replace(old_b, new_b)
            out.writestr(info, data, compress_type=info.compress_type)


def team_files(kind: Kind, n: int, cache: Path) -> Path:
    """A folder of n filled workbooks of the kind, team 0000 to n-1, made once."""
    folder = cache / "kinds" / f"{kind.name}-{n}"
    if folder.is_dir() and len(list(folder.glob("*.xlsx"))) == n:
        return folder
    sources = variants(kind, cache)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        source = sources[i % len(sources)]
        old = re.search(r"Team V\d", source.name).group(0)
        renamed_copy(source, folder / f"team-{i:04d}.xlsx", old, f"Team {i:04d}")
    return folder
