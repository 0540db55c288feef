"""Consolidation: read every returned workbook, compute progress per team, and collect every problem.

The library API behind `xlplan check` and `xlplan consolidate`; the management workbook is laid out
by layout/report.py from the Consolidation this returns.
"""
from __future__ import annotations

import datetime as dt
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xlplan.core.errors import Problem, problem, XlplanError
from xlplan.core.names import display_name
from xlplan.core.records import WorkbookRead

if TYPE_CHECKING:  # `check` needs neither: it starts faster without them
    from xlplan.core.config import PlanConfig
    from xlplan.reporting.progress import TeamProgress

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


@dataclass
class Consolidation:
    as_of: dt.date
    municipality: str
    reads: list[WorkbookRead]
    teams: list[TeamProgress]
    missing_teams: list[str] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # about the set of files, not one file's content

    @property
    def problems(self) -> list[Problem]:
        return self.notices + [p for r in self.reads for p in r.problems]


def collect_files(inputs: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The workbooks among `inputs` (files, or folders searched one level deep), and notices about skipped files."""
    files: list[Path] = []
    seen: set[Path] = set()
    notices: list[Problem] = []
    for item in inputs:
        if item.is_dir():
            candidates = sorted(p for p in item.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.is_dir())
            if not candidates:
                notices.append(problem("RB023", sti=display_name(str(item))))
        elif item.exists() or item.is_symlink():
            candidates = [item]
        else:
            notices.append(problem("RD008", file=display_name(item.name), detalje="filen findes ikke"))
            continue
        for path in candidates:
            if path.name.startswith("~$"):
                notices.append(problem("RB020", file=display_name(path.name), navn=display_name(path.name)))
                continue
            refused = _not_a_regular_file(path)
            if refused:
                notices.append(refused)
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(path)
    return files, notices


def _not_a_regular_file(path: Path) -> Problem | None:
    """Decided by stat alone, before anything is opened: opening a FIFO for reading waits forever."""
    name = display_name(path.name)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:  # a dangling link
        return problem("RD008", file=name, detalje="filen findes ikke")
    except OSError as exc:
        return problem("RD008", file=name, detalje=exc.strerror or str(exc))
    return None if stat.S_ISREG(mode) else problem("RD012", file=name, navn=name)


def read_all(files: list[Path], summary: bool = False, progress=None) -> list[WorkbookRead]:
    """Every file read in worker processes with time and memory limits (see isolation.py)."""
    from xlplan.reading.isolation import read_isolated

    return read_isolated(files, summary=summary, progress=progress)


def consolidate(inputs: list[Path], config: PlanConfig | None = None, as_of: dt.date | None = None,
                progress=None) -> Consolidation:
    as_of = as_of or dt.date.today()
    files, notices = collect_files(inputs)
    reads = read_all(files, progress=progress)
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

    by_team: dict[str, list[WorkbookRead]] = defaultdict(list)
    for read in reads:
        if read.readable:
            by_team[read.team.casefold()].append(read)
    teams: list[TeamProgress] = []
    for group in by_team.values():
        if len(group) > 1:
            # Never merged, never dropped: each file is its own row, and the team is told.
            notices.append(problem("RB018", antal=len(group), team=group[0].team,
                                   filer=", ".join(r.file for r in group)))
            for read in group:
                progress = team_progress([read], as_of)
                progress.team = f"{read.team} ({read.file})"
                teams.append(progress)
        else:
            teams.append(team_progress(group, as_of))
    order = {t.name.casefold(): i for i, t in enumerate(config.teams)} if config else {}
    teams.sort(key=lambda t: (order.get(t.team.split(" (")[0].casefold(), len(order)), t.team.casefold()))
    missing = [t.name for t in config.teams if t.name.casefold() not in by_team] if config else []
    for name in missing:
        notices.append(problem("RB019", team=name))
    team_rank = {t.team.split(" (")[0].casefold(): i for i, t in enumerate(teams)}
    reads = sorted(reads, key=lambda r: (team_rank.get(r.team.casefold(), len(team_rank)), r.file))
    municipality = config.municipality if config else next(
        (r.info.kommune for r in reads if r.info and r.info.kommune), "")
    return Consolidation(as_of, municipality or "", reads, teams, missing, notices)


def check_output_path(output: Path, inputs: list[Path]) -> None:
    """Refuse to write over one of the inputs."""
    try:
        target = output.resolve()
    except OSError:
        return
    for item in inputs:
        paths = [p for p in item.iterdir()] if item.is_dir() else [item]
        if any(p.resolve() == target for p in paths if p.exists()):
            raise XlplanError(problem("OUT003", sti=str(output)))
