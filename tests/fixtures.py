"""Returned workbooks with the edits people make, built by the tests from a generated workbook.

Each builder takes a freshly generated team workbook (path) and edits it with openpyxl the way a
person would in Excel; the name of each builder is the problem it shows.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl

from xlplan.core import schema

PLAN = "1. Fælles faglig forståelse"
SAMPLE_PLAN = "1. Fælles faglig forståelse af"  # the same sheet in the bundled samples, cut by an earlier xlplan


def plan_sheet(wb):
    """The first plan sheet: as xlplan names it now, or as the bundled samples have it."""
    return wb[PLAN] if PLAN in wb.sheetnames else wb[SAMPLE_PLAN]


D = dt.date


def header_row(ws, first: str = "Formål", column: int = 1) -> int:
    for row in range(1, 60):
        if ws.cell(row=row, column=column).value == first:
            return row
    raise KeyError(first)


def write_row(ws, row: int, values: dict[int, object]) -> None:
    for col, value in values.items():
        ws.cell(row=row, column=col, value=value)


def edit(path: Path, change) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def insert_rows(ws, row: int, amount: int = 1) -> None:
    """Insert rows as Excel and LibreOffice do: the merged cells below move with their rows (openpyxl's
    own insert_rows leaves them where they were)."""
    ws.insert_rows(row, amount=amount)
    _move_merges(ws, row, amount)


def delete_rows(ws, row: int, amount: int = 1) -> None:
    """Delete rows as Excel and LibreOffice do (see insert_rows)."""
    ws.delete_rows(row, amount=amount)
    _move_merges(ws, row + amount, -amount)


def insert_cols(ws, col: int, amount: int = 1) -> None:
    """Insert columns as Excel and LibreOffice do (see insert_rows)."""
    ws.insert_cols(col, amount=amount)
    _move_merges(ws, col, amount, columns=True)


def _move_merges(ws, first: int, offset: int, columns: bool = False) -> None:
    moving = [m for m in ws.merged_cells.ranges if (m.min_col if columns else m.min_row) >= first]
    for merged in moving:
        ws.merged_cells.remove(merged)
    rows, cols = (0, offset) if columns else (offset, 0)
    for merged in moving:
        ws.merge_cells(start_row=merged.min_row + rows, start_column=merged.min_col + cols,
                       end_row=merged.max_row + rows, end_column=merged.max_col + cols)


def filled_plan_rows(wb) -> None:
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {1: "Fælles sprog", 2: "Kursus", 3: "Tina Holm", 4: D(2026, 2, 2), 5: D(2026, 3, 27),
                          6: "Alle på kursus", 7: D(2026, 4, 1), 15: "Afsluttet"})
    write_row(ws, h + 2, {2: "Teammøder", 3: "Jonas Krogh", 4: D(2026, 3, 2), 5: D(2026, 12, 18), 15: "I gang"})


def rows_inserted_deleted_and_blank_between(wb) -> None:
    filled_plan_rows(wb)
    ws = plan_sheet(wb)
    h = header_row(ws)
    delete_rows(ws, h - 2)  # a row above the table deleted: the header moves up
    h -= 1
    insert_rows(ws, h + 2, amount=2)  # two rows inserted between the entries, one left blank
    write_row(ws, h + 2, {2: "Indsat aktivitet", 3: "Tina Holm", 15: "Ikke påbegyndt"})
    write_row(ws, h + 8, {2: "Efter tomme rækker", 3: "Jonas Krogh", 15: "I gang"})


def headers_with_changed_case_and_spacing(wb) -> None:
    filled_plan_rows(wb)
    ws = plan_sheet(wb)
    h = header_row(ws)
    ws.cell(row=h, column=2, value="  AKTIVITET ")
    ws.cell(row=h, column=15, value="status")
    ws.cell(row=h, column=3, value="Ansvarlig person")


def extra_column_added(wb) -> None:
    filled_plan_rows(wb)
    ws = plan_sheet(wb)
    h = header_row(ws)
    ws.cell(row=h, column=17, value="Prioritet")
    ws.cell(row=h + 1, column=17, value="Høj")
    ws.cell(row=h + 4, column=17, value="Kun i den ekstra kolonne")


def sheets_reordered_and_renamed(wb) -> None:
    filled_plan_rows(wb)
    plan_sheet(wb).title = "Vores plan"
    wb.move_sheet("Vores plan", offset=5)
    wb.move_sheet("Procesplan", offset=-5)


def merged_purpose_over_two_rows(wb) -> None:
    filled_plan_rows(wb)
    ws = plan_sheet(wb)
    h = header_row(ws)
    ws.merge_cells(start_row=h + 1, start_column=1, end_row=h + 2, end_column=1)


def formula_without_cached_value(wb) -> None:
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {2: "Kursus", 3: "Tina Holm", 4: D(2026, 2, 2), 5: f"=D{h + 1}+30", 15: "I gang"})


def values_pasted_over_dropdowns(wb) -> None:
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {2: "Kursus", 3: "Tina Holm", 8: "x", 15: "Færdig"})
    write_row(ws, h + 2, {2: "Møder", 3: "Tina Holm", 15: "måske senere"})
    phase = wb["Fase 1 Forbered"]
    rows = {phase.cell(row=r, column=1).value: r for r in range(6, phase.max_row + 1)}
    phase.cell(row=rows["1.1.1"], column=3, value="done")
    phase.cell(row=rows["1.1.2"], column=3, value="N/A")


def dates_typed_as_text(wb) -> None:
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {2: "Kursus", 3: "Tina Holm", 4: "uge 10 2026", 5: "31-03-2026", 7: "31. september 2026",
                          15: "I gang"})


HOSTILE_TEXTS = ['=HYPERLINK("http://evil.example","klik")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
                 "http://evil.example/x"]


def _text(ws, row, col, text):
    cell = ws.cell(row=row, column=col, value=text)
    cell.data_type = "s"  # typed as text, as Excel stores a string beginning with '


def formula_and_link_text_in_user_fields(wb) -> None:
    """Formula- and link-looking text in every kind of user field: plan, procesplan, risks, people, roles."""
    ws = plan_sheet(wb)
    h = header_row(ws)
    for row, text in enumerate(HOSTILE_TEXTS, h + 1):
        for col in (1, 2, 3, 6, 13, 16):  # Formål, Aktivitet, Ansvarlig, Delmål, Mål, Bemærkning
            _text(ws, row, col, text)
    pp = wb["Procesplan"]
    h = header_row(pp, "Dato/periode")
    for row, text in enumerate(HOSTILE_TEXTS, h + 1):
        _text(pp, row, 1, "Uge 10 2026")
        for col in (4, 5, 6):  # Aktivitet, Opmærksomhedspunkter, Ansvarlig
            _text(pp, row, col, text)
    risk = wb["Risikolog"]
    for row, text in enumerate(HOSTILE_TEXTS, 6):
        for col in (2, 6, 7):  # Risiko, Handling, Ansvarlig
            _text(risk, row, col, text)
    roles = wb["Roller"]
    _text(roles, 6, schema.ROLES.index("navne") + 1, HOSTILE_TEXTS[0])
    people = wb["Personer"]
    _text(people, 9, 1, HOSTILE_TEXTS[1])


def criterion_rows_deleted_and_renumbered(wb) -> None:
    ws = wb["Fase 2 Igangsæt"]
    rows = [r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "2.1.2"]
    delete_rows(ws, rows[0])
    target = [r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "2.1.3"][0]
    ws.cell(row=target, column=1, value="2.1.9")


def metadata_removed(wb) -> None:
    del wb["xlplan"]


def future_template_version(wb) -> None:
    ws = wb["xlplan"]
    for row in ws.iter_rows():
        if row[0].value == "template_version":
            row[1].value = "99"


def not_an_xlplan_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.active["A1"] = "Post"
    wb.active["B1"] = "Beløb"
    wb.save(path)
    return path


def with_lock_file(folder: Path) -> Path:
    lock = folder / "~$Ishøj Kommune - Familieteamet.xlsx"
    lock.write_bytes(b"\x0bTina Holm" + b"\0" * 150)
    return lock


def truncated(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def csv_named_xlsx(path: Path) -> Path:
    path.write_text("Formål;Aktivitet\nA;B\n", encoding="utf-8")
    return path


def zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hej")
    return path


def dated_rows_with_edge_cases(wb) -> None:
    """Dates and statuses where overdue is easy to get wrong, seen from 15-06-2026: an invalid Til date,
    periods only, blank statuses, a status synonym, a past mål behind a future Slut, met criteria."""
    pp = wb["Procesplan"]
    h = header_row(pp, "Dato/periode")
    write_row(pp, h + 1, {1: "Uge 10 2026", 4: "Periode alene, uden status"})  # ends 08-03-2026: overdue
    write_row(pp, h + 2, {1: "marts 2026", 2: D(2026, 3, 2), 3: "31. september 2026", 4: "Ugyldig Til-dato",
                          7: "I gang"})  # Til cannot be read; Fra is 02-03-2026: overdue
    write_row(pp, h + 3, {1: "Uge 10 2026", 4: "Færdig med synonym", 7: "Færdig"})  # finished: not overdue
    write_row(pp, h + 4, {1: "december 2026", 4: "Senere i år"})  # ends after 15-06-2026: not overdue
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {2: "Mål før slut", 3: "Tina Holm", 4: D(2026, 1, 5), 5: D(2026, 12, 18),
                          13: "Målet", 14: D(2026, 5, 1), 15: "I gang"})  # the mål is overdue
    write_row(ws, h + 2, {2: "Afsluttet i tide", 3: "Tina Holm", 5: D(2026, 2, 1), 15: "Afsluttet"})
    phase = wb["Fase 1 Forbered"]
    rows = {phase.cell(row=r, column=1).value: r for r in range(6, phase.max_row + 1)}
    write_row(phase, rows["1.1.1"], {3: "Opfyldt", 5: D(2026, 2, 1)})  # met: not overdue
    write_row(phase, rows["1.1.2"], {5: D(2026, 2, 1)})  # blank status, past deadline: overdue


def own_notes_sheet_added(wb) -> None:
    notes = wb.create_sheet("Vores noter")
    notes["A1"] = "Aftalt på teammødet 3. marts"
    notes["B4"] = "Husk at invitere Sundhedsplejen"


def procesplan_headers_deleted(wb) -> None:
    ws = wb["Procesplan"]
    h = header_row(ws, "Dato/periode")
    for col in range(1, 8):
        ws.cell(row=h, column=col).value = None


def values_in_columns_without_header(wb) -> None:
    """One plan row with a note beside the table, one row whose only value is beside the table."""
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {2: "Kursus", 3: "Tina Holm", 18: "ring til Bo"})
    write_row(ws, h + 3, {18: "kun her"})


def filled_from_the_lists_around(today: dt.date):
    """A builder that fills a workbook only with list values and real dates, some before and some after
    `today`: what the team's formulas can count exactly as xlplan does."""
    before, after = today - dt.timedelta(days=20), today + dt.timedelta(days=20)

    def fill(wb) -> None:
        ws = plan_sheet(wb)
        h = header_row(ws)
        write_row(ws, h + 1, {1: "Fælles sprog", 2: "Kursus", 3: "Tina Holm", 4: before, 5: before,
                              6: "Alle på kursus", 7: before, 13: "Målet", 14: before, 15: "I gang"})
        write_row(ws, h + 2, {2: "Teammøder", 4: before, 5: after, 15: "Afsluttet"})
        write_row(ws, h + 3, {1: "Kun et formål", 5: before})
        write_row(ws, h + 4, {2: "Aflyst møde", 3: "Jonas Krogh", 5: before, 15: "Aflyst"})
        pp = wb["Procesplan"]
        h = header_row(pp, "Dato/periode")
        write_row(pp, h + 1, {1: "før", 2: before, 4: "Kun Fra", 7: "Forsinket"})
        write_row(pp, h + 2, {1: "spænd", 2: before, 3: after, 4: "Fra og Til"})
        write_row(pp, h + 3, {1: "før", 2: before, 3: before, 4: "Afsluttet i tide", 7: "Afsluttet"})
        phase = wb["Fase 1 Forbered"]
        rows = {phase.cell(row=r, column=1).value: r for r in range(6, phase.max_row + 1)}
        write_row(phase, rows["1.1.1"], {3: "Opfyldt", 5: before})
        write_row(phase, rows["1.1.2"], {3: "Ikke relevant", 5: before})
        write_row(phase, rows["1.1.3"], {3: "I gang", 5: before})
        write_row(phase, rows["1.2.1"], {5: before})
        risk = wb["Risikolog"]
        write_row(risk, 6, {2: "Sygdom", 3: 4, 4: 3, 9: "Åben"})
        write_row(risk, 7, {2: "Travlhed", 3: 5, 4: 5, 9: "Lukket"})
        wb["Roller"].cell(row=6, column=schema.ROLES.index("navne") + 1, value="Tina Holm")
    return fill


