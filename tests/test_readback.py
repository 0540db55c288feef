"""Reading returned workbooks: every edit people make, every problem named with its cell."""
import datetime as dt
import shutil

import pytest

import fixtures
from xlplan.core import content, schema
from xlplan.core.errors import Severity
from xlplan.workbook.generate import render_workbook
from xlplan.reading.readback import read_team_workbook

D = dt.date


@pytest.fixture
def fresh(sample_config, tmp_path):
    """A freshly generated workbook for Familieteamet, to edit."""
    def make(name="Familieteamet.xlsx"):
        path = tmp_path / name
        path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
        return path
    return make


def read_edited(fresh, change):
    path = fixtures.edit(fresh(f"{change.__name__}.xlsx"), change)
    return read_team_workbook(path)


def codes(read):
    return sorted(p.code for p in read.problems)


def test_generated_workbook_reads_clean(fresh):
    read = read_team_workbook(fresh())
    assert read.readable and read.team == "Familieteamet" and read.template_id == "ics+ffb"
    assert codes(read) == ["RB032"], "a workbook sent back as generated is not filled in"
    assert len(read.criteria) == 114 and len(read.roles) == 7 and len(read.followups) == 3
    assert read.plan_rows == [] and read.process_rows == [] and read.risks == []
    assert [p.navn for p in read.people] == ["Flemming Nielsen", "Tina Holm", "Jonas Krogh"]
    assert read.info.kommune == "Ishøj Kommune" and read.info.opfoelgningsrytme == "Kvartalsvis"
    assert "ICS" in read.info.metode and "Fælles Faglige Begreber" in read.info.metode


@pytest.mark.slow
def test_plan_rows_with_their_sources(fresh):
    read = read_edited(fresh, fixtures.filled_plan_rows)
    first, second = read.plan_rows
    assert (first.focus_point, first.aktivitet, first.ansvarlig, first.status) == (
        "Fælles faglig forståelse af ICS", "Kursus", "Tina Holm", "Afsluttet")
    assert (first.start.start, first.slut.end, first.delmaal_dato.start) == (D(2026, 2, 2), D(2026, 3, 27), D(2026, 4, 1))
    assert first.source.sheet == fixtures.PLAN and first.source.cell == "A9" and first.source.row == 9
    assert second.formaal is None and second.source.row == 10
    assert codes(read) == []


def test_rows_inserted_deleted_and_blank_rows_between(fresh):
    read = read_edited(fresh, fixtures.rows_inserted_deleted_and_blank_between)
    assert [r.aktivitet for r in read.plan_rows] == ["Kursus", "Indsat aktivitet", "Teammøder", "Efter tomme rækker"]
    assert [r.source.row for r in read.plan_rows] == [8, 9, 11, 15]
    assert len(read.followups) == 3 and codes(read) == []


@pytest.mark.slow
def test_headers_with_changed_case_and_spacing(fresh):
    read = read_edited(fresh, fixtures.headers_with_changed_case_and_spacing)
    assert [(r.aktivitet, r.ansvarlig, r.status) for r in read.plan_rows] == [
        ("Kursus", "Tina Holm", "Afsluttet"), ("Teammøder", "Jonas Krogh", "I gang")]


def test_extra_column_is_kept_not_lost(fresh):
    read = read_edited(fresh, fixtures.extra_column_added)
    assert read.plan_rows[0].extra == {"Prioritet": "Høj"}
    only_extra = [r for r in read.plan_rows if r.extra.get("Prioritet") == "Kun i den ekstra kolonne"]
    assert len(only_extra) == 1 and only_extra[0].aktivitet is None


@pytest.mark.slow
def test_sheets_reordered_and_renamed(fresh):
    read = read_edited(fresh, fixtures.sheets_reordered_and_renamed)
    assert {r.source.sheet for r in read.plan_rows} == {"Vores plan"}
    assert len(read.plan_rows) == 2 and "RB004" not in codes(read)


def test_merged_purpose_applies_to_both_rows(fresh):
    read = read_edited(fresh, fixtures.merged_purpose_over_two_rows)
    assert [r.formaal for r in read.plan_rows] == ["Fælles sprog", "Fælles sprog"]


