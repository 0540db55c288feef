"""The date and period parser: the seed's real procesplan texts, and hypothesis for the rest."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from xlplan.periods import PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize("text, year, start, end", [
    # Seed 003, Ishøj's procesplan, as typed
    ("14. august 2012", None, D(2012, 8, 14), D(2012, 8, 14)),
    ("4. september", 2012, D(2012, 9, 4), D(2012, 9, 4)),
    ("Uge 40 – 43", 2012, D(2012, 10, 1), D(2012, 10, 28)),
    ("Uge 45 – 52", 2012, D(2012, 11, 5), D(2012, 12, 30)),
    ("23. og 24. januar 2013", None, D(2013, 1, 23), D(2013, 1, 24)),
    ("Uge 5 2013", None, D(2013, 1, 28), D(2013, 2, 3)),
    ("19. og 20. marts samt én dag primo april 2013", None, D(2013, 3, 19), D(2013, 4, 10)),
    ("Maj, juni og juli", 2013, D(2013, 5, 1), D(2013, 7, 31)),
    ("August, september, oktober", 2013, D(2013, 8, 1), D(2013, 10, 31)),
    ("November, december", 2013, D(2013, 11, 1), D(2013, 12, 31)),
    # Other forms people use
    ("03-02-2026", None, D(2026, 2, 3), D(2026, 2, 3)),
    ("3.2.2026", None, D(2026, 2, 3), D(2026, 2, 3)),
    ("03-02-26", None, D(2026, 2, 3), D(2026, 2, 3)),
    ("2026-02-03", None, D(2026, 2, 3), D(2026, 2, 3)),
    ("3/2", 2026, D(2026, 2, 3), D(2026, 2, 3)),
    ("primo april 2013", None, D(2013, 4, 1), D(2013, 4, 10)),
    ("medio maj", 2026, D(2026, 5, 11), D(2026, 5, 20)),
    ("ultimo februar 2028", None, D(2028, 2, 21), D(2028, 2, 29)),
    ("1. kvartal 2027", None, D(2027, 1, 1), D(2027, 3, 31)),
    ("Q3 2026", None, D(2026, 7, 1), D(2026, 9, 30)),
    ("2. halvår", 2026, D(2026, 7, 1), D(2026, 12, 31)),
    ("marts - maj 2027", None, D(2027, 3, 1), D(2027, 5, 31)),
    ("december 2026 - februar 2027", None, D(2026, 12, 1), D(2027, 2, 28)),
    ("november, december og januar", 2026, D(2026, 11, 1), D(2027, 1, 31)),
    ("uge 50 2026 - uge 2 2027", None, D(2026, 12, 7), D(2027, 1, 17)),
    ("Uge 52-2", 2026, D(2026, 12, 21), D(2027, 1, 17)),
    ("uge 53 2026", None, D(2026, 12, 28), D(2027, 1, 3)),
    ("2. november 2012 kl. 9 – 12", None, D(2012, 11, 2), D(2012, 11, 2)),
])
def test_texts_people_type(text, year, start, end):
    period = parse_period(text, year)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text, year, message", [
    ("Uge 53", 2012, "uge 53 findes ikke i 2012"),  # as in the seed: 2012 had no week 53
    ("31. september 2026", None, "31. september 2026 findes ikke"),
    ("29. februar 2027", None, "29. februar 2027 findes ikke"),
    ("4. september", None, "året mangler"),
    ("snart", 2026, "kan ikke læses"),
    ("3. halvår 2026", None, "findes ikke"),
])
def test_impossible_or_unreadable_dates_are_errors(text, year, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text, year)


def test_plain_date_is_not_interpreted_but_text_is():
    assert parse_period("03-02-2026").interpreted is False
    assert parse_period("3. februar 2026").interpreted is True


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
          "december"]


@given(dates)
def test_danish_numeric_dates_round_trip(day):
    assert parse_period(day.strftime("%d-%m-%Y")) == parse_period(day.strftime("%d.%m.%Y"))
    period = parse_period(day.strftime("%d-%m-%Y"))
    assert period.start == period.end == day


@given(dates)
def test_written_dates_round_trip(day):
    period = parse_period(f"{day.day}. {MONTHS[day.month - 1]} {day.year}")
    assert period.start == period.end == day


@given(dates)
def test_iso_weeks(day):
    year, week, _ = day.isocalendar()
    period = parse_period(f"Uge {week} {year}")
    assert period.start.isocalendar()[:2] == (year, week) and period.start.weekday() == 0
    assert (period.end - period.start).days == 6


TOKENS = st.sampled_from(["uge", "40", "53", "-", "–", "og", "samt", "primo", "ultimo", "maj", "juni", "december",
                          "2013", "31.", "1.", "kvartal", "halvår", "3/2", "03-02-2026", "kl. 9", ",", "x", "é", "Q2"])


@given(st.lists(TOKENS, max_size=8).map(" ".join), st.one_of(st.none(), st.integers(2000, 2090)))
def test_any_text_gives_an_ordered_period_or_a_period_error(text, year):
    try:
        period = parse_period(text, year)
    except PeriodError:
        return
    assert period.start <= period.end


@given(st.text(max_size=40), st.one_of(st.none(), st.integers(1990, 2100)))
def test_arbitrary_text_never_crashes(text, year):
    try:
        parse_period(text, year)
    except PeriodError:
        pass
