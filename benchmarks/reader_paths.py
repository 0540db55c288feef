"""The reader's two paths, part kind by part kind: the fast path against expat, on the same workbooks.

Usage:
    python benchmarks/reader_paths.py                     # the samples and the templates
    python benchmarks/reader_paths.py FILE.xlsx ...

For each workbook it times reading the sheets' cells, the shared strings and the date styles with the
regular-expression fast path and with expat, and the whole read with each (best of --repeat runs, in
milliseconds), and says which parts the fast path left to expat. It prints a table; it asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlplan.xlsx import reader as xlsx_reader  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def measure(path: Path, repeat: int) -> tuple[dict[str, float], list[str]]:
    reader = xlsx_reader._Reader(zipfile.ZipFile(path))
    sheets, dates = reader._workbook()
    targets, types = reader._relationships("xl/_rels/workbook.xml.rels", "xl")
    strings_part = types.get("sharedStrings", "xl/sharedStrings.xml")
    styles_part = types.get("styles", "xl/styles.xml")
    strings_data, styles_data = reader.part(strings_part) or b"", reader.part(styles_part) or b""
    strings, date_styles = reader._shared_strings(strings_part), reader._date_styles(styles_part)
    parts = [(name, reader.part(targets[rid])) for name, _, rid in sheets]
    left_to_expat = [name for name, data in parts
                     if not xlsx_reader._scan_sheet(data, xlsx_reader.RawSheet(name, ""), strings, date_styles, dates,
                                                    reader)]
    if strings_data and xlsx_reader._scan_shared_strings(strings_data) is None:
        left_to_expat.append("shared strings")
    if styles_data and xlsx_reader._scan_date_styles(styles_data) is None:
        left_to_expat.append("styles")

    def sheets_fast():
        reader.cells = 0
        for name, data in parts:
            sheet = xlsx_reader.RawSheet(name, "")
            if not xlsx_reader._scan_sheet(data, sheet, strings, date_styles, dates, reader):
                reader._sheet(data, xlsx_reader.RawSheet(name, ""), strings, date_styles, dates)

    def sheets_expat():
        reader.cells = 0
        for name, data in parts:
            reader._sheet(data, xlsx_reader.RawSheet(name, ""), strings, date_styles, dates)

    def whole(fast: bool):
        xlsx_reader.FAST = fast
        try:
            xlsx_reader.read_workbook(path)
        finally:
            xlsx_reader.FAST = True

    def expat_part(method, name):
        xlsx_reader.FAST = False
        try:
            method(name)
        finally:
            xlsx_reader.FAST = True

    figures = {
        "cells fast": best(sheets_fast, repeat), "cells expat": best(sheets_expat, repeat),
        "strings fast": best(lambda: xlsx_reader._scan_shared_strings(strings_data), repeat) if strings_data else 0,
        "strings expat": best(lambda: expat_part(reader._shared_strings, strings_part), repeat) if strings_data else 0,
        "styles fast": best(lambda: xlsx_reader._scan_date_styles(styles_data), repeat),
        "styles expat": best(lambda: expat_part(reader._date_styles, styles_part), repeat),
        "read fast": best(lambda: whole(True), repeat), "read expat": best(lambda: whole(False), repeat),
    }
    return figures, left_to_expat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    files = args.files or [*sorted((ROOT / "samples" / "returned").glob("*.xlsx")),
                           *sorted((ROOT / "templates" / "xlsx").glob("*.xlsx"))]
    columns = ["cells fast", "cells expat", "strings fast", "strings expat", "styles fast", "styles expat",
               "read fast", "read expat"]
    print(f"{'workbook (ms, best of ' + str(args.repeat) + ')':42}" + "".join(f"{c:>14}" for c in columns))
    for path in files:
        figures, left = measure(path, args.repeat)
        print(f"{path.name[:42]:42}" + "".join(f"{figures[c]:14.2f}" for c in columns)
              + (f"   left to expat: {', '.join(left)}" if left else ""))


if __name__ == "__main__":
    main()
