"""Which of the files read counts for a team: a reading counts each team once.

A folder of returned workbooks often holds a team's workbook more than once: the same file saved twice
from mail (`… (1).xlsx`), or a first and a fixed version. The rule, said in every notice:
- files with identical bytes (sha256) are one file: the one with the shortest name counts (RB063);
- of a team's different files the newest counts: by the workbook's own "Senest opdateret" (RB018), else
  by the time the program that saved it wrote into it (RB060), else by the file's time in the folder
  (RB061); where every date is equal, the first by name counts, and that is said too (RB062).
Every file not counted is named, with the file that counts instead and why. `tjek` and `saml` (and
through it `serve`) decide it here, once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlplan.core.errors import Problem, problem
from xlplan.core.records import WorkbookRead

COPY = "RB063"
# The criteria in the order they decide, each with its code and how its value is shown.
CRITERIA = ("RB018", "RB060", "RB061")
SAME_DATES = "RB062"


@dataclass(frozen=True)
class NotCounted:
    """A file left out of the reading, the file that counts instead, and the notice that says why."""

    read: WorkbookRead
    counted: WorkbookRead
    notice: Problem

    @property
    def copy(self) -> bool:
        return self.notice.code == COPY


def one_per_team(reads: list[WorkbookRead]) -> tuple[list[WorkbookRead], list[NotCounted]]:
    """The reads that count (in the order given) and those that do not, each with why."""
    left_out: list[NotCounted] = []
    by_bytes: dict[str, list[WorkbookRead]] = {}
    for read in reads:
        if read.sha256:
            by_bytes.setdefault(read.sha256, []).append(read)
    for same in by_bytes.values():
        original = min(same, key=lambda r: (len(r.file), r.file))
        left_out += [NotCounted(r, original, problem(COPY, file=r.file, original=original.file))
                     for r in same if r is not original]
    copies = {id(n.read) for n in left_out}
    by_team: dict[str, list[WorkbookRead]] = {}
    for read in reads:
        if read.readable and id(read) not in copies:
            by_team.setdefault(read.team.casefold(), []).append(read)
    for group in by_team.values():
        if len(group) > 1:
            left_out += _newest_counts(group)
    out = {id(n.read) for n in left_out}
    return [r for r in reads if id(r) not in out], left_out


def _dates(read: WorkbookRead) -> tuple:
    """The read's value for each criterion (None where it has none)."""
    info = read.info
    updated = (info.opdateret.end or info.opdateret.start) if info is not None and info.opdateret else None
    return updated, read.saved, read.modified


def _newest_counts(group: list[WorkbookRead]) -> list[NotCounted]:
    dates = {id(r): _dates(r) for r in group}
    # A criterion decides only where every file has it: a date on one file is no proof against none on another.
    usable = [i for i in range(len(CRITERIA)) if all(dates[id(r)][i] is not None for r in group)]
    ordered = sorted(sorted(group, key=lambda r: r.file),
                     key=lambda r: tuple(dates[id(r)][i] for i in usable), reverse=True)
    counted = ordered[0]
    out = []
    for read in ordered[1:]:
        decided = next((i for i in usable if dates[id(read)][i] != dates[id(counted)][i]), None)
        if decided is None:
            notice = problem(SAME_DATES, file=read.file, team=counted.team, talt=counted.file)
        else:
            notice = problem(CRITERIA[decided], file=read.file, team=counted.team, talt=counted.file,
                             nyeste=_shown(dates[id(counted)][decided]), denne=_shown(dates[id(read)][decided]))
        out.append(NotCounted(read, counted, notice))
    return out


def _shown(value: dt.date | dt.datetime) -> str:
    """dd-mm-åååå, with the time for a time."""
    if isinstance(value, dt.datetime):
        return f"{value:%d-%m-%Y %H:%M}"
    return f"{value:%d-%m-%Y}"
