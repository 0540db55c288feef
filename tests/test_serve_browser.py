"""`xlplan serve` driven as its users drive it: a real Chromium, clicking and typing, against the server
started as the coordinator starts it (`python -m xlplan serve MAPPE --port 0`).

The coordinator types the plan into the form (a mistake first), downloads the workbooks; one team fills its
workbook in LibreOffice, typing as a person does, another fills its own with mistakes; each sends it on its
own address; the board, the consolidated status and the management workbook are checked against what was
typed, against the files read with the library, and against each other. Then: the keyboard alone, a
phone's width, and the upload without JavaScript.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl
import pytest
from browser import AS_OF, chromium, launch, playwright_installed, running_server
from fixtures import edit, header_row, write_row

import xlplan
from xlplan.workbook.planbook import load_plan

pytestmark = pytest.mark.browser

D = dt.date
PLAN_SHEET = "1. Fælles faglig forståelse"  # the first sigtepunkt's sheet, its name cut to Excel's length
PHONE = {"width": 375, "height": 740}


@dataclass
class PlanForm:
    """What the coordinator types into the plan form."""
    fields: dict[str, str]
    selects: dict[str, str]
    teams: list[tuple[str, str, str]]
    people: list[tuple[str, str, str]]
    sigtepunkter: list[tuple[str, str]]


PLAN = PlanForm(
    fields={"Kommune": "Greve Kommune", "Startdato": "05-01-2026", "Uger i tidslinjen": "52",
            "Koordinator": "Karen Juul", "Koordinatorens e-mail": "karen.juul@greve.dk",
            "Planens titel (valgfri)": "ICS i Familieafdelingen"},
    selects={"Metode": "ICS + FFB", "Opfølgningsrytme": "Kvartalsvis", "Beskyt arkene": "Ja"},
    teams=[("Familieteamet", "Tina Holm", "tina.holm@greve.dk"),
           ("Børne- og ungeteamet", "Anne-Dorthe Berg", "anne-dorthe.berg@greve.dk"),
           ("Familieplejen", "Mona Lund", "mona.lund@greve.dk")],
    people=[("Tina Holm", "Teamleder", "Familieteamet"), ("Jonas Krogh", "Forandringsagent", "Alle"),
            ("Anne-Dorthe Berg", "Teamleder", "Børne- og ungeteamet")],
    sigtepunkter=[("Fælles faglig forståelse af ICS",
                   "Medarbejderne bruger ICS' begreber og trekanten som fælles sprog på teammøderne.")],
)
CORRECT, WITH_ERRORS, SILENT = (t[0] for t in PLAN.teams)


# ---------------------------------------------------------------- the browser and the server


@pytest.fixture(scope="module")
def chromium_browser():
    if not (chromium() and playwright_installed()):
        pytest.fail("Chromium (/usr/bin/chromium) og Playwright skal være installeret: kør 'make test'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def context_factory(chromium_browser):
    made = []

    def new_context(**options):
        context = chromium_browser.new_context(locale="da-DK", **options)
        context.set_default_timeout(15_000)
        context.set_default_navigation_timeout(60_000)  # an upload is read in a worker process of its own
        made.append(context)
        return context

    yield new_context
    for context in made:
        context.close()


# ---------------------------------------------------------------- what users do, in the browser


def row_of(page, table_row_name: str):
    """The board's row of a team (its name is the row's header)."""
    return page.locator("table.tavle tbody tr").filter(
        has=page.get_by_role("rowheader", name=table_row_name, exact=True))


def fill_plan_form(page, plan: PlanForm, **changed: str) -> None:
    """Type the plan into the form, field by field, as the coordinator does; `changed` overrides fields."""
    for label, value in (plan.fields | changed).items():
        page.get_by_role("textbox", name=label, exact=True).fill(value)
    for label, value in plan.selects.items():
        page.get_by_role("combobox", name=label, exact=True).select_option(value)
    for table, rows, columns in (("Teams", plan.teams, ("Team", "Kontaktperson", "E-mail")),
                                 ("Personer", plan.people, ("Navn", "Rolle", "Team")),
                                 ("Sigtepunkter", plan.sigtepunkter, ("Sigtepunkt", "Beskrivelse"))):
        for number, row in enumerate(rows, 1):
            for column, value in zip(columns, row):
                page.get_by_role("textbox", name=f"{table}, række {number}: {column}", exact=True).fill(value)


def not_refused(page) -> None:
    """Fail at once, with what the page says, when a form came back as the page of a refusal."""
    heading = page.locator("h1").inner_text()
    assert heading != "Det gik ikke", page.locator("main").inner_text()


def press(page, button) -> None:
    """Press a form's button and wait for the page it leads to, which must not be a refusal."""
    with page.expect_navigation():
        button.click()
    not_refused(page)


