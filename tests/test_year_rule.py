"""The year rule: a date typed without a year is given one as a reader of the sheet would, and it is
always said (issue #24). The expectations are what the texts mean, written here: the seed's procesplan
(Ishøj, 2012-13) as the document means its years, and the issue's own example."""
import dataclasses
import datetime as dt
import pickle

import openpyxl
import pytest
from hypothesis import given, strategies as st

import fixtures
from xlplan.core.records import DateValue, to_jsonable
from xlplan.reading.periods import parse_in_order, parse_period, PeriodError, YearFrom
from xlplan.reading.readback import read_team_workbook
from xlplan.workbook.generate import render_workbook

D = dt.date
FIRST_ROW = 8  # the Procesplan's first input row (Excel's numbering)
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
          "december"]


@pytest.fixture
def plan_from(sample_config, tmp_path):
    """A workbook of a plan that starts on `start` with a timeline of `weeks`, its Procesplan rows typed in
    order (`rows`) and its plan sheet's rows (`plan`: column number -> value); `meta` changes the metadata."""
    def make(start: dt.date, weeks: int = 52, rows=(), plan=(), meta=None):
        config = dataclasses.replace(sample_config, start=start, timeline_weeks=weeks)
        path = tmp_path / f"plan-{start}-{weeks}-{len(rows)}.xlsx"
        path.write_bytes(render_workbook(config, config.teams[0], dt.datetime(start.year, start.month, 1, 9)))
        wb = openpyxl.load_workbook(path)
        for i, text in enumerate(rows):
            wb["Procesplan"].cell(row=FIRST_ROW + i, column=1, value=text)
            wb["Procesplan"].cell(row=FIRST_ROW + i, column=4, value=f"Aktivitet {i + 1}")
        ws = wb[fixtures.PLAN]
        first = fixtures.header_row(ws) + 1
        for i, values in enumerate(plan):
            fixtures.write_row(ws, first + i, {2: f"Aktivitet {i + 1}", 3: "Tina Holm", **values})
        for key, value in (meta or {}).items():
            sheet = wb["xlplan"]
            [row] = [r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == key]
            sheet.cell(row=row, column=2, value=value)
        wb.save(path)
        return read_team_workbook(path)
    return make


def at(read, cell, sheet="Procesplan"):
    return sorted((p for p in read.problems if p.sheet == sheet and p.cell == cell), key=lambda p: p.code)


def year_codes(read, sheet="Procesplan"):
    return {p.cell: p.code for p in read.problems if p.sheet == sheet and p.code in ("RB050", "RB051")}


# ------------------------------------------------------------ the seed's procesplan

# Seed 003, in its order, with the days the document means: its author wrote the year where it changed
# and left it out below ("4. september" under "28. august 2012"). Week 53 of 2012 does not exist (an error,
# as in the README); its row is passed over by the rows below it.
SEED = [
    ("14. august 2012", D(2012, 8, 14), D(2012, 8, 14), False),
    ("20. august 2012", D(2012, 8, 20), D(2012, 8, 20), False),
    ("28. august 2012", D(2012, 8, 28), D(2012, 8, 28), False),
    ("4. september", D(2012, 9, 4), D(2012, 9, 4), True),
    ("5. september", D(2012, 9, 5), D(2012, 9, 5), True),
    ("11. september 2012", D(2012, 9, 11), D(2012, 9, 11), False),
    ("Uge 40 – 43", D(2012, 10, 1), D(2012, 10, 28), True),
    ("2. november 2012", D(2012, 11, 2), D(2012, 11, 2), False),
    ("3. november", D(2012, 11, 3), D(2012, 11, 3), True),
    ("Uge 45 – 52", D(2012, 11, 5), D(2012, 12, 30), True),
    ("Uge 53", None, None, False),
    ("23. og 24. januar 2013", D(2013, 1, 23), D(2013, 1, 24), False),
    ("Uge 5 2013", D(2013, 1, 28), D(2013, 2, 3), False),
    ("27. februar 2013", D(2013, 2, 27), D(2013, 2, 27), False),
    ("19. og 20. marts samt én dag primo april 2013", D(2013, 3, 19), D(2013, 4, 10), False),
    ("Maj, juni og juli", D(2013, 5, 1), D(2013, 7, 31), True),
    ("August, september, oktober", D(2013, 8, 1), D(2013, 10, 31), True),
    ("November, december", D(2013, 11, 1), D(2013, 12, 31), True),
]


def test_the_seeds_procesplan_is_read_with_the_years_its_author_meant(plan_from):
    read = plan_from(D(2012, 8, 13), rows=[text for text, *_ in SEED])
    rows = read.process_rows
    assert [(r.periode.raw, r.start, r.end) for r in rows] == [(t, s, e) for t, s, e, _ in SEED]
    assert [r.periode.year_inferred for r in rows] == [inferred for *_, inferred in SEED]
    # every inferred year said at its cell, and only there; none of them is past the plan's end
    assert year_codes(read) == {f"A{FIRST_ROW + i}": "RB050" for i, (*_, inferred) in enumerate(SEED) if inferred}
    [september] = [p for p in at(read, "A11") if p.code == "RB050"]
    assert september.message == ("'4. september' i Dato/periode er læst som 04-09-2012: året stod der ikke, så 2012 "
                                 "er valgt ud fra datoen ovenover i række 10 (28-08-2012).")
    [week_53] = at(read, "A18")
    assert week_53.code == "RB008" and "uge 53 findes ikke i 2012" in week_53.message