def real_date_in_period_column(wb) -> None:
    pp = wb["Procesplan"]
    h = header_row(pp, "Dato/periode")
    write_row(pp, h + 1, {1: D(2026, 5, 4), 4: "Temadag"})


def names_not_on_the_list(wb) -> None:
    """The list (arket Personer) holds Flemming Nielsen, Tina Holm and Jonas Krogh."""
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {2: "Kursus", 3: "Tina"})  # a first name only
    write_row(ws, h + 2, {2: "Møder", 3: "Jonas Krog"})  # misspelt
    write_row(ws, h + 3, {2: "Temadag", 3: "Jens Mølgaard"})  # another team's person
    write_row(ws, h + 4, {2: "Supervision", 3: "Tina Holm og Jonas Krogh"})  # two listed names
    wb["Roller"].cell(row=6, column=schema.ROLES.index("navne") + 1, value="Flemming Nielsen / Bo")
    pp = wb["Procesplan"]
    write_row(pp, header_row(pp, "Dato/periode") + 1, {1: "Uge 10 2026", 4: "Temadag",
                                                       6: "Ledergruppen i Familieafdelingen"})  # a group


def phase_typed_over_the_list(wb) -> None:
    ws = wb["Oversigt"]
    row = next(r for r in range(1, 30) if ws.cell(row=r, column=1).value == "Aktuel fase")
    ws.cell(row=row, column=2, value="Fase 5")