@pytest.mark.slow
def test_formula_without_cached_value_is_reported(fresh):
    read = read_edited(fresh, fixtures.formula_without_cached_value)
    [p] = [p for p in read.problems if p.code == "RB010"]
    assert (p.sheet, p.cell, p.severity) == (fixtures.PLAN, "E9", Severity.ERROR)
    assert read.plan_rows[0].slut.empty


def test_values_pasted_over_dropdowns(fresh):
    read = read_edited(fresh, fixtures.values_pasted_over_dropdowns)
    assert [r.status for r in read.plan_rows] == ["Afsluttet", None]
    assert read.plan_rows[0].smart["S"] == "Ja"
    found = {(p.code, p.cell, p.severity) for p in read.problems if p.sheet == fixtures.PLAN}
    assert ("RB007", "O9", Severity.WARNING) in found and ("RB007", "H9", Severity.WARNING) in found
    assert ("RB006", "O10", Severity.ERROR) in found
    statuses = {c.id: c.status for c in read.criteria}
    assert statuses["1.1.1"] == "Opfyldt" and statuses["1.1.2"] == "Ikke relevant"


@pytest.mark.slow
def test_dates_typed_as_text(fresh):
    read = read_edited(fresh, fixtures.dates_typed_as_text)
    row = read.plan_rows[0]
    assert (row.start.raw, row.start.start, row.start.end) == ("uge 10 2026", D(2026, 3, 2), D(2026, 3, 8))
    assert row.slut.start == D(2026, 3, 31)
    assert row.delmaal_dato.raw == "31. september 2026" and row.delmaal_dato.start is None
    found = {(p.code, p.cell) for p in read.problems}
    assert ("RB009", "D9") in found and ("RB008", "G9") in found
    assert ("RB009", "E9") not in found, "a plain Danish numeric date is not an interpretation"


def test_deleted_and_renumbered_criteria(fresh):
    read = read_edited(fresh, fixtures.criterion_rows_deleted_and_renumbered)
    found = {(p.code, p.severity) for p in read.problems}
    assert ("RB013", Severity.ERROR) in found and ("RB014", Severity.WARNING) in found
    missing = [p for p in read.problems if p.code == "RB014"]
    assert {p.values["id"] for p in missing} == {"2.1.2", "2.1.3"}


@pytest.mark.slow
def test_without_metadata_the_workbook_is_still_read_by_its_headers(fresh):
    read = read_edited(fresh, fixtures.metadata_removed)
    assert read.readable and read.team == "Familieteamet" and len(read.criteria) == 114


def test_unknown_template_version(fresh):
    read = read_edited(fresh, fixtures.future_template_version)
    assert not read.readable and codes(read) == ["RB002"]
    assert "99" in read.problems[0].message


def test_workbook_not_made_by_xlplan(tmp_path):
    read = read_team_workbook(fixtures.not_an_xlplan_workbook(tmp_path / "budget.xlsx"))
    assert not read.readable and codes(read) == ["RB001"]


@pytest.mark.parametrize("builder, code", [
    (fixtures.truncated, "RD003"), (fixtures.csv_named_xlsx, "RD001"), (fixtures.zip_without_workbook, "RD001"),
])
def test_broken_files_are_named_not_raised(fresh, builder, code):
    read = read_team_workbook(builder(fresh(f"{builder.__name__}.xlsx")))
    assert not read.readable and codes(read) == [code]
    assert str(read.problems[0]).startswith(f"{builder.__name__}.xlsx: [{code}]")


def test_blank_template_filled_by_hand():
    from paths import ROOT
    read = read_team_workbook(ROOT / "samples" / "returned" / "Familieplejen - ICS-implementeringsplan.xlsx")
    assert read.team == "Familieplejen" and read.template_id == "ics"
    assert read.plan_rows[1].ansvarlig == "Mona Lund og superbrugerne"
    assert read.plan_rows[1].start.start == D(2026, 4, 1) and read.plan_rows[1].slut.end == D(2026, 8, 31)
    assert read.errors == []


def test_real_procesplan_of_seed_003():
    from paths import ROOT
    read = read_team_workbook(ROOT / "samples" / "returned" / "Ishøj Kommune - Familieteamet.xlsx")
    rows = {r.periode.raw: r for r in read.process_rows}
    assert len(read.process_rows) == 25  # 21 rows of seed 003, then the 2026 round
    assert (rows["4. september"].start, rows["4. september"].end) == (D(2012, 9, 4), D(2012, 9, 4))
    assert (rows["Uge 40 – 43"].start, rows["Uge 40 – 43"].end) == (D(2012, 10, 1), D(2012, 10, 28))
    assert rows["19. og 20. marts samt én dag primo april 2013"].end == D(2013, 4, 10)
    assert (rows["Maj, juni og juli"].start, rows["November, december"].end) == (D(2013, 5, 1), D(2013, 12, 31))
    [week53] = [p for p in read.problems if p.code == "RB008"]
    assert week53.cell == "A19" and "uge 53 findes ikke i 2012" in week53.message


