"""The date and period parser: the seed's real procesplan texts, and hypothesis for the rest."""
import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

import xlplan
from xlplan.reading.periods import parse_period, PeriodError

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
                          "2013", "31.", "1.", "kvartal", "halvår", "3/2", "03-02-2026", "kl. 9", ",", "x", "é", "Q2",
                          "fra", "til", "løbende", "fremover", "efter"])


@given(st.lists(TOKENS, max_size=8).map(" ".join), st.one_of(st.none(), st.integers(2000, 2090)))
def test_any_text_gives_an_ordered_period_or_a_period_error(text, year):
    try:
        period = parse_period(text, year)
    except PeriodError:
        return
    assert period.end is None or period.start <= period.end  # None: an open period


EDGE_TOKENS = st.sampled_from(["uge 52", "uge 1", "-", "2", "efter", "inden", "jul", "vinteren", "9999", "0001",
                                "1899", "2200", "00", "99", "31-12-9999", "påske", "ultimo", "december og januar"])


@given(st.lists(EDGE_TOKENS, max_size=5).map(" ".join), st.one_of(st.none(), st.integers(1, 9999)))
def test_years_at_the_ends_of_the_calendar_are_errors_not_crashes(text, year):
    try:
        period = parse_period(text, year)
    except PeriodError:
        return
    assert 1900 <= period.start.year <= (period.end or period.start).year <= 2201


@given(st.text(max_size=40), st.one_of(st.none(), st.integers(1990, 2100)))
def test_arbitrary_text_never_crashes(text, year):
    try:
        parse_period(text, year)
    except PeriodError:
        pass


# ------------------------------------------------------------ words with a stated rule (finding 1 and 2)
# Expectations from the rules documented in README ("Reading what people really send") and datoer.yaml,
# computed by hand from a calendar: Easter Sunday 2026 is 5 April, 2027 is 28 March.

@pytest.mark.parametrize("text, year, start, end, rule", [
    ("Efterår 2026", None, D(2026, 9, 1), D(2026, 11, 30), "efterår = september–november"),
    ("Sommeren 2026", None, D(2026, 6, 1), D(2026, 8, 31), "sommer = juni–august"),
    ("foråret", 2027, D(2027, 3, 1), D(2027, 5, 31), "forår = marts–maj"),
    ("vinteren 2026/27", None, D(2026, 12, 1), D(2027, 2, 28), "vinter = december–februar"),
    ("vinteren 2026/2027", None, D(2026, 12, 1), D(2027, 2, 28), "vinter = december–februar"),
    ("vinteren 2027", None, D(2026, 12, 1), D(2027, 2, 28), "vinter = december–februar"),
    ("sommerferien 2026", None, D(2026, 6, 29), D(2026, 8, 9), "uge 27–32"),
    ("efter sommerferien 2026", None, D(2026, 8, 10), D(2026, 8, 16), "efter = ugen efter"),
    ("efterårsferien 2026", None, D(2026, 10, 12), D(2026, 10, 18), "uge 42"),
    ("vinterferie 2027", None, D(2027, 2, 15), D(2027, 2, 21), "uge 7"),
    ("inden jul 2026", None, D(2026, 12, 23), D(2026, 12, 23), "inden = en frist"),
    ("før jul", 2026, D(2026, 12, 23), D(2026, 12, 23), "jul = 24.–26. december"),
    ("jul 2026", None, D(2026, 12, 24), D(2026, 12, 26), "jul = 24.–26. december"),
    ("påske 2026", None, D(2026, 4, 2), D(2026, 4, 6), "påske = skærtorsdag – 2. påskedag"),
    ("påskeugen 2027", None, D(2027, 3, 22), D(2027, 3, 29), "mandag før påskedag – 2. påskedag"),
    ("primo 2026", None, D(2026, 1, 1), D(2026, 4, 30), "januar–april"),
    ("medio 2026", None, D(2026, 5, 1), D(2026, 8, 31), "maj–august"),
    ("ultimo 2026", None, D(2026, 9, 1), D(2026, 12, 31), "september–december"),
    ("inden uge 40 2026", None, D(2026, 9, 27), D(2026, 9, 27), "dagen før"),
    ("senest uge 40 2026", None, D(2026, 10, 4), D(2026, 10, 4), "den sidste dag"),
    ("ca. uge 40 2026", None, D(2026, 9, 28), D(2026, 10, 4), "omtrent"),
])
def test_seasons_holidays_and_deadlines_are_read_by_a_stated_rule(text, year, start, end, rule):
    period = parse_period(text, year)
    assert (period.start, period.end) == (start, end)
    assert any(rule in r for r in period.rules), period.rules


