"""Oversigt: who and what the workbook is about, and live progress formulas over the other sheets.

The formulas count as xlplan counts (statuses by their meaning in lister.yaml, a blank status as not
started, overdue as in facts.py) and are stored with the values they compute (layout/formulas.py).
xlplan still computes its own figures when it reads the workbook back: it also understands values
typed over the lists and dates typed as text, which a formula cannot; the sheet says so.
"""
from __future__ import annotations

import datetime as dt

from xlplan.core import content, schema
from xlplan.workbook import checklist, plan, procesplan, risikolog, trin, vejledning
from xlplan.workbook import formulas as f
from xlplan.workbook.common import new_sheet, title_block
from xlplan.workbook.context import Context, quote_sheet
from xlplan.xlsx.model import Merge, Sheet
from xlplan.workbook.table import field_validation, input_cells

FIELDS_ROW = 3
LAST_COL = 5


def overview_sheet(ctx: Context, sheets: dict[str, Sheet]) -> Sheet:
    sheet = new_sheet(ctx, "oversigt", "Oversigt", None)
    sheet.active = True
    title = f"Implementeringsplan – {ctx.team}" if ctx.team else "Implementeringsplan"
    title_block(sheet, ctx, title, LAST_COL)
    sheet.column_widths.update({0: 36, 1: 13, 2: 13, 3: 13, 4: 14, 5: 13})
    row = _fields(sheet, ctx)
    row = _progress(sheet, ctx, sheets, row + 1)
    row = _attention(sheet, ctx, sheets, row + 1)
    _differences(sheet, row)
    sheet.print_setup.landscape = False
    return sheet


def _field_values(ctx: Context) -> dict[str, object]:
    return {
        "team": ctx.team or None, "kommune": ctx.municipality or None, "metode": ctx.method_names,
        "aktuel_fase": None, "kontaktperson": ctx.team_contact or None, "kontakt_email": ctx.team_email or None,
        "opfoelgningsrytme": ctx.rhythm or None,
        "naeste_opfoelgning": next(iter(vejledning.next_follow_ups(ctx, 1)), None),
    }


def _fields(sheet: Sheet, ctx: Context) -> int:
    values = _field_values(ctx)
    if ctx.fill:
        values.update({k: v for k, v in ctx.fill.overview.items() if k != "metode"})
    for i, column in enumerate(schema.OVERVIEW_FIELDS):
        row = FIELDS_ROW + i
        if column.key == schema.CURRENT_STEP.key and content.steps_only(ctx.sections):
            column = schema.CURRENT_STEP
        sheet.put(row, 0, column.header, "label")
        style = "fixed" if not column.is_input else ("input_date" if column.kind == schema.DATE else "input")
        sheet.merges.append(Merge(row, 1, row, LAST_COL, values.get(column.key), style))
        if column.is_input:
            sheet.validations.append(field_validation(ctx, column, row, 1, row, 1))
        sheet.row_heights[row] = 18
    return FIELDS_ROW + len(schema.OVERVIEW_FIELDS)


def _plan_rows(ctx: Context, number: int) -> dict[str, int]:
    return plan.plan_layout_rows(ctx.row_counts.get(f"plan:{number}", plan.PLAN_ROWS))


def _statuses(key: str):
    return content.value_lists()[key]


def _progress(sheet: Sheet, ctx: Context, sheets: dict[str, Sheet], row: int) -> int:
    """Per checklist and per kind of activity: how many, how many finished, in progress and not started.
    The statuses count by their meaning in lister.yaml, as xlplan counts them; a blank status is not
    started."""
    sheet.merges.append(Merge(row, 0, row, LAST_COL, "Fremdrift (beregnes automatisk)", "heading"))
    row += 1
    for col, header in enumerate(("Område", "I alt", "Opfyldt / afsluttet", "I gang", "Ikke påbegyndt",
                                  "Andel færdig")):
        sheet.put(row, col, header, "header" if col == 0 else "header_center")
    sheet.row_heights[row] = 30
    row += 1
    crit = _statuses("kriteriestatus")
    for label, role, groups in _checklists(ctx):
        rows = checklist.checklist_rows(groups)
        total = f.number(sum(1 for kind, _ in rows if kind == "criterion"))
        status = [f.Span(sheets[role], schema.CHECKLIST.index("status"), checklist.HEADER_ROW + 1,
                         checklist.HEADER_ROW + len(rows))]
        not_relevant = f.count_equal(status, crit.not_relevant)
        _progress_row(sheet, row, label, total, f.count_equal(status, crit.done),
                      f.count_equal(status, crit.in_progress), not_relevant)
        row += 1
    act = _statuses("aktivitetsstatus")
    for label, rows_with_any, status in _activity_spans(ctx, sheets):
        _progress_row(sheet, row, label, rows_with_any, f.count_equal(status, act.done),
                      f.count_equal(status, act.in_progress), f.number(0))
        row += 1
    return row


