"""Checklists: the FFB phase x dimension success criteria (seed 002), under the phase's Kendetegn,
and the styringsgrundlag checklist for roles and responsibility (seed 001). Sub-items stay sub-items
(indented, own id)."""
from __future__ import annotations

from dataclasses import dataclass

from xlplan.core import content, schema
from xlplan.core.content import Criterion
from xlplan.workbook.common import note, table_sheet
from xlplan.workbook.context import Context
from xlplan.xlsx.model import Merge, Sheet
from xlplan.workbook.table import (input_cells, own_row_cells, overdue, status_colors, table_validations,
                                  team_columns, wrapped_lines, write_row)

HEADER_ROW = 4


@dataclass(frozen=True)
class Group:
    title: str
    intro: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    intro_prefix: str = "Indhold (fra guiden): "


def phase_groups(phase: content.Phase) -> tuple[Group, ...]:
    """The phase's Kendetegn, then each dimension's Indhold and criteria, as in the guide."""
    characteristics = Group("Kendetegn", phase.characteristics, (), "Fra guiden: ")
    return (characteristics,) + tuple(Group(f"{phase.id}.{i} {d.name}", d.content, d.criteria)
                                      for i, d in enumerate(phase.dimensions, 1))


def responsibility_groups() -> tuple[Group, ...]:
    return tuple(Group(name, (), criteria) for name, criteria in content.responsibility_criteria())


def phase_sheet(ctx: Context, phase: content.Phase) -> Sheet:
    return checklist_sheet(ctx, f"fase:{phase.id}", f"Fase {phase.id}: {phase.name}", phase.description,
                           phase_groups(phase))


def responsibility_sheet(ctx: Context) -> Sheet:
    return checklist_sheet(ctx, "rolleansvar", "Tjekliste til rolle- og ansvarsfordeling", note("rolleansvar"),
                           responsibility_groups(), schema.RESPONSIBILITY_CHECKLIST)


def checklist_rows(groups: tuple[Group, ...]) -> list[tuple[str, object]]:
    """The row sequence below the header: ('group', Group), ('intro', Group) or ('criterion', Criterion)."""
    rows: list[tuple[str, object]] = []
    for group in groups:
        rows.append(("group", group))
        if group.intro:
            rows.append(("intro", group))
        rows.extend(("criterion", c) for c in group.criteria)
    return rows


def checklist_sheet(ctx: Context, role: str, title: str, intro: str, groups: tuple[Group, ...],
                    table: schema.Table = schema.CHECKLIST) -> Sheet:
    last_col = len(table.columns) - 1
    width = sum(c.width for c in table.columns)
    sheet = table_sheet(ctx, role, title, table, intro, HEADER_ROW)

    status_col = table.index("status")
    first_status = content.value_lists()["kriteriestatus"].values[0]
    template_rows = checklist_rows(groups)
    own = ctx.fill.own_rows.get(role, []) if ctx.fill else []
    last = HEADER_ROW + len(template_rows) + (1 + len(own) if own else 0)
    team = team_columns(sheet, ctx, role, HEADER_ROW, len(table.columns), HEADER_ROW + 1, last)
    row = HEADER_ROW + 1
    for kind, item in template_rows:
        if kind == "group":
            sheet.merges.append(Merge(row, 0, row, last_col, item.title, "group"))
            sheet.row_heights[row] = 20
        elif kind == "intro":
            text = item.intro_prefix + "\n".join(item.intro)
            sheet.merges.append(Merge(row, 0, row, last_col, text, "group_text"))
            sheet.row_heights[row] = 12 * wrapped_lines(text, width * 1.1) + 6
        else:
            sheet.put(row, 0, item.id, "fixed_center")
            sheet.put(row, 1, item.text, "fixed_sub" if item.level else "fixed")
            input_cells(sheet, table, row, row)
            carried = ctx.fill.criteria.get(item.id) if ctx.fill else None
            if carried is not None:
                write_row(sheet, table, row, carried, team=team)
                ctx.place(ctx.fill.criteria_sources[item.id], sheet.name, row)
            else:
                sheet.put(row, status_col, first_status, "input_center")
            sheet.row_heights[row] = max(15, 13 * wrapped_lines(item.text, table.columns[1].width) + 3)
            table_validations(sheet, ctx, table, row, row)
        row += 1
    if own:
        _own_criteria(sheet, ctx, own, row, team)
    status_colors(sheet, HEADER_ROW + 1, status_col, last)
    overdue(sheet, table.index("deadline"), status_col, content.value_lists()["kriteriestatus"].done,
            HEADER_ROW + 1, last)
    sheet.freeze = (HEADER_ROW + 1, 0)
    return sheet


def _own_criteria(sheet: Sheet, ctx: Context, own, row: int, team) -> None:
    """The criteria a team added to the sheet, carried into a fresh copy below the template's (outside the
    ranges the Oversigt counts), under a band of their own, every cell theirs to change."""
    table = schema.CHECKLIST
    sheet.merges.append(Merge(row, 0, row, len(table.columns) - 1, content.load_yaml("tekster.yaml")["egne_kriterier"],
                              "group"))
    sheet.row_heights[row] = 20
    for i, (values, source) in enumerate(own, row + 1):
        own_row_cells(sheet, table, i)
        write_row(sheet, table, i, values, own=True, team=team)
        ctx.place(source, sheet.name, i)
        table_validations(sheet, ctx, table, i, i)