# ------------------------------------------------------------ the issue's example

def test_the_issues_example_asks_for_the_years_past_the_plan(plan_from):
    # A plan from 02-03-2026 for 52 weeks: its timeline ends 28-02-2027. Typed in this order, the rows
    # carry 2027 from the first row, and go a year on where they would go back.
    read = plan_from(D(2026, 3, 2), rows=["1. kvt. 2027", "december", "uge 36-37", "senest 1/10"])
    rows = read.process_rows
    assert [(r.start, r.end) for r in rows] == [
        (D(2027, 1, 1), D(2027, 3, 31)), (D(2027, 12, 1), D(2027, 12, 31)),
        (D(2028, 9, 4), D(2028, 9, 17)), (D(2028, 10, 1), D(2028, 10, 1))]
    assert [r.periode.year_inferred for r in rows] == [False, True, True, True]
    assert year_codes(read) == {"A9": "RB050", "A10": "RB051", "A11": "RB051"}
    [december] = [p for p in at(read, "A9") if p.code == "RB050"]
    assert not december.is_warning and "året stod der ikke, så 2027 er valgt ud fra datoen ovenover i række 8 " \
                                      "(01-01-2027)" in december.message
    [weeks] = at(read, "A10")
    assert weeks.is_warning
    assert weeks.message == ("'uge 36-37' i Dato/periode er læst som 04-09-2028 – 17-09-2028, men året stod der "
                             "ikke, og 2028 (valgt ud fra datoen ovenover i række 9 (01-12-2027)) ligger mere end "
                             "et år efter tidslinjens slut (28-02-2027).")
    assert "Skriv året i cellen" in weeks.fix


def test_a_first_row_without_a_year_takes_the_plans_start(plan_from):
    # Nothing above: "december" in a plan from March 2026 is December 2026; "februar" is February 2027,
    # since February 2026 lies before the plan began.
    for text, start in (("december", D(2026, 12, 1)), ("februar", D(2027, 2, 1)), ("marts", D(2026, 3, 1))):
        read = plan_from(D(2026, 3, 2), rows=[text])
        assert read.process_rows[0].start == start
        [said] = at(read, "A8")
        assert said.code == "RB050" and f"{start.year} er valgt ud fra planens start (02-03-2026)" in said.message


def test_a_row_inserted_out_of_order_is_read_in_order_and_said(plan_from):
    # A team inserted "uge 36-37" (meant for 2026) under December: the sheet's order makes it 2027, and
    # the row below it follows. Every inferred year is said, so the team sees what was read.
    read = plan_from(D(2026, 3, 2), rows=["september 2026", "december", "uge 36-37", "januar"])
    assert [r.start for r in read.process_rows] == [D(2026, 9, 1), D(2026, 12, 1), D(2027, 9, 6), D(2028, 1, 1)]
    assert year_codes(read) == {"A9": "RB050", "A10": "RB050", "A11": "RB050"}
    assert "2027 er valgt ud fra datoen ovenover i række 9 (01-12-2026)" in at(read, "A10")[0].message


def test_a_year_that_puts_a_row_before_the_plans_start_asks_for_the_year(plan_from):
    read = plan_from(D(2026, 3, 2), rows=["oktober 2025", "december"])
    assert read.process_rows[1].start == D(2025, 12, 1)
    [before] = at(read, "A9")
    assert before.code == "RB051" and before.is_warning and "før planens start (02-03-2026)" in before.message


def test_rows_without_a_year_above_and_below_rows_with_other_years(plan_from):
    # The nearest row above decides, whatever year it wrote: "april" under "februar 2026" is April 2026,
    # though the rows further up are in 2027. A written year is never questioned.
    read = plan_from(D(2026, 3, 2), rows=["marts 2027", "december", "februar 2026", "april"])
    assert [r.start for r in read.process_rows] == [D(2027, 3, 1), D(2027, 12, 1), D(2026, 2, 1), D(2026, 4, 1)]
    assert year_codes(read) == {"A9": "RB050", "A11": "RB050"}
    assert "2026 er valgt ud fra datoen ovenover i række 10 (01-02-2026)" in at(read, "A11")[0].message


def test_plans_that_cross_a_new_year(plan_from):
    read = plan_from(D(2026, 9, 7), rows=["uge 50", "uge 2", "15. januar", "primo marts"])
    assert [r.start for r in read.process_rows] == [D(2026, 12, 7), D(2027, 1, 11), D(2027, 1, 15), D(2027, 3, 1)]
    assert set(year_codes(read).values()) == {"RB050"}