def save_plan(page) -> None:
    press(page, page.get_by_role("button", name="Gem planen"))


def set_up_plan(page, url: str) -> None:
    """The coordinator's first visit: the plan form, filled and saved."""
    page.goto(url)
    fill_plan_form(page, PLAN)
    save_plan(page)
    assert page.get_by_role("status").filter(has_text="Planen er gemt").is_visible()


def download(page, trigger, folder: Path) -> Path:
    """Click what starts a download and keep the file under the name the server suggests."""
    with page.expect_download() as started:
        trigger.click()
    got = started.value
    target = folder / got.suggested_filename
    got.save_as(target)
    return target


def team_address(page, team: str) -> str:
    return page.get_by_label(f"{team}s adresse", exact=True).input_value()


def upload(page, address: str, workbook: Path) -> None:
    """A team opens its address, chooses its workbook and sends it."""
    page.goto(address)
    page.get_by_label(re.compile(r"^Projektmappe \(højst \d+ MB\)$")).set_input_files(workbook)
    press(page, page.get_by_role("button", name="Send", exact=True))
    assert "/indsendt/" in page.url


def shown_problems(page) -> list[dict[str, str]]:
    """Each problem on a result page: its level, sheet, cell and text."""
    found = []
    for item in page.locator("ol.problemer > li").all():
        place = item.locator(".sted")
        sheet = cell = ""
        if place.count():
            match = re.fullmatch(r"Ark (.+?)(?:, celle (\S+))?", place.inner_text().strip())
            sheet, cell = match.group(1), match.group(2) or ""
        found.append({"level": item.locator(".niveau").inner_text().strip().lower(), "sheet": sheet, "cell": cell,
                      "text": item.locator(".besked").inner_text(), "fix": item.locator(".rettelse").inner_text()})
    return found


# ---------------------------------------------------------------- the teams' workbooks


@dataclass
class Filled:
    """A team's filled workbook, and what was put into it: the independent source of the expectations."""
    path: Path
    activities: int
    finished: int
    criteria_met: int
    error_cells: set[tuple[str, str]] = field(default_factory=set)


def criterion_rows(path: Path) -> dict[str, tuple[str, int]]:
    """Every FFB criterion in a workbook: its number -> (sheet, row), read with openpyxl."""
    wb = openpyxl.load_workbook(path, read_only=True)
    found = {}
    for sheet in wb.sheetnames:
        if sheet.startswith("Fase "):
            for row in wb[sheet].iter_rows(min_col=1, max_col=1):
                value = row[0].value
                if isinstance(value, str) and re.fullmatch(r"\d+\.\d+\.\d+(\.[a-z])?", value):
                    found[value] = (sheet, row[0].row)
    wb.close()
    return found


