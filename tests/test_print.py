"""The management workbook on paper: every sheet printed by LibreOffice (its default settings), for the
three sample teams and for a plan of thirty teams built from the generator and the fixtures. The briefing
is one page; no sheet prints its text below 60% of its size; every colour that means something has a
legend on its sheet; the page counts are those of a document designed for print."""
import datetime as dt
import shutil
from dataclasses import replace

import openpyxl
import pytest

import fixtures
from libreoffice import convert
from paths import ROOT
from print_checks import (column_pixels, legend_colours, meaning_colours, pages_by_sheet, print_settings,
                          word_height)
from xlplan.reporting import history
from xlplan.core.config import Team
from xlplan.reporting.consolidate import consolidate, mark_unchanged
from xlplan.workbook.generate import generate_team_workbooks
from xlplan.reporting.report import report_workbook
from xlplan.xlsx.writer import render

pytestmark = pytest.mark.libreoffice

AS_OF = dt.date(2026, 6, 15)
READABLE = 0.6  # of the size the text has at 100%
A4_LANDSCAPE_PIXELS = int((11.69 - 1.0) * 96)  # inside xlsx_writer's margins of half an inch
AREAS = ["Familieteam", "Ungeteam", "Handicapteam", "Døgnteam", "Forebyggelse", "Myndighed"]
DISTRICTS = ["Nord", "Syd", "Øst", "Vest", "Centrum"]
FILLS = [fixtures.filled_plan_rows, fixtures.dated_rows_with_edge_cases, fixtures.filled_from_the_lists_around(AS_OF),
         fixtures.values_pasted_over_dropdowns, fixtures.dates_typed_as_text, None]
NOT_SENT = 2  # the last teams of the plan send nothing


@pytest.fixture(scope="module", autouse=True)
def calibri_as_users_see_it():
    """LibreOffice sets Calibri in Carlito, its metric twin, as its Windows and macOS installs do; without
    it the sheets come out in a wider font and smaller than in Excel (scripts/install-system-packages)."""
    import subprocess
    found = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True).stdout
    assert "Carlito" in found, "Installér skrifttypen Carlito: make system (fonts-crosextra-carlito)"


def _reading(folder, config, db, when):
    """A reading as of the day it is made (a reading is one per date: the same date again replaces it)."""
    result = consolidate([folder], config, when.date())
    mark_unchanged(result, history.previous_files(db, result))
    history.record(result, db, when)
    development = history.development(db)
    return result, development


def _printed(result, development, folder, name):
    path = folder / f"{name}.xlsx"
    path.write_bytes(render(report_workbook(result, dt.datetime(2026, 6, 15, 8), development)))
    converted = convert([path], "pdf", folder / "pdf")
    assert converted.returncode == 0, converted.stderr
    return path, folder / "pdf" / f"{name}.pdf"


@pytest.fixture(scope="module")
def three_teams(sample_config, tmp_path_factory):
    """The samples at two readings: Familieteamet met a criterion in between."""
    work = tmp_path_factory.mktemp("tre")
    folder = work / "ind"
    shutil.copytree(ROOT / "samples" / "returned", folder)
    db = work / "historik.sqlite"
    _reading(folder, sample_config, db, dt.datetime(2026, 5, 15, 8))

    def met(wb):
        ws = wb["Fase 2 Igangsæt"]
        ws.cell(row=next(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "2.6.3"),
                column=3, value="Opfyldt")
    fixtures.edit(folder / "Ishøj Kommune - Familieteamet.xlsx", met)
    result, development = _reading(folder, sample_config, db, dt.datetime(2026, 6, 15, 8))
    return (result, *_printed(result, development, work, "samlet-status"), development)


@pytest.fixture(scope="module")
def thirty_teams(sample_config, tmp_path_factory):
    """Thirty teams generated from a plan, filled by the fixtures the way people fill them (one in six sent
    back untouched), two that send nothing; two readings, with changes in every third team between them."""
    work = tmp_path_factory.mktemp("tredive")
    teams = tuple(Team(f"{area} {district}") for area in AREAS for district in DISTRICTS)
    config = replace(sample_config, teams=teams)
    written = generate_team_workbooks(config, work / "ind", now=dt.datetime(2026, 1, 5, 9))
    for i, workbook in enumerate(written):
        if i >= len(written) - NOT_SENT:
            workbook.path.unlink()
        elif FILLS[i % len(FILLS)] is not None:
            fixtures.edit(workbook.path, FILLS[i % len(FILLS)])
    db = work / "historik.sqlite"
    _reading(work / "ind", config, db, dt.datetime(2026, 5, 15, 8))
    for workbook in written[:len(written) - NOT_SENT:3]:
        fixtures.edit(workbook.path, fixtures.real_date_in_period_column)
    result, development = _reading(work / "ind", config, db, dt.datetime(2026, 6, 15, 8))
    assert len(result.teams) == 28 and len(result.missing_teams) == NOT_SENT
    return (result, *_printed(result, development, work, "samlet-status"), development)


def _sheets(path):
    wb = openpyxl.load_workbook(path)
    return [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]


