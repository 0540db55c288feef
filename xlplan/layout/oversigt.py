"""Oversigt: who and what the workbook is about, and live progress formulas over the other sheets.

The formulas are a convenience for the team in Excel; xlplan computes the authoritative figures
itself when it reads the workbook back (cached formula results cannot be trusted).
"""
from __future__ import annotations

from .. import content, schema
from ..refs import area, cell
from . import checklist, plan, procesplan, risikolog, trin, vejledning
from .common import new_sheet, title_block
from .context import Context, quote_sheet
from .model import Formula, Merge, Sheet
from .table import field_validation, input_cells

FIELDS_ROW = 3
LAST_COL = 5


def overview_sheet(ctx: Context) -> Sheet:
    sheet = new_sheet(ctx, "oversigt", "Oversigt", None)
    sheet.active = True
    title = f"Implementeringsplan – {ctx.team}" if ctx.team else "Implementeringsplan"
    title_block(sheet, ctx, title, LAST_COL)
    sheet.column_widths.update({0: 36, 1: 13, 2: 13, 3: 13, 4: 14, 5: 13})
    row = _fields(sheet, ctx)
    row = _progress(sheet, ctx, row + 1)
    _attention(sheet, ctx, row + 1)
    sheet.print_setup.landscape = False
    return sheet


def _field_values(ctx: Context) -> dict[str, object]:
    return {
        "team": ctx.team or None, "kommune": ctx.municipality or None, "metode": ctx.method_names,
        "aktuel_fase": None, "kontaktperson": ctx.team_contact or None, "kontakt_email": ctx.team_email or None,
        "opfoelgningsrytme": ctx.rhythm or None,
        "naeste_opfoelgning": next(iter(vejledning.follow_up_dates(ctx.start, ctx.rhythm, 1)), None),
    }


def _fields(sheet: Sheet, ctx: Context) -> int:
    values = _field_values(ctx)
    if ctx.fill:
        values.update({k: v for k, v in ctx.fill.overview.items() if k != "metode"})
    for i, column in enumerate(schema.OVERVIEW_FIELDS):
        row = FIELDS_ROW + i
        sheet.put(row, 0, column.header, "label")
        style = "fixed" if not column.is_input else ("input_date" if column.kind == schema.DATE else "input")
        sheet.merges.append(Merge(row, 1, row, LAST_COL, values.get(column.key), style))
        if column.is_input:
            sheet.validations.append(field_validation(ctx, column, row, 1, row, 1))
        sheet.row_heights[row] = 18
    return FIELDS_ROW + len(schema.OVERVIEW_FIELDS)


def _plan_rows(ctx: Context, number: int) -> dict[str, int]:
    return plan.plan_layout_rows(ctx.row_counts.get(f"plan:{number}", plan.PLAN_ROWS))


def _ref(ctx: Context, role: str, first_row: int, col: int, last_row: int) -> str:
    return f"{quote_sheet(ctx.sheet_names[role])}!{area(first_row, col, last_row, col)}"


def _count(ranges: list[str], criterion: str) -> str:
    return "+".join(f'COUNTIF({r},"{criterion}")' for r in ranges) or "0"


def _progress(sheet: Sheet, ctx: Context, row: int) -> int:
    sheet.merges.append(Merge(row, 0, row, LAST_COL, "Fremdrift (beregnes automatisk)", "heading"))
    row += 1
    for col, header in enumerate(("Område", "I alt", "Opfyldt / afsluttet", "I gang", "Ikke påbegyndt", "Andel færdig")):
        sheet.put(row, col, header, "header" if col == 0 else "header_center")
    sheet.row_heights[row] = 30
    row += 1
    crit = content.value_lists()["kriteriestatus"].values  # Ikke påbegyndt, I gang, Opfyldt, Ikke relevant
    act = content.value_lists()["aktivitetsstatus"].values  # Ikke påbegyndt, I gang, Afsluttet, ...
    for label, role, groups in _checklists(ctx):
        n = sum(1 for kind, _ in checklist.checklist_rows(groups) if kind == "criterion")
        first = checklist.HEADER_ROW + 1
        last = first + len(checklist.checklist_rows(groups)) - 1
        status = [_ref(ctx, role, first, schema.CHECKLIST.index("status"), last)]
        _progress_row(sheet, row, label, str(n), status, crit[2], crit[1], crit[0],
                      f"({n}-{_count(status, crit[3])})")
        row += 1
    for label, ranges in _activity_ranges(ctx):
        total = _count(ranges, "?*")
        _progress_row(sheet, row, label, total, ranges, act[2], act[1], act[0], f"({total})")
        row += 1
    return row


