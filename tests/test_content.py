"""The content comes from the seeds, complete and in correct Danish."""
import re

from xlplan.core import content

# Criteria per dimension, counted in the FFB guide (seed 002), sub-items included.
EXPECTED = {
    "1": [7, 5, 6, 7, 7, 5],  # Teknisk understøttelse: 6 boxes, 7 criteria (see ffb.yaml)
    "2": [4, 5, 4, 7, 4, 3],
    "3": [3, 6, 4, 3, 4, 4],
    "4": [5, 3, 5, 3, 5, 5],
}
DIMENSIONS = ["Ressourcer og planlægning", "Projektorganisering", "Kommunikation", "Kompetenceudvikling",
              "Teknisk understøttelse", "Anvendelse af data"]


def test_four_phases_six_dimensions_in_the_guides_order():
    phases = content.phases()
    assert [p.name for p in phases] == ["Forbered forandringen", "Igangsæt forandringen", "Fasthold forandringen",
                                        "Genbesøg forandringen"]
    for p in phases:
        assert [d.name for d in p.dimensions] == DIMENSIONS
        assert all(d.content for d in p.dimensions), "every dimension keeps the guide's Indhold text"


def test_criteria_counts_per_phase_and_dimension():
    for phase in content.phases():
        assert [len(d.criteria) for d in phase.dimensions] == EXPECTED[phase.id], phase.name
    # The guide's 113 checkboxes, plus the one criterion that lost its box in the text extraction.
    assert sum(len(p.criteria) for p in content.phases()) == 114


def test_sub_items_stay_sub_items_with_their_parent():
    crit = {c.id: c for p in content.phases() for c in p.criteria}
    assert crit["1.4.1"].level == 0 and crit["1.4.1"].text.startswith("Der er planlagt opkvalificering af medarbejdere")
    assert [crit[f"1.4.1.{x}"].text for x in "abcd"][:3] == ["Undervisningshold oprettet", "Undervisningsressourcer booket",
                                                            "Undervisningsplan udarbejdet"]
    assert crit["2.4.2.b"].text == "Undervisning af slutbrugere"
    assert crit["1.5.3"].text == "Implementeringsforløb er planlagt med lokal it-/digitaliseringsafdeling"
    subs = [c for c in crit.values() if c.level == 1]
    assert len(subs) == 11
    assert all(c.id.rsplit(".", 1)[0] in crit for c in subs)


def test_roles_on_their_levels():
    roles = content.roles()
    assert [(r.level, r.name) for r in roles] == [
        ("Strategisk", "Projektejer"), ("Strategisk", "Styregruppe"), ("Taktisk", "Projektleder / Projektgruppe"),
        ("Taktisk", "Fagchef"), ("Operationelt", "Teamleder"), ("Operationelt", "Forandringsagent"),
        ("Støttefunktion", "Referencegrupper")]
    assert all(r.purpose and len(r.tasks) >= 5 for r in roles)


def test_seven_steps_of_the_styringsgrundlag():
    names = [s.name for s in content.steering()["steps"]]
    assert names == ["Forberedelse af implementeringen", "Udvikling af implementeringsplan", "Endelig plan for udrulning",
                     "Læringsfase", "Evaluering og justering", "Udrulning", "Forankring og drift"]


def _all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _all_strings(k)
            yield from _all_strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _all_strings(v)


# The text recognition of seed 000 lost æ, ø and å; none of its broken spellings may reach a user.
OCR_DAMAGE = re.compile(r"\b(Malet|malet|Formal|formal|Delmal|delmal|ggre|fglges|opfglgning|Hjaelpespgrgsmal|"
                        r"spgrgsmal|Hjeelpespgrgsmal|maling|nar|pa|ogsa|bade|savel|vaere|veere|naet|"
                        r"udvaelges|Igbende)\b")


def test_no_broken_danish_in_any_data_file():
    for name in ("ics.yaml", "ffb.yaml", "roller.yaml", "styringsgrundlag.yaml", "lister.yaml", "fejl.yaml",
                 "skabeloner.yaml"):
        for text in _all_strings(content.load_yaml(name)):
            assert not OCR_DAMAGE.search(text), (name, text)


def test_ics_help_questions_restored():
    questions = content.ics()["hjælpespørgsmål"]
    assert questions["formaal"] == ["Hvad peger rapporten fra barometermålingen på?", "Hvad skal forandres?"]
    assert "Hvem er ansvarlig for opfølgning og formidling?" in questions["opfoelgning_ansvarlig"]
    assert [s["navn"] for s in content.ics()["smart"]] == ["Specifikt", "Målbart", "Accepteret", "Realistisk",
                                                          "Tidsbestemt"]


def test_libyaml_and_pure_python_loaders_read_every_data_file_alike():
    from importlib import resources

    import yaml
    for entry in resources.files("xlplan.data").iterdir():
        if entry.name.endswith(".yaml"):
            text = entry.read_text(encoding="utf-8")
            assert yaml.load(text, Loader=content.SAFE_LOADER) == yaml.safe_load(text), entry.name


def test_each_caller_gets_its_own_copy_of_a_data_file():
    first = content.load_yaml("trafiklys.yaml")
    first["rød"]["forsinkede_mål"] = -1
    assert content.load_yaml("trafiklys.yaml")["rød"]["forsinkede_mål"] != -1