def _reference_height(tmp_path, words):
    """The words printed at 100% in the body font (Calibri 10, as the sheets' text), made with openpyxl."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, word in enumerate(sorted(words), 1):
        ws.cell(row=row, column=1, value=word).font = openpyxl.styles.Font(name="Calibri", size=10)
    ws.column_dimensions["A"].width = 40
    path = tmp_path / "reference.xlsx"
    wb.save(path)
    assert convert([path], "pdf", tmp_path).returncode == 0
    from print_checks import pages
    return word_height(pages(tmp_path / "reference.pdf"), words)


@pytest.mark.parametrize("case", ["three_teams", "thirty_teams"])
def test_the_briefing_is_one_readable_page(case, request, tmp_path):
    result, xlsx, pdf, _development = request.getfixturevalue(case)
    by_sheet = pages_by_sheet(pdf, _sheets(xlsx))
    assert len(by_sheet["Resumé"]) == 1
    names = {t.team.split()[0] for t in result.teams}
    scale = word_height(by_sheet["Resumé"], names) / _reference_height(tmp_path, names)
    assert scale >= READABLE, f"the briefing prints at {scale:.0%}"
    text = " ".join(w.text for w in by_sheet["Resumé"][0].words)
    for team in result.teams + [replace(result.teams[0], team=name) for name in result.missing_teams]:
        assert team.team.split()[-1] in text  # every team is on the page


@pytest.mark.parametrize("case", ["three_teams", "thirty_teams"])
def test_no_sheet_prints_below_a_readable_size(case, request, tmp_path):
    result, xlsx, pdf, _development = request.getfixturevalue(case)
    names = {t.team.split()[0] for t in result.teams}
    reference = _reference_height(tmp_path, names)
    settings = print_settings(xlsx)
    wb = openpyxl.load_workbook(xlsx)
    for sheet, pages_ in pages_by_sheet(pdf, _sheets(xlsx)).items():
        assert pages_, f"{sheet} printed nothing"
        measured = word_height(pages_, names)
        if measured is not None:  # Udvikling's charts and Tjekliste's headers show team names too
            assert measured / reference >= READABLE, f"{sheet} prints its text at {measured / reference:.0%}"
        s = settings[sheet]
        assert s.print_area, f"{sheet} has no print area"
        if s.scale is not None:
            assert s.scale >= READABLE * 100 and s.repeat_columns, sheet  # flows across pages, titles repeated
        else:
            assert s.fit_width == 1, sheet
            cols = s.print_area.split("!")[-1].replace("$", "").split(":")
            last = openpyxl.utils.column_index_from_string("".join(ch for ch in cols[1] if ch.isalpha()))
            width = column_pixels(wb[sheet], 1, last)
            page = A4_LANDSCAPE_PIXELS if s.landscape else int((8.27 - 1.0) * 96)
            assert min(1, page / width) >= READABLE, f"{sheet}: {width} pixels fitted to {page}"


@pytest.mark.parametrize("case", ["three_teams", "thirty_teams"])
def test_every_colour_that_means_something_has_a_legend(case, request):
    _result, xlsx, _pdf, _development = request.getfixturevalue(case)
    wb = openpyxl.load_workbook(xlsx)
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            missing = meaning_colours(ws) - legend_colours(ws)
            assert not missing, f"{ws.title}: no legend for {sorted(missing)}"


def test_page_counts_of_three_teams(three_teams):
    _result, xlsx, pdf, _development = three_teams
    counts = {sheet: len(p) for sheet, p in pages_by_sheet(pdf, _sheets(xlsx)).items()}
    assert counts["Resumé"] == 1
    assert counts["Overblik"] == 2  # the teams with the rule; the chart and the heat map on a page of their own
    assert counts["Siden sidst"] == 1 and counts["Risici"] == 1 and counts["Roller"] == 1 and counts["Kilder"] == 1
    assert counts["Udvikling"] <= 7  # a block per page at most: three figures and four phases
    assert counts["Tidslinje"] <= 4  # the weeks of every open activity over at most two pages across


def test_the_overbliks_chart_page_has_no_header_row_without_rows(three_teams):
    """The teams fit on the first page: the chart and the heat map's page repeats no table header."""
    _result, xlsx, pdf, _development = three_teams
    chart_page = pages_by_sheet(pdf, _sheets(xlsx))["Overblik"][1]
    words = {w.text for w in chart_page.body()}
    assert "Andel" in words and "Trafiklys" not in words and "Begrundelse" not in words


def test_page_counts_of_thirty_teams(thirty_teams):
    result, xlsx, pdf, _development = thirty_teams
    counts = {sheet: len(p) for sheet, p in pages_by_sheet(pdf, _sheets(xlsx)).items()}
    assert counts["Resumé"] == 1
    assert counts["Overblik"] <= 4  # thirty rows over at most three pages, and the chart's page
    assert counts["Roller"] <= 6  # thirty teams across, six to a page


def test_a_sheet_without_a_legend_is_found(three_teams, tmp_path):
    """The legend check can fail: the Tjekliste without its legend row."""
    result, _xlsx, _pdf, _development = three_teams
    book = report_workbook(result)
    sheet = book.sheet("Tjekliste")
    sheet.merges = [m for m in sheet.merges if not m.style.startswith("legend_")]
    book.sheets = [sheet]
    path = tmp_path / "uden.xlsx"
    path.write_bytes(render(book))
    ws = openpyxl.load_workbook(path)["Tjekliste"]
    assert meaning_colours(ws) - legend_colours(ws)


def test_the_meeting_pdf_has_the_whole_briefing_of_thirty_teams_on_its_first_page(thirty_teams, tmp_path):
    import subprocess

    from xlplan.reporting.meeting_pdf import meeting_pdf

    result, _xlsx, _pdf, development = thirty_teams
    path = tmp_path / "møde.pdf"
    path.write_bytes(meeting_pdf(result, development))
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    teams = [t.team for t in result.teams] + result.missing_teams
    assert all(team in " ".join(first.split()) for team in teams)
    assert "30 teams:" in first
