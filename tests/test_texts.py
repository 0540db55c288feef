"""Each text the issue on correct Danish found wrong or missing (issue 16), checked against the source
documents (shared/seeds: 000 ICS guidance, 001 Socialstyrelsen, 002 FFB guide, 003 Ishøj, 004 the steps)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from xlplan.core import content, schema
from xlplan.workbook.generate import blank_config
from xlplan.workbook import vejledning
from xlplan.workbook.workbook import assign_sheet_names, build_workbook, context_for


def guide(preset: str) -> str:
    ctx = context_for(blank_config(preset), None, None)
    assign_sheet_names(ctx)
    return vejledning.render_text(ctx)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- Vejledning

@pytest.mark.parametrize("preset", ["ics", "ffb", "styringsgrundlag"])
def test_vejledning_of_a_blank_template_says_what_den_refers_to(preset):
    intro = lines(guide(preset))[1]
    assert intro.startswith("Projektmappen bruges til at planlægge, følge og afrapportere implementeringen")
    assert not intro.startswith("Den ")


@pytest.mark.parametrize("preset", ["ics", "ffb", "styringsgrundlag"])
def test_vejledning_headings_do_not_repeat_their_own_bullet(preset):
    text = lines(guide(preset))
    for heading, following in zip(text, text[1:]):
        if heading.startswith("#"):
            assert following.lstrip("- ") != heading.lstrip("# "), heading


def test_vejledning_writes_styringsgrundlaget_in_lower_case_mid_sentence():
    text = guide("styringsgrundlag")
    assert "forankringen af styringsgrundlaget." in text and "af Styringsgrundlaget" not in text
    workbook = build_workbook(blank_config("styringsgrundlag"), None)
    assert workbook.properties["subject"] == "Implementering og forankring af styringsgrundlaget"


def test_vejledning_comma_before_the_question_clause():
    assert "Roller: implementeringsrollerne, og hvem der varetager dem." in guide("ics")
    assert "hvem, der varetager" not in guide("ics")


def test_vejledning_names_the_plans_purpose_and_goal():
    # Seed 000, Indledning
    text = guide("ics")
    assert ("Formålet med implementerings-/forankringsplanen er systematisk at planlægge, hvordan kommunen mest "
            "optimalt implementerer/forankrer ICS på børne- og ungeområdet.") in text
    assert ("Målet er, at der udarbejdes en realistisk, konkret og detaljeret plan for sikring af "
            "implementering/forankring af ICS i kommunen.") in text


def test_vejledning_gives_the_ics_guidances_advice():
    text = guide("ics")
    # Seed 000: sigtepunkter from the barometer's report, and measuring again
    assert "rapporten med resultaterne fra målingen med implementeringsbarometeret" in text
    assert "gennemføre en ny måling med implementeringsbarometeret" in text
    # ... being realistic about how many activities run at once
    assert "Det er vigtigt at være realistisk i forhold til, hvor mange aktiviteter der kan sættes i gang på samme tid" in text
    # ... delmål can depend on each other
    assert "Delmål kan være enkeltstående delmål eller flere delmål, der er afhængige af hinanden." in text
    # ... keep following up on reached goals
    assert "Det vil være relevant fortsat at følge op på de opnåede mål for at sikre forankring fremadrettet." in text


def test_vejledning_puts_the_follow_up_questions_under_one_heading():
    text = guide("ics")
    block = text.split("### Opfølgning\n", 1)[1].split("###", 1)[0]
    assert lines(block) == ["- Hvornår og hvordan følges der op?",
                            "- Hvem skal informeres? (Herunder medarbejdere, chefer, samarbejdsparter).",
                            "- Hvem er ansvarlig for opfølgning og formidling?"]


@pytest.mark.parametrize("preset", ["ics", "ffb", "styringsgrundlag"])
def test_vejledning_says_larger_changes_take_two_to_four_years(preset):
    # Seed 001, "Implementering – det lange, seje træk"
    assert "større forandringstiltag tager mellem 2 og 4 år at implementere" in guide(preset)


def test_vejledning_reflects_socialstyrelsens_four_tools():
    # Seed 001, "Redskaber": the four tools by name
    text = guide("styringsgrundlag")
    for tool in ("Proces for implementering af styringsgrundlaget", "Vejledning til implementering af styringsgrundlaget",
                 "Eksempel på formidling af sammenhængen mellem styringsgrundlag og daglig praksis",
                 "Tjekliste til rolle- og ansvarsfordeling for implementering og forankring"):
        assert f"- {tool}: " in text, tool
    assert "alle relevante aktører klædes på i forhold til deres behov og rolle" in text
    assert "enkel formidling af den røde tråd fra styringsgrundlag til daglig praksis" in text


def test_the_steps_may_be_repeated_at_intervals():
    # Seed 004: "Elementerne i processen kan gentages med passende mellemrum, ..."
    repeated = "Elementerne i processen kan gentages med passende mellemrum"
    assert repeated in guide("styringsgrundlag")
    assert content.steering()["steps_note"].startswith(repeated)


def test_vejledning_lists_the_guides_further_material():
    # Seed 002, "Mere viden og materialer"
    text = guide("ffb")
    for item in ("Business case-værktøj", "Guide til FFB", "FFB Bruttoslides", "Det Fælleskommunale indsatskatalog",
                 "Den fælleskommunale funktionsevneguide", "Den fælleskommunale ud-data specifikation",
                 "konverteringsnøgle", "https://www.kl.dk/ffb-materialer", "Voksenudredningsmetodens håndbog vers. 2.0",
                 "KL og KOMBIT's Videncenter for Digitalisering og Teknologi", "Københavns Kommunes FSIII-erfaringer"):
        assert item in text, item
    assert "Videntcenter" not in text and "København Kommunes" not in text


def test_vejledning_gives_each_roles_profile_and_the_group_composition():
    text = guide("ffb")
    # Seed 002: Teamleder's Rolleprofil, and Gruppesammensætning's internal and external stakeholders
    assert "- Teamleder: Teamlederen vil som oftest være en leder af medarbejdere, der har ansvaret for én eller " \
           "flere afdelinger." in text
    assert "Interne interessenter: Økonomi og data, Kommunikation, Kommunale- og regionale netværk, " \
           "IT- og digitalisering, Jura, HR og MED." in text
    assert "Eksterne interessenter: IT-leverandører, Organisationer, Frivillige foreninger, Private og regionale " \
           "tilbud, Borgere og pårørende, Konsulenter." in text


def test_vejledning_says_frist_like_the_rest():
    for preset in ("ics", "ffb", "styringsgrundlag"):
        assert "deadline" not in guide(preset).lower()


# ---------------------------------------------------------------- the ICS plan (seed 000)

def test_smart_t_is_tidsbegraenset():
    # Seed 000: "Tidsbegrænsede (det fremgår, hvornår målet skal være nået)"
    t = content.ics()["smart"][4]
    assert (t["kort"], t["navn"]) == ("T", "Tidsbegrænset")
    help_text = schema.plan_table().column("smart_t").help
    assert help_text.startswith("SMART – Tidsbegrænset: det fremgår, hvornår målet skal være nået.")


def test_sigtepunkt_help_has_the_comma_before_the_clause_not_inside_it():
    assert schema.SIGTEPUNKT_FIELDS[0].help == "Skriv, hvilket sigtepunkt der er udvalgt for arbejdet."


def test_formaal_help_asks_what_must_change_once():
    assert schema.plan_table().column("formaal").help.lower().count("hvad skal forandres") == 1


# ---------------------------------------------------------------- the steps (seed 004)

SEED_004_STEPS = [
    "Hvilke ændringer medfører implementeringen for arbejdet med børn og unge med særlige behov, og hvordan påvirkes "
    "dagligdagen hos medarbejdere og ledere?",
    "I dette trin udvikles der en plan for implementeringen, som sikrer løbende understøttelse igennem hele processen.",
    "Planen for implementeringen færdiggøres, og opgaver og rolle- og ansvarsfordeling afklares, så der er klare "
    "retningslinjer for, hvem der indgår hvornår i processen.",
    "I denne fase testes og afprøves de rammer og retningslinjer mv., som indgår i styringsgrundlaget. Denne testfase "
    "sker på alle niveauer i kommunen.",
    "Efter en periode, hvor medarbejdere og ledere har arbejdet med rammer og redskaber, kan der ske en evaluering og "
    "evt. efterfølgende justering. På dette trin udarbejdes en plan for, hvordan evalueringen skal ske. Her kan det "
    "overvejes, hvem der skal inddrages i evalueringen, hvordan de skal inddrages, og hvilke datakilder der yderligere "
    "kan anvendes i evalueringen.",
    "I denne fase rulles styringsgrundlaget ud, blandt andet gennem understøttende aktiviteter som processtøtte, "
    "facilitering og monitorering.",
    "Eventuelt kan fasen markeres ved, at der skabes en ny ramme for implementeringen, eksempelvis for fortsat "
    "opfølgning på omsætning af styringsgrundlaget i praksis.",
]


def test_steps_use_seed_004s_wording():
    assert [s.description for s in content.steering()["steps"]] == SEED_004_STEPS


# ---------------------------------------------------------------- one name for one thing

def test_a_date_to_meet_is_a_frist_everywhere():
    for table in (schema.CHECKLIST, schema.STEPS, schema.RISKS):
        headers = [c.header for c in table.columns]
        assert "Deadline" not in headers, table.key
    assert schema.CHECKLIST.column("deadline").header == "Frist"
    assert schema.STEPS.column("deadline").header == "Frist"
    assert "deadline" not in content.load_yaml("fejl.yaml")["MIG001"]["rettelse"].lower()


def test_a_phase_is_written_as_its_sheet_title_writes_it():
    assert content.phase_choices(("faser",)) == ("Fase 1: Forbered forandringen", "Fase 2: Igangsæt forandringen",
                                                 "Fase 3: Fasthold forandringen", "Fase 4: Genbesøg forandringen")


def test_a_phase_chosen_from_the_earlier_list_is_read_without_a_warning():
    from xlplan.core.vocab import map_value

    mapped = map_value("faser", "1 Forbered forandringen")
    assert (mapped.value, mapped.interpreted) == ("Fase 1: Forbered forandringen", False)
    assert map_value("faser", "Forbered").value is None


def test_a_styringsgrundlag_workbook_asks_for_the_current_step(tmp_path):
    from xlplan.reading.readback import read_team_workbook
    from xlplan.xlsx.writer import render

    config = blank_config("styringsgrundlag")
    workbook = build_workbook(config, None)
    overview = workbook.sheet("Oversigt")
    labels = {c.value for c in overview.every_cell() if c.col == 0}
    assert "Aktuelt trin" in labels and "Aktuel fase" not in labels
    help_texts = [v.input_message for v in overview.validations]
    assert any(t.startswith("Hvilket trin er teamet i nu?") for t in help_texts)
    # ... and the reader finds the step there
    row = next(c.row for c in overview.every_cell() if c.value == "Aktuelt trin")
    overview.merges = [replace(m, value="Trin 4: Læringsfase") if (m.first_row, m.first_col) == (row, 1) else m
                       for m in overview.merges]
    path = tmp_path / "trin.xlsx"
    path.write_bytes(render(workbook))
    read = read_team_workbook(path)
    assert read.info.aktuel_fase == "Trin 4: Læringsfase"
    assert not [p for p in read.problems if p.code in ("RB006", "RB007")]


def test_headers_name_what_the_column_holds():
    assert schema.ROLES.column("typisk").header == "Varetages typisk af"
    workbook = build_workbook(blank_config("styringsgrundlag"), None)
    sheet = workbook.sheet("Rolle og ansvar")
    headers = {c.value for c in sheet.every_cell() if isinstance(c.value, str)}
    assert "Tjekpunkt" in headers and "Succeskriterium" not in headers


# ---------------------------------------------------------------- help texts and input messages

def test_person_help_points_to_the_personer_sheet():
    assert "arket Personer" in schema.PERSON_HELP and "Oversigt" not in schema.PERSON_HELP


def _all_validations():
    for preset in ("ics", "ffb", "styringsgrundlag"):
        for sheet in build_workbook(blank_config(preset), None).sheets:
            yield from sheet.validations


def test_input_message_titles_are_whole_and_questions_end_with_a_question_mark():
    tables = (schema.plan_table(), schema.PROCESPLAN, schema.CHECKLIST, schema.RESPONSIBILITY_CHECKLIST, schema.STEPS,
              schema.ROLES, schema.RISKS, schema.PEOPLE)
    columns = [c for t in tables for c in t.columns] + [*schema.followup_fields(), *schema.OVERVIEW_FIELDS,
                                                        *schema.SIGTEPUNKT_FIELDS, schema.CURRENT_STEP]
    headers = {c.header for c in columns}
    for v in _all_validations():
        if v.input_title:
            assert not any(len(h) > 32 and h.startswith(v.input_title) for h in headers), \
                f"cut off: {v.input_title!r}"
            assert len(v.input_title) <= 32, v.input_title
            if v.input_title.split(" ", 1)[0] in ("Hvem", "Hvad", "Hvornår", "Hvordan", "Hvilken", "Hvilket") or \
                    v.input_title.startswith("Opfølgning: hv"):
                assert v.input_title.endswith("?"), v.input_title


# ---------------------------------------------------------------- the error catalogue

def _catalogue(code: str) -> dict:
    return content.load_yaml("fejl.yaml")[code]


@pytest.mark.parametrize("code", ["RB018", "RB060", "RB061", "RB062"])
def test_a_file_not_counted_is_told_so_and_names_the_file_that_counts(code):
    from xlplan.core.errors import problem

    p = problem(code, file="a.xlsx", team="Familieteamet", talt="b.xlsx", nyeste="02-06-2026", denne="01-06-2026")
    assert p.message.startswith("Filen tæller ikke med: 'b.xlsx' er også fra teamet 'Familieteamet'")
    assert "Begge" not in p.fix and "kør igen" in p.fix


def test_fixes_are_imperatives_and_sentences_read_as_danish():
    assert _catalogue("RB019")["rettelse"] == "Ryk teamet for projektmappen."
    assert _catalogue("CFG007")["besked"] == "Teamet '{værdi}' står mere end én gang i konfigurationen."
    assert not _catalogue("OUT003")["besked"].startswith("Outputfilen")


@pytest.mark.parametrize("code", ["RB025", "MIG003", "RB031"])
def test_a_count_in_a_message_reads_right_for_one(code):
    from xlplan.core.errors import problem

    p = problem(code, antal=1, kolonne="Prioritet", navn="Noter")
    assert "(s)" not in p.message and "(er)" not in p.message
    assert "1 link" not in p.message and "1 udfyldte" not in p.message and "1 værdi" not in p.message


def test_kilder_writes_both_times_alike_and_names_them_for_what_they_are(sample_config, sample_workbooks):
    import re

    from xlplan.reporting.consolidate import consolidate
    from xlplan.reporting.report import report_workbook

    result = consolidate(sample_workbooks, sample_config, dt.date(2026, 6, 15))
    sheet = report_workbook(result, dt.datetime(2026, 6, 15, 12, 0), None).sheet("Kilder")
    header_row = next(c.row for c in sheet.every_cell() if c.value == "Fil")
    headers = {c.value: c.col for c in sheet.every_cell() if c.row == header_row}
    assert "Lavet af xlplan" in headers and "Filens tidspunkt" in headers and "Ændret" not in headers
    for title in ("Lavet af xlplan", "Filens tidspunkt"):
        values = [c.value for c in sheet.every_cell() if c.col == headers[title] and c.row > header_row]
        assert values and all(re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", v) for v in values), (title, values)


# ---------------------------------------------------------------- the sample (seed 003)

def test_sample_carries_seed_003s_procesplan_as_typed_without_contact_data():
    import re

    import openpyxl
    from paths import ROOT

    wb = openpyxl.load_workbook(ROOT / "samples" / "returned" / "Ishøj Kommune - Familieteamet.xlsx")
    ws = wb["Procesplan"]
    header = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "Dato/periode")
    rows = [[ws.cell(row=r, column=c).value or "" for c in (1, 4, 5, 6)] for r in range(header + 1, header + 22)]
    # Seed 003, as printed (lines the PDF broke are joined)
    assert rows[0][:2] == ["14. august 2012", "Kontakt til Metodesekretariatet"]
    assert rows[2][2].startswith("4. sal\nEtablering af projektgruppe?")
    assert rows[5][1] == "Drøftelse på personalemøde for famileplejekonsulenter"
    assert rows[10][2].endswith("Jonas’s interview")
    assert rows[17][0] == "19. og 20. marts samt én dag primo april 2013"
    assert "Metropol har foreslået 19. og 20 marts." in rows[17][2]
    assert rows[20][1].endswith("Drøfte brug af DUBU ud fra de erfaringer der er med ICS i Ishøj og med DUBU i andre "
                                "kommuner.")
    text = "\n".join(v for row in rows for v in row)
    assert not re.search(r"\d\d \d\d \d\d \d\d|Tlf\.|@", text), "no phone number or e-mail address"