@pytest.mark.parametrize("text, year", [
    ("14. august 2012", None), ("Uge 40 – 43", 2012), ("Maj, juni og juli", 2013), ("1. kvartal 2027", None),
    ("19. og 20. marts samt én dag primo april 2013", None), ("03-02-2026", None), ("2026", None),
])
def test_exact_periods_need_no_rule(text, year):
    assert parse_period(text, year).rules == ()


def test_jul_with_a_day_or_in_a_month_range_is_july():
    assert (parse_period("15. jul 2026").start, parse_period("15. jul 2026").end) == (D(2026, 7, 15), D(2026, 7, 15))
    period = parse_period("jun - jul 2026")
    assert (period.start, period.end, period.rules) == (D(2026, 6, 1), D(2026, 7, 31), ())


@pytest.mark.parametrize("year, easter", [
    (2000, D(2000, 4, 23)), (2008, D(2008, 3, 23)), (2011, D(2011, 4, 24)), (2013, D(2013, 3, 31)),
    (2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2038, D(2038, 4, 25)),
])
def test_easter_from_the_almanac(year, easter):
    period = parse_period(f"påsken {year}")
    assert (period.start, period.end) == (easter - dt.timedelta(days=3), easter + dt.timedelta(days=1))


# ------------------------------------------------------------ words not understood are never dropped

@pytest.mark.parametrize("text, year, word", [
    ("snart 2026", None, "snart"),
    ("uge 40 foreløbig", 2026, "foreløbig"),
    ("uge 40 (workshop)", 2026, "workshop"),
    ("efterårs 2026", None, "efterårs"),
    ("juleferien 2026", None, "juleferien"),
    ("uge 40?", 2026, "?"),
    ("2026/27", None, "27"),
    ("uge 40 og så 41", 2026, "så"),
])
def test_a_word_not_understood_is_an_error_naming_it(text, year, word):
    with pytest.raises(PeriodError, match=re.escape(f"'{word}'")):
        parse_period(text, year)


def test_every_number_of_a_week_list_counts():
    period = parse_period("uge 40 og 41", 2026)  # the 41 used to be dropped
    assert (period.start, period.end) == (D(2026, 9, 28), D(2026, 10, 11))
    period = parse_period("uge 40, 41 og 43 2026")
    assert (period.start, period.end) == (D(2026, 9, 28), D(2026, 10, 25))


@pytest.mark.parametrize("text", ["fra", "til uge 43", "løbende", "og fremover", "inden", "efter 2026 ultimo"])
def test_a_range_or_deadline_word_without_its_date_is_an_error(text):
    with pytest.raises(PeriodError):
        parse_period(text, 2026)


def test_from_to_is_understood():
    period = parse_period("fra uge 40 til uge 43", 2026)
    assert (period.start, period.end) == (D(2026, 9, 28), D(2026, 10, 25))


def test_a_weekday_must_agree_with_its_date():
    assert parse_period("Tirsdag d. 14. august 2012").start == D(2012, 8, 14)  # a Tuesday in the calendar
    with pytest.raises(PeriodError, match="tirsdag"):
        parse_period("mandag d. 14. august 2012")


def test_two_years_only_for_a_period_that_spans_the_year_end():
    with pytest.raises(PeriodError):
        parse_period("sommeren 2026/27")
    with pytest.raises(PeriodError):
        parse_period("vinteren 2026/28")


# ------------------------------------------------------------ properties (finding 5)

def _documented_words() -> set[str]:
    """Every word datoer.yaml (the vocabulary the README documents) holds, in any of its sections."""
    words: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            words.update(re.findall(r"[^\W\d_]+", node.lower()))

    walk(yaml.safe_load((Path(xlplan.__file__).parent / "data" / "datoer.yaml").read_text(encoding="utf-8")))
    return words


DOCUMENTED = _documented_words()
STRAY_WORDS = st.one_of(
    st.sampled_from(["snart", "foreløbig", "møde", "evt", "efterårs", "sommerens", "workshop", "måske", "xx"]),
    st.from_regex(r"[a-zæøå]{2,9}", fullmatch=True)).filter(lambda w: w not in DOCUMENTED)
DATE_TEXTS = st.sampled_from(["14. august 2012", "uge 40 – 43", "Uge 5 2013", "Maj, juni og juli", "primo april 2013",
                              "1. kvartal 2027", "03-02-2026", "marts - maj 2027", "2026", "efterår 2026",
                              "inden jul 2026", "ultimo 2026", "vinteren 2026/27", "3/2", "Q3 2026"])