def invalid_values_typed_over_the_lists(wb) -> None:
    """Values no list offers: a misspelt status, a consequence in words, a phase that does not exist."""
    ws = plan_sheet(wb)
    h = header_row(ws)
    write_row(ws, h + 1, {2: "Kursus", 3: "Tina Holm", 15: "Afslutet"})
    write_row(wb["Risikolog"], 6, {2: "Sygdom", 3: 2, 4: "høj"})
    phase_typed_over_the_list(wb)


def followup_rows(ws) -> tuple[int, int]:
    """The Opfølgning heading's row and the row of its last label."""
    heading = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Opfølgning")
    return heading, heading + 3


def plan_rows_typed_below_the_followup_block(wb) -> None:
    """A team that needed more rows than the formatted ones typed them under Opfølgning."""
    filled_plan_rows(wb)
    ws = plan_sheet(wb)
    _heading, last = followup_rows(ws)
    write_row(ws, last + 2, {2: "Ekstra møde", 3: "Tina Holm", 4: D(2026, 9, 1), 15: "I gang"})
    write_row(ws, last + 3, {1: "Nyt formål", 2: "Temadag", 16: "Med Sundhedsplejen"})


def label_row_added_to_the_followup_block(wb) -> None:
    ws = plan_sheet(wb)
    heading, last = followup_rows(ws)
    insert_rows(ws, last)  # before the last label, as a person inserts a row inside the block
    ws.cell(row=last, column=1, value="Næste møde")
    ws.cell(row=last, column=3, value="12. maj på rådhuset")


