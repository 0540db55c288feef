"""Carrying a filled workbook onto the current template, and saying what moved, what was renamed and
what had no place (kept on a sheet of its own, never dropped)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xlplan.core import versions
from xlplan.fixing.carry import fresh_copy
from xlplan.core.errors import Problem, problem, XlplanError
from xlplan.workbook.generate import write_atomic
from xlplan.reading.readback import known_criteria, read_team_workbook
from xlplan.core.records import RECORD_KINDS, WorkbookRead


@dataclass
class Migration:
    source: str
    target: Path
    from_version: str | None
    to_version: int
    moved: dict[str, int] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)  # renamed, new, unplaced
    problems: list[Problem] = field(default_factory=list)  # from reading the old workbook


def migrate(path: Path, target: Path, generated: dt.datetime | None = None) -> Migration:
    from xlplan.xlsx.writer import render

    read = read_team_workbook(path)
    if not read.readable:
        raise XlplanError(read.problems)
    layout, _ctx = fresh_copy(read, generated or dt.datetime.now().replace(microsecond=0))
    write_atomic(target, render(layout))
    return _report(read, target)


def _report(read: WorkbookRead, target: Path) -> Migration:
    version = int(read.template_version) if (read.template_version or "").isdigit() else versions.current()
    mapping = versions.mapping_from(version)
    result = Migration(read.file, target, read.template_version, versions.current(),
                       {kind.label: len(getattr(read, kind.attribute)) for kind in RECORD_KINDS})
    for _what, old, new in read.renamed:
        result.notes.append(problem("MIG001", file=read.file, gammel=old, ny=new))
    known = known_criteria()
    for cid in sorted(mapping.new_criteria):
        if cid in known:
            result.notes.append(problem("MIG002", file=read.file, id=cid, tekst=known[cid][3]))
    columns: dict[str, int] = {}
    for row in read.records():
        if getattr(row, "own", False):
            continue  # an own row's texts stand in the template's columns
        for header in row.extra:
            columns[header] = columns.get(header, 0) + 1
    for header, count in columns.items():
        result.notes.append(problem("MIG003", file=read.file, kolonne=header, antal=count))
    # A criterion new in this version is expected to be missing from the old workbook.
    result.problems = [p for p in read.problems
                       if not (p.code == "RB014" and p.values.get("id") in mapping.new_criteria)]
    return result
