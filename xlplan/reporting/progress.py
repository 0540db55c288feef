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
from functools import lru_cache

from xlplan.core import content, facts
from xlplan.core.facts import Due
from xlplan.core.records import CriterionRecord, Source, WorkbookRead

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
    untouched: bool = False  # returned with nothing filled in
    unchanged: bool = False  # the same file(s) as at the last reading
    light: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def activities_total(self) -> int:
        """Every activity the team listed (plan, procesplan, trin), whatever its status."""
        return sum(self.activities.values())

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
        template_roles = [r for r in read.roles if not r.own]  # a role the team added counts in no total
        progress.roles_total += len(template_roles)
        progress.roles_filled += sum(1 for r in template_roles if r.filled)
    progress.overdue = sorted((i for i in watched if i.date < as_of), key=lambda i: i.date)
    horizon = as_of + dt.timedelta(days=upcoming_days)
    progress.upcoming = sorted((i for i in watched if as_of <= i.date <= horizon), key=lambda i: i.date)
    progress.untouched = all(facts.is_untouched(read) for read in reads)
    progress.light, progress.reasons = traffic_light(progress)
    return progress


def _add_criterion(progress: TeamProgress, c: CriterionRecord) -> None:
    if c.own:
        return  # the team's own criterion: every team's shares count the same criteria
    if c.checklist == "rolleansvar":
        progress.responsibility.add(c.status)
        return
    progress.checklist.add(c.status)
    progress.phases.setdefault(c.phase, Share()).add(c.status)
    progress.dimensions.setdefault((c.phase, c.dimension), Share()).add(c.status)


RED, YELLOW, GREEN, UNTOUCHED, MISSING = "rød", "gul", "grøn", "ikke_udfyldt", "ikke_modtaget"  # trafiklys.yaml


def light_name(key: str) -> str:
    return content.load_yaml("trafiklys.yaml")["lys"][key]["navn"]


def traffic_light(progress: TeamProgress) -> tuple[str, list[str]]:
    """The light and its reasons, by the rule in data/trafiklys.yaml."""
    data = content.load_yaml("trafiklys.yaml")
    said = data["begrundelser"]
    if progress.untouched:
        return light_name(UNTOUCHED), [said["ikke_udfyldt"]]
    overdue = len(progress.overdue)
    reasons = [said[key].format(antal=n) for key, n in (
        ("mål_overskredet", progress.overdue_goals), ("forsinket", overdue), ("uden_ansvarlig", len(progress.unowned)),
        ("fejl", progress.errors)) if n]
    if progress.unchanged:
        reasons.append(said["uændret"])
    red, yellow = data["rød"], data["gul"]
    if progress.overdue_goals >= red["forsinkede_mål"] or overdue >= red["forsinkede_i_alt"]:
        return light_name(RED), reasons
    if overdue >= yellow["forsinkede_i_alt"] or len(progress.unowned) >= yellow["uden_ansvarlig"] \
            or progress.errors >= yellow["fejl_i_filen"] or (progress.unchanged and yellow["uændret"]):
        return light_name(YELLOW), reasons
    return light_name(GREEN), reasons or [said["intet"]]


def light_rules() -> dict[str, str]:
    """Light name -> what it means, in the order the rule is read (not received last)."""
    return {entry["navn"]: entry["beskrivelse"] for entry in content.load_yaml("trafiklys.yaml")["lys"].values()}


def light_key(name: str) -> str:
    """The key in trafiklys.yaml of a light's name (its colour everywhere); "" for a name that is none."""
    return _keys_by_light_name().get(name, "")


@lru_cache(maxsize=1)
def _keys_by_light_name() -> dict[str, str]:
    return {entry: key for key, entry in light_names().items()}


def light_names() -> dict[str, str]:
    return {key: entry["navn"] for key, entry in content.load_yaml("trafiklys.yaml")["lys"].items()}