def _progress_row(sheet, row, label, total, done, doing, not_relevant) -> None:
    """Total, finished, in progress, not started (the rest of the relevant ones) and the share finished;
    the last two refer to the cells beside them."""
    total_at, done_at, doing_at = f.at(row, 1, total), f.at(row, 2, done), f.at(row, 3, doing)
    relevant = f.minus(total_at, not_relevant) if not_relevant.text != "0" else total_at
    sheet.put(row, 0, label, "fixed")
    for col, expr, style in ((1, total, "count"), (2, done, "count"), (3, doing, "count"),
                             (4, f.minus(relevant, done_at, doing_at), "count"), (5, f.share(done_at, relevant),
                                                                                 "percent")):
        sheet.put(row, col, f.formula(expr) if expr.text != str(expr.value) else expr.value, style)


def _checklists(ctx: Context):
    out = []
    if "faser" in ctx.sections:
        for phase in content.phases():
            out.append((f"Fase {phase.id}: {phase.name}", f"fase:{phase.id}", checklist.phase_groups(phase)))
    if "rolleansvar" in ctx.sections:
        out.append(("Rolle- og ansvarsfordeling", "rolleansvar", checklist.responsibility_groups()))
    return out


def _plan_span(ctx: Context, sheets, i: int, key: str) -> f.Span:
    rows = _plan_rows(ctx, i)
    return f.Span(sheets[f"plan:{i}"], schema.plan_table().index(key), rows["first"], rows["last"])


def _process_span(ctx: Context, sheets, key: str) -> f.Span:
    first = procesplan.HEADER_ROW + 1
    count = ctx.row_counts.get("procesplan", procesplan.ROWS)
    return f.Span(sheets["procesplan"], schema.PROCESPLAN.index(key), first, first + count - 1)


def _step_span(sheets, key: str) -> f.Span:
    first = trin.HEADER_ROW + 1
    return f.Span(sheets["trin"], schema.STEPS.index(key), first, first + len(content.steering()["steps"]) - 1)


def _plans(ctx: Context) -> range:
    return range(1, len(ctx.focus_points) + 1) if "plan" in ctx.sections else range(0)


def _activity_spans(ctx: Context, sheets):
    """(label, rows counted, [status spans]) for every sheet whose rows are activities. A plan row counts
    when it has a Formål, an Aktivitet or a Status; a procesplan row when it has a date, an Aktivitet or
    a Status; every step counts."""
    out = []
    if _plans(ctx):
        groups = [[_plan_span(ctx, sheets, i, k) for k in ("formaal", "aktivitet", "status")] for i in _plans(ctx)]
        out.append(("Aktiviteter i planerne (sigtepunkter)", f.count_rows_with_any(groups),
                    [_plan_span(ctx, sheets, i, "status") for i in _plans(ctx)]))
    if "procesplan" in ctx.sections:
        group = [_process_span(ctx, sheets, k) for k in ("periode", "aktivitet", "status")]
        out.append(("Procesplanens aktiviteter", f.count_rows_with_any([group]),
                    [_process_span(ctx, sheets, "status")]))
    if "trin" in ctx.sections:
        out.append(("Trin i styringsgrundlagets proces", f.number(len(content.steering()["steps"])),
                    [_step_span(sheets, "status")]))
    return out