def fill_by_typing(blank: Path, target: Path) -> Filled:
    """Familieteamet fills its workbook in LibreOffice (da-DK), typing each cell as a person does: three
    activities on the sigtepunkt's plan, one on the procesplan, two criteria met and one begun."""
    from uno_typing import type_cells

    wb = openpyxl.load_workbook(blank, read_only=True)
    plan_row = header_row(wb[PLAN_SHEET]) + 1
    process_row = header_row(wb["Procesplan"], "Dato/periode") + 1
    wb.close()
    criteria = criterion_rows(blank)
    typed = [(PLAN_SHEET, f"{col}{plan_row}", text) for col, text in zip(
                 "ABCDEO", ["Fælles sprog", "Kursus i ICS for hele teamet", "Tina Holm", "02-02-2026", "27-03-2026",
                            "Afsluttet"])]
    typed += [(PLAN_SHEET, f"{col}{plan_row + 1}", text) for col, text in zip(
                  "BCDEFGO", ["Sager drøftes med trekanten", "Jonas Krogh", "06-04-2026", "18-12-2026",
                              "Mindst 10 sager drøftet", "30-09-2026", "I gang"])]
    typed += [(PLAN_SHEET, f"{col}{plan_row + 2}", text) for col, text in zip(
                  "BCDEO", ["Temadag med Sundhedsplejen", "Tina Holm", "01-10-2026", "30-10-2026", "Ikke påbegyndt"])]
    typed += [("Procesplan", f"{col}{process_row}", text) for col, text in zip(
                  "ADFG", ["marts 2026", "Opstartsmøde for teamet", "Tina Holm", "Afsluttet"])]
    for number, status in (("1.1.1", "Opfyldt"), ("1.1.2", "Opfyldt"), ("1.1.3", "I gang")):
        sheet, row = criteria[number]
        typed.append((sheet, f"C{row}", status))
    type_cells(blank, target, typed)
    return Filled(target, activities=4, finished=2, criteria_met=2)


def fill_with_mistakes(blank: Path, target: Path) -> Filled:
    """Børne- og ungeteamet's workbook, edited with openpyxl: two activities, one of them with a Delmål-dato
    that does not exist, and a consequence written in words on the risk log."""
    target.write_bytes(blank.read_bytes())
    cells = set()

    def mistakes(wb) -> None:
        ws = wb[PLAN_SHEET]
        h = header_row(ws)
        write_row(ws, h + 1, {2: "Kursus i ICS", 3: "Anne-Dorthe Berg", 4: D(2026, 2, 2), 5: D(2026, 3, 27),
                              15: "Afsluttet"})
        write_row(ws, h + 2, {2: "Makkerpar gennemgår sager", 3: "Anne-Dorthe Berg", 4: D(2026, 5, 4),
                              5: D(2026, 11, 30), 6: "Alle har haft en makker", 7: "31. september 2026",
                              15: "I gang"})
        cells.add((PLAN_SHEET, f"G{h + 2}"))
        write_row(wb["Risikolog"], 6, {2: "Travlhed i teamet", 3: 3, 4: "høj", 9: "Åben"})
        cells.add(("Risikolog", "D6"))

    edit(target, mistakes)
    return Filled(target, activities=2, finished=1, criteria_met=0, error_cells=cells)


# ---------------------------------------------------------------- the whole loop


