"""The plan config: the sample and the init example parse; every mistake names its line and key in Danish."""
import datetime as dt
from importlib import resources

import pytest

from xlplan.core.config import parse_config
from xlplan.core.errors import XlplanError

GOOD = """\
kommune = "Testkommune"
metode = "ics"
startdato = 2026-03-02

[[team]]
navn = "Team A"

[[person]]
navn = "Tina Holm"
rolle = "Teamleder"
team = "Team A"

[[sigtepunkt]]
navn = "Fælles sprog"
"""


def problems(text):
    with pytest.raises(XlplanError) as info:
        parse_config(text, "plan.toml")
    return info.value.problems


def test_sample_config(sample_config):
    assert sample_config.municipality == "Ishøj Kommune"
    assert sample_config.methods == ("ics", "ffb")
    assert sample_config.sections == ("plan", "procesplan", "faser", "roller", "risikolog")
    assert [t.name for t in sample_config.teams] == ["Familieteamet", "Børne- og ungeteamet", "Familieplejen"]
    assert [p.name for p in sample_config.people_for("Familieplejen")] == ["Flemming Nielsen", "Mona Lund", "Jonas Krogh"]
    assert len(sample_config.focus_points) == 3


def test_init_example_is_a_valid_config():
    text = resources.files("xlplan.data").joinpath("plan.eksempel.toml").read_text(encoding="utf-8")
    config = parse_config(text)
    assert config.start == dt.date(2027, 1, 4)
    assert len(config.teams) == 2


def test_minimal_config_defaults():
    config = parse_config(GOOD)
    assert config.rhythm == "Kvartalsvis" and config.protect and config.password == ""
    assert config.template_id == "ics"
    assert config.config_hash and len(config.config_hash) == 16


def test_methods_combine_in_section_order():
    config = parse_config(GOOD.replace('metode = "ics"', 'metode = ["styringsgrundlag", "ICS"]'))
    assert config.methods == ("styringsgrundlag", "ics")
    assert config.sections == ("plan", "procesplan", "trin", "rolleansvar", "roller", "risikolog")


def test_toml_syntax_error_names_the_line():
    [p] = problems(GOOD.replace('metode = "ics"', "metode = ics"))
    assert p.code == "CFG002" and p.line == 2
    assert "anførselstegn" in str(p)


def test_missing_key():
    found = problems(GOOD.replace('kommune = "Testkommune"\n', ""))
    assert [p.code for p in found] == ["CFG003"]
    assert "kommune" in found[0].message and 'kommune = "' in found[0].fix


def test_wrong_type_names_line_and_key():
    [p] = problems(GOOD.replace("startdato = 2026-03-02", 'startdato = "2. marts"'))
    assert (p.code, p.line, p.key) == ("CFG004", 3, "startdato")
    assert "en dato" in p.message


def test_unknown_key_suggests_the_right_one():
    [p] = problems(GOOD.replace('[[team]]\nnavn = "Team A"', '[[team]]\nnavn = "Team A"\nkontaktpersn = "Bo"'))
    assert (p.code, p.line, p.key) == ("CFG006", 7, "team.kontaktpersn")
    assert "Mente du 'kontaktperson'?" in p.fix


def test_unknown_method_lists_the_choices():
    [p] = problems(GOOD.replace('metode = "ics"', 'metode = "lean"'))
    assert p.code == "CFG005" and p.line == 2 and "ics, ffb, styringsgrundlag" in p.fix


def test_person_in_unknown_team():
    [p] = problems(GOOD.replace('team = "Team A"', 'team = "Team B"'))
    assert p.code == "CFG008" and p.line == 11 and "Team A" in p.fix


def test_duplicate_team_regardless_of_case():
    [p] = problems(GOOD + '\n[[team]]\nnavn = "team a"\n')
    assert p.code == "CFG007" and p.line == 17


def test_no_teams():
    found = problems(GOOD.replace('[[team]]\nnavn = "Team A"\n', "").replace('team = "Team A"', 'team = "Alle"'))
    assert [p.code for p in found] == ["CFG009"]


def test_several_mistakes_reported_together():
    text = GOOD.replace('metode = "ics"', 'metode = "lean"').replace("startdato = 2026-03-02", "startdato = 5")
    assert sorted(p.code for p in problems(text)) == ["CFG004", "CFG005"]


def test_problem_text_is_danish_with_place():
    [p] = problems(GOOD.replace('metode = "ics"', 'metode = "lean"'))
    assert str(p).startswith("plan.toml, linje 2: [CFG005] Ukendt metode 'lean'.")
