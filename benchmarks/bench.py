"""xlplan at national scale: reading, checking, consolidating and generating, against floors and naive loops.

Usage:
    python benchmarks/bench.py                 # 1,000 files, medians of 3 runs (several minutes)
    python benchmarks/bench.py --files 100 --runs 1

It generates N realistic filled team workbooks (the three bundled samples, varied, with a few bad
files mixed in: truncated, CSV named .xlsx, legacy .xls), then measures on the same files, in the
same run: a bare python-calamine read of every cell (the floor), `xlplan check` and `xlplan
consolidate` (whole processes; in turns with the floor, round after round, each round giving its
own ratios), a naive pandas.read_excel loop, the scaling from 10 to 100 to N files,
peak memory, and `xlplan new` for N teams against a bare XlsxWriter script writing the same cells
and formats (in memory, on every core). It prints a table; it asserts nothing.

    python benchmarks/bench.py --kinds all      # every kind a municipality sends (about 25 minutes)
    python benchmarks/bench.py --kinds ics-opx-many,styring-lo-few --files 300 --big 1000

With --kinds it measures each kind of workbook (benchmarks/workbooks.py: ICS, ICS with FFB and
styringsgrundlag workbooks, filled by openpyxl or saved by LibreOffice, with few or many rows; "samples"
is the generated workbooks above) the same way: the floor, check and consolidate in interleaved rounds
on --files files (wall and CPU time, consolidate's layout and writing of the management workbook
apart), the naive loop once on the same files, and check and consolidate once on --big files (time,
peak memory, the management workbook's layout and writing). It prints one table per measure.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from xlplan.fixing.carry import fresh_copy
from xlplan.reading.readback import read_team_workbook
from xlplan.xlsx.writer import render

SAMPLES = sorted((ROOT / "samples" / "returned").glob("*.xlsx"))
STATUSES = ["Opfyldt", "I gang", "Ikke påbegyndt", "Ikke relevant"]
BAD_EVERY = 200


# ---------------------------------------------------------------- inputs

def _make(args) -> None:
    index, folder = args
    rng = random.Random(index)
    read = read_team_workbook(SAMPLES[index % len(SAMPLES)])
    read.team = f"Team {index:04d}"
    if read.info:
        read.info.team = read.team
    for c in read.criteria:
        c.status = rng.choice(STATUSES)
    layout, _ = fresh_copy(read, dt.datetime(2026, 6, 1, 9))
    (folder / f"team-{index:04d}.xlsx").write_bytes(render(layout))


def _bad_files(folder: Path, count: int, good: Path) -> None:
    import hostile
    for i in range(count):
        kind = i % 3
        if kind == 0:
            hostile.truncated_file(good, folder / f"afkortet-{i}.xlsx")
        elif kind == 1:
            (folder / f"csv-{i}.xlsx").write_text("Team;Status\nA;Opfyldt\n", encoding="utf-8")
        else:
            hostile.legacy_xls(folder / f"gammel-{i}.xlsx")


def inputs(n: int, cache: Path) -> Path:
    folder = cache / f"inputs-{n}"
    bad = max(1, n // BAD_EVERY)
    if folder.is_dir() and len(list(folder.glob("*.xlsx"))) == n + bad:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        pool.map(_make, [(i, folder) for i in range(n)], chunksize=8)
    _bad_files(folder, bad, folder / "team-0000.xlsx")
    print(f"Generated {n} team workbooks (+{bad} bad files) in {time.perf_counter() - started:.1f} s")
    return folder


# ---------------------------------------------------------------- measurements

def good_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("team-*.xlsx"))


def calamine_floor(files: list[Path]) -> None:
    from python_calamine import CalamineWorkbook
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def naive_pandas(files: list[Path]) -> None:
    import pandas
    for path in files:
        pandas.read_excel(path, engine="openpyxl", sheet_name=None)


def in_process(fn, files) -> float:
    started = time.perf_counter()
    fn(files)
    return time.perf_counter() - started


def cli(*args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB, the largest single process) of one `xlplan` run."""
    code = ("import resource, sys; from xlplan.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(max(me, kids), file=sys.stderr)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    peak = int(done.stderr.strip().splitlines()[-1]) / 1024
    return elapsed, peak


TIMED_CLI = """import resource, sys, time
from xlplan.cli import main
from xlplan.reporting import report
from xlplan.xlsx import writer
spent = {"layout": 0.0, "render": 0.0}

def timed(module, name, key):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started
    setattr(module, name, wrapper)
timed(report, "report_workbook", "layout")
timed(writer, "render", "render")
try:
    main(sys.argv[1:])
except SystemExit:
    pass
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(max(me.ru_maxrss, kids.ru_maxrss), me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
      spent["layout"], spent["render"], file=sys.stderr)
"""


def timed_cli(*args: str) -> dict:
    """One `xlplan` run as a whole process: wall and CPU seconds (the process and its workers), peak RSS
    (MB, the largest single process), and the seconds spent laying out and writing the management workbook."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", TIMED_CLI, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    peak, cpu, layout, render = done.stderr.strip().splitlines()[-1].split()
    return {"wall": wall, "cpu": float(cpu), "peak": int(peak) / 1024, "layout": float(layout),
            "render": float(render)}


def cpu_of(fn, *args) -> tuple[float, float]:
    """Wall and CPU seconds of an in-process call."""
    started, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - started, time.process_time() - cpu


def median(fn, runs: int) -> float:
    return statistics.median(fn() for _ in range(runs))


def subset(folder: Path, n: int, cache: Path) -> Path:
    target = cache / f"subset-{n}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for path in good_files(folder)[:n]:
        os.symlink(path, target / path.name)
    return target


# ---------------------------------------------------------------- generation

def _bare_write(layout) -> bytes:
    """The same cells and formats as xlplan writes, by plain XlsxWriter calls and nothing else."""
    import io
    import xlsxwriter
    from xlsxwriter.utility import xl_range

    from xlplan.xlsx.model import Formula
    from xlplan.xlsx.styles import STYLES
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = {}

    def fmt(name):
        if name not in formats:
            formats[name] = book.add_format(STYLES[name])
        return formats[name]
    for sheet in layout.sheets:
        ws = book.add_worksheet(sheet.name)
        for col, width in sheet.column_widths.items():
            ws.set_column(col, col, width)
        for row, height in sheet.row_heights.items():
            ws.set_row(row, height)
        for m in sheet.merges:
            if (m.first_row, m.first_col) != (m.last_row, m.last_col):
                ws.merge_range(m.first_row, m.first_col, m.last_row, m.last_col, "", fmt(m.style))
            ws.write(m.first_row, m.first_col, m.value.text if isinstance(m.value, Formula) else m.value, fmt(m.style))
        for c in sheet.cells:
            value = c.value.text if isinstance(c.value, Formula) else c.value
            ws.write(c.row, c.col, value, fmt(c.style))
        rules = {}  # the same rule over several ranges is one validation, as xlplan writes it
        for v in sheet.validations:
            options = {"validate": v.kind, "error_type": v.error_type}
            if v.kind == "list":
                options["source"] = v.source
            elif v.kind in ("date", "whole"):
                options.update({"criteria": "between", "minimum": v.minimum, "maximum": v.maximum})
            if v.input_message:
                options.update({"input_title": v.input_title, "input_message": v.input_message})
            if v.error_message:
                options.update({"error_title": v.error_title, "error_message": v.error_message})
            key = repr(sorted(options.items(), key=lambda kv: kv[0]))
            rules.setdefault(key, (options, []))[1].append((v.first_row, v.first_col, v.last_row, v.last_col))
        for options, ranges in rules.values():
            for i in range(0, len(ranges), 100):
                part = ranges[i:i + 100]
                if len(part) > 1:
                    options = {**options, "multi_range": " ".join(xl_range(*r) for r in part)}
                ws.data_validation(*part[0], options)
        for cf in sheet.conditional_formats:
            ws.conditional_format(cf.first_row, cf.first_col, cf.last_row, cf.last_col,
                                  {"type": "formula", "criteria": cf.formula, "format": fmt(cf.style)})
        if sheet.protect:
            ws.protect()
    book.close()
    return buffer.getvalue()


def _bare_job(args) -> None:
    layout, path = args
    path.write_bytes(_bare_write(layout))


def bare_xlsxwriter(layouts, folder: Path) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        pool.map(_bare_job, [(layout, folder / f"{i}.xlsx") for i, layout in enumerate(layouts)], chunksize=8)
    return time.perf_counter() - started


def big_config(n: int, cache: Path) -> Path:
    text = (ROOT / "samples" / "plan.toml").read_text(encoding="utf-8").split("[[team]]")[0]
    text += "".join(f'[[team]]\nnavn = "Team {i:04d}"\n\n' for i in range(n))
    path = cache / f"plan-{n}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- kinds

def kind_folder(name: str, n: int, cache: Path) -> Path:
    if name == "samples":
        return inputs(n, cache)
    import workbooks
    return workbooks.team_files(workbooks.Kind.parse(name), n, cache)


def check_args(folder: Path) -> tuple[str, ...]:
    return ("tjek", str(folder), "--kun-fejl")


def consolidate_args(folder: Path, cache: Path) -> tuple[str, ...]:
    return ("saml", str(folder), "-o", str(cache / "samlet.xlsx"), "--uden-historik", "-q", "--opgjort-pr", "01-06-2027")


def measure_kind(name: str, args) -> dict:
    """One kind: interleaved rounds on --files files, the naive loop once on them, one run on --big files."""
    folder = kind_folder(name, args.files, args.cache)
    files = good_files(folder)
    rounds = []
    for _ in range(args.runs):
        floor = cpu_of(calamine_floor, files)
        check = timed_cli(*check_args(folder))
        cons = timed_cli(*consolidate_args(folder, args.cache))
        rounds.append((floor, check, cons))
        print(f"  {name} round: floor {floor[0]:.2f} s, check {check['wall']:.2f} s ({check['wall'] / floor[0]:.2f} ×), "
              f"consolidate {cons['wall']:.2f} s ({cons['wall'] / floor[0]:.2f} ×)", flush=True)
    naive = statistics.median(in_process(naive_pandas, files) for _ in range(args.naive_runs)) \
        if args.naive_runs else None
    result = {"name": name, "n": len(files), "rounds": rounds, "naive": naive}
    if args.big:
        big = kind_folder(name, args.big, args.cache)
        result["big_n"] = len(good_files(big))
        result["big_check"] = timed_cli(*check_args(big))
        result["big_cons"] = timed_cli(*consolidate_args(big, args.cache))
    return result


def print_kinds(results: list[dict], args) -> None:
    def med(values):
        return statistics.median(values)
    print(f"\nInterleaved rounds on {args.files} files per kind, {os.cpu_count()} cores, medians of {args.runs} "
          f"round(s); ratios are the medians of the rounds' own ratios; CPU includes the workers")
    print(f"{'kind':20} {'floor s':>8} {'check s':>8} {'check ×':>8} {'check CPU ×':>11} {'cons. s':>8} {'cons. ×':>8} "
          f"{'cons. CPU ×':>11} {'write s':>8} {'naive s':>8} {'naive/cons.':>11}")
    for r in results:
        rounds = r["rounds"]
        floor = med(f[0] for f, _, _ in rounds)
        check = med(c["wall"] for _, c, _ in rounds)
        cons = med(k["wall"] for _, _, k in rounds)
        naive = r["naive"]
        print(f"{r['name']:20} {floor:8.2f} {check:8.2f} {med(c['wall'] / f[0] for f, c, _ in rounds):8.2f} "
              f"{med(c['cpu'] / f[1] for f, c, _ in rounds):11.2f} {cons:8.2f} "
              f"{med(k['wall'] / f[0] for f, _, k in rounds):8.2f} {med(k['cpu'] / f[1] for f, _, k in rounds):11.2f} "
              f"{med(k['layout'] + k['render'] for _, _, k in rounds):8.2f} "
              f"{'' if naive is None else f'{naive:8.1f}'} {'' if naive is None else f'{naive / cons:11.1f}'}")
    big = [r for r in results if "big_n" in r]
    if big:
        print(f"\nOne run on {args.big} files per kind (whole processes; write = the management workbook's "
              f"layout + writing)")
        print(f"{'kind':20} {'check s':>8} {'check MB':>9} {'cons. s':>8} {'cons. MB':>9} {'layout s':>9} "
              f"{'render s':>9} {f'MB at {args.files}':>10}")
        for r in big:
            c, k = r["big_check"], r["big_cons"]
            small = max(k2["peak"] for _, _, k2 in r["rounds"])
            print(f"{r['name']:20} {c['wall']:8.2f} {c['peak']:9.0f} {k['wall']:8.2f} {k['peak']:9.0f} "
                  f"{k['layout']:9.2f} {k['render']:9.2f} {small:10.0f}")


def kinds_main(args) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import workbooks
    names = ["samples", *(k.name for k in workbooks.ALL_KINDS)] if args.kinds == "all" else args.kinds.split(",")
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"{dt.datetime.now():%d-%m-%Y %H:%M}, load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    results = [measure_kind(name, args) for name in names]
    print_kinds(results, args)
    print(f"\nDone {dt.datetime.now():%d-%m-%Y %H:%M}, load average {os.getloadavg()[0]:.2f}")


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=None, help="1,000; with --kinds 300")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-runs", type=int, default=1, help="the naive pandas loop is slow")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xlplan-bench")
    parser.add_argument("--kinds", help="'all' or kinds separated by commas (see benchmarks/workbooks.py)")
    parser.add_argument("--big", type=int, default=1000, help="with --kinds: the one run on many files (0: none)")
    args = parser.parse_args()
    if args.kinds:
        args.files = args.files or 300
        kinds_main(args)
        return
    args.files = args.files or 1000
    cache = args.cache
    cache.mkdir(parents=True, exist_ok=True)
    folder = inputs(args.files, cache)
    files = good_files(folder)
    n = len(files)

    # The floor, check and consolidate are measured in turns, round after round, and each round gives its
    # own ratios: a shared machine that speeds up or slows down over minutes then moves all three alike.
    out = cache / "samlet.xlsx"
    rounds = []
    for _ in range(args.runs):
        floor_t = in_process(calamine_floor, files)
        check_t, check_mem = cli("tjek", str(folder), "--kun-fejl")
        cons_t, cons_mem = cli("saml", str(folder), "-o", str(out), "--uden-historik", "-q", "--opgjort-pr", "01-06-2026")
        rounds.append((floor_t, check_t, check_mem, cons_t, cons_mem))
    naive = median(lambda: in_process(naive_pandas, files), args.naive_runs)
    floor = statistics.median(r[0] for r in rounds)
    check_t, check_mem = statistics.median(r[1] for r in rounds), max(r[2] for r in rounds)
    cons_t, cons_mem = statistics.median(r[3] for r in rounds), max(r[4] for r in rounds)
    check_ratio = statistics.median(r[1] / r[0] for r in rounds)
    cons_ratio = statistics.median(r[3] / r[0] for r in rounds)
    rows = [("python-calamine, every cell (floor)", floor, None),
            ("pandas.read_excel(openpyxl), all sheets", naive, None),
            ("xlplan check (whole process)", check_t, check_mem),
            ("xlplan consolidate (whole process)", cons_t, cons_mem)]

    print(f"\nReading {n} filled team workbooks (+{len(list(folder.glob('*.xlsx'))) - n} bad), "
          f"{os.cpu_count()} cores, median of {args.runs} round(s)")
    print(f"{'what':42} {'total s':>9} {'ms/file':>8} {'× floor':>8} {'× naive':>8} {'peak MB':>8}")
    for label, seconds, peak in rows:
        print(f"{label:42} {seconds:9.2f} {seconds / n * 1000:8.2f} {seconds / floor:8.2f} "
              f"{seconds / naive:8.3f} {'' if peak is None else f'{peak:8.0f}'}")
    print("Rounds (floor s, check × floor, consolidate × floor): " + "; ".join(
        f"{r[0]:.2f}, {r[1] / r[0]:.2f}, {r[3] / r[0]:.2f}" for r in rounds))
    print(f"\nTargets (median of the rounds' ratios): check ≤ 1.5 × floor: {check_ratio:.2f}; "
          f"consolidate ≤ 4 × floor: {cons_ratio:.2f}, "
          f"≥ 10 × faster than naive: {naive / cons_t:.1f} ×; consolidate peak < 500 MB: {cons_mem:.0f} MB")

    print("\nScaling")
    print(f"{'files':>6} {'check s':>9} {'consolidate s':>14} {'consolidate MB':>15}")
    for size in [s for s in (10, 100, 1000, n) if s <= n][:4]:
        part = subset(folder, size, cache) if size < n else folder
        c_t, _ = cli("tjek", str(part), "--kun-fejl")
        k_t, k_m = cli("saml", str(part), "-o", str(out), "--uden-historik", "-q", "--opgjort-pr", "01-06-2026")
        print(f"{size:>6} {c_t:9.2f} {k_t:14.2f} {k_m:15.0f}")
        if size == n:
            break

    print(f"\nGenerating {n} team workbooks")
    config = big_config(n, cache)
    new_t = statistics.median(cli("ny", str(config), "-o", str(cache / "new"), "--overskriv", "-q")[0]
                              for _ in range(args.runs))
    from xlplan.core.config import load_config
    from xlplan.workbook.workbook import build_workbook
    plan = load_config(config)
    layouts = [build_workbook(plan, team, dt.datetime(2026, 1, 5)) for team in plan.teams]
    bare_t = statistics.median(bare_xlsxwriter(layouts, cache / "bare") for _ in range(args.runs))
    print(f"  xlplan new (whole process): {new_t:.2f} s; bare XlsxWriter, same cells, in memory, "
          f"{os.cpu_count()} cores: {bare_t:.2f} s; ratio {new_t / bare_t:.2f} (target ≤ 1.2)")
    for module in ("pandas", "openpyxl", "xlsxwriter"):
        code = f"import sys; from xlplan.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n" \
               f"print('{module}' in sys.modules)"
        loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout
        print(f"  xlplan --help imports {module}: {loaded.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