@given(DATE_TEXTS, STRAY_WORDS, st.booleans(), st.integers(2000, 2090))
def test_a_word_outside_the_vocabulary_is_never_silently_ignored(text, word, before, year):
    # The property that would have caught "Efterår 2026" read as the whole of 2026: a word the
    # vocabulary does not hold turns any text, however well it reads alone, into an error naming the word.
    words = text.split()
    position = 0 if before else len(words)
    words.insert(position, word)
    with pytest.raises(PeriodError, match=re.escape(f"'{word}'")):
        parse_period(" ".join(words), year)


RULE_WORDS = ["efterår", "sommeren", "foråret", "vinter", "sommerferien", "efterårsferie", "vinterferien", "jul",
              "påske", "påskeugen"]


@given(st.sampled_from(RULE_WORDS), st.sampled_from(["", "inden ", "før ", "efter ", "ca. "]), st.integers(2000, 2090))
def test_a_period_read_by_a_rule_always_says_so(word, prefix, year):
    period = parse_period(f"{prefix}{word} {year}")
    assert period.rules and period.interpreted and period.start <= period.end


# ------------------------------------------------------------ in a returned workbook

@pytest.fixture
def procesplan_with(sample_config, tmp_path):
    """A generated workbook whose Dato/periode cells hold `values` (written by openpyxl, as Excel would store them)."""
    import openpyxl

    from xlplan.workbook.generate import render_workbook

    def make(values: list[object]) -> Path:
        path = tmp_path / "Familieteamet.xlsx"
        path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
        wb = openpyxl.load_workbook(path)
        ws = wb["Procesplan"]
        for i, value in enumerate(values):
            ws.cell(row=FIRST_ROW + i, column=1, value=value)
            ws.cell(row=FIRST_ROW + i, column=4, value=f"Aktivitet {i + 1}")
        wb.save(path)
        return path
    return make


FIRST_ROW = 8  # the Procesplan's first input row in Excel's numbering (below the header in row 7)


@pytest.mark.slow
def test_procesplan_warns_when_a_stated_rule_was_applied(procesplan_with):
    from xlplan.reading.readback import read_team_workbook
    read = read_team_workbook(procesplan_with(["Efterår 2026", "Uge 40 – 43", "uge 44 foreløbig"]))
    found = {p.cell: p for p in read.problems if p.sheet == "Procesplan"}
    assert set(found) == {"A8", "A9", "A10"}, [str(p) for p in read.problems]
    assert found["A9"].code == "RB050"  # "Uge 40 – 43" has no year: said, the year of the row above
    autumn = found["A8"]
    assert autumn.is_warning
    assert "01-09-2026 – 30-11-2026" in autumn.message and "efterår = september–november" in autumn.message
    assert found["A10"].is_error and "'foreløbig'" in found["A10"].message
    rows = read.process_rows
    assert (rows[0].start, rows[0].end) == (D(2026, 9, 1), D(2026, 11, 30))
    assert rows[2].periode.raw == "uge 44 foreløbig" and rows[2].periode.start is None


def test_a_rule_read_with_the_next_year_is_reported_with_that_year(procesplan_with):
    # A year-less text well before the row above belongs to the next year; the warning says so.
    from xlplan.reading.readback import read_team_workbook
    read = read_team_workbook(procesplan_with(["1. december 2026", "vinterferien"]))
    [warning, year] = sorted((p for p in read.problems if p.cell == "A9"), key=lambda p: p.code)
    assert "15-02-2027 – 21-02-2027" in warning.message and "uge 7" in warning.message
    assert year.code == "RB050" and "året stod der ikke, så 2027 er valgt ud fra datoen ovenover i række 8 " \
                                   "(01-12-2026)" in year.message
    assert read.process_rows[1].start == D(2027, 2, 15)


@pytest.mark.slow
def test_a_real_date_in_the_period_column_is_read_as_that_date(procesplan_with):
    from xlplan.reading.readback import read_team_workbook
    read = read_team_workbook(procesplan_with([dt.datetime(2026, 3, 1)]))
    [row] = read.process_rows
    assert (row.periode.raw, row.start, row.end) == ("01-03-2026", D(2026, 3, 1), D(2026, 3, 1))
    assert not [p for p in read.problems if p.sheet == "Procesplan"]


@pytest.mark.slow
def test_a_real_date_in_the_period_column_survives_a_fresh_copy(procesplan_with, tmp_path):
    from xlplan.fixing.carry import fresh_copy
    from xlplan.reading.readback import read_team_workbook
    from xlplan.xlsx.writer import render
    before = read_team_workbook(procesplan_with([dt.datetime(2026, 3, 1), "marts 2026"]))
    copy = tmp_path / "kopi.xlsx"
    copy.write_bytes(render(fresh_copy(before)[0]))
    after = read_team_workbook(copy)
    assert [r.periode for r in after.process_rows] == [r.periode for r in before.process_rows]
    assert not [p for p in after.problems if p.sheet == "Procesplan"]