def test_coordinator_and_two_teams_through_the_whole_loop(context_factory, tmp_path):
    downloads = tmp_path / "hentet"
    downloads.mkdir()
    with running_server(tmp_path / "xlplan-web") as server:
        coordinator = context_factory().new_page()

        # The first visit has no plan: the board sends the coordinator to the plan form.
        coordinator.goto(server.url)
        assert coordinator.url.endswith("/plan")

        # A mistake in the form is shown next to its field, and what was typed is kept.
        fill_plan_form(coordinator, PLAN, Startdato="31-02-2026")
        save_plan(coordinator)
        startdato = coordinator.get_by_role("textbox", name="Startdato", exact=True)
        field_box = coordinator.locator(".felt").filter(has=startdato)
        assert "har-fejl" in field_box.get_attribute("class")
        assert "31-02-2026" in field_box.locator(".feltfejl").inner_text()
        assert startdato.get_attribute("aria-invalid") == "true"
        assert "31-02-2026" in _description(coordinator, startdato)  # a screen reader reads it with the field
        kept = coordinator.get_by_role("textbox", name="Teams, række 3: E-mail", exact=True).input_value()
        assert kept == "mona.lund@greve.dk"

        startdato.fill(PLAN.fields["Startdato"])
        save_plan(coordinator)
        assert coordinator.get_by_role("status").filter(has_text="Planen er gemt").is_visible()
        plan_file = download(coordinator, coordinator.get_by_role("link", name="Hent planen som plan.xlsx"), downloads)
        plan = load_plan(plan_file)
        # The plan kept is the plan typed.
        assert [(t.name, t.contact, t.email) for t in plan.teams] == PLAN.teams
        assert [(p.name, p.role, p.team) for p in plan.people] == PLAN.people
        assert [(f.name, f.description) for f in plan.focus_points] == PLAN.sigtepunkter
        assert (plan.municipality, plan.title, plan.methods, plan.start, plan.rhythm, plan.timeline_weeks,
                plan.protect, plan.contact_name, plan.contact_email) == (
            "Greve Kommune", "ICS i Familieafdelingen", ("ics", "ffb"), D(2026, 1, 5), "Kvartalsvis", 52, True,
            "Karen Juul", "karen.juul@greve.dk")

        # The board: every team not received, each with its address and a reminder to its e-mail.
        coordinator.get_by_role("link", name="Status", exact=True).click()
        for name, _contact, email in PLAN.teams:
            row = row_of(coordinator, name)
            assert row.locator(".tilstand").inner_text() == "Ikke modtaget"
            assert row.get_by_role("link", name=f"Send påmindelse til {email}").count() == 1
        addresses = {name: team_address(coordinator, name) for name, *_ in PLAN.teams}
        assert len(set(addresses.values())) == 3 and all("/t/" in a for a in addresses.values())

        # The workbooks: all in one zip, and one team's from its row; the same file both ways.
        archive = download(coordinator, coordinator.get_by_role("link", name="Hent alle projektmapper (.zip)"),
                           downloads)
        with zipfile.ZipFile(archive) as z:
            assert sorted(z.namelist()) == sorted(f"Greve Kommune - {t[0]}.xlsx" for t in PLAN.teams)
            zipped = {n: z.read(n) for n in z.namelist()}
        blank = download(coordinator, row_of(coordinator, CORRECT).get_by_role("link", name="Projektmappe"),
                         downloads)
        assert blank.name == f"Greve Kommune - {CORRECT}.xlsx"
        assert blank.read_bytes() == zipped[blank.name]

        # Each team fills its workbook and sends it on its own address.
        correct = fill_by_typing(blank, tmp_path / "Familieteamet udfyldt.xlsx")
        team_page = context_factory().new_page()
        team_page.goto(addresses[WITH_ERRORS])
        own_blank = download(team_page, team_page.get_by_role("link", name="Hent en ny, tom projektmappe"),
                             tmp_path)
        assert own_blank.read_bytes() == zipped[f"Greve Kommune - {WITH_ERRORS}.xlsx"]
        wrong = fill_with_mistakes(own_blank, tmp_path / "Børne- og ungeteamet udfyldt.xlsx")

        upload(team_page, addresses[CORRECT], correct.path)
        assert team_page.get_by_role("status").inner_text().startswith("Modtaget. Der er ingen fejl.")
        assert [p for p in shown_problems(team_page) if p["level"] == "fejl"] == []

        upload(team_page, addresses[WITH_ERRORS], wrong.path)
        status = team_page.get_by_role("status").inner_text()
        assert f"Projektmappen skal rettes: {len(wrong.error_cells)} fejl" in status
        errors = [p for p in shown_problems(team_page) if p["level"] == "fejl"]
        assert {(p["sheet"], p["cell"]) for p in errors} == wrong.error_cells
        date_error = next(p for p in errors if p["sheet"] == PLAN_SHEET)
        assert "31. september 2026" in date_error["text"] and date_error["fix"]
        fixing = download(team_page, team_page.get_by_role("link", name="Hent kopi med rettelserne markeret"),
                          downloads)
        copy = openpyxl.load_workbook(fixing)
        assert "Rettelser" in copy.sheetnames
        listed = " ".join(str(c.value) for row in copy["Rettelser"].iter_rows() for c in row if c.value)
        for sheet, cell in wrong.error_cells:
            assert cell in listed, (sheet, cell, listed)
        assert copy[PLAN_SHEET][sorted(c for s, c in wrong.error_cells if s == PLAN_SHEET)[0]].comment is not None

        # The team's page lists what it sent, newest first.
        team_page.goto(addresses[WITH_ERRORS])
        sent = team_page.locator("section", has=team_page.get_by_role("heading", name="Det har I sendt"))
        assert sent.locator("tbody tr").count() == 1
        assert "Skal rettes" in sent.locator("tbody tr").inner_text()

        # The board now: received, received with errors, not received; reminders only where needed.
        coordinator.reload()
        expected_states = {CORRECT: "Modtaget", WITH_ERRORS: "Modtaget med fejl", SILENT: "Ikke modtaget"}
        for name, state in expected_states.items():
            assert row_of(coordinator, name).locator(".tilstand").inner_text() == state, name
        assert row_of(coordinator, CORRECT).locator("a.påmind").count() == 0
        assert _cell(row_of(coordinator, CORRECT), "Fejl") == "0"
        assert _cell(row_of(coordinator, WITH_ERRORS), "Fejl") == str(len(wrong.error_cells))
        assert _cell(row_of(coordinator, SILENT), "Modtaget") == "–"
        for name, kind in ((WITH_ERRORS, "skal rettes"), (SILENT, "Påmindelse")):
            mail = urlsplit(row_of(coordinator, name).locator("a.påmind").get_attribute("href"))
            email = next(t[2] for t in PLAN.teams if t[0] == name)
            query = parse_qs(mail.query)
            assert mail.scheme == "mailto" and unquote(mail.path) == email
            assert kind in query["subject"][0] and name in query["subject"][0]
            assert addresses[name] in query["body"][0]
        board_lights = {name: _cell(row_of(coordinator, name), "Trafiklys") for name in expected_states}

        # The consolidated status: the page's briefing, and the management workbook read back.
        press(coordinator, coordinator.get_by_role("button", name="Lav samlet status nu"))
        assert coordinator.url.endswith("/samlet")
        summary = coordinator.locator("p.resumé").inner_text()
        page_lights = {row.get_by_role("rowheader").inner_text(): row.locator(".lys").inner_text()
                       for row in coordinator.locator("section", has=coordinator.locator("#teamene"))
                       .locator("tbody tr").all()}
        chart = chart_rows(coordinator)
        workbook = download(coordinator, coordinator.get_by_role("link", name=re.compile("samlet-status.xlsx")),
                            downloads)
        assert workbook.name == "samlet-status.xlsx"
        pdf = download(coordinator, coordinator.get_by_role("link", name="PDF til mødet"), downloads)
        assert pdf.read_bytes()[:5] == b"%PDF-"
        data = json.loads(download(coordinator, coordinator.get_by_role("link", name="Data som JSON"),
                                   downloads).read_text(encoding="utf-8"))

    management = openpyxl.load_workbook(workbook)
    overview = _table(management["Overblik"], "Team")
    assert list(overview) == [CORRECT, WITH_ERRORS, SILENT]
    assert management["Resumé"]["A3"].value == summary

    read = xlplan.read([correct.path, wrong.path], as_of=AS_OF)
    by_team = {t.team: t for t in read.teams}
    relevant = len(criterion_rows(blank))
    for filled, name in ((correct, CORRECT), (wrong, WITH_ERRORS)):
        row, progress = overview[name], by_team[name]
        # What was typed, the library's reading of the same file, the workbook and the page agree.
        assert (row["Aktiviteter afsluttet"], row["Aktiviteter i alt"]) == (filled.finished, filled.activities)
        assert (progress.finished, sum(progress.activities.values())) == (filled.finished, filled.activities)
        assert row["Tjekliste i alt"] == pytest.approx(filled.criteria_met / relevant)
        assert progress.checklist.share == pytest.approx(filled.criteria_met / relevant)
        assert row["Fejl i filen"] == len(filled.error_cells) == progress.errors
        assert row["Trafiklys"] == progress.light == page_lights[name] == board_lights[name]
        assert chart[name] == (f"{round(100 * filled.criteria_met / relevant)} %",
                               f"{filled.finished} af {filled.activities}")
    # The JSON says the same.
    assert (data["kommune"], data["opgjort_pr"]) == ("Greve Kommune", "2026-06-15")
    in_json = {t["team"]: t for t in data["fremdrift"]}
    for filled, name in ((correct, CORRECT), (wrong, WITH_ERRORS)):
        assert in_json[name]["trafiklys"] == page_lights[name]
        assert (in_json[name]["tjekliste"]["opfyldt"], in_json[name]["tjekliste"]["relevante"]) == (
            filled.criteria_met, relevant)
    assert SILENT in json.dumps(data["manglende_teams"], ensure_ascii=False)
    # Nothing overdue, everyone responsible: green; a file with errors to fix: yellow (the rule in the README).
    assert (page_lights[CORRECT], page_lights[WITH_ERRORS]) == ("Grøn", "Gul")
    assert overview[SILENT]["Trafiklys"] == page_lights[SILENT] == "Ikke modtaget"
    assert summary.startswith("3 teams:") and {"1 grøn", "1 gul", "1 ikke modtaget"} <= set(
        part.strip(" .") for part in summary.split(":", 1)[1].split(","))