def test_own_sheet_is_kept_and_listed(fresh):
    read = read_edited(fresh, fixtures.own_notes_sheet_added)
    [own] = read.own_sheets
    assert (own.name, own.texts) == ("Vores noter", [("A1", "Aftalt på teammødet 3. marts"),
                                                     ("B4", "Husk at invitere Sundhedsplejen")])
    [notice] = [p for p in read.problems if p.code == "RB031"]
    assert (notice.sheet, notice.severity) == ("Vores noter", Severity.INFO)


@pytest.mark.slow
def test_procesplan_without_headers_is_reported_not_skipped(fresh):
    read = read_edited(fresh, fixtures.procesplan_headers_deleted)
    assert [(p.code, p.sheet) for p in read.problems if p.code == "RB017"] == [("RB017", "Procesplan")]


@pytest.mark.slow
def test_values_in_columns_without_header_are_reported_at_their_cells(fresh):
    path = fixtures.edit(fresh("unheaded.xlsx"), fixtures.values_in_columns_without_header)
    import openpyxl
    ws = openpyxl.load_workbook(path)[fixtures.PLAN]
    expected = {(c.coordinate, c.value) for row in ws.iter_rows(min_col=18, max_col=18) for c in row if c.value}
    read = read_team_workbook(path)
    found = {(p.cell, p.values["værdi"]) for p in read.problems if p.code == "RB022"}
    assert found == expected and len(found) == 2


def test_names_not_on_the_list_are_warned_with_the_closest_listed_name(fresh):
    read = read_edited(fresh, fixtures.names_not_on_the_list)
    found = {(p.sheet, p.cell): (p.values["navn"], p.values["forslag"]) for p in read.problems if p.code == "RB033"}
    assert found == {
        (fixtures.PLAN, "C9"): ("Tina", "Mente I 'Tina Holm'? "),
        (fixtures.PLAN, "C10"): ("Jonas Krog", "Mente I 'Jonas Krogh'? "),
        (fixtures.PLAN, "C11"): ("Jens Mølgaard", ""),
        ("Roller", f"{chr(ord('A') + schema.ROLES.index('navne'))}6"): ("Bo", ""),
    }
    assert all(p.is_warning for p in read.problems if p.code == "RB033")


@pytest.mark.slow
def test_the_fix_for_a_phase_offers_this_workbooks_phases(fresh):
    import openpyxl
    path = fixtures.edit(fresh("fase.xlsx"), fixtures.phase_typed_over_the_list)
    wb = openpyxl.load_workbook(path)
    sheet, cells = wb.defined_names["liste_faser"].destinations.__next__()
    dropdown = [c.value for row in wb[sheet][cells.replace("$", "")] for c in row]
    [p] = [p for p in read_team_workbook(path).problems if p.code == "RB006"]
    assert p.values["muligheder"].split(", ") == dropdown and len(dropdown) == 4  # FFB's phases, no 'Trin'
    assert not any(v.startswith("Trin") for v in dropdown)


def test_an_invalid_value_keeps_its_typed_text_in_the_record(fresh):
    read = read_edited(fresh, fixtures.invalid_values_typed_over_the_lists)
    [row] = read.plan_rows
    assert (row.status, row.invalid) == (None, {"status": "Afslutet"})
    [risk] = read.risks
    assert (risk.sandsynlighed, risk.konsekvens, risk.invalid) == (2, None, {"konsekvens": "høj"})
    assert (read.info.aktuel_fase, read.info.invalid) == (None, {"aktuel_fase": "Fase 5"})
    reported = {(p.code, p.values["værdi"]) for p in read.problems if p.code in ("RB006", "RB012")}
    assert reported == {("RB006", "Afslutet"), ("RB012", "høj"), ("RB006", "Fase 5")}


