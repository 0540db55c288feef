"""Hypothesis for the reader: whatever text, numbers and dates a team types into a plan, it comes back."""
import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

import fixtures
from xlplan.generate import render_workbook
from xlplan.readback import read_team_workbook

ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n"}
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=ILLEGAL | {"\r"}),
                min_size=1, max_size=60).filter(lambda s: s.strip())
values = st.one_of(texts, st.integers(-10**6, 10**6), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(texts, values, st.sampled_from(["Afsluttet", "I gang", "færdig", "??"])),
                     min_size=1, max_size=6))
def test_typed_rows_come_back(sample_config, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("h") / "team.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5)))

    def fill(wb):
        ws = wb[fixtures.PLAN]
        h = fixtures.header_row(ws)
        for i, (activity, purpose, status) in enumerate(rows, h + 1):
            fixtures.write_row(ws, i, {1: purpose, 2: activity, 3: "Tina Holm", 15: status})
            ws.cell(row=i, column=2).data_type = "s"
            if isinstance(purpose, str):
                ws.cell(row=i, column=1).data_type = "s"  # typed text, even when it starts with "="

    fixtures.edit(path, fill)
    read = read_team_workbook(path)
    assert len(read.plan_rows) == len(rows)
    for record, (activity, purpose, status) in zip(read.plan_rows, rows):
        assert record.aktivitet == activity.strip()
        expected = purpose.strftime("%d-%m-%Y") if isinstance(purpose, dt.date) else str(purpose).strip()
        assert record.formaal == expected
        if status == "??":
            assert record.status is None
            assert any(p.code == "RB006" and p.cell == record.source.cell.replace("A", "O") for p in read.problems)
        else:
            assert record.status in ("Afsluttet", "I gang")
