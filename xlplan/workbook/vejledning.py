"""Vejledning: how to fill in the workbook, rendered from a jinja2 template with the team's details."""
from __future__ import annotations

import datetime as dt
from importlib import resources

import jinja2

from xlplan.core import content, schema
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Sheet
from xlplan.workbook.common import new_sheet
from xlplan.workbook.table import wrapped_lines

TEXT_COL_WIDTH = 110
RHYTHM_MONTHS = {"Månedlig": 1, "Hver 2. måned": 2, "Kvartalsvis": 3, "Halvårlig": 6, "Årlig": 12}


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, days))


def follow_up_dates(start: dt.date | None, rhythm: str, count: int = 4, made: dt.date | None = None) -> list[dt.date]:
    """The next `count` follow-up dates of a plan that starts on `start` and is followed up every so many
    months: the first is the first on or after the day the workbook is `made` (or after the start, if that
    is later), so a workbook made months into the plan never shows a follow-up date in the past."""
    if start is None or rhythm not in RHYTHM_MONTHS:
        return []
    step = RHYTHM_MONTHS[rhythm]
    first = 1
    if made is not None:
        while add_months(start, step * first) < made:
            first += 1
    return [add_months(start, step * i) for i in range(first, first + count)]


def next_follow_ups(ctx: Context, count: int = 4) -> list[dt.date]:
    """The follow-up dates a workbook shows: from the day it is made."""
    made = ctx.generated.date() if isinstance(ctx.generated, dt.datetime) else ctx.generated
    return follow_up_dates(ctx.start, ctx.rhythm, count, made)


def render_text(ctx: Context) -> str:
    template_text = resources.files("xlplan.data").joinpath("vejledning.txt.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    ics = content.ics()
    sections = ctx.sections
    lists = content.value_lists()
    steering = content.steering()
    sheets = content.load_yaml("tekster.yaml")["ark"]
    return env.from_string(template_text).render(
        skabelon=ctx.template_name, team=ctx.team, kommune=ctx.municipality, metode=ctx.method_text,
        varighed=content.load_yaml("styringsgrundlag.yaml")["varighed"],
        kontakt_navn=ctx.contact_name, kontakt_email=ctx.contact_email,
        startdato=ctx.start.strftime("%d-%m-%Y") if ctx.start else "",
        rytme=ctx.rhythm, frister=[d.strftime("%d-%m-%Y") for d in next_follow_ups(ctx)],
        adgangskode=bool(ctx.password),
        ark_beskrivelser=[sheets[s] for s in ("oversigt", "personer", *sections)],
        plan="plan" in sections, plan_formaal=ics["formaal"], anbefalinger=ics["anbefalinger"],
        hjælpespørgsmål=_help_questions(ics), smart=ics["smart"],
        faser=[{"navn": p.name, "beskrivelse": p.description} for p in content.phases()] if "faser" in sections else [],
        roller=[{"navn": r.name, "profil": r.profile} for r in content.roles()] if "roller" in sections else [],
        grupper=content.group_composition(),
        trin=steering["steps"] if "trin" in sections else [], trin_note=steering["steps_note"],
        redskaber=content.load_yaml("styringsgrundlag.yaml")["redskaber"]
        if {"trin", "rolleansvar"} & set(sections) else [],
        materialer=content.load_yaml("ffb.yaml")["materialer"] if "faser" in sections else [],
        kriteriestatus=lists["kriteriestatus"].values, aktivitetsstatus=lists["aktivitetsstatus"].values,
    )


def _help_questions(ics: dict) -> list[tuple[str, list[str]]]:
    """The guide's help questions per plan column, and the Opfølgning block's questions under one heading."""
    questions = [(c.header, ics["hjælpespørgsmål"][c.key]) for c in schema.plan_table().columns
                 if c.key in ics["hjælpespørgsmål"]]
    followup = [q for c in schema.followup_fields() for q in ics["hjælpespørgsmål"][c.key]]
    return questions + [("Opfølgning", followup)]


def guide_sheet(ctx: Context) -> Sheet:
    sheet = new_sheet(ctx, "vejledning", "Vejledning", None)
    sheet.column_widths = {0: 2, 1: TEXT_COL_WIDTH}
    sheet.print_setup.landscape = False
    row = 0
    previous_blank = True
    for line in render_text(ctx).splitlines():
        line = line.rstrip()
        if not line:
            if not previous_blank:
                row += 1
            previous_blank = True
            continue
        previous_blank = False
        style, text = _style(line)
        sheet.put(row, 1, text, style)
        sheet.row_heights[row] = {"title": 26, "heading": 22}.get(style, 14 * wrapped_lines(text, TEXT_COL_WIDTH) + 2)
        row += 1
    return sheet


def _style(line: str) -> tuple[str, str]:
    for prefix, style in (("### ", "label"), ("## ", "heading"), ("# ", "title")):
        if line.startswith(prefix):
            return style, line[len(prefix):]
    if line.startswith("- "):
        return "wrap", "•  " + line[2:]
    return "wrap", line
