"""Open periods: "fra 1. oktober 2026", "fra og med uge 40", "efter 1. marts 2027", "løbende fra august" have
a start and no end (issue #24). They are read so, kept so in the record and the JSON, shown as open in
the management workbook's listings and timeline, and never overdue by an end they do not have."""
import datetime as dt
import json

import openpyxl
import pytest

import fixtures
from xlplan.core import facts
from xlplan.core.records import DateValue, ProcessRow, to_jsonable
from xlplan.reading.periods import parse_period, PeriodError
from xlplan.reading.readback import read_team_workbook
from xlplan.reporting.consolidate import consolidate
from xlplan.reporting.export import consolidation_dict
from xlplan.reporting.report import report_workbook
from xlplan.workbook.generate import render_workbook
from xlplan.xlsx.writer import render

D = dt.date
FIRST_ROW = 8  # the Procesplan's first input row (Excel's numbering)


@pytest.mark.parametrize("text, start, rule", [
    ("fra 1. oktober 2026", D(2026, 10, 1), None),
    ("Fra 1. oktober 2026", D(2026, 10, 1), None),
    ("fra og med uge 40 2026", D(2026, 9, 28), None),  # ISO week 40 of 2026 begins Monday 28 September
    ("fra 03-02-2026", D(2026, 2, 3), None),
    ("løbende fra august 2026", D(2026, 8, 1), None),
    ("august 2026 og fremover", D(2026, 8, 1), None),
    # "efter" a single day says when the work begins, not when it ends: from the next day, open
    ("efter 1. marts 2027", D(2027, 3, 2), "efter en dato = fra dagen efter, uden slutdato"),
])
def test_an_open_period_has_a_start_and_no_end(text, start, rule):
    period = parse_period(text)
    assert (period.start, period.end, period.open_end) == (start, None, True)
    assert period.rules == ((rule,) if rule else ())


@pytest.mark.parametrize("text, start, end", [
    # with an end, a "fra" is a range as before; "til og med" is "til"
    ("fra uge 40 til uge 43 2026", D(2026, 9, 28), D(2026, 10, 25)),
    ("fra 1. marts til og med 15. april 2026", D(2026, 3, 1), D(2026, 4, 15)),
    # "efter" a named period keeps the README's stated rule: the seven days after it
    ("efter sommerferien 2026", D(2026, 8, 10), D(2026, 8, 16)),
    ("efter uge 40 2026", D(2026, 10, 5), D(2026, 10, 11)),
])
def test_a_period_with_an_end_is_read_as_before(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end, period.open_end) == (start, end, False)


@pytest.mark.parametrize("text, word", [
    ("fra", "'fra' kan ikke læses"), ("løbende", "'løbende' kan ikke læses"),
    ("uge 40 2026 fra", "'fra' skal følges af en dato"), ("uge 40 2026 løbende", "'løbende' skal følges af en dato"),
    ("fremover uge 40 2026", "'fremover' skal stå efter en dato"),
])
def test_an_open_word_without_its_date_is_an_error_naming_it(text, word):
    with pytest.raises(PeriodError, match=word):
        parse_period(text, 2026)


# ------------------------------------------------------------ in a returned workbook, and for management

@pytest.fixture(scope="module")
def returned(sample_config, tmp_path_factory):
    """Familieteamet's workbook with open and closed activities, in the plan and the Procesplan."""
    folder = tmp_path_factory.mktemp("open")
    path = folder / "Familieteamet.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    wb = openpyxl.load_workbook(path)
    ws = wb["Procesplan"]
    for i, (text, activity) in enumerate([("løbende fra august", "Sparring i teamet"),
                                          ("fra 1. oktober 2026", "Supervision hver måned"),
                                          ("uge 10 2026", "Kickoff")]):
        ws.cell(row=FIRST_ROW + i, column=1, value=text)
        ws.cell(row=FIRST_ROW + i, column=4, value=activity)
        ws.cell(row=FIRST_ROW + i, column=7, value="I gang")
    plan = wb[fixtures.PLAN]
    first = fixtures.header_row(plan) + 1
    fixtures.write_row(plan, first, {2: "Fast sparring", 3: "Tina Holm", 4: "01-02-2026", 5: "fra 1. marts 2026",
                                     15: "I gang"})
    fixtures.write_row(plan, first + 1, {2: "Kursus", 3: "Tina Holm", 4: "01-02-2026", 5: "01-03-2026",
                                         15: "I gang"})
    wb.save(path)
    return path


