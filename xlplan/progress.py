"""Progress, defined once: checklist shares, activities by status, overdue items, next deadlines, traffic light.

Definitions (also in the README):
- A checklist's share met = met / relevant, where relevant excludes 'Ikke relevant'.
- Overdue = an end date or deadline before the as-of date, on something not finished.
- The traffic light follows the rule in data/trafiklys.yaml.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from . import content, facts
from .facts import Due
from .records import CriterionRecord, Source, WorkbookRead

NO_STATUS = "Ingen status"  # how activities without a status are counted


@dataclass
class Share:
    relevant: int = 0
    met: int = 0
    in_progress: int = 0
    not_started: int = 0
    not_relevant: int = 0

    @property
    def share(self) -> float | None:
        return self.met / self.relevant if self.relevant else None

    def add(self, status: str | None) -> None:
        statuses = content.value_lists()["kriteriestatus"]
        if status in statuses.not_relevant:
            self.not_relevant += 1
            return
        self.relevant += 1
        if status in statuses.done:
            self.met += 1
        elif status in statuses.in_progress:
            self.in_progress += 1
        else:
            self.not_started += 1


@dataclass
class TeamProgress:
    team: str
    files: list[str]
    current_phase: str | None
    phases: dict[str, Share] = field(default_factory=dict)
    dimensions: dict[tuple[str, str], Share] = field(default_factory=dict)
    checklist: Share = field(default_factory=Share)
    responsibility: Share = field(default_factory=Share)
    activities: Counter = field(default_factory=Counter)  # activities (plan, procesplan, trin) by status
    finished: int = 0  # activities finished or cancelled
    overdue: list[Due] = field(default_factory=list)
    upcoming: list[Due] = field(default_factory=list)
    unowned: list[Source] = field(default_factory=list)
    open_risks: int = 0
    max_risk: int | None = None
    roles_filled: int = 0
    roles_total: int = 0
    errors: int = 0
    warnings: int = 0
    light: str = "Grøn"
    reasons: list[str] = field(default_factory=list)

    @property
    def overdue_goals(self) -> int:
        return sum(1 for i in self.overdue if i.kind == facts.GOAL)

    @property
    def next_deadline(self) -> Due | None:
        return self.upcoming[0] if self.upcoming else None


def team_progress(reads: list[WorkbookRead], as_of: dt.date, upcoming_days: int = 60) -> TeamProgress:
    """Progress of one team from its file(s)."""
    first = reads[0]
    progress = TeamProgress(first.team, [r.file for r in reads],
                            next((r.info.aktuel_fase for r in reads if r.info and r.info.aktuel_fase), None))
    watched: list[Due] = []
    for read in reads:
        progress.errors += len(read.errors)
        progress.warnings += sum(1 for p in read.problems if p.is_warning)
        for record in [*read.plan_rows, *read.process_rows, *read.steps]:
            progress.activities[record.status or NO_STATUS] += 1
            progress.finished += facts.is_finished(record)
        for c in read.criteria:
            _add_criterion(progress, c)
        for record in [*read.plan_rows, *read.process_rows, *read.criteria, *read.steps]:
            watched += facts.open_due_dates(record)
            if facts.is_unowned(record):
                progress.unowned.append(record.source)
        for risk in read.risks:
            if facts.is_open_risk(risk):
                progress.open_risks += 1
            if risk.score is not None:
                progress.max_risk = max(progress.max_risk or 0, risk.score)
        progress.roles_total += len(read.roles)
        progress.roles_filled += sum(1 for r in read.roles if r.filled)
    progress.overdue = sorted((i for i in watched if i.date < as_of), key=lambda i: i.date)
    horizon = as_of + dt.timedelta(days=upcoming_days)
    progress.upcoming = sorted((i for i in watched if as_of <= i.date <= horizon), key=lambda i: i.date)
    progress.light, progress.reasons = traffic_light(progress)
    return progress


def _add_criterion(progress: TeamProgress, c: CriterionRecord) -> None:
    if c.checklist == "rolleansvar":
        progress.responsibility.add(c.status)
        return
    progress.checklist.add(c.status)
    progress.phases.setdefault(c.phase, Share()).add(c.status)
    progress.dimensions.setdefault((c.phase, c.dimension), Share()).add(c.status)


def traffic_light(progress: TeamProgress) -> tuple[str, list[str]]:
    rule = content.load_yaml("trafiklys.yaml")
    overdue = len(progress.overdue)
    reasons = []
    if progress.overdue_goals:
        reasons.append(f"{progress.overdue_goals} mål overskredet")
    if overdue:
        reasons.append(f"{overdue} forsinket")
    if progress.unowned:
        reasons.append(f"{len(progress.unowned)} uden ansvarlig")
    if progress.errors:
        reasons.append(f"{progress.errors} fejl i projektmappen")
    red, yellow = rule["rød"], rule["gul"]
    if progress.overdue_goals >= red["forsinkede_mål"] or overdue >= red["forsinkede_i_alt"]:
        return "Rød", reasons
    if overdue >= yellow["forsinkede_i_alt"] or len(progress.unowned) >= yellow["uden_ansvarlig"] \
            or progress.errors >= yellow["fejl_i_filen"]:
        return "Gul", reasons
    return "Grøn", reasons or ["Intet at bemærke"]


def light_rules() -> dict[str, str]:
    return content.load_yaml("trafiklys.yaml")["beskrivelse"]
