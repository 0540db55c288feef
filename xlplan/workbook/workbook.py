"""Assembles a whole team workbook (or a blank template) from content and config. No I/O."""
from __future__ import annotations

import datetime as dt

from xlplan import __version__
from xlplan.core import content
from xlplan.core.config import FocusPoint, PlanConfig, Team
from xlplan.core.names import sheet_name
from xlplan.core.schema import SHEET_TITLES
from xlplan.workbook import checklist, lister, metadata, oversigt, personer, plan, procesplan, risikolog, roller, trin, vejledning
from xlplan.workbook.context import Context
from xlplan.xlsx.model import DefinedName, Workbook

BLANK_FOCUS_POINTS = 3


def context_for(config: PlanConfig, team: Team | None, generated: dt.datetime | None) -> Context:
    presets = content.presets()
    blank = team is None
    return Context(
        municipality=config.municipality,
        team=team.name if team else "",
        template_id=config.template_id,
        template_name=" + ".join(presets[m].name for m in config.methods),
        method_names=" og ".join(presets[m].method for m in config.methods),
        method_text=" og ".join(presets[m].method_in_text for m in config.methods),
        sections=config.sections,
        people=config.people_for(team.name) if team else config.people,
        focus_points=config.focus_points or tuple(FocusPoint("") for _ in range(BLANK_FOCUS_POINTS)),
        start=config.start, timeline_weeks=config.timeline_weeks, rhythm=config.rhythm,
        protect=config.protect, password=config.password,
        contact_name=config.contact_name, contact_email=config.contact_email,
        team_contact=team.contact if team else "", team_email=team.email if team else "",
        generated=generated, config_hash=config.config_hash, blank=blank,
    )


def _sheet_roles(ctx: Context) -> list[tuple[str, str]]:
    """(role, wanted name) in workbook order."""
    roles = [("vejledning", SHEET_TITLES["vejledning"]), ("oversigt", SHEET_TITLES["oversigt"]),
             ("personer", "Personer")]
    for section in ctx.sections:
        if section == "plan":
            for i, point in enumerate(ctx.focus_points, 1):
                roles.append((f"plan:{i}", f"{i}. {point.name}" if point.name else f"Sigtepunkt {i}"))
        elif section == "faser":
            roles += [(f"fase:{p.id}", f"Fase {p.id} {p.short}") for p in content.phases()]
        else:
            roles.append((section, SHEET_TITLES[section]))
    roles += [("lister", SHEET_TITLES["lister"]), ("metadata", SHEET_TITLES["metadata"])]
    return roles


def assign_sheet_names(ctx: Context) -> None:
    used: set[str] = set()
    # Fixed names first, so a sigtepunkt called "Oversigt" cannot take the overview's name.
    roles = _sheet_roles(ctx)
    for role, wanted in sorted(roles, key=lambda rw: rw[0].startswith("plan:")):
        ctx.sheet_names[role] = sheet_name(wanted, used)
    ctx.sheet_names = {role: ctx.sheet_names[role] for role, _ in roles}


def build_workbook(config: PlanConfig, team: Team | None, generated: dt.datetime | None = None) -> Workbook:
    return build_workbook_with_context(config, team, generated)[0]


def build_workbook_with_context(config: PlanConfig, team: Team | None, generated: dt.datetime | None = None,
                                fill=None) -> tuple[Workbook, Context]:
    """The workbook and the context it was laid out in (sheet names, where carried-over rows went)."""
    ctx = context_for(config, team, generated)
    ctx.fill = fill
    assign_sheet_names(ctx)
    lists = lister.lists_sheet(ctx)
    lister.name_list(ctx, "personer", personer.people_source(ctx))

    sheets = {"vejledning": vejledning.guide_sheet(ctx), "personer": personer.people_sheet(ctx)}
    for i, point in enumerate(ctx.focus_points, 1):
        if "plan" in ctx.sections:
            sheets[f"plan:{i}"] = plan.plan_sheet(ctx, i, point)
    builders = {"procesplan": procesplan.procesplan_sheet, "trin": trin.steps_sheet,
                "rolleansvar": checklist.responsibility_sheet, "roller": roller.roles_sheet,
                "risikolog": risikolog.risk_sheet}
    for section in ctx.sections:
        if section in builders:
            sheets[section] = builders[section](ctx)
        elif section == "faser":
            for phase in content.phases():
                sheets[f"fase:{phase.id}"] = checklist.phase_sheet(ctx, phase)
    sheets["oversigt"] = oversigt.overview_sheet(ctx, sheets)  # last: its formulas count what the others hold
    sheets["lister"] = lists
    sheets["metadata"] = metadata.metadata_sheet(ctx)

    title = f"{ctx.template_name} – {ctx.team}" if ctx.team else ctx.template_name
    return _workbook(ctx, sheets, title, generated), ctx


def _workbook(ctx: Context, sheets: dict, title: str, generated: dt.datetime | None) -> Workbook:
    return Workbook(
        sheets=[sheets[role] for role in ctx.sheet_names],
        defined_names=[DefinedName(name, ref) for name, ref in ctx.names.items()],
        properties={
            "title": title,
            "subject": f"Implementering og forankring af {ctx.method_text}",
            "author": ctx.contact_name or "xlplan",
            "company": ctx.municipality,
            "category": "Implementeringsplan",
            "keywords": f"xlplan, {ctx.template_id}, skabelonversion {content.template_version()}",
            "comments": f"Lavet med xlplan {__version__}.",
            # Fixed for blank templates, so that rebuilding them gives identical files.
            "created": generated or dt.datetime(2026, 1, 1),
        },
    )
