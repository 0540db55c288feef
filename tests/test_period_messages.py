"""Messages about a period name the part that was not understood, never a word xlplan reads elsewhere, and
quote a value as the team sees it (issue #24, item 6)."""
import datetime as dt

import openpyxl
import pytest
from hypothesis import given, strategies as st

import fixtures
from xlplan.reading.periods import parse_period, PeriodError
from xlplan.reading.readback import read_team_workbook
from xlplan.workbook.generate import render_workbook
from xlplan.xlsx.formats import shown_number

D = dt.date
PART_WORDS = ["primo", "medio", "ultimo", "start", "midt", "slut", "først", "sidst"]


@pytest.mark.parametrize("text, start, end, rule", [
    # A half-year's thirds are two months each, a quarter's one month: as primo/medio/ultimo of a month
    # and of a year are its thirds (README's table).
    ("ultimo 2. halvår 2026", D(2026, 11, 1), D(2026, 12, 31), "ultimo et halvår = halvårets sidste to måneder"),
    ("primo 1. halvår 2026", D(2026, 1, 1), D(2026, 2, 28), "primo et halvår = halvårets første to måneder"),
    ("medio 2. halvår 2026", D(2026, 9, 1), D(2026, 10, 31), "medio et halvår = halvårets midterste to måneder"),
    ("primo Q3 2026", D(2026, 7, 1), D(2026, 7, 31), "primo et kvartal = kvartalets første måned"),
    ("ultimo 4. kvartal 2026", D(2026, 12, 1), D(2026, 12, 31), "ultimo et kvartal = kvartalets sidste måned"),
    # LibreOffice in Danish reads "sept. 26" as September 2026; the Danish day stands before the month
    ("sept. 26", D(2026, 9, 1), D(2026, 9, 30), "et tocifret tal efter en måned er året ('sept. 26' = september 2026)"),
    ("april 27", D(2027, 4, 1), D(2027, 4, 30), "et tocifret tal efter en måned er året ('april 27' = april 2027)"),
])
def test_a_third_of_a_half_year_and_a_two_digit_year_are_read_by_a_stated_rule(text, start, end, rule):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert rule in period.rules


def test_the_forms_of_before_are_read_as_before():
    assert (parse_period("ultimo december 2026").start, parse_period("ultimo december 2026").rules) == (
        D(2026, 12, 21), ())
    assert parse_period("26. sept. 2026").start == D(2026, 9, 26)
    assert parse_period("1. kvartal 2027").end == D(2027, 3, 31)


@pytest.mark.parametrize("text, message", [
    ("medio uge 34 2026", "'medio' kan ikke stå foran en uge (skriv ugen alene eller dagene)"),
    ("uge 40 2026 ultimo", "'ultimo' skal stå foran en måned, et kvartal, et halvår eller et år"),
    ("medio uge 34 foreløbig", "'foreløbig' forstås ikke som en del af en dato eller periode; 'medio' kan ikke "
                               "stå foran en uge"),
])
def test_a_word_read_elsewhere_is_named_with_where_it_may_stand(text, message):
    with pytest.raises(PeriodError) as caught:
        parse_period(text, 2026)
    assert message in str(caught.value)


@given(st.sampled_from(PART_WORDS), st.sampled_from(["uge 34", "uge 1", "uge 40 – 43"]), st.integers(2000, 2090),
       st.sampled_from(["", " foreløbig", " x"]))
def test_a_primo_medio_or_ultimo_word_is_never_said_to_be_not_understood(word, week, year, other):
    with pytest.raises(PeriodError) as caught:
        parse_period(f"{word} {week} {year}{other}")
    assert f"'{word}' forstås ikke" not in str(caught.value) and f"'{word}' og" not in str(caught.value)
    assert f"'{word}' kan ikke stå foran en uge" in str(caught.value)


# ------------------------------------------------------------ a value quoted as the team sees it

@pytest.mark.parametrize("value, number_format, shown", [
    (0.5, "0%", "50 %"), (0.5, 9, "50 %"), (0.125, "0.0%", "12,5 %"), (1, "0%", "100 %"), (0.5, None, "0,5"),
    (3, None, "3"), (2.5, "General", "2,5"),
])
def test_a_number_is_shown_as_a_spreadsheet_in_danish_shows_it(value, number_format, shown):
    assert shown_number(value, number_format) == shown


def test_a_percentage_typed_in_a_status_cell_is_quoted_as_typed(sample_config, tmp_path):
    # "50%" typed in a cell is stored as the number 0.5 with a percent format (Excel and LibreOffice alike)
    path = tmp_path / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    wb = openpyxl.load_workbook(path)
    ws = wb[fixtures.PLAN]
    row = fixtures.header_row(ws) + 1
    fixtures.write_row(ws, row, {2: "Kursus", 3: "Tina Holm", 15: 0.5})
    ws.cell(row=row, column=15).number_format = "0%"
    wb.save(path)
    read = read_team_workbook(path)
    [status] = [p for p in read.problems if p.cell == f"O{row}"]
    assert status.code == "RB006" and status.values["værdi"] == "50 %"
    assert status.message == "'50 %' er ikke en gyldig værdi i Status."
    assert read.plan_rows[0].invalid["status"] == "0.5"  # what a fresh copy writes back is unchanged