def criterion_added_by_the_team(wb) -> None:
    """A row inserted after criterion 1.1.3 with the team's own id, text and status."""
    ws = wb["Fase 1 Forbered"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "1.1.3") + 1
    insert_rows(ws, row)
    write_row(ws, row, {1: "1.1.x Egen", 2: "Vi holder fælles morgenmøder om sagerne", 3: "I gang", 4: "Tina Holm"})


def role_added_by_the_team(wb) -> None:
    ws = wb["Roller"]
    columns = {ws.cell(row=5, column=c).value: c for c in range(1, 12) if ws.cell(row=5, column=c).value}
    row = max(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=columns["Rolle"]).value) + 1
    write_row(ws, row, {columns["Niveau"]: "Taktisk", columns["Rolle"]: "Datakoordinator",
                        columns["Formål"]: "Samler data om sagerne til ledelsen", columns["Navn(e)"]: "Jonas Krogh"})


def put_in_merged_cell(ws, ref: str, value) -> None:
    """A value stored inside a merged range, not at its top-left cell: what LibreOffice keeps when cells
    with contents are merged and 'keep the contents of the hidden cells' is chosen (openpyxl refuses to
    write there, so the cell object is replaced)."""
    from openpyxl.cell.cell import Cell
    from openpyxl.utils.cell import coordinate_to_tuple
    row, col = coordinate_to_tuple(ref)
    ws._cells[(row, col)] = Cell(ws, row=row, column=col, value=value)


def values_hidden_under_merged_cells(wb) -> None:
    merged_purpose_over_two_rows(wb)  # A9:A10 merged; A10 had its own Formål
    ws = plan_sheet(wb)
    h = header_row(ws)
    put_in_merged_cell(ws, f"A{h + 2}", "Eget formål, skjult")
    put_in_merged_cell(ws, "E4", "Skjult note i sigtepunktet")