def test_an_open_period_is_kept_so_in_the_record(returned):
    read = read_team_workbook(returned)
    running, open_row, kickoff = read.process_rows
    assert (open_row.start, open_row.end, open_row.open_end) == (D(2026, 10, 1), None, True)
    assert (running.start, running.end, running.open_end) == (D(2026, 8, 1), None, True)
    assert running.periode.year_inferred  # "august": the year rule (the plan's start), said at its cell
    assert [p.code for p in read.problems if p.sheet == "Procesplan" and p.cell == "A8"] == ["RB050"]
    assert kickoff.open_end is False
    assert not [p for p in read.problems if p.sheet == "Procesplan" and p.cell == "A9"], "an exact open period"
    sparring = read.plan_rows[0]
    assert sparring.slut.open_end and sparring.slut.start == D(2026, 3, 1)
    [said] = [p for p in read.problems if p.sheet == fixtures.PLAN and p.cell == "E9"]
    assert said.code == "RB009" and "læst som fra 01-03-2026, uden slutdato" in said.message


def test_an_open_period_is_never_overdue_by_an_end_it_has_not(returned):
    read = read_team_workbook(returned)
    running, open_row, kickoff = read.process_rows
    assert facts.open_due_dates(open_row) == [] and facts.open_due_dates(running) == []
    assert [d.date for d in facts.open_due_dates(kickoff)] == [D(2026, 3, 8)]  # a closed one is watched
    sparring, course = read.plan_rows
    assert facts.open_due_dates(sparring) == []
    assert [d.date for d in facts.open_due_dates(course)] == [D(2026, 3, 1)]


def test_the_record_without_an_end_comes_from_til_fra_or_the_period():
    day = DateValue("01-10-2026", D(2026, 10, 1), D(2026, 10, 1))
    opened = DateValue("fra 1. oktober 2026", D(2026, 10, 1), None)
    assert ProcessRow(periode=opened).end is None and ProcessRow(periode=opened).open_end
    assert ProcessRow(periode=opened, til=day).end == D(2026, 10, 1)  # Til closes it
    assert ProcessRow(periode=day, fra=opened).end is None  # Fra says it runs on
    assert to_jsonable(opened) == {"tekst": "fra 1. oktober 2026", "start": "2026-10-01", "slut": None,
                                   "år_udledt": False}


def test_management_shows_an_open_period_as_open(returned, sample_config, tmp_path):
    as_of = D(2027, 1, 15)  # every closed activity above is past its end by then
    c = consolidate([returned.parent], sample_config, as_of)
    overdue = {(d.kind, d.text) for team in c.teams for d in team.overdue}
    assert ("Procesplan", "Kickoff") in overdue and ("Aktivitet", "Kursus") in overdue
    assert not overdue & {("Procesplan", "Supervision hver måned"), ("Procesplan", "Sparring i teamet"),
                          ("Aktivitet", "Fast sparring")}
    path = tmp_path / "samlet.xlsx"
    path.write_bytes(render(report_workbook(c)))
    wb = openpyxl.load_workbook(path)
    rows = _listing(wb["Aktiviteter"], 4)
    by_activity = {r["Aktivitet"]: r for r in rows if r.get("Aktivitet")}
    assert by_activity["Supervision hver måned"]["Slut"] == "åben"
    assert by_activity["Supervision hver måned"]["Forsinket"] is None
    assert by_activity["Fast sparring"]["Slut"] == "åben"
    assert by_activity["Kickoff"]["Forsinket"] == "Ja"
    bars = {r["Aktivitet"]: r for r in _listing(wb["Tidslinje"], 5) if r.get("Aktivitet")}
    assert bars["Supervision hver måned"]["Slut"] == "åben" and bars["Supervision hver måned"]["Start"].date() == \
        D(2026, 10, 1)
    data = json.loads(json.dumps(consolidation_dict(c), ensure_ascii=False))
    [team] = data["filer"]
    supervision = next(r for r in team["procesplan"] if r["aktivitet"] == "Supervision hver måned")
    assert supervision["periode"]["slut"] is None and supervision["end"] is None and supervision["start"] == "2026-10-01"


