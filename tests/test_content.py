"""The content comes from the seeds, complete and in correct Danish."""
import re

import pytest

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
    assert all(c.id.rsplit(".", 1)[0] in crit for c in subs)
    # The guide nests 8 sub-items (1.4.1 a-d, 2.4.1 a-b, 2.4.2 a-b); xlplan nests the three conversion
    # steps under 1.5.2 as well (ffb.yaml's header says so).
    guide = [c.id for c in subs if not c.id.startswith("1.5.2.")]
    assert guide == ["1.4.1.a", "1.4.1.b", "1.4.1.c", "1.4.1.d", "2.4.1.a", "2.4.1.b", "2.4.2.a", "2.4.2.b"]
    assert [c.text for c in subs if c.id.startswith("1.5.2.")] == [
        "Datakonverteringsaftale indgået", "Konverteringsplan udarbejdet", "Konverteringsplan godkendt af styregruppen"]


def test_ffb_header_says_what_is_the_guides_and_what_is_xlplans():
    from importlib import resources

    header = resources.files("xlplan.data").joinpath("ffb.yaml").read_text(encoding="utf-8").split("\nfaser:")[0]
    assert "guiden indrykker 8 underpunkter" in header and "xlplan har desuden valgt" in header
    assert "Guidens egne stave- og bøjningsfejl er rettet" in header
    for slip in ("Det er vigtig", "tværororganisatoriske", "handplan", "drift sikkerhed", "u hensigtsmæssigheder",
                 "på virker", "organisatorisk-og", "forandringens projektere"):
        assert f'"{slip}' in header, slip


# Each phase's "Kendetegn" page of the guide (seed 002): its first sentence and its number of paragraphs.
KENDETEGN = {
    "1": ("I forandringens første fase handler det i høj grad om, at man planlægger, dimensionerer og prioriterer "
          "i den kommende forandring.", 5),
    "2": ("I forandringens anden fase – igangsæt – skal nye arbejdsgange og en ny dokumentationspraksis for alvor "
          "introduceres og tages i brug.", 3),
    "3": ("I forandringens tredje fase – fasthold – skal arbejdet fra igangsættelsen manifestere sig i "
          "organisationen, og det skal sikres at gode arbejdsgange, dokumentation m.m. udbredes bredt.", 4),
    "4": ("I forandringens fjerde fase – genbesøgsfasen – skal forandringen evalueres, og der skal tages stilling "
          "til, om egne forventede gevinster er blevet indfriet, eller om der evt. skal igangsættes nye initiativer "
          "for at komme helt i mål.", 4),
}


def test_each_phase_has_the_guides_kendetegn():
    for phase in content.phases():
        first, paragraphs = KENDETEGN[phase.id]
        assert phase.characteristics[0].startswith(first), phase.name
        assert len(phase.characteristics) == paragraphs, phase.name
    last = content.phases()[3].characteristics[-1]
    assert last == ("På baggrund af, at man genbesøger forandringen, kan der opsættes en ny bølge af prioriteringer "
                    "til gevinster, hvor en ny forandring forberedes, igangsættes og fastholdes.")


# Text-extraction debris and the guide's own slips (seed 002 as printed -> as xlplan shows it).
FFB_CORRECTIONS = [
    ("skaber organisatorisk-og faglig læring", "skaber organisatorisk- og faglig læring"),
    ("eller på virker den enkelte direkte", "eller påvirker den enkelte direkte"),
    ("være u hensigtsmæssigheder i, at", "være uhensigtsmæssigheder i, at"),
    ("Det er vigtig, at der afsættes", "Det er vigtigt, at der afsættes"),
    ("at kommunen høster de ønske gevinster", "at kommunen høster de ønskede gevinster"),
    ("(anbefalet max 5)", "(anbefalet maks. 5)"),
    ("Ved opretning af en styregruppe", "Ved oprettelse af en styregruppe"),
    ("eksempelvis være via. intranet", "eksempelvis være via intranet"),
    ("der både har styr anvendelse af IT-fagsystem", "der både har styr på anvendelse af IT-fagsystem"),
    ("ift. egen kommunale strategier, ønskede gevinster m.v..", "ift. egne kommunale strategier, ønskede gevinster m.v."),
    ("Eventuel indkøb af vikarer", "Eventuelt indkøb af vikarer"),
    ("Der er udfærdiget lokal implementeringsmateriale", "Der er udfærdiget lokalt implementeringsmateriale"),
    ("med en eventuelt central IT-afdeling", "med en eventuel central IT-afdeling"),
    ("om det skal anskaffes IT eller anden digital materiel", "om der skal anskaffes IT eller andet digitalt materiel"),
    ("igennem hele implementeringen monitorer og følger", "igennem hele implementeringen monitorerer og følger"),
    ("får høstede ønskede gevinster", "får høstet ønskede gevinster"),
    ("på ledelsesinformation på politiskniveau.", "på ledelsesinformation på politisk niveau."),
    ("FLIS, Danmarks statistik m.v.", "FLIS, Danmarks Statistik m.v."),
    ("såsom Projektteam, IT-/digitaliseringsafdeling", "såsom projektteam, IT-/digitaliseringsafdeling"),
    ("skaber tryghed f.eks. ved IT nedbrud", "skaber tryghed f.eks. ved IT-nedbrud"),
    ("Der er her vigtigt, at der, såvel som en teknisk support enhed,",
     "Det er her vigtigt, at der, såvel som en teknisk supportenhed,"),
    ("dokumentation, VUM osv..", "dokumentation, VUM osv."),
    ("måle på de tværororganisatoriske spørgsmål", "måle på de tværorganisatoriske spørgsmål"),
    ("sammenhæng i de sociale indsatser, monitorerer dette", "sammenhæng i de sociale indsatser, monitorere dette"),
    ("både på medarbejder, chef og direktør niveau.", "både på medarbejder-, chef- og direktørniveau."),
    ("at sikre drift sikkerhed i ens IT-understøttelse", "at sikre driftssikkerhed i ens IT-understøttelse"),
    ("gennem udarbejdelse af en handplan for", "gennem udarbejdelse af en handlingsplan for"),
    ("ved f.eks. stikprøver osv..", "ved f.eks. stikprøver osv."),
    ("At genbesøge hele eller dele af forandringen er vigtig for", "At genbesøge hele eller dele af forandringen er vigtigt for"),
    ("at det organisation har ønsket at ændre/forandre, er lykket,",
     "at det, organisationen har ønsket at ændre/forandre, er lykkedes,"),
    ("at man kommet helskindet igennem", "at man er kommet helskindet igennem"),
    ("behov for intern såvel som eksternt opkvalificering", "behov for intern såvel som ekstern opkvalificering"),
    ("Understøtter den tekniske løsning en hensigtsmæssigt arbejdsgang",
     "Understøtter den tekniske løsning en hensigtsmæssig arbejdsgang"),
    ("om data har kunne svare", "om data har kunnet svare"),
    ("hænger uløseligt sammen med forandringen sidste fase", "hænger uløseligt sammen med forandringens sidste fase"),
    ("både medarbejder og borger kan være tryk ved", "både medarbejder og borger kan være tryg ved"),
    ("kommunikation af succes historier", "kommunikation af succeshistorier"),
    ("som de er trykke ved og har kendskab til", "som de er trygge ved og har kendskab til"),
]