def chart_rows(page) -> dict[str, tuple[str, str]]:
    """The progress chart's texts per team: its name, then the share of criteria met, then the activities."""
    texts = page.locator("svg.diagram text")
    found, name = {}, None
    for i, text in enumerate(texts.all_text_contents()):
        if "navn" in (texts.nth(i).get_attribute("class") or "").split():
            name = text
            found[name] = ()
        elif name is not None:
            found[name] += (text,)
    return found


def _description(page, element) -> str:
    """The text a screen reader reads after a field's name: its aria-describedby targets."""
    ids = (element.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)


def _cell(row, header: str) -> str:
    """The text in a board row under a column header."""
    table = row.locator("xpath=ancestor::table")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    return row.locator("th, td").nth(headers.index(header)).inner_text().strip()


def _table(ws, first: str) -> dict[str, dict[str, object]]:
    """A sheet's table by its first column: the header row is the one starting with `first`."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == first)
    headers = rows[start]
    table = {}
    for values in rows[start + 1:]:
        if not values or values[0] is None:
            break
        table[values[0]] = dict(zip(headers, values))
    return table


# ---------------------------------------------------------------- keyboard, phone, no JavaScript


@dataclass
class Served:
    """A running server with the plan typed in and one team's workbook with mistakes sent."""
    server: object
    addresses: dict[str, str]
    wrong: Filled
    blanks: dict[str, Path]