def _listing(ws, header_row):
    headers = [c.value for c in ws[header_row]]
    return [{h: c.value for h, c in zip(headers, row) if h} for row in ws.iter_rows(min_row=header_row + 1)]


@pytest.mark.libreoffice
def test_open_periods_and_named_parts_typed_in_libreoffice(sample_config, tmp_path):
    """Typed in LibreOffice (Danish, default profile) into the Procesplan's Dato/periode and a plan's Status,
    as a person does: what the texts mean, and a percentage quoted as the team sees it."""
    import os

    from uno_typing import type_cells, uno_python
    if uno_python() is None and not os.environ.get("CI"):
        pytest.skip("python3-uno er ikke installeret; kør 'make test'")
    source = tmp_path / "Familieteamet.xlsx"
    source.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    typed = tmp_path / "typed.xlsx"
    texts = ["fra 1. oktober 2026", "løbende fra august 2026", "ultimo 2. halvår 2026", "sept. 26", "efter 1. marts 2027"]
    plan_row = fixtures.header_row(openpyxl.load_workbook(source)[fixtures.PLAN]) + 1
    type_cells(source, typed, [("Procesplan", f"A{FIRST_ROW + i}", text) for i, text in enumerate(texts)]
               + [("Procesplan", f"D{FIRST_ROW + i}", f"Aktivitet {i + 1}") for i in range(len(texts))]
               + [(fixtures.PLAN, f"B{plan_row}", "Kursus"), (fixtures.PLAN, f"O{plan_row}", "50%")])
    read = read_team_workbook(typed)
    assert [r.periode.raw for r in read.process_rows] == texts
    assert [(r.start, r.end) for r in read.process_rows] == [
        (D(2026, 10, 1), None), (D(2026, 8, 1), None), (D(2026, 11, 1), D(2026, 12, 31)),
        (D(2026, 9, 1), D(2026, 9, 30)), (D(2027, 3, 2), None)]
    # LibreOffice in Danish gives "50%" typed its percent format 0.00\ % and shows it as 50,00 %: so quoted
    [status] = [p for p in read.problems if p.cell == f"O{plan_row}"]
    assert status.code == "RB006" and status.values["værdi"] == "50,00 %"


def test_a_fixing_copy_keeps_an_open_period_open(returned, tmp_path):
    # The fixing copy writes the dates xlplan understood as real dates; a day written for an open period
    # would give it an end (Fra alone is one day), so it stays as typed.
    from xlplan.fixing.carry import annotated
    before = read_team_workbook(returned)
    copy = tmp_path / "rettelser.xlsx"
    copy.write_bytes(render(annotated(before, dt.datetime(2026, 6, 1, 9))[0]))
    after = read_team_workbook(copy)
    assert [(r.periode.raw, r.start, r.end) for r in after.process_rows] == [
        (r.periode.raw, r.start, r.end) for r in before.process_rows]
    assert [r.open_end for r in after.process_rows] == [True, True, False]
    assert after.plan_rows[0].slut.open_end and after.plan_rows[0].slut.raw == "fra 1. marts 2026"