def _progress_row(sheet, row, label, total, ranges, done, doing, todo, denominator) -> None:
    sheet.put(row, 0, label, "fixed")
    sheet.put(row, 1, Formula(f"={total}"), "count")
    sheet.put(row, 2, Formula(f"={_count(ranges, done)}"), "count")
    sheet.put(row, 3, Formula(f"={_count(ranges, doing)}"), "count")
    sheet.put(row, 4, Formula(f"={_count(ranges, todo)}"), "count")
    sheet.put(row, 5, Formula(f'=IFERROR(({_count(ranges, done)})/{denominator},"")'), "percent")


def _checklists(ctx: Context):
    out = []
    if "faser" in ctx.sections:
        for phase in content.phases():
            out.append((f"Fase {phase.id}: {phase.name}", f"fase:{phase.id}", checklist.phase_groups(phase)))
    if "rolleansvar" in ctx.sections:
        out.append(("Rolle- og ansvarsfordeling", "rolleansvar", checklist.responsibility_groups()))
    return out


def _activity_ranges(ctx: Context):
    """(label, [status ranges]) for every sheet whose rows are activities."""
    out = []
    if "plan" in ctx.sections and ctx.focus_points:
        col = schema.plan_table().index("status")
        ranges = [_ref(ctx, f"plan:{i}", _plan_rows(ctx, i)["first"], col, _plan_rows(ctx, i)["last"])
                  for i in range(1, len(ctx.focus_points) + 1)]
        out.append(("Aktiviteter i planerne (sigtepunkter)", ranges))
    if "procesplan" in ctx.sections:
        first = procesplan.HEADER_ROW + 1
        count = ctx.row_counts.get("procesplan", procesplan.ROWS)
        out.append(("Procesplanens aktiviteter", [_ref(ctx, "procesplan", first, schema.PROCESPLAN.index("status"),
                                                       first + count - 1)]))
    if "trin" in ctx.sections:
        first = trin.HEADER_ROW + 1
        out.append(("Trin i styringsgrundlagets proces",
                    [_ref(ctx, "trin", first, schema.STEPS.index("status"), first + len(content.steering()["steps"]) - 1)]))
    return out


def _attention(sheet: Sheet, ctx: Context, row: int) -> None:
    sheet.merges.append(Merge(row, 0, row, LAST_COL, "Opmærksomhedspunkter", "heading"))
    row += 1
    done_values = content.value_lists()["aktivitetsstatus"].done
    items = []
    if "plan" in ctx.sections and ctx.focus_points:
        t = schema.plan_table()
        late, unowned, late_goals = [], [], []
        for i in range(1, len(ctx.focus_points) + 1):
            rows = _plan_rows(ctx, i)
            r = lambda key: _ref(ctx, f"plan:{i}", rows["first"], t.index(key), rows["last"])
            not_done = ",".join(f'{r("status")},"<>{v}"' for v in done_values)
            late.append(f'COUNTIFS({r("slut")},"<"&TODAY(),{not_done})')
            late_goals.append(f'COUNTIFS({r("delmaal_dato")},"<"&TODAY(),{not_done})')
            unowned.append(f'COUNTIFS({r("aktivitet")},"?*",{r("ansvarlig")},"")')
        items += [("Aktiviteter med overskredet slutdato", "+".join(late)),
                  ("Delmål med overskredet dato", "+".join(late_goals)),
                  ("Aktiviteter uden ansvarlig", "+".join(unowned))]
    if "risikolog" in ctx.sections:
        first = risikolog.HEADER_ROW + 1
        last = first + ctx.row_counts.get("risikolog", risikolog.ROWS) - 1
        status = _ref(ctx, "risikolog", first, schema.RISKS.index("status"), last)
        risk = _ref(ctx, "risikolog", first, schema.RISKS.index("risiko"), last)
        score = _ref(ctx, "risikolog", first, schema.RISKS.index("score"), last)
        closed = content.value_lists()["risikostatus"].done[0]
        items += [("Åbne risici", f'COUNTIFS({risk},"?*",{status},"<>{closed}")'),
                  ("Højeste risikoscore", f"MAX({score})")]
    for label, formula in items:
        sheet.put(row, 0, label, "fixed")
        sheet.put(row, 1, Formula(f"={formula}"), "count")
        row += 1
