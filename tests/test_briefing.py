"""The briefing's sentences, from the samples' known figures (tests/test_consolidate.py) and the templates
in data/resume.yaml."""
import datetime as dt
import shutil

import pytest

from paths import ROOT
from xlplan.reporting.resume import briefing, names
from xlplan.reporting.consolidate import consolidate
from xlplan.reporting.development import axis_range

SAMPLES = ROOT / "samples" / "returned"
AS_OF = dt.date(2026, 6, 15)


@pytest.fixture(scope="module")
def samples(sample_config):
    return briefing(consolidate([SAMPLES], sample_config, AS_OF))


def test_the_summary_counts_the_lights(samples):
    assert samples.summary == "3 teams: 1 rød, 1 gul, 1 grøn."
    assert samples.subtitle == "Ishøj Kommune · opgjort pr. 15-06-2026"


def test_a_red_team_is_a_decision_with_its_reasons_in_words(samples):
    # Børne- og ungeteamet: overdue an activity, a procesplan row, an activity and a delmål; one plan row
    # without a responsible person; errors RB008, RB015 and RB006
    assert samples.decisions == ["Børne- og ungeteamet er rød: 1 delmål forsinket, 3 aktiviteter forsinket, "
                                 "1 aktivitet uden ansvarlig, 3 fejl at rette."]
    lines = {line.team: (line.light, line.reason) for line in samples.teams}
    assert lines["Familieplejen"] == ("Grøn", "intet at bemærke")
    assert lines["Familieteamet"] == ("Gul", "2 delmål forsinket, 1 aktivitet uden ansvarlig, 1 fejl at rette")


def test_teams_not_heard_from_come_before_red_teams(sample_config, tmp_path):
    for f in SAMPLES.glob("*.xlsx"):
        if not f.name.startswith("Familieplejen"):
            shutil.copy(f, tmp_path / f.name)
    b = briefing(consolidate([tmp_path], sample_config, AS_OF))
    assert b.decisions[0] == "Ikke modtaget fra Familieplejen."
    assert b.decisions[1].startswith("Børne- og ungeteamet er rød:")
    assert b.summary == "3 teams: 1 rød, 1 gul, 1 ikke modtaget."
    assert [(line.team, line.light) for line in b.teams][-1] == ("Familieplejen", "Ikke modtaget")


def test_names_are_listed_the_danish_way():
    assert [names(["A"]), names(["A", "B"]), names(["A", "B", "C"])] == ["A", "A og B", "A, B og C"]


@pytest.mark.parametrize("values, percent, expected", [
    ([0.19, 0.32], True, (0.1, 0.4, 0.1)),  # a move from 19% to 32% does not look flat
    ([0.0, 0.88], True, (0.0, 0.9, 0.1)),
    ([1.0], True, (0.9, 1.0, 0.1)),
    ([3, 24], False, (0, 25, 5)),
    ([2, 4], False, (2, 4, 1)),
    ([0.3], True, (0.3, 0.4, 0.1)),
])
def test_chart_axes_are_scaled_to_the_data(values, percent, expected):
    assert axis_range(values, percent) == pytest.approx(expected)