def _late(ctx: Context, sheets) -> tuple[list[f.Late], list[f.Late]]:
    """Every dated thing xlplan watches for overdue, as formula ranges; and the mål among them."""
    activity, criterion = _statuses("aktivitetsstatus"), _statuses("kriteriestatus")
    finished = tuple(activity.done) + tuple(activity.not_relevant)
    met = tuple(criterion.done) + tuple(criterion.not_relevant)
    items, goals = [], []
    for i in _plans(ctx):
        status = _plan_span(ctx, sheets, i, "status")
        items += [f.Late(_plan_span(ctx, sheets, i, k), status, finished) for k in ("slut", "delmaal_dato")]
        goals.append(f.Late(_plan_span(ctx, sheets, i, "maal_dato"), status, finished))
    if "procesplan" in ctx.sections:
        status, til = _process_span(ctx, sheets, "status"), _process_span(ctx, sheets, "til")
        items += [f.Late(til, status, finished), f.Late(_process_span(ctx, sheets, "fra"), status, finished, til)]
    for role, _label, groups in ((r, label, g) for label, r, g in _checklists(ctx)):
        last = checklist.HEADER_ROW + len(checklist.checklist_rows(groups))
        span = lambda key: f.Span(sheets[role], schema.CHECKLIST.index(key), checklist.HEADER_ROW + 1, last)  # noqa: E731
        items.append(f.Late(span("deadline"), span("status"), met))
    if "trin" in ctx.sections:
        items.append(f.Late(_step_span(sheets, "deadline"), _step_span(sheets, "status"), finished))
    return items + goals, goals


def _unseen(ctx: Context, sheets) -> list[f.Unseen]:
    """The same watched dates as _late, where the sheet sees no real date: typed as text, or a procesplan
    row whose period is written without Fra and Til (one row, one thing to count, whichever holds its date)."""
    process = sheets.get("procesplan")
    unseen = [f.Unseen((late.date,), (late.date,), late.status, late.finished)
              for late in _late(ctx, sheets)[0] if late.date.sheet is not process]
    if "procesplan" in ctx.sections:
        activity = _statuses("aktivitetsstatus")
        dates = (_process_span(ctx, sheets, "fra"), _process_span(ctx, sheets, "til"))
        unseen.append(f.Unseen((_process_span(ctx, sheets, "periode"), *dates), dates,
                               _process_span(ctx, sheets, "status"), tuple(activity.done) + tuple(activity.not_relevant)))
    return unseen


def _attention(sheet: Sheet, ctx: Context, sheets: dict[str, Sheet], row: int) -> int:
    sheet.merges.append(Merge(row, 0, row, LAST_COL, "Opmærksomhedspunkter", "heading"))
    row += 1
    today = (ctx.generated.date() if ctx.generated else dt.date.today())
    late, goals = _late(ctx, sheets)
    items = [("Forsinket: dato overskredet, ikke afsluttet", f.count_late(late, today))]
    if goals:
        items.append(("Heraf mål med overskredet dato", f.count_late(goals, today)))
    unseen_row = row + len(items)
    items.append((texts()["ikke_talt"], f.count_unseen(_unseen(ctx, sheets))))
    if _plans(ctx):
        owners = [f.count_without([_plan_span(ctx, sheets, i, "aktivitet"), _plan_span(ctx, sheets, i, "formaal")],
                                  _plan_span(ctx, sheets, i, "ansvarlig")) for i in _plans(ctx)]
        items.append(("Aktiviteter uden ansvarlig", f.plus(*owners)))
    if "risikolog" in ctx.sections:
        first = risikolog.HEADER_ROW + 1
        last = first + ctx.row_counts.get("risikolog", risikolog.ROWS) - 1
        span = lambda key: f.Span(sheets["risikolog"], schema.RISKS.index(key), first, last)  # noqa: E731
        items += [("Åbne risici", f.count_text_unless(span("risiko"), span("status"),
                                                      _statuses("risikostatus").done[0])),
                  ("Højeste risikoscore", f.maximum(span("score")))]
    for label, expr in items:
        sheet.put(row, 0, label, "fixed")
        sheet.put(row, 1, f.formula(expr), "count")
        row += 1
    sheet.merges.append(Merge(unseen_row, 2, unseen_row, LAST_COL, texts()["ikke_talt_hvorfor"], "note"))
    sheet.row_heights[unseen_row] = 30
    return row


def texts() -> dict[str, str]:
    return content.load_yaml("tekster.yaml")["oversigt"]


def _differences(sheet: Sheet, row: int) -> None:
    sheet.merges.append(Merge(row + 1, 0, row + 1, LAST_COL, content.load_yaml("tekster.yaml")["oversigt_forskel"],
                              "note"))
    sheet.row_heights[row + 1] = 58