def test_period_cells_are_text_cells(sample_workbooks):
    # Excel and LibreOffice turn "marts 2026" typed into a General cell into a date; a Text cell keeps it.
    import openpyxl
    ws = openpyxl.load_workbook(sample_workbooks[0])["Procesplan"]
    assert ws.cell(row=FIRST_ROW - 1, column=1).value == "Dato/periode"
    formats = {ws.cell(row=r, column=1).number_format for r in range(FIRST_ROW, FIRST_ROW + 40)}
    assert formats == {"@"}


@pytest.mark.libreoffice
def test_periods_typed_in_libreoffice_stay_as_typed(sample_workbooks, tmp_path):
    from uno_typing import type_cells, uno_python

    from xlplan.reading.readback import read_team_workbook
    if uno_python() is None and not os.environ.get("CI"):
        pytest.skip("python3-uno er ikke installeret; kør 'make test'")
    typed = tmp_path / "typed.xlsx"
    texts = ["marts 2026", "4. september", "03-02-2026", "Efterår 2026"]
    type_cells(sample_workbooks[0], typed, [("Procesplan", f"A{FIRST_ROW + i}", text) for i, text in enumerate(texts)])
    rows = read_team_workbook(typed).process_rows
    assert [r.periode.raw for r in rows] == texts
    assert [(r.start, r.end) for r in rows] == [(D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 9, 4), D(2026, 9, 4)),
                                               (D(2026, 2, 3), D(2026, 2, 3)), (D(2026, 9, 1), D(2026, 11, 30))]


def test_a_year_written_first_applies_to_what_follows():
    period = parse_period("2026: marts og april", 2025)
    assert (period.start, period.end) == (D(2026, 3, 1), D(2026, 4, 30))
    assert parse_period("2026 uge 40", 2025).start == D(2026, 9, 28)


def test_a_year_that_belongs_to_no_date_is_an_error():
    with pytest.raises(PeriodError, match="2027"):
        parse_period("marts 2026 og 2027")
    with pytest.raises(PeriodError, match="hører ikke til nogen dato"):
        parse_period("2026 2027")


def test_weeks_without_a_year_run_on_into_the_next_year():
    period = parse_period("uge 50 2026 og uge 2")  # week 2 of 2026 would lie before week 50
    assert (period.start, period.end) == (D(2026, 12, 7), D(2027, 1, 17))


# ------------------------------------------------------------ datoer.yaml is the one place for date words (finding 3)

@pytest.fixture
def vocabulary_with(monkeypatch):
    """The parser reading datoer.yaml with more words in some of its lists; its caches are emptied
    before and after."""
    from xlplan.reading import periods

    def clear():
        for cached in (periods._vocabulary, periods._patterns, periods._parse_period):
            cached.cache_clear()

    def use(**extra):
        original = periods.load_yaml

        def patched(name):
            data = original(name)
            if name == "datoer.yaml":
                for path, words in extra.items():
                    *parents, key = path.split("__")
                    node = data
                    for parent in parents:
                        node = node[parent]
                    node[key] = node[key] + words
            return data
        monkeypatch.setattr(periods, "load_yaml", patched)
        clear()
    yield use
    monkeypatch.undo()
    clear()


def test_week_quarter_and_half_year_words_come_from_the_data_file(vocabulary_with):
    vocabulary_with(uge=["kw"], kvartal=["trimester"], halvår=["semester"])
    assert parse_period("KW 40 2026").start == D(2026, 9, 28)
    period = parse_period("2. trimester 2026")
    assert (period.start, period.end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert parse_period("2. semester 2026").start == D(2026, 7, 1)


def test_connecting_words_come_from_the_data_file(vocabulary_with):
    with pytest.raises(PeriodError):
        parse_period("uge 40 plus 41", 2026)
    vocabulary_with(bindeord__og=["plus"])
    assert parse_period("uge 40 plus 41", 2026).end == D(2026, 10, 11)


@pytest.mark.parametrize("section, form", [("uge", "{} 40 2026"), ("kvartal", "3. {} 2026"), ("halvår", "2. {} 2026")])
def test_every_word_of_the_data_file_is_understood(section, form):
    data = yaml.safe_load((Path(xlplan.__file__).parent / "data" / "datoer.yaml").read_text(encoding="utf-8"))
    for word in data[section]:
        period = parse_period(form.format(word))
        assert period.start.year == 2026 and not period.rules, word