def test_a_plan_without_a_duration_asks_only_before_its_start(plan_from):
    # Without a timeline's length (an older workbook's metadata) nothing lies "past its end".
    read = plan_from(D(2026, 3, 2), rows=["1. kvt. 2027", "december", "uge 36-37"], meta={"timeline_weeks": ""})
    assert read.timeline_weeks is None and read.plan_start == D(2026, 3, 2)
    assert year_codes(read) == {"A9": "RB050", "A10": "RB050"}


def test_an_older_workbook_without_the_plans_start_takes_the_timelines(plan_from):
    read = plan_from(D(2026, 3, 4), rows=["december"], meta={"start": "", "timeline_weeks": ""})
    assert read.plan_start is None and read.process_rows[0].start == D(2026, 12, 1)
    assert "ud fra tidslinjens start (02-03-2026)" in at(read, "A8")[0].message  # the Monday of its week


# ------------------------------------------------------------ the row's own dates first

def test_a_slut_without_a_year_falls_on_or_after_its_start(plan_from):
    read = plan_from(D(2026, 3, 2), plan=[
        {4: "01-11-2026", 5: "januar"},  # January after November: 2027
        {4: "01-08-2027", 5: "4. september"},  # the row's Start, not the plan's start, gives 2027
        {4: "december", 5: "februar", 7: "15. januar"},  # both from the row's own Start, inferred itself
        {4: "15-09-2026", 5: "4. september"},  # 4 September 2026 lies before its Start: 2027
    ])
    rows = read.plan_rows
    assert [r.slut.end for r in rows] == [D(2027, 1, 31), D(2027, 9, 4), D(2027, 2, 28), D(2027, 9, 4)]
    assert rows[2].start.start == D(2026, 12, 1) and rows[2].delmaal_dato.start == D(2027, 1, 15)
    assert [r.slut.year_inferred for r in rows] == [True] * 4 and rows[0].start.year_inferred is False
    found = {p.cell: p for p in read.problems if p.sheet == fixtures.PLAN and p.code == "RB050"}
    assert set(found) == {"E9", "E10", "D11", "E11", "G11", "E12"}
    assert "2027 er valgt ud fra Start i samme række (01-11-2026)" in found["E9"].message
    assert "2026 er valgt ud fra planens start (02-03-2026)" in found["D11"].message
    assert not {p.code for p in read.problems if p.sheet == fixtures.PLAN} & {"RB009", "RB015"}


# ------------------------------------------------------------ the record keeps it

def test_the_record_keeps_that_the_year_was_inferred():
    value = DateValue("december", D(2026, 12, 1), D(2026, 12, 31), year_inferred=True)
    assert pickle.loads(pickle.dumps(value)) == value
    assert to_jsonable(value) == {"tekst": "december", "start": "2026-12-01", "slut": "2026-12-31", "år_udledt": True}
    assert to_jsonable(DateValue("01-12-2026", D(2026, 12, 1), D(2026, 12, 1)))["år_udledt"] is False


# ------------------------------------------------------------ the rule, for any date

@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2150, 12, 31)), st.integers(1, 12), st.integers(1, 28))
def test_a_day_without_a_year_is_never_before_the_month_it_follows_nor_a_year_after(after, month, day):
    period = parse_in_order(f"{day}. {MONTHS[month - 1]}", YearFrom(after))
    assert period.year_inferred
    assert (after.year, after.month) <= (period.start.year, period.start.month) < (after.year + 1, after.month)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2150, 12, 31)), st.dates(min_value=D(1990, 1, 1),
                                                                             max_value=D(2150, 12, 31)))
def test_a_slut_without_a_year_falls_on_or_after_its_start(start, typed):
    period = parse_in_order(f"{typed.day}. {MONTHS[typed.month - 1]}", YearFrom(start, by_day=True))
    assert start <= period.start < _a_year_on(start) and (period.start.month, period.start.day) == (typed.month,
                                                                                                       typed.day)


def _a_year_on(day):
    return D(day.year + 1, day.month, 28 if (day.month, day.day) == (2, 29) else day.day)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2150, 12, 31)), st.dates(min_value=D(1990, 1, 1),
                                                                             max_value=D(2150, 12, 31)),
       st.booleans())
def test_a_written_year_is_never_changed(after, day, by_day):
    text = f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
    assert parse_in_order(text, YearFrom(after, by_day)) == parse_period(text) and not parse_period(text).year_inferred


def test_a_day_that_does_not_exist_in_the_rules_year_is_an_error_not_another_year():
    # 29 February after March 2027: the rule gives 2028, which has it. After January 2027 the rule gives
    # 2027, which has not: an error, never 2028 instead.
    assert parse_in_order("29. februar", YearFrom(D(2027, 3, 1))).start == D(2028, 2, 29)
    with pytest.raises(PeriodError, match="29. februar 2027 findes ikke"):
        parse_in_order("29. februar", YearFrom(D(2027, 1, 1)))
