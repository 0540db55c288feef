"""xlplan's reader against python-calamine on real workbooks: every cell of every sheet, file by file.

Usage:
    python benchmarks/real_workbooks.py                       # tests/data/real/ and samples/returned/
    python benchmarks/real_workbooks.py FOLDER ... --runs 7

Each reader runs in its own process (`--reader xlplan|calamine`, started by this script), which imports
its library once, reads each file `--runs` times and reports the median per file; the two processes run
in turns, round after round, so that a neighbour's load falls on both. It prints the per-file medians
(milliseconds; the best of the rounds), the totals, and the ratio xlplan/calamine of the totals and of
the median file (issue #26: at most 2). It asserts nothing.
A file one reader refuses is listed as refused and left out of both totals.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "tests" / "data" / "real", ROOT / "samples" / "returned"]


def _files(folders) -> list[Path]:
    return sorted(p for folder in folders for p in Path(folder).iterdir() if p.suffix in (".xlsx", ".xlsm"))


def _reader(name: str):
    if name == "xlplan":
        from xlplan.xlsx.reader import read_workbook

        def read(path):
            return sum(len(sheet.cells) for sheet in read_workbook(path).sheets)
    else:
        import python_calamine

        def read(path):
            book = python_calamine.load_workbook(str(path))
            return sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
    return read


def _measure(name: str, paths: list[str], runs: int) -> dict:
    read = _reader(name)
    found = {}
    for path in paths:
        times = []
        try:
            for _ in range(runs):
                start = time.perf_counter()
                read(path)
                times.append(time.perf_counter() - start)
        except Exception as error:  # noqa: BLE001 - a refusal is a figure here, not a failure
            found[path] = f"refused: {type(error).__name__}"
            continue
        found[path] = statistics.median(times)
    return found


def _in_process(name: str, paths: list[Path], runs: int) -> dict:
    command = [sys.executable, __file__, "--reader", name, "--runs", str(runs), *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="reads of each file in a process (median)")
    parser.add_argument("--rounds", type=int, default=3, help="processes of each reader, in turns")
    parser.add_argument("--reader", choices=["xlplan", "calamine"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:  # the child: paths are files
        print(json.dumps(_measure(args.reader, [str(p) for p in args.paths], args.runs)))
        return
    files = _files(args.paths or DEFAULT)
    rounds = {"xlplan": [], "calamine": []}
    for _ in range(args.rounds):
        for name in rounds:
            rounds[name].append(_in_process(name, files, args.runs))
    print(f"{'file':60} {'xlplan ms':>10} {'calamine ms':>12} {'ratio':>6}")
    totals = {"xlplan": 0.0, "calamine": 0.0}
    ratios = []
    for path in map(str, files):
        figures = {}
        for name, found in rounds.items():
            values = [r[path] for r in found]
            figures[name] = min(values) if all(isinstance(v, float) for v in values) else values[0]
        label = Path(path).name[:60]
        if not all(isinstance(v, float) for v in figures.values()):
            print(f"{label:60} {figures['xlplan']!s:>10} {figures['calamine']!s:>12}")
            continue
        for name in totals:
            totals[name] += figures[name]
        ours, theirs = figures["xlplan"] * 1000, figures["calamine"] * 1000
        ratios.append(ours / theirs)
        print(f"{label:60} {ours:10.2f} {theirs:12.2f} {ours / theirs:6.2f}")
    ours, theirs = totals["xlplan"] * 1000, totals["calamine"] * 1000
    print(f"{'total (' + str(len(files)) + ' files)':60} {ours:10.2f} {theirs:12.2f} {ours / theirs:6.2f}")
    print(f"xlplan/calamine: {ours / theirs:.2f} in total, {statistics.median(ratios):.2f} the median file's"
          " (the target is at most 2; a small file's time is mostly opening it)")


if __name__ == "__main__":
    main()