@pytest.fixture(scope="module")
def served(chromium_browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-browser")
    with running_server(folder / "xlplan-web") as server:
        context = chromium_browser.new_context(locale="da-DK")
        page = context.new_page()
        set_up_plan(page, server.url)
        page.get_by_role("link", name="Status", exact=True).click()
        addresses = {name: team_address(page, name) for name, *_ in PLAN.teams}
        blanks = {name: download(page, row_of(page, name).get_by_role("link", name="Projektmappe"), folder)
                  for name in (WITH_ERRORS, SILENT)}
        wrong = fill_with_mistakes(blanks[WITH_ERRORS], folder / "Børne- og ungeteamet udfyldt.xlsx")
        upload(page, addresses[WITH_ERRORS], wrong.path)
        context.close()
        yield Served(server, addresses, wrong, blanks)


def focus_order(page, presses: int) -> list[str]:
    """What Tab reaches, in order, from the top of the page: each focused element's role and name."""
    page.keyboard.press("Tab")
    reached = []
    for _ in range(presses):
        reached.append(page.evaluate(
            """() => { const e = document.activeElement;
                       const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
                       return `${e.tagName.toLowerCase()}${e.type ? '[' + e.type + ']' : ''}: `
                              + (e.getAttribute('aria-label') || label || e.innerText || e.value || '').trim(); }"""))
        page.keyboard.press("Tab")
    return reached


def outline_shown(page) -> bool:
    return page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle !== 'none'")


def test_a_team_sends_its_workbook_with_the_keyboard_alone(context_factory, served, tmp_path):
    page = context_factory().new_page()
    page.goto(served.addresses[SILENT])

    # The first Tab reaches the skip link, shown where it can be seen; Enter on it skips the header.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Gå til indholdet" and outline_shown(page)
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.locator(":focus").get_attribute("type") == "file" and outline_shown(page)

    # From the file input: the button that sends. The file is given to the focused input directly: the
    # dialogue Space opens is the browser's own, and headless Chromium opened it only now and then.
    page.locator(":focus").set_input_files(served.blanks[SILENT])
    page.keyboard.press("Tab")
    assert page.locator(":focus").inner_text() == "Send" and outline_shown(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/indsendt/"))
    assert page.get_by_role("status").inner_text().startswith("Projektmappen er modtaget")


def test_the_board_in_tab_order(context_factory, served):
    page = context_factory().new_page()
    page.goto(served.server.url)
    reached = focus_order(page, 12)
    assert reached[0] == "a: Gå til indholdet"
    assert reached[1:4] == ["a: Status", "a: Plan", "a: Samlet status"]
    assert reached[4] == "a: Hent alle projektmapper (.zip)"
    # Then each team in the plan's order: its name, its workbook, its address, its reminder.
    assert reached[5:9] == [f"a: {CORRECT}", f"a: {CORRECT}s projektmappe", f"input[text]: {CORRECT}s adresse",
                            "a: Send påmindelse til tina.holm@greve.dk"]
    assert reached[9] == f"a: {WITH_ERRORS}"


@pytest.mark.parametrize("where", ["board", "team", "result", "plan", "samlet"])
def test_no_page_scrolls_sideways_on_a_phone(context_factory, served, where):
    page = context_factory(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
    key_url = served.server.url
    team_url = served.addresses[WITH_ERRORS]
    page.goto({"board": key_url, "team": team_url, "result": team_url, "plan": key_url + "plan",
               "samlet": key_url + "samlet"}[where])
    if where == "result":
        page.locator("table a").first.click()
        page.wait_for_url(re.compile(r"/indsendt/"))
    # A phone widens its viewport to a page too wide (and shows it small), so the page is held to the screen.
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"{where}: the page is {wide} px wide on a {PHONE['width']} px screen"
    # What does not fit scrolls inside its own box, not the page.
    for table in page.locator("table").all():
        assert table.evaluate("t => t.closest('.rul') !== null || t.scrollWidth <= t.clientWidth + 1")


def test_the_upload_without_javascript(context_factory, served, tmp_path):
    page = context_factory(java_script_enabled=False).new_page()
    upload(page, served.addresses[WITH_ERRORS], served.wrong.path)
    assert "Projektmappen skal rettes" in page.get_by_role("status").inner_text()
    assert {(p["sheet"], p["cell"]) for p in shown_problems(page) if p["level"] == "fejl"} == served.wrong.error_cells
    fixing = download(page, page.get_by_role("link", name="Hent kopi med rettelserne markeret"), tmp_path)
    assert "Rettelser" in openpyxl.load_workbook(fixing).sheetnames

    coordinator = context_factory(java_script_enabled=False).new_page()
    coordinator.goto(served.server.url)
    assert row_of(coordinator, WITH_ERRORS).locator(".tilstand").inner_text() == "Modtaget med fejl"
    press(coordinator, coordinator.get_by_role("button", name="Lav samlet status nu"))
    assert coordinator.locator("p.resumé").inner_text().startswith("3 teams")


# ---------------------------------------------------------------- what was wrong, each shown once


def test_a_form_sent_from_its_own_page_is_not_refused(context_factory, tmp_path):
    """With the referrer policy "no-referrer", browsers send "Origin: null" with every form, and every
    form of the pages came back as "Formularen kan ikke bruges" (WEB005)."""
    with running_server(tmp_path / "xlplan-web") as server:
        page = context_factory().new_page()
        page.goto(server.url)
        page.get_by_role("button", name="Gem planen").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Plan"
        assert page.get_by_role("heading", name="Planen skal rettes").is_visible()
        page.get_by_role("button", name="Send planen").click()
        page.wait_for_load_state()
        assert "Der er ikke valgt nogen fil" in page.locator("main").inner_text()


def test_each_cell_of_the_plan_tables_is_named_by_its_table_row_and_column(context_factory, tmp_path):
    """The cells were named by the column's number where the row's belonged ("Kontaktperson, række 2" in the
    first row), and alike in every table."""
    columns = {"team": ("Teams", ["navn", "kontaktperson", "email"], ["Team", "Kontaktperson", "E-mail"]),
               "person": ("Personer", ["navn", "rolle", "team"], ["Navn", "Rolle", "Team"]),
               "sigtepunkt": ("Sigtepunkter", ["navn", "beskrivelse"], ["Sigtepunkt", "Beskrivelse"])}
    with running_server(tmp_path / "xlplan-web") as server:
        page = context_factory().new_page()
        page.goto(server.url)
        for table, (sheet, keys, names) in columns.items():
            for row in range(3):
                for key, name in zip(keys, names):
                    cell = page.get_by_role("textbox", name=f"{sheet}, række {row + 1}: {name}", exact=True)
                    assert cell.get_attribute("name") == f"{table}.{row}.{key}"


def test_a_mistake_in_the_plan_is_read_with_its_field_and_leads_to_it(context_factory, tmp_path):
    with running_server(tmp_path / "xlplan-web") as server:
        page = context_factory().new_page()
        page.goto(server.url)
        fill_plan_form(page, PLAN, Startdato="31-02-2026")
        page.get_by_role("textbox", name="Personer, række 1: Team", exact=True).fill("Familieteamt")
        save_plan(page)
        for label in ("Startdato", "Personer, række 1: Team"):
            field_ = page.get_by_role("textbox", name=label, exact=True)
            assert field_.get_attribute("aria-invalid") == "true", label
            said = page.locator(f"[id='fejl-{field_.get_attribute('name')}']").inner_text()
            assert said and said in _description(page, field_), label
        assert "31-02-2026" in _description(page, page.get_by_role("textbox", name="Startdato", exact=True))
        assert "Familieteamt" in _description(page, page.get_by_role("textbox", name="Personer, række 1: Team",
                                                                       exact=True))
        # The summary at the top leads to each field.
        links = page.locator(".problemboks").get_by_role("link", name="Ret det i formularen")
        assert links.count() == 2
        for i in range(2):
            target = links.nth(i).get_attribute("href")
            links.nth(i).click()
            assert page.evaluate("() => location.hash") == target
            assert page.locator(f"[id='{target[1:]}']").is_visible()


def test_a_problems_message_is_not_drawn_as_a_message_of_success(context_factory, served):
    """A problem's message (span.besked) took the style of the box that says how it went: a green box."""
    page = context_factory().new_page()
    page.goto(served.addresses[WITH_ERRORS])
    page.locator("table a").first.click()
    message = page.locator("ol.problemer li.fejl .besked").first
    style = message.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderLeftWidth]")
    assert style == ["rgba(0, 0, 0, 0)", "0px"]
    box = page.get_by_role("status").evaluate("e => getComputedStyle(e).borderLeftColor")
    assert box == "rgb(179, 38, 30)"  # the box of a workbook to fix is red (--rød)


def test_on_a_phone_every_figure_of_the_board_says_what_it_is(context_factory, served):
    """On a phone the board's rows are stacked: "Grøn", "28-11-2026 20:19" or "–" alone said nothing."""
    page = context_factory(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(served.server.url)
    for row in page.locator("table.tavle tbody tr").all():
        for header in ("Trafiklys", "Modtaget", "Fejl", "Advarsler"):
            cell = row.locator("td").nth(["Status", "Trafiklys", "Modtaget", "Fejl", "Advarsler"].index(header))
            shown = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert shown == f'"{header}: "', (header, shown)


def test_the_board_shows_each_light_in_its_colour_as_the_consolidated_status_does(context_factory, served):
    page = context_factory().new_page()
    page.goto(served.server.url)
    light = row_of(page, WITH_ERRORS).locator(".lys")
    assert light.inner_text() == "Gul"
    assert light.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 241, 194)"


def test_the_send_button_stands_by_the_file_it_sends(context_factory, served):
    """The file input's label, the input and its button were spread over the line, the button far right."""
    page = context_factory(viewport={"width": 1100, "height": 760}).new_page()
    page.goto(served.addresses[SILENT])
    label = page.get_by_text(re.compile(r"^Projektmappe \(højst")).bounding_box()
    chosen = page.locator("input[type=file]").bounding_box()
    button = page.get_by_role("button", name="Send", exact=True).bounding_box()
    assert label["y"] + label["height"] <= chosen["y"]  # the label above the input
    assert 0 <= button["x"] - (chosen["x"] + chosen["width"]) <= 24


def test_the_progress_chart_is_readable_on_a_phone(context_factory, served):
    """The chart was drawn 640 units wide with the names beside the bars: on a phone its text was 7 px high."""
    page = context_factory(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(served.server.url + "samlet")
    page.get_by_role("button", name=re.compile("^Lav samlet status")).click()
    page.wait_for_url(re.compile(r"/samlet$"))
    heights = page.locator("svg.diagram text").evaluate_all("ts => ts.map(t => t.getBoundingClientRect().height)")
    assert heights and min(heights) >= 11, heights
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= PHONE["width"]
