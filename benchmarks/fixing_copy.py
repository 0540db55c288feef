"""The fixing copy against the number of problems: does it grow linearly?

Usage:
    python benchmarks/fixing_copy.py                       # 1,000 / 10,000 / 30,000 problems
    python benchmarks/fixing_copy.py --problems 1000,5000 --runs 3

For each size it builds a team workbook whose Procesplan has rows with a week that does not exist and a
status no list offers (tests/hostile.py, the file of issue 26: 0.1 MB for 2,000 rows), reads it, and
times the fixing copy as `tjek --rettekopier` makes it (the fresh copy, the marks, the Rettelser sheet,
the written file), once as shipped (the first MARKED_AT_MOST problems marked, the rest counted) and once
with every problem marked (the limit lifted: the marking alone, without the limit hiding it). It prints
the seconds, the microseconds per problem and each step's growth against the growth of the problems
(1.0 is linear, 2.0 quadratic); it asserts nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402
from xlplan.core.config import load_config  # noqa: E402
from xlplan.fixing import carry  # noqa: E402
from xlplan.reading.readback import read_team_workbook  # noqa: E402
from xlplan.workbook.generate import render_workbook  # noqa: E402
from xlplan.xlsx.writer import render  # noqa: E402

WHEN = dt.datetime(2026, 6, 15, 9)
LINEAR_UP_TO = 1.3  # growth exponent said to be linear (the fresh copy's fixed part makes small sizes dearer)


def workbook(folder: Path, problems: int) -> Path:
    config = load_config(ROOT / "samples" / "plan.toml")
    source = folder / "team.xlsx"
    if not source.exists():
        source.write_bytes(render_workbook(config, config.teams[0], WHEN))
    return hostile.bad_weeks_and_statuses(source, folder / f"problemer-{problems}.xlsx",
                                          hostile.rows_for_problems(problems))


def copy_seconds(read, every: bool) -> tuple[float, int]:
    """Seconds for one fixing copy (laid out and written) and the cells it marks."""
    limit = carry.MARKED_AT_MOST
    carry.MARKED_AT_MOST = len(read.problems) if every else limit
    try:
        started = time.perf_counter()
        layout, placed = carry.annotated(read, WHEN)
        render(layout)
        return time.perf_counter() - started, sum(1 for p in placed if p.sheet)
    finally:
        carry.MARKED_AT_MOST = limit


def growth(small: tuple[int, float], large: tuple[int, float]) -> float:
    """The exponent k in time ~ problems^k between two sizes."""
    import math

    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", default="1000,10000,30000")
    parser.add_argument("--runs", type=int, default=1, help="median of so many runs per size")
    args = parser.parse_args()
    sizes = [int(n) for n in args.problems.split(",")]
    print(f"{dt.datetime.now():%d-%m-%Y %H:%M}, MARKED_AT_MOST = {carry.MARKED_AT_MOST}")
    print(f"{'problems':>9} {'file MB':>8} {'read s':>7} {'copy s':>7} {'µs/problem':>11} {'marked':>7} "
          f"{'all marked s':>13} {'µs/problem':>11} {'marked':>7}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = workbook(Path(folder), size)
            started = time.perf_counter()
            read = read_team_workbook(path)
            read_s = time.perf_counter() - started
            n = len(read.problems)
            capped = [copy_seconds(read, every=False) for _ in range(args.runs)]
            every = [copy_seconds(read, every=True) for _ in range(args.runs)]
            c, e = statistics.median(s for s, _ in capped), statistics.median(s for s, _ in every)
            rows.append((n, c, e))
            print(f"{n:>9} {path.stat().st_size / 1e6:8.2f} {read_s:7.2f} {c:7.2f} {c / n * 1e6:11.0f} "
                  f"{capped[0][1]:>7} {e:13.2f} {e / n * 1e6:11.0f} {every[0][1]:>7}")
    for (n1, c1, e1), (n2, c2, e2) in zip(rows, rows[1:]):
        kc, ke = growth((n1, c1), (n2, c2)), growth((n1, e1), (n2, e2))
        print(f"{n1} → {n2} problems: copy grows as n^{kc:.2f}, every problem marked as n^{ke:.2f}: "
              f"{'linear' if max(kc, ke) <= LINEAR_UP_TO else 'NOT linear'}")


if __name__ == "__main__":
    main()