@pytest.mark.slow
def test_plan_rows_typed_below_the_followup_block_are_plan_rows(fresh):
    path = fixtures.edit(fresh("below.xlsx"), fixtures.plan_rows_typed_below_the_followup_block)
    import openpyxl
    ws = openpyxl.load_workbook(path)[fixtures.PLAN]
    _heading, last = fixtures.followup_rows(ws)
    read = read_team_workbook(path)
    rows = [(r.source.row, r.formaal, r.aktivitet, r.bemaerkning) for r in read.plan_rows]
    assert rows[2:] == [(last + 2, None, "Ekstra møde", None),
                        (last + 3, "Nyt formål", "Temadag", "Med Sundhedsplejen")]
    assert read.plan_rows[2].start.start == D(2026, 9, 1) and read.plan_rows[2].status == "I gang"
    [notice] = [p for p in read.problems if p.code == "RB042"]
    assert (notice.sheet, notice.cell, notice.severity) == (fixtures.PLAN, f"A{last + 2}", Severity.INFO)
    assert len(read.followups) == 3


@pytest.mark.slow
def test_a_label_row_added_to_the_followup_block_is_kept(fresh):
    read = read_edited(fresh, fixtures.label_row_added_to_the_followup_block)
    followup = next(f for f in read.followups if f.source.sheet == fixtures.PLAN)
    assert followup.extra == {"Næste møde": "12. maj på rådhuset"}
    assert not [p for p in read.problems if p.sheet == fixtures.PLAN]


def test_a_criterion_the_team_added_is_kept_with_its_own_id_and_counts_in_no_share(fresh):
    from xlplan.reporting.progress import team_progress
    read = read_edited(fresh, fixtures.criterion_added_by_the_team)
    [own] = [c for c in read.criteria if c.own]
    assert (own.id, own.text, own.status, own.ansvarlig) == (
        "1.1.x Egen", "Vi holder fælles morgenmøder om sagerne", "I gang", "Tina Holm")
    assert (own.checklist, own.phase, own.source.sheet) == ("faser", "1", "Fase 1 Forbered")
    [notice] = [p for p in read.problems if p.code == "RB043"]
    assert notice.severity is Severity.INFO and notice.cell == own.source.cell
    phase_1 = sum(len(d.criteria) for d in content.phases()[0].dimensions)
    progress = team_progress([read], D(2026, 6, 15))
    assert progress.phases["1"].relevant == phase_1 and progress.phases["1"].in_progress == 0


@pytest.mark.slow
def test_a_role_the_team_added_is_kept_and_counts_in_no_total(fresh):
    from xlplan.reporting.progress import team_progress
    read = read_edited(fresh, fixtures.role_added_by_the_team)
    [own] = [r for r in read.roles if r.own]
    assert (own.niveau, own.rolle, own.navne) == ("Taktisk", "Datakoordinator", "Jonas Krogh")
    assert own.extra == {"Formål": "Samler data om sagerne til ledelsen"}
    assert [p.code for p in read.problems] == ["RB044"]
    progress = team_progress([read], D(2026, 6, 15))
    assert (progress.roles_total, progress.roles_filled) == (len(content.roles()), 0)


def test_values_hidden_under_merged_cells_are_reported_at_their_cells(fresh):
    read = read_edited(fresh, fixtures.values_hidden_under_merged_cells)
    assert [r.formaal for r in read.plan_rows] == ["Fælles sprog", "Fælles sprog"], "the merged value is read"
    found = {(p.cell, p.values["værdi"], p.values["anker"]) for p in read.problems if p.code == "RB041"}
    assert found == {("A10", "Eget formål, skjult", "A9"), ("E4", "Skjult note i sigtepunktet", "B4")}
    assert {(u.sheet, u.cell, u.value) for u in read.unplaced} == {
        (fixtures.PLAN, "A10", "Eget formål, skjult"), (fixtures.PLAN, "E4", "Skjult note i sigtepunktet")}


@pytest.mark.slow
def test_values_outside_the_tables_are_reported_at_their_cells(fresh):
    read = read_edited(fresh, fixtures.values_outside_the_tables)
    found = {(p.sheet, p.cell, p.values["værdi"]) for p in read.problems if p.code == "RB040"}
    assert found == {(fixtures.PLAN, "R2", "Husk budget"), ("Oversigt", "H5", "Teamet skifter leder i maj"),
                     ("Risikolog", "K3", "Se også referatet"), ("Vejledning", "D3", "Læst af Tina")}
