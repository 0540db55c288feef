"""The briefing: what management reads first, in short Danish sentences made from the figures.

Built once from a Consolidation (and the Development, when there is a history); the Resumé sheet and
the meeting PDF only lay it out. Every sentence is a template in data/resume.yaml, filled from facts
that progress and facts.py decided: nothing here decides whether something is overdue or finished.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from xlplan.core import content, facts
from xlplan.reporting.consolidate import Consolidation
from xlplan.reporting.progress import light_key, light_names, MISSING, TeamProgress

MAX_DECISIONS = 8  # the page holds the teams of a national plan as well: the rest is on Overblik
LONGEST_QUOTE = 70  # characters of a mål quoted in a sentence
OVERDUE_GROUPS = {facts.GOAL: "mål", facts.SUBGOAL: "delmål", facts.ACTIVITY: "aktiviteter",
                  facts.PROCESS: "aktiviteter", facts.STEP: "aktiviteter", facts.CRITERION: "kriterier"}


@dataclass(frozen=True)
class TeamLine:
    team: str
    light: str  # the light's name, as everywhere
    light_key: str  # its key in trafiklys.yaml (for its colour)
    reason: str
    trend: str  # since the previous reading; "" without a history


@dataclass
class Briefing:
    title: str
    subtitle: str
    summary: str
    since: str  # the changes since the previous reading, counted; "" without a history
    decisions: list[str]
    teams: list[TeamLine] = field(default_factory=list)
    texts: dict = field(default_factory=dict)  # headings, column names and the note, from resume.yaml


def texts() -> dict:
    return content.load_yaml("resume.yaml")


def counted(template, number: int, **values) -> str:
    """A template with a singular and a plural form ({en, flere}), or one form for both."""
    if isinstance(template, dict):
        template = template["en" if number == 1 else "flere"]
    return template.format(antal=number, **values)


def names(items: list[str]) -> str:
    """'A', 'A og B', 'A, B og C'."""
    joiner = texts()["og"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + joiner + items[-1]


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONGEST_QUOTE else text[:LONGEST_QUOTE - 1].rstrip() + "…"


def briefing(c: Consolidation, development=None) -> Briefing:
    said = texts()
    date = f"{c.as_of:%d-%m-%Y}"
    subtitle = said["undertitel"].format(kommune=c.municipality, dato=date) if c.municipality else \
        said["undertitel_uden_kommune"].format(dato=date)
    return Briefing(said["titel"], subtitle, summary(c), since(development), decisions(c),
                    team_lines(c, development), said)


def summary(c: Consolidation) -> str:
    said = texts()
    by_light = Counter(light_key(t.light) for t in c.teams) + Counter({MISSING: len(c.missing_teams)})
    lights = [counted(template, by_light[key]) for key, template in said["lys_talt"].items() if by_light[key]]
    total = len(c.teams) + len(c.missing_teams)
    return counted(said["i_alt"], total, lys=", ".join(lights))


def since(development) -> str:
    """The changes since the previous reading, counted by kind ('' without a history)."""
    if development is None:
        return ""
    said = texts()
    if development.compared is None:
        return said["siden_sidst_første"]
    previous = development.compared[0]
    date = f"{previous.as_of[8:10]}-{previous.as_of[5:7]}-{previous.as_of[:4]}"
    if not development.changes:
        return said["siden_sidst_intet"].format(nr=previous.id, dato=date)
    from xlplan.reporting.history import change_kinds

    kinds = Counter(ch.kind for ch in development.changes)
    counts = [said["ændring_talt"].format(navn=kind["navn"], antal=kinds[key])
              for key, kind in change_kinds().items() if kinds[key]]
    return said["siden_sidst"].format(nr=previous.id, dato=date, ændringer=", ".join(counts))


def decisions(c: Consolidation) -> list[str]:
    """What needs a decision, in this order: overdue mål, teams not heard from (not filled in, no new version),
    files not counted, red teams."""
    said = texts()
    out = []
    for team in c.teams:
        goals = [d for d in team.overdue if d.kind == facts.GOAL]
        if len(goals) == 1:
            out.append(said["mål_overskredet"].format(team=team.team, mål=quote(goals[0].text),
                                                      dato=f"{goals[0].date:%d-%m-%Y}"))
        elif goals:
            out.append(said["flere_mål_overskredet"].format(team=team.team, antal=len(goals), mål=quote(goals[0].text),
                                                            dato=f"{goals[0].date:%d-%m-%Y}"))
    groups = (("ikke_modtaget", c.missing_teams), ("ikke_udfyldt", [t.team for t in c.teams if t.untouched]),
              ("uændret", [t.team for t in c.teams if t.unchanged]))
    for key, teams in groups:
        if teams:
            out.append(counted(said[key], len(teams), teams=names(teams)))
    if c.not_counted:
        out.append(counted(said["ikke_talt_med"], len(c.not_counted), filer=names([n.read.file for n in c.not_counted])))
    red = light_names()["rød"]
    out += [said["rød"].format(team=t.team, begrundelse=reason(t)) for t in c.teams if t.light == red]
    if not out:
        return [said["beslutninger_ingen"]]
    if len(out) > MAX_DECISIONS:
        rest = len(out) - (MAX_DECISIONS - 1)
        out = out[:MAX_DECISIONS - 1] + [counted(said["flere_punkter"], rest)]
    return out


def reason(team: TeamProgress) -> str:
    """Why the team has its light, in words: what is overdue by kind, unowned, errors, no new version."""
    said = texts()["grunde"]
    if team.untouched:
        return said["ikke_udfyldt"]
    overdue = Counter(OVERDUE_GROUPS[d.kind] for d in team.overdue)
    parts = [counted(said[group], overdue[group]) for group in ("mål", "delmål", "aktiviteter", "kriterier")
             if overdue[group]]
    parts += [counted(said[key], n) for key, n in (("uden_ansvarlig", len(team.unowned)), ("fejl", team.errors)) if n]
    if team.unchanged:
        parts.append(said["uændret"])
    return ", ".join(parts) or said["intet"]


def team_lines(c: Consolidation, development=None) -> list[TeamLine]:
    lines = [TeamLine(t.team, t.light, light_key(t.light), reason(t), trend(t, development)) for t in c.teams]
    missing = light_names()[MISSING]
    lines += [TeamLine(name, missing, MISSING, texts()["grunde"]["ikke_modtaget"], "") for name in c.missing_teams]
    return lines


def trend(team: TeamProgress, development) -> str:
    """What moved for the team since the previous reading: its light, the share of criteria met, activities
    finished, things overdue."""
    if development is None:
        return ""
    said = texts()["udvikling"]
    if development.compared is None:
        return said["første"]
    if team.unchanged:
        return said["ingen_ny_version"]
    before, _ = development.before_and_now(team.team)
    if before is None or not before.received:
        return said["ny"]
    share = team.checklist.share
    parts = []
    if before.light != team.light:
        parts.append(said["lys"].format(før=before.light))
    if share is not None and before.share is not None and round(share, 2) != round(before.share, 2):
        parts.append(said["kriterier"].format(før=f"{before.share:.0%}", nu=f"{share:.0%}"))
    if before.finished is not None and team.finished > before.finished:
        parts.append(counted(said["afsluttet"], team.finished - before.finished))
    if before.overdue is not None and len(team.overdue) != before.overdue:
        parts.append(said["forsinket"].format(før=before.overdue, nu=len(team.overdue)))
    if parts:
        return ", ".join(parts)
    moved = sum(1 for ch in development.changes if ch.team == team.team)
    return counted(said["ændringer"], moved) if moved else said["uændret"]