def _ffb_texts() -> list[str]:
    texts = []
    for phase in content.phases():
        texts += [phase.description, *phase.characteristics]
        for dimension in phase.dimensions:
            texts += [*dimension.content, *(c.text for c in dimension.criteria)]
    return texts


@pytest.mark.parametrize("guide, ours", FFB_CORRECTIONS, ids=[g for g, _ in FFB_CORRECTIONS])
def test_ffb_text_is_corrected(guide, ours):
    texts = _ffb_texts()
    assert sum(ours in t for t in texts) == 1, ours
    assert not any(guide in t for t in texts), guide


def test_a_criterion_keeps_no_trailing_comma():
    crit = {c.id: c.text for p in content.phases() for c in p.criteria}
    assert crit["1.3.1"] == "Der er kommunikeret om, hvorfor der skal ske en forandring"


def test_the_four_phases_overview_has_no_extraction_debris():
    assert 'giver medarbejdere et svar på: "hvorfor skal vi forandre os?"' in content.phases()[0].description


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
    # Seed 000: "Specifikke, Målbare, Accepterede, Realistiske, Tidsbegrænsede" (of the delmål); one delmål
    # is "Specifikt ... Tidsbegrænset".
    assert [s["navn"] for s in content.ics()["smart"]] == ["Specifikt", "Målbart", "Accepteret", "Realistisk",
                                                          "Tidsbegrænset"]


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


def test_roles_keep_the_guides_attention_points_and_profile():
    roles = {r.name: r for r in content.roles()}
    # Seed 002, "Roller i implementeringen"
    assert roles["Projektejer"].attention.startswith(
        "Projektejeren vil typisk være den relevante direktør fra den forvaltning eller enhed, der har den største "
        "aktie i projektet.")
    assert roles["Teamleder"].attention == (
        "Teamlederen er den person i organisationen, der er tættest på den daglige forandring, og som også har et "
        "ledelsesansvar. Derfor er det særligt vigtigt, at denne person formår at være budbringer både fra top til "
        "bund, og omvendt.")
    assert roles["Teamleder"].profile == ("Teamlederen vil som oftest være en leder af medarbejdere, der har ansvaret "
                                          "for én eller flere afdelinger.")
    assert roles["Styregruppe"].profile.endswith("Det er centralt, at alle medlemmer af styregruppen har et ledelses- "
                                                 "og strategisk mandat.")
    assert all(r.attention and r.profile for r in roles.values())


def test_roles_texts_are_corrected():
    roles = {r.name: r for r in content.roles()}
    # The guide: "men også fungerer som en af de medarbejdere", "vil som typisk være", "Eksempeltvist kan"
    assert "men også fungere som en af de medarbejdere, der skal gennemføre forandringen" in \
        roles["Forandringsagent"].attention
    assert roles["Forandringsagent"].profile.startswith("Forandringsagenten vil typisk være en medarbejder")
    assert "Eksempelvis kan både snævre og brede referencegrupper" in roles["Referencegrupper"].attention


def test_group_composition_from_the_guide():
    groups = content.group_composition()
    assert groups["intern"] == ["Økonomi og data", "Kommunikation", "Kommunale- og regionale netværk",
                                "IT- og digitalisering", "Jura", "HR og MED"]
    assert groups["ekstern"] == ["IT-leverandører", "Organisationer", "Frivillige foreninger",
                                 "Private og regionale tilbud", "Borgere og pårørende", "Konsulenter"]
    assert groups["tekst"][0].startswith("For at blive helt skarp i hvilke kompetencer")