def values_outside_the_tables(wb) -> None:
    """Notes typed where the template has no field: above a table beside the title, beside the Oversigt's
    fields, below the risks' numbered rows, beside the guide's text."""
    ws = plan_sheet(wb)
    ws.cell(row=2, column=18, value="Husk budget")
    wb["Oversigt"].cell(row=5, column=8, value="Teamet skifter leder i maj")
    wb["Risikolog"].cell(row=3, column=11, value="Se også referatet")
    wb["Vejledning"].cell(row=3, column=4, value="Læst af Tina")


def everything_a_team_has(wb) -> None:
    """All that a fixing copy must carry, in one workbook: the team's own sheet (a number and a date with
    their number formats), comments, own columns beside several tables (a number with its format too), a
    criterion and a role of the team's own, a label row in Opfølgning, plan rows below it, a value outside
    the tables, one hidden under a merged cell, and an invalid status."""
    from openpyxl.comments import Comment
    invalid_values_typed_over_the_lists(wb)
    extra_column_added(wb)
    criterion_added_by_the_team(wb)
    role_added_by_the_team(wb)
    label_row_added_to_the_followup_block(wb)
    ws = plan_sheet(wb)
    _heading, last = followup_rows(ws)
    write_row(ws, last + 3, {2: "Ekstra møde", 3: "Tina Holm", 15: "I gang"})
    ws.cell(row=2, column=18, value="Husk budget")
    put_in_merged_cell(ws, "E4", "Skjult note i sigtepunktet")
    h = header_row(ws)
    ws.cell(row=h + 1, column=2).comment = Comment("Spørg Bo om datoen", "Tina Holm")
    ws.cell(row=2, column=18).comment = Comment("Til budgetmødet", "Jonas Krogh")
    wb["Oversigt"]["B7"].comment = Comment("Vi skifter fase efter sommer", "Jonas Krogh")
    pp = wb["Procesplan"]
    ph = header_row(pp, "Dato/periode")
    write_row(pp, ph + 1, {1: "Uge 10 2026", 4: "Temadag"})
    insert_cols(pp, 8)  # a column of the team's own between the table and the timeline
    pp.cell(row=ph, column=8, value="Budget")
    pp.cell(row=ph + 1, column=8, value=12500).number_format = "#,##0 \"kr.\""
    notes = wb.create_sheet("Vores noter")
    notes["A1"] = "Aftalt på teammødet"
    notes["B2"] = 1500
    notes["B2"].number_format = "#,##0.00"
    notes["C3"] = D(2026, 3, 3)
    notes["C3"].number_format = "d. mmmm yyyy"
    notes["A1"].comment = Comment("Referat ligger på drevet", "Tina Holm")


# ---------------------------------------------------------------- more than one file from a team

def saved_twice_from_mail(path: Path) -> Path:
    """The same workbook saved twice from a mail: the second copy is named '… (1).xlsx', byte for byte the same."""
    copy = path.with_name(f"{path.stem} (1){path.suffix}")
    copy.write_bytes(path.read_bytes())
    return copy


def updated_on(when: dt.date):
    """The team wrote when it last updated the workbook (Oversigt: Senest opdateret)."""
    def change(wb) -> None:
        ws = wb["Oversigt"]
        row = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "Senest opdateret")
        ws.cell(row=row, column=2, value=when)
    return change


def activity_added(wb) -> None:
    """A fixed version: the team added an activity in the first empty row of its first plan."""
    ws = next(ws for ws in wb.worksheets if ws.title.startswith("Sigtepunkt") or ws.title == PLAN)
    h = header_row(ws)
    row = next(r for r in range(h + 1, h + 40) if all(ws.cell(row=r, column=c).value is None for c in (1, 2)))
    write_row(ws, row, {1: "Plejefamilierne bruger ICS", 2: "Opfølgende møde for plejefamilier", 3: "Mona Lund"})


def first_and_fixed_version(source: Path, first: Path, fixed: Path) -> tuple[Path, Path]:
    """A team's workbook (a copy of `source`) and its fixed version, with one activity more."""
    first.write_bytes(source.read_bytes())
    fixed.write_bytes(source.read_bytes())
    edit(fixed, activity_added)
    return first, fixed


def saved_at(path: Path, when: dt.datetime) -> Path:
    """The time the program that saved the workbook wrote into it (docProps/core.xml dcterms:modified, UTC),
    as Excel writes it on every save; the file's own time in the folder is left as it is."""
    import re

    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>",
                              data)
            archive.writestr(info, data)
    return path
