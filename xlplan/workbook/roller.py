"""Roller (seed 002): the implementation roles by level with the guide's purpose, points of attention and
typical tasks, who holds them and whether they are filled."""
from __future__ import annotations

from xlplan.core import content, schema
from xlplan.core.refs import cell
from xlplan.workbook.common import note, table_sheet
from xlplan.workbook.context import Context
from xlplan.workbook import formulas
from xlplan.xlsx.model import ConditionalFormat, Sheet
from xlplan.workbook.table import input_cells, own_row_cells, table_validations, team_columns, wrapped_lines, write_row

HEADER_ROW = 4


def roles_sheet(ctx: Context) -> Sheet:
    table = schema.ROLES
    sheet = table_sheet(ctx, "roller", "Roller i implementeringen", table, note("roller"), HEADER_ROW)
    first = HEADER_ROW + 1
    roles = content.roles()
    names_col, filled_col = table.index("navne"), table.index("besat")
    for i, role in enumerate(roles):
        row = first + i
        typical = role.typical + (f"\n({role.benefit_role})" if role.benefit_role else "")
        tasks = "\n".join(f"• {t}" for t in role.tasks)
        texts = (("niveau", role.level, "fixed"), ("rolle", role.name, "fixed"), ("typisk", typical, "small"),
                 ("formaal", role.purpose, "small"), ("opmaerksomhed", role.attention, "small"),
                 ("opgaver", tasks, "small"))
        for key, value, style in texts:
            sheet.put(row, table.index(key), value, style)
        sheet.row_heights[row] = 12 * max(wrapped_lines(value, table.column(key).width) for key, value, _ in texts) + 8
    own = ctx.fill.own_rows.get("roller", []) if ctx.fill else []
    last = first + len(roles) + len(own) - 1
    input_cells(sheet, table, first, last)
    team = team_columns(sheet, ctx, "roller", HEADER_ROW, len(table.columns), first, last)
    if ctx.fill:
        for i, role in enumerate(roles):
            if role.name in ctx.fill.roles:
                write_row(sheet, table, first + i, ctx.fill.roles[role.name], team=team)
                ctx.place(ctx.fill.role_sources[role.name], sheet.name, first + i)
    for i, (values, source) in enumerate(own, first + len(roles)):  # the roles a team added, after the template's
        own_row_cells(sheet, table, i)
        write_row(sheet, table, i, values, own=True, team=team)
        ctx.place(source, sheet.name, i)
    laid_out = sheet.values()
    for row in range(first, last + 1):  # after the team's names are in: the formulas store what they compute
        sheet.put(row, filled_col, formulas.yes_if_text(cell(row, names_col), laid_out.get((row, names_col))),
                  "formula")
    table_validations(sheet, ctx, table, first, last)
    ref = "$" + cell(first, filled_col)
    sheet.conditional_formats += [
        ConditionalFormat(first, filled_col, last, filled_col, f'={ref}="Ja"', "cf_status_Opfyldt"),
        ConditionalFormat(first, filled_col, last, filled_col, f'={ref}="Nej"', "cf_status_Forsinket"),
    ]
    sheet.freeze = (first, 2)
    return sheet
