"""Consolidation: read every returned workbook, compute progress per team, and collect every problem.

The library API behind `xlplan tjek` and `xlplan saml`; the management workbook is laid out
by layout/report.py from the Consolidation this returns.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from xlplan.core.errors import Problem, problem
from xlplan.reading.counting import NotCounted, one_per_team
from xlplan.reading.files import collect_files, read_all
from xlplan.core.records import Source, WorkbookRead

if TYPE_CHECKING:  # `tjek` needs neither: it starts faster without them
    from xlplan.core.config import PlanConfig
    from xlplan.reporting.progress import TeamProgress


@dataclass
class Consolidation:
    as_of: dt.date
    municipality: str
    reads: list[WorkbookRead]  # the files that count: one per team (reading/counting.py)
    teams: list[TeamProgress]
    missing_teams: list[str] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # about the set of files, not one file's content
    not_counted: list[NotCounted] = field(default_factory=list)  # a team's other files, each with why

    @cached_property
    def overdue(self) -> frozenset:
        """Every watched date that progress found overdue (team_progress decides it, once): the history
        stores it from here."""
        return frozenset(due for team in self.teams for due in team.overdue)

    @cached_property
    def overdue_sources(self) -> frozenset[Source]:
        """Where the records are that have an overdue date: the listings, the timeline and the exports show
        it from here."""
        return frozenset(due.source for due in self.overdue)

    @property
    def problems(self) -> list[Problem]:
        return self.notices + [p for r in self.reads for p in r.problems]

    def frames(self) -> dict:
        """The reading as pandas DataFrames, one per record kind plus progress, problems and sources, with
        the names and columns of the CSV/Parquet export (reporting/frames.py)."""
        from xlplan.reporting.frames import frames

        return frames(self)


def consolidate(inputs: list[Path], config: PlanConfig | None = None, as_of: dt.date | None = None,
                progress=None, names: dict[Path, str] | None = None) -> Consolidation:
    """Every workbook among `inputs` read and counted. `names`: the names files are shown under wherever a file is
    named (the server's: the name the team sent beside the stored one), by their path as given."""
    as_of = as_of or dt.date.today()
    files, notices = collect_files(inputs)
    reads = read_all(files, progress=progress, names=names)
    return build_consolidation(reads, notices, config, as_of)


def mark_unchanged(c: Consolidation, previous: set[tuple[str, str]]) -> None:
    """Teams whose every file is the one they sent at the previous reading ((team, sha256) pairs) are
    unchanged; their traffic light is decided again with that known."""
    from xlplan.reporting.progress import traffic_light

    sha = {r.file: (r.team.casefold(), r.sha256) for r in c.reads}
    for team in c.teams:
        team.unchanged = bool(previous) and all(sha[f] in previous for f in team.files)
        team.light, team.reasons = traffic_light(team)


def build_consolidation(reads: list[WorkbookRead], notices: list[Problem], config: PlanConfig | None,
                        as_of: dt.date) -> Consolidation:
    from xlplan.reporting.progress import team_progress

    reads, not_counted = one_per_team(reads)
    notices.extend(n.notice for n in not_counted)
    by_team: dict[str, WorkbookRead] = {read.team.casefold(): read for read in reads if read.readable}
    teams: list[TeamProgress] = [team_progress([read], as_of) for read in by_team.values()]
    order = {t.name.casefold(): i for i, t in enumerate(config.teams)} if config else {}
    teams.sort(key=lambda t: (order.get(t.team.casefold(), len(order)), t.team.casefold()))
    missing = [t.name for t in config.teams if t.name.casefold() not in by_team] if config else []
    for name in missing:
        notices.append(problem("RB019", team=name))
    team_rank = {t.team.casefold(): i for i, t in enumerate(teams)}
    reads = sorted(reads, key=lambda r: (team_rank.get(r.team.casefold(), len(team_rank)), r.file))
    municipality = config.municipality if config else next(
        (r.info.kommune for r in reads if r.info and r.info.kommune), "")
    return Consolidation(as_of, municipality or "", reads, teams, missing, notices, not_counted)
