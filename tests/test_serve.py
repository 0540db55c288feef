"""`xlplan serve`: the coordinator's and the teams' pages through Flask's test client, and each security
promise of the web application, tested by what a browser (or an attacker's page) would send.

Expectations come from outside the web layer: the sample plan.toml read by load_config, xlplan.read() on
the same stored files, openpyxl on the downloads, the file system itself."""
from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl
import pytest

import fixtures
import hostile
import isolation_tasks
from paths import ROOT, SAMPLE_CONFIG

import xlplan
from xlplan.core.config import load_config
from xlplan.reporting.consolidate import consolidate
from xlplan.serving import service, workspace as workspace_module
from xlplan.serving.app import create_app
from xlplan.serving.server import prepare
from xlplan.serving.workspace import Workspace
from xlplan.workbook.generate import render_workbook
from xlplan.workbook.planbook import load_plan

AS_OF = dt.date(2026, 6, 15)
GENERATED = dt.datetime(2026, 1, 5)
RETURNED = ROOT / "samples" / "returned"
SAMPLE_WITH_ERRORS = RETURNED / "Ishøj Kommune - Familieteamet.xlsx"  # 'Uge 53' in 2012: an error (RB008)
STAMP_NAME = re.compile(r"\d{8}-\d{6}-\d{6}\.(xlsx|xlsm|xls|ods|fods|csv|upload|json)")
CSRF = re.compile(r'name="csrf" value="([^"]*)"')


# ---------------------------------------------------------------- what teams send

@pytest.fixture(scope="module")
def books(sample_config, tmp_path_factory):
    """Each team's workbook as `xlplan ny` makes it (untouched) and filled in with openpyxl."""
    folder = tmp_path_factory.mktemp("sendes")
    found = {}
    for team in sample_config.teams:
        fresh = folder / f"{team.name} - tom.xlsx"
        fresh.write_bytes(render_workbook(sample_config, team, GENERATED))
        filled = folder / f"{team.name}.xlsx"
        filled.write_bytes(fresh.read_bytes())
        fixtures.edit(filled, fixtures.filled_plan_rows)
        found[team.name] = {"fresh": fresh.read_bytes(), "filled": filled.read_bytes(), "path": filled}
    return found


FAMILY, YOUTH, FOSTER = "Familieteamet", "Børne- og ungeteamet", "Familieplejen"  # the sample plan's teams


class Site:
    """The application over a MAPPE that holds the sample plan, used as a browser uses it."""

    def __init__(self, folder: Path, plan: Path | None = SAMPLE_CONFIG, **options):
        self.folder = folder
        self.ws = prepare(folder, plan)
        self.app = create_app(self.ws, as_of=AS_OF, **options)
        self.client = self.app.test_client()
        if plan is not None:
            self.board()  # the coordinator's first look: each team gets its key and address

    @property
    def coordinator(self) -> str:
        return self.ws.access().coordinator

    def entry(self, team: str) -> dict:
        return self.ws.access().teams[team.casefold()]

    def key(self, team: str) -> str:
        return self.entry(team)["key"]

    def token(self, path: str) -> str:
        page = self.client.get(path)
        assert page.status_code == 200, path
        return CSRF.search(page.text).group(1)

    def send(self, team: str, data: bytes, name: str = "projektmappe.xlsx", *, key: str | None = None,
             token: str | None = None, headers: dict | None = None):
        key = key or self.key(team)
        token = self.token(f"/t/{key}/") if token is None else token
        return self.client.post(f"/t/{key}/send", data={"csrf": token, "projektmappe": (io.BytesIO(data), name)},
                                headers=headers or {}, content_type="multipart/form-data")

    def sent(self, team: str, data: bytes, name: str = "projektmappe.xlsx"):
        """Send, follow to the result page, and give the result page."""
        answer = self.send(team, data, name)
        assert answer.status_code == 303, answer.text
        page = self.client.get(answer.headers["Location"])
        assert page.status_code == 200
        return page

    def post(self, path: str, form: dict | None = None, *, token: str | None = None, headers: dict | None = None):
        token = self.token(f"/k/{self.coordinator}/") if token is None else token
        return self.client.post(path, data={"csrf": token, **(form or {})}, headers=headers or {})

    def board(self) -> str:
        page = self.client.get(f"/k/{self.coordinator}/")
        assert page.status_code == 200
        return page.text

    def stored(self) -> list[Path]:
        """Every file under indsendt/, records included."""
        return sorted(p for p in (self.folder / "indsendt").rglob("*") if p.is_file())


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path / "mappe")


class Rows(HTMLParser):
    """The status board's rows: each team's row class (its state) and the text of its cells."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, tuple[str, str]] = {}
        self._in_body = False
        self._row: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = [dict(attrs).get("class", ""), []]
        elif tag == "th" and self._row is not None:
            self._row.append("name")

    def handle_data(self, data):
        if self._row is not None:
            if self._row[-1] == "name":
                self._row[-1] = data.strip()
            self._row[1].append(data)

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            state, texts, *name = self._row
            self.rows[name[0]] = (state, " ".join(" ".join(texts).split()))
            self._row = None
        elif tag == "tbody":
            self._in_body = False


def board_rows(text: str) -> dict[str, tuple[str, str]]:
    parser = Rows()
    parser.feed(text)
    return parser.rows


def visible(text: str) -> str:
    """A page's text as a screen shows it: tags removed, entities decoded, spaces collapsed."""
    import html
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


# ---------------------------------------------------------------- the plan

def typed_sample_plan() -> dict[str, str]:
    """samples/plan.toml as a coordinator types it into the form, field by field."""
    form = {"kommune": "Ishøj Kommune", "titel": "Implementering og forankring af ICS", "metode": "ICS + FFB",
            "afsnit": "", "startdato": "05-01-2026", "rytme": "Kvartalsvis", "tidslinje_uger": "52",
            "beskyttelse": "Ja", "adgangskode": "", "kontakt.navn": "Flemming Nielsen",
            "kontakt.email": "flemming.nielsen@ishoj.dk"}
    teams = [("Familieteamet", "Tina Holm", "tina.holm@ishoj.dk"), ("Børne- og ungeteamet", "Anne-Dorthe Berg", ""),
             ("Familieplejen", "Mona Lund", "")]
    people = [("Flemming Nielsen", "Projektleder", "Alle"), ("Tina Holm", "Teamleder", "Familieteamet"),
              ("Anne-Dorthe Berg", "Teamleder", "Børne- og ungeteamet"),
              ("Mona Lund", "Familieplejekonsulent", "Familieplejen"), ("Jonas Krogh", "Forandringsagent", "Alle")]
    points = [("Fælles faglig forståelse af ICS", "Medarbejderne anvender ICS' begreber og trekanten som fælles "
               "sprog i sagsbehandlingen og på teammøderne."),
              ("Inddragelse af barnet og familien", "Barnets og familiens perspektiv fremgår systematisk af "
               "undersøgelser og handleplaner."),
              ("Ledelsesmæssig opfølgning", "Ledelsen følger systematisk op på brugen af ICS, fx på ledermøder og i "
               "ledelsestilsyn.")]
    for i, (name, contact, email) in enumerate(teams):
        form |= {f"team.{i}.navn": name, f"team.{i}.kontaktperson": contact, f"team.{i}.email": email}
    for i, (name, role, team) in enumerate(people):
        form |= {f"person.{i}.navn": name, f"person.{i}.rolle": role, f"person.{i}.team": team}
    for i, (name, description) in enumerate(points):
        form |= {f"sigtepunkt.{i}.navn": name, f"sigtepunkt.{i}.beskrivelse": description}
    return form


def test_plan_typed_into_the_form_is_the_plan_of_plan_toml(tmp_path):
    site = Site(tmp_path / "mappe", plan=None)
    key = site.coordinator
    assert site.client.get(f"/k/{key}/").headers["Location"].endswith(f"/k/{key}/plan")  # no plan yet: the form
    answer = site.post(f"/k/{key}/plan", typed_sample_plan(), token=site.token(f"/k/{key}/plan"))
    assert answer.status_code == 302, visible(answer.text)
    assert load_plan(site.ws.plan_path()) == load_config(SAMPLE_CONFIG)
    assert "Planen er gemt" in visible(site.client.get(answer.headers["Location"]).text)


def test_a_municipalitys_teams_and_people_fit_in_the_first_form(tmp_path):
    """Six teams and ten people took four saves with three empty rows a table: the first form has room."""
    site = Site(tmp_path / "mappe", plan=None)
    key = site.coordinator
    page = site.client.get(f"/k/{key}/plan").text
    for table in ("team", "person", "sigtepunkt"):
        assert len(set(re.findall(rf'name="{table}\.(\d+)\.navn"', page))) >= 12, table
    form = typed_sample_plan()
    for i in range(3, 6):
        form |= {f"team.{i}.navn": f"Team {i + 1}", f"team.{i}.kontaktperson": "", f"team.{i}.email": ""}
    for i in range(5, 10):
        form |= {f"person.{i}.navn": f"Person {i + 1}", f"person.{i}.rolle": "Medarbejder", f"person.{i}.team": "Alle"}
    answer = site.post(f"/k/{key}/plan", form, token=site.token(f"/k/{key}/plan"))
    assert answer.status_code == 302, visible(answer.text)
    plan = load_plan(site.ws.plan_path())
    assert (len(plan.teams), len(plan.people), len(site.ws.plan_versions())) == (6, 10, 1)


def test_form_mistakes_are_shown_at_their_fields_and_nothing_is_kept(tmp_path):
    site = Site(tmp_path / "mappe", plan=None)
    key = site.coordinator
    form = typed_sample_plan() | {"startdato": "31-02-2026", "tidslinje_uger": "3",
                                  "person.4.team": "Et team der ikke findes"}
    answer = site.post(f"/k/{key}/plan", form, token=site.token(f"/k/{key}/plan"))
    assert answer.status_code == 422
    for field in ("startdato", "tidslinje_uger", "person.4.team"):
        assert f'id="fejl-{field}"' in answer.text, field
    assert "31-02-2026" in answer.text and "Et team der ikke findes" in answer.text  # what was typed stays
    assert site.ws.plan_versions() == []


def test_the_form_speaks_of_its_own_tables_not_of_sheets(tmp_path):
    """A web form has no sheets: a person's team that is not among the teams, and no teams at all, are said of
    the form's table Teams."""
    site = Site(tmp_path / "mappe", plan=None)
    key = site.coordinator
    form = typed_sample_plan() | {"person.4.team": "Et team der ikke findes"}
    said = visible(site.post(f"/k/{key}/plan", form, token=site.token(f"/k/{key}/plan")).text)
    assert "som ikke står under Teams" in said and "arket" not in said
    no_teams = {k: ("" if k.startswith("team.") else v) for k, v in typed_sample_plan().items()}
    no_teams = {k: v for k, v in no_teams.items() if not (k.startswith("person.") and k.endswith(".team"))}
    said = visible(site.post(f"/k/{key}/plan", no_teams, token=site.token(f"/k/{key}/plan")).text)
    assert "Skriv mindst ét team under Teams" in said
    assert "arket" not in said


def test_plan_file_good_is_kept_bad_is_not(tmp_path):
    site = Site(tmp_path / "mappe", plan=None)
    key = site.coordinator
    token = site.token(f"/k/{key}/plan")
    bad = SAMPLE_CONFIG.read_bytes().replace(b'rytme = "Kvartalsvis"', b'rytme = "Kvartalsvis')
    answer = site.post(f"/k/{key}/plan/fil", {"plan": (io.BytesIO(bad), "min plan.toml")}, token=token)
    assert answer.status_code == 422 and "CFG002" in visible(answer.text)
    assert site.ws.plan_versions() == []
    answer = site.post(f"/k/{key}/plan/fil", {"plan": (io.BytesIO(SAMPLE_CONFIG.read_bytes()), "plan.toml")},
                       token=token)
    assert answer.status_code == 302
    [kept] = site.ws.plan_versions()
    assert kept.read_bytes() == SAMPLE_CONFIG.read_bytes()
    assert load_plan(kept) == load_config(SAMPLE_CONFIG)


# ---------------------------------------------------------------- the status board

@pytest.mark.slow
def test_board_says_where_every_team_stands(site, books):
    site.sent(FAMILY, SAMPLE_WITH_ERRORS.read_bytes())
    site.sent(FOSTER, books[FOSTER]["fresh"])
    rows = board_rows(site.board())
    assert {name: state for name, (state, _) in rows.items()} == {
        FAMILY: "fejl", YOUTH: "ikke_modtaget", FOSTER: "ikke_udfyldt"}

    site.sent(FAMILY, books[FOSTER]["filled"])  # another team's workbook, from Familieteamet's address
    site.sent(YOUTH, hostile.truncated_file(books[YOUTH]["path"], site.folder.parent / "afkortet.xlsx").read_bytes())
    site.sent(FOSTER, books[FOSTER]["filled"])
    rows = board_rows(site.board())
    assert {name: state for name, (state, _) in rows.items()} == {
        FAMILY: "andet_team", YOUTH: "kan_ikke_læses", FOSTER: "modtaget"}

    # the reading of the day before (the board's own date would be the reading the next consolidation replaces)
    service.Consolidator(site.ws).run(service.current_plan(site.ws), AS_OF - dt.timedelta(days=1))
    site.sent(FAMILY, books[FAMILY]["filled"])
    rows = board_rows(site.board())
    assert {name: state for name, (state, _) in rows.items()} == {
        FAMILY: "modtaget", YOUTH: "kan_ikke_læses", FOSTER: "uændret"}


@pytest.mark.slow
def test_board_figures_are_those_of_xlplan_read_on_the_same_files(site, books, sample_config):
    site.sent(FAMILY, SAMPLE_WITH_ERRORS.read_bytes())
    site.sent(FOSTER, books[FOSTER]["filled"])
    board = service.status_board(site.ws, sample_config, AS_OF)
    rows = board_rows(site.board())
    for status in board.teams:
        name = status.team.name
        if status.counted is None:
            assert status.progress is None and rows[name][0] == "ikke_modtaget"
            continue
        path = site.ws.upload_path(status.counted)
        # read on its own, the file named as the server names it (the name the team sent beside the stored one)
        independent = consolidate([path], sample_config, AS_OF, names={path: service.shown_name(status.counted)})
        [progress] = [t for t in independent.teams if t.files]
        [read] = independent.reads
        assert status.progress == progress
        warnings = sum(1 for p in read.problems if p.is_warning)
        assert (status.latest.errors, status.latest.warnings) == (len(read.errors), warnings)
        assert f"{progress.light} " in rows[name][1] + " "
        assert f" {len(read.errors)} {warnings} " in rows[name][1]


# ---------------------------------------------------------------- reminders

def mailto_of(text: str, team: str) -> dict:
    link = re.search(r'href="(mailto:[^"]*)"[^>]*>[^<]*', board_row_html(text, team)).group(1)
    import html
    parts = urlsplit(html.unescape(link))
    query = parse_qs(parts.query)
    return {"to": unquote(parts.path), "subject": query["subject"][0], "body": query["body"][0]}


def board_row_html(text: str, team: str) -> str:
    import html
    for row in re.findall(r"<tr class=.*?</tr>", text, re.S):
        if f">{html.escape(team)}<" in row:
            return row
    raise KeyError(team)


@pytest.mark.slow
def test_reminders_are_ready_for_teams_that_have_not_sent_or_must_fix(site, books, sample_config):
    site.sent(FAMILY, SAMPLE_WITH_ERRORS.read_bytes())
    site.sent(FOSTER, books[FOSTER]["filled"])
    text = site.board()
    mail = mailto_of(text, FAMILY)
    [family] = [t for t in sample_config.teams if t.name == FAMILY]
    assert mail["to"] == family.email == "tina.holm@ishoj.dk"
    assert FAMILY in mail["subject"] and "rettes" in mail["subject"]
    assert mail["body"].startswith(f"Kære {family.contact}")
    assert f"http://localhost/t/{site.key(FAMILY)}/" in mail["body"]
    youth = visible(board_row_html(text, YOUTH))  # the plan has no e-mail for it: the text is shown
    assert "Påmindelse" in youth and f"http://localhost/t/{site.key(YOUTH)}/" in youth and "mangler stadig" in youth
    assert "mailto:" not in board_row_html(text, FOSTER)  # received without errors: nothing to remind


# ---------------------------------------------------------------- consolidation and downloads

@pytest.mark.slow
def test_consolidation_writes_the_reports_and_keeps_the_reading(site, books, sample_config):
    for team in (FAMILY, FOSTER):
        site.sent(team, books[team]["filled"])
    key = site.coordinator
    answer = site.post(f"/k/{key}/saml")
    assert answer.status_code == 302
    page = site.client.get(answer.headers["Location"])
    assert page.status_code == 200
    for kind in ("xlsx", "json", "pdf"):
        download = site.client.get(f"/k/{key}/samlet/{kind}")
        assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
        assert download.data == (site.folder / "samlet" / f"samlet-status.{kind}").read_bytes()
    assert download.data.startswith(b"%PDF")
    workbook = openpyxl.load_workbook(io.BytesIO(site.client.get(f"/k/{key}/samlet/xlsx").data))
    assert "Resumé" in workbook.sheetnames
    data = json.loads(site.client.get(f"/k/{key}/samlet/json").data)
    assert {t["team"] for t in data["fremdrift"]} == {FAMILY, FOSTER} and data["manglende_teams"] == [YOUTH]
    assert len(xlplan.history(site.folder / "xlplan-historik.sqlite")["aflæsninger"]) == 1


@pytest.mark.slow
def test_the_page_lists_siden_sidst_in_the_order_of_the_workbook_the_pdf_and_the_json(site, books, sample_config):
    """Two readings with changes in two teams: the page's "siden sidst" has the rows of the workbook's sheet Siden
    sidst, the JSON's and the meeting PDF's, in their order: the teams as the plan lists them."""
    import html as html_module

    for team in (FAMILY, FOSTER):
        site.sent(team, books[team]["fresh"])
    service.Consolidator(site.ws).run(sample_config, AS_OF - dt.timedelta(days=30))
    for team in (FOSTER, FAMILY):
        site.sent(team, books[team]["filled"])
    key = site.coordinator
    page = site.client.get(site.post(f"/k/{key}/saml").headers["Location"]).get_data(as_text=True)
    table = page.split('class="ændringer"')[1].split("</table>")[0]
    on_page = [tuple(html_module.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)[:3])
               for row in re.findall(r"<tr class=[^>]*>(.*?)</tr>", table, re.S)]
    sheet = openpyxl.load_workbook(site.folder / "samlet" / "samlet-status.xlsx")["Siden sidst"]
    in_workbook = [tuple(c.value for c in row[:3]) for row in sheet.iter_rows(min_row=5) if row[0].value]
    document = json.loads((site.folder / "samlet" / "samlet-status.json").read_text(encoding="utf-8"))
    in_json = [(c["team"], c["what"]) for c in document["siden_sidst"]]
    assert {team for team, *_ in on_page} == {FAMILY, FOSTER}
    assert on_page == in_workbook and [(team, what) for team, _label, what in on_page] == in_json
    plan = [t.name for t in sample_config.teams]
    teams = [team for team, *_ in on_page]
    assert teams == sorted(teams, key=plan.index), "the teams as the plan lists them"
    pdf = " ".join(subprocess.run(["pdftotext", str(site.folder / "samlet" / "samlet-status.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    listed = pdf[pdf.index("Siden sidst"):]
    firsts = [listed.index(" ".join(what.split())[:25]) for _team, _label, what in on_page[:1] + on_page[-1:]]
    assert firsts == sorted(firsts), "the PDF in the same order"


@pytest.mark.slow
def test_consolidating_again_the_same_day_replaces_that_days_reading_as_the_cli_does(site, books):
    site.sent(FAMILY, books[FAMILY]["filled"])
    key = site.coordinator
    site.post(f"/k/{key}/saml")
    site.sent(FOSTER, books[FOSTER]["filled"])
    page = visible(site.client.get(site.post(f"/k/{key}/saml").headers["Location"]).get_data(as_text=True))
    readings = xlplan.history(site.folder / "xlplan-historik.sqlite")["aflæsninger"]
    assert len(readings) == 1 and list(readings["teams"]) == [2]
    assert "er erstattet (nr. 1)" in page


@pytest.mark.slow
def test_the_workbooks_to_send_out(site, sample_config):
    key = site.coordinator
    archive = zipfile.ZipFile(io.BytesIO(site.client.get(f"/k/{key}/projektmapper.zip").data))
    assert len(archive.namelist()) == len(sample_config.teams)
    for status in service.status_board(site.ws, sample_config, AS_OF).teams:
        one = site.client.get(f"/k/{key}/projektmappe/{status.entry['folder']}.xlsx")
        own = site.client.get(f"/t/{status.entry['key']}/projektmappe.xlsx")
        assert one.data == own.data
        book = openpyxl.load_workbook(io.BytesIO(one.data))
        assert "Oversigt" in book.sheetnames


# ---------------------------------------------------------------- uploads kept, and each team's own

def test_every_upload_is_kept_never_overwritten(site, books):
    first = books[FAMILY]["filled"]
    second = SAMPLE_WITH_ERRORS.read_bytes()
    site.sent(FAMILY, first, "plan.xlsx")
    site.sent(FAMILY, second, "plan.xlsx")
    workbooks = [p for p in site.stored() if p.suffix != ".json"]
    assert sorted(p.read_bytes() for p in workbooks) == sorted([first, second])
    assert all(p.parent == site.folder / "indsendt" / site.entry(FAMILY)["folder"] for p in workbooks)
    listed = visible(site.client.get(f"/t/{site.key(FAMILY)}/").text)
    assert listed.count("plan.xlsx") == 2


def test_each_team_sees_only_its_own(site, books):
    mine = site.send(FAMILY, books[FAMILY]["filled"], "vores.xlsx").headers["Location"]
    theirs = site.send(FOSTER, books[FOSTER]["filled"], "deres.xlsx").headers["Location"]
    their_id = theirs.rstrip("/").rsplit("/", 1)[-1]
    my_key = site.key(FAMILY)
    assert site.client.get(mine).status_code == 200
    for path in (f"/t/{my_key}/indsendt/{their_id}/", f"/t/{my_key}/indsendt/{their_id}/fil",
                 f"/t/{my_key}/indsendt/{their_id}/rettekopi.xlsx"):
        assert site.client.get(path).status_code == 404, path
    page = visible(site.client.get(f"/t/{my_key}/").text)
    assert "vores.xlsx" in page and "deres.xlsx" not in page and FOSTER not in page


# ================================================================ security: one test per promise

# ---------------------------------------------------------------- keys

def test_a_wrong_key_is_a_page_that_does_not_exist(site, books):
    coordinator, family, foster = site.coordinator, site.key(FAMILY), site.key(FOSTER)
    their = site.send(FOSTER, books[FOSTER]["filled"]).headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    foster_folder = site.entry(FOSTER)["folder"]
    wrong = [coordinator[:-1], coordinator.upper(), coordinator + "x", "x" * len(coordinator), family, foster]
    for key in wrong:  # the coordinator's pages, with keys that are not the coordinator's
        for path in ("/", "plan", "samlet", "samlet/xlsx", "plan.xlsx", "projektmapper.zip",
                     f"team/{foster_folder}/", f"team/{foster_folder}/{their}/", f"team/{foster_folder}/{their}/fil"):
            answer = site.client.get(f"/k/{key}/{path.lstrip('/')}")
            assert answer.status_code == 404 and "Siden findes ikke" in answer.text, (key, path)
    for key in (coordinator, family[:-1], family.swapcase()):  # a team's pages, with keys that are no team's
        for path in ("", "projektmappe.xlsx", f"indsendt/{their}/", f"indsendt/{their}/fil"):
            assert site.client.get(f"/t/{key}/{path}").status_code == 404, (key, path)
    # another team's key opens only that team's pages: Familieteamet's key never reaches Familieplejen's upload
    assert site.client.get(f"/t/{family}/indsendt/{their}/").status_code == 404
    assert site.client.get(f"/t/{foster}/indsendt/{their}/").status_code == 200
    assert FOSTER not in visible(site.client.get(f"/t/{family}/").text)
    posted = site.post(f"/k/{family}/saml", token=site.token(f"/t/{family}/"))
    assert posted.status_code == 404 and not (site.folder / "samlet" / "samlet-status.xlsx").exists()


def test_keys_are_long_random_and_compared_in_constant_time(site, monkeypatch):
    access = site.ws.access()
    keys = [access.coordinator] + [e["key"] for e in access.teams.values()]
    assert len(set(keys)) == len(keys) == 4
    for key in keys:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", key)  # at least 32 base64 characters: 192 bits
    compared = []
    real = workspace_module.hmac.compare_digest

    def recording(a, b):
        compared.append((a, b))
        return real(a, b)
    monkeypatch.setattr(workspace_module.hmac, "compare_digest", recording)
    assert site.client.get(f"/k/{'A' * 32}/").status_code == 404
    assert site.client.get(f"/t/{'A' * 32}/").status_code == 404
    given = [a for a, _ in compared]
    assert given.count(b"A" * 32) == 1 + len(access.teams)  # the coordinator's key, then every team's, in full


def test_access_file_is_readable_only_by_its_owner(tmp_path, monkeypatch):
    if os.name != "posix":
        pytest.skip("POSIX file modes")
    modes_when_placed = []
    real_replace = os.replace

    def replace(source, target):
        if Path(target).name == workspace_module.ACCESS_FILE:
            modes_when_placed.append(stat.S_IMODE(os.stat(source).st_mode))
        return real_replace(source, target)
    monkeypatch.setattr(os, "replace", replace)
    site = Site(tmp_path / "mappe")
    assert stat.S_IMODE((site.folder / "adgang.json").stat().st_mode) == 0o600
    assert modes_when_placed and all(mode == 0o600 for mode in modes_when_placed)  # never readable, not even briefly


# ---------------------------------------------------------------- forms from other sites

CROSS_SITE = {
    "another site's Origin": {"Origin": "https://ond.example"},
    "Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": "cross-site"},
    "Origin null (a sandboxed page)": {"Origin": "null"},
    "same host, other port": {"Origin": "http://localhost:9999"},
}


@pytest.mark.parametrize("headers", CROSS_SITE.values(), ids=CROSS_SITE.keys())
def test_a_post_from_another_site_is_refused_and_nothing_kept(site, books, headers):
    before = site.stored(), site.ws.plan_versions()
    key = site.coordinator
    answers = [
        site.send(FAMILY, books[FAMILY]["filled"], headers=headers),
        site.post(f"/k/{key}/plan", typed_sample_plan(), headers=headers),
        site.post(f"/k/{key}/plan/fil", {"plan": (io.BytesIO(SAMPLE_CONFIG.read_bytes()), "plan.toml")},
                  headers=headers),
        site.post(f"/k/{key}/saml", headers=headers),
    ]
    for answer in answers:
        assert answer.status_code == 403 and "WEB005" in answer.text
    assert (site.stored(), site.ws.plan_versions()) == before
    assert not (site.folder / "samlet" / "samlet-status.xlsx").exists()


@pytest.mark.parametrize("token", ["", "0" * 64, "another team's"])
def test_a_post_without_the_pages_token_is_refused(site, books, token):
    if token == "another team's":
        token = site.token(f"/t/{site.key(FOSTER)}/")
    assert site.send(FAMILY, books[FAMILY]["filled"], token=token).status_code == 403
    assert site.post(f"/k/{site.coordinator}/saml", token=token).status_code == 403
    assert site.stored() == [] and not (site.folder / "samlet" / "samlet-status.xlsx").exists()


def test_the_same_site_may_post(site, books):
    for headers in ({"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"}, {}):
        assert site.send(FAMILY, books[FAMILY]["filled"], headers=headers).status_code == 303


def test_behind_the_municipalitys_web_server_its_address_may_post(tmp_path, books):
    site = Site(tmp_path / "mappe", public_url="https://planer.kommune.dk")
    answer = site.send(FAMILY, books[FAMILY]["filled"], headers={"Origin": "https://planer.kommune.dk"})
    assert answer.status_code == 303
    assert f"https://planer.kommune.dk/t/{site.key(FAMILY)}/" in site.board()


# ---------------------------------------------------------------- size

def test_an_oversized_upload_is_refused_with_its_reason(tmp_path):
    site = Site(tmp_path / "mappe", max_upload_mb=1)
    answer = site.send(FAMILY, b"PK\x03\x04" + b"\0" * (1024 * 1024 + 100 * 1024))
    assert answer.status_code == 413 and "WEB003" in answer.text and "1 MB" in visible(answer.text)
    assert site.stored() == []
    assert site.client.get(f"/t/{site.key(FAMILY)}/").status_code == 200  # and it still answers


def test_an_empty_upload_is_said(site):
    answer = site.send(FAMILY, b"")
    assert answer.status_code == 400 and "WEB004" in answer.text and site.stored() == []


# ---------------------------------------------------------------- hostile uploads, read in isolated workers

HOSTILE = {
    "zip bomb": (lambda good, path: hostile.zip_bomb(good, path, megabytes=300), "RD004"),
    "truncated": (hostile.truncated_file, "RD003"),
    "false declared size": (hostile.false_declared_size, "RD003"),
    "encrypted": (lambda good, path: hostile.encrypted_workbook(path), "RD006"),
    "legacy xls": (lambda good, path: hostile.legacy_xls(path), "RD002"),
    "csv named .xlsx": (lambda good, path: (path.write_text("Team;Status\nA;Opfyldt\n"), path)[1], "RD001"),
    "XXE": (lambda good, path: hostile.replace_part(good, path, "Oversigt", hostile.XXE), "RD005"),
    "billion laughs": (lambda good, path: hostile.replace_part(good, path, "Oversigt", hostile.LAUGHS), "RD005"),
    "too many cells": (hostile.too_many_cells, "RD007"),
    "html page": (lambda good, path: (path.write_text("<html><script>alert(1)</script></html>"), path)[1], "RD001"),
}


@pytest.mark.slow
@pytest.mark.parametrize("build, code", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_upload_is_refused_clearly_and_the_server_keeps_answering(site, books, tmp_path, build, code):
    bad = build(books[FAMILY]["path"], tmp_path / "ond.xlsx")
    page = site.sent(FAMILY, bad.read_bytes(), "ond.xlsx")
    assert code in page.text and "Filen kunne ikke læses" in visible(page.text)
    [record] = [p for p in site.stored() if p.suffix == ".json"]
    assert json.loads(record.read_text(encoding="utf-8"))["readable"] is False
    assert board_rows(site.board())[FAMILY][0] == "kan_ikke_læses"
    assert site.sent(FAMILY, books[FAMILY]["filled"]).status_code == 200  # the next upload is read as ever


# Everything done with an upload runs in the worker, under its limits: reading it, and making its fixing copy.
IN_THE_WORKER = {"reading": ("xlplan.reading.isolation", "read_full", "hang_in_worker"),
                 "fixing copy": ("xlplan.fixing.carry", "fixing_copy", "copy_hanging_in_worker")}


@pytest.mark.slow
@pytest.mark.parametrize("step", IN_THE_WORKER)
def test_an_upload_is_read_in_a_worker_within_the_time_limit(site, books, monkeypatch, step):
    module, name, hanging = IN_THE_WORKER[step]
    monkeypatch.setenv("XLPLAN_TEST_PARENT_PID", str(os.getpid()))
    monkeypatch.setattr(importlib.import_module(module), name, getattr(isolation_tasks, hanging))
    monkeypatch.setattr(service, "READ_SECONDS", 2)
    page = site.sent(FAMILY, books[FAMILY]["filled"])
    assert "RD010" in page.text and "over 2 sekunder" in visible(page.text)
    assert not list(site.folder.glob("rettekopier/*/*.xlsx")), "nothing is kept of a copy that was cut off"
    monkeypatch.undo()
    assert site.sent(FAMILY, books[FAMILY]["filled"]).status_code == 200


@pytest.mark.slow
def test_a_result_page_lists_as_many_problems_as_a_person_reads_and_counts_the_rest(site, books, monkeypatch,
                                                                                       tmp_path):
    monkeypatch.setattr(service, "SHOWN_AT_MOST", 3)
    bad = hostile.bad_weeks_and_statuses(books[FAMILY]["path"], tmp_path / "mange.xlsx", 5)
    answer = site.send(FAMILY, bad.read_bytes())
    [upload] = site.ws.uploads(site.entry(FAMILY))
    total = len(service.stored_upload(site.ws, site.entry(FAMILY), upload.id).problems)
    assert total >= 10
    for page in (site.client.get(answer.headers["Location"]),
                 site.client.get(f"/k/{site.coordinator}/team/{site.entry(FAMILY)['folder']}/{upload.id}/")):
        assert page.text.count('<li class="problem') == 3
        said = service.texts()["udeladt"].format(vist=3, resten=total - 3)
        assert said in visible(page.text)


@pytest.mark.slow
def test_a_team_that_sends_the_same_file_again_is_told_so(site, books):
    first = visible(site.sent(FOSTER, books[FOSTER]["filled"], "Familieplejen.xlsx").text)
    assert "Modtaget. Der er ingen fejl." in first and "samme fil" not in first
    [earlier] = site.ws.uploads(site.entry(FOSTER))
    again = visible(site.sent(FOSTER, books[FOSTER]["filled"], "Familieplejen (1).xlsx").text)
    assert "Modtaget. Der er ingen fejl." not in again
    assert (f"Modtaget, men det er den samme fil, som I sendte {earlier.received_at:%d-%m-%Y kl. %H:%M} "
            "(Familieplejen.xlsx), så der er intet nyt i den.") in again
    other = visible(site.sent(FOSTER, books[FOSTER]["fresh"], "Familieplejen - ny.xlsx").text)
    assert "samme fil" not in other
    site.sent(FAMILY, SAMPLE_WITH_ERRORS.read_bytes(), "Familieteamet.xlsx")
    errors = visible(site.sent(FAMILY, SAMPLE_WITH_ERRORS.read_bytes(), "Familieteamet.xlsx").text)
    assert "Projektmappen skal rettes:" in errors and "Det er den samme fil, som I sendte" in errors
    assert "så fejlene er ikke rettet" in errors


@pytest.mark.slow
def test_an_upload_is_read_under_spawn_as_on_windows(site, books, monkeypatch):
    from xlplan.core import workers
    monkeypatch.setattr(workers, "START_METHOD", "spawn")
    page = site.sent(FOSTER, books[FOSTER]["filled"])
    assert "Modtaget. Der er ingen fejl." in visible(page.text)


# ---------------------------------------------------------------- names are data, never paths

PATH_LIKE = ["../../ond.xlsx", "..\\..\\ond.xlsx", "C:\\x\\..\\y.xlsx", "/etc/passwd", "adgang.json", "..",
             "a\x00b.xlsx", "ny\tlinje\v.xlsx", "\x1b[31mrød.xlsx", "\u202egsm.xlsx", "æøå " * 200 + ".xlsx",
             "<script>alert(1)</script>.xlsx", '"; filename="x.html']


@pytest.mark.parametrize("name", PATH_LIKE, ids=lambda n: repr(n)[:30])
def test_a_file_name_is_never_a_path(site, books, name):
    page = site.sent(FAMILY, books[FAMILY]["filled"], name)
    files = [p for p in site.folder.rglob("*") if p.is_file()]
    uploads = [p for p in files if "indsendt" in p.parts]
    folder = site.folder / "indsendt" / site.entry(FAMILY)["folder"]
    assert all(p.parent == folder and STAMP_NAME.fullmatch(p.name) for p in uploads), uploads
    assert len(uploads) == 2
    assert {p.name for p in site.folder.parent.iterdir()} == {"mappe"}  # nothing written beside MAPPE
    assert json.loads((site.folder / "adgang.json").read_text(encoding="utf-8"))["teams"]  # not overwritten
    record = json.loads(next(p for p in uploads if p.suffix == ".json").read_text(encoding="utf-8"))
    shown = record["original_name"]
    assert "/" not in shown and "\\" not in shown and all(ch.isprintable() for ch in shown)
    assert "<script>" not in page.text and "<script>" not in site.client.get(f"/t/{site.key(FAMILY)}/").text
    download = site.client.get(f"/t/{site.key(FAMILY)}/indsendt/{record['id']}/fil")
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\n" not in disposition and "/" not in disposition.split(";")[1]


# ---------------------------------------------------------------- an upload is never a page

def script_in_a_cell(path: Path) -> Path:
    def edit(wb):
        ws = wb[fixtures.PLAN]
        row = fixtures.header_row(ws) + 1
        fixtures.write_row(ws, row, {2: "Kursus", 3: "Tina Holm", 15: "<script>alert('x')</script>"})
    return fixtures.edit(path, edit)


@pytest.mark.slow
def test_an_upload_is_never_served_as_a_page(site, books, tmp_path):
    source = tmp_path / "med-script.xlsx"
    source.write_bytes(books[FAMILY]["filled"])
    script_in_a_cell(source)
    result = site.send(FAMILY, source.read_bytes(), "med-script.xlsx").headers["Location"]
    page = site.client.get(result)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text  # the cell's text, quoted, escaped
    upload_id = result.rstrip("/").rsplit("/", 1)[-1]
    folder = site.entry(FAMILY)["folder"]
    key = site.coordinator
    pages = [result, f"/t/{site.key(FAMILY)}/", f"/k/{key}/", f"/k/{key}/team/{folder}/",
             f"/k/{key}/team/{folder}/{upload_id}/"]
    for path in pages:
        answer = site.client.get(path)
        assert answer.status_code == 200 and "<script>" not in answer.text, path
    html_page = site.sent(FAMILY, b"<html><body><script>alert(1)</script></body></html>", "side.html")
    html_id = re.search(r"/indsendt/([^/]+)/", html_page.request.path).group(1)
    for path in (f"{result}fil", f"{result}rettekopi.xlsx", f"/k/{key}/team/{folder}/{upload_id}/fil",
                 f"/t/{site.key(FAMILY)}/indsendt/{html_id}/fil"):
        download = site.client.get(path)
        assert download.status_code == 200, path
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.mimetype != "text/html"


# ---------------------------------------------------------------- headers

def test_every_response_carries_the_security_headers(site, books):
    key = site.coordinator
    result = site.send(FAMILY, books[FAMILY]["filled"])
    answers = {
        "board": site.client.get(f"/k/{key}/"), "plan": site.client.get(f"/k/{key}/plan"),
        "team": site.client.get(f"/t/{site.key(FAMILY)}/"), "redirect after upload": result,
        "download": site.client.get(f"/k/{key}/plan.xlsx"), "not found": site.client.get("/k/nej/"),
        "root": site.client.get("/"), "refused": site.post(f"/k/{key}/saml", token="forkert"),
        "stylesheet": site.client.get("/static/xlplan.css"),
        "method not allowed": site.client.get(f"/t/{site.key(FAMILY)}/send"),
    }
    for what, answer in answers.items():
        headers = answer.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp, what
        assert "script-src" not in csp or "'unsafe-inline'" not in csp, what
        assert headers.get("X-Content-Type-Options") == "nosniff", what
        assert headers.get("X-Frame-Options") == "DENY", what
        assert headers.get("Referrer-Policy") == "same-origin", what  # the key is in the address: never to another site
        if what != "stylesheet":  # the one public file, the same for everybody: a browser may keep it
            assert headers.get("Cache-Control") == "no-store", what
        assert "Set-Cookie" not in headers, what


# ---------------------------------------------------------------- starting it

def test_it_listens_on_this_computer_only_and_says_the_coordinators_address_first(tmp_path):
    folder = tmp_path / "mappe"
    server = subprocess.Popen([sys.executable, "-m", "xlplan", "serve", str(folder), "--port", "0", "--plan",
                               str(SAMPLE_CONFIG)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8")
    try:
        first = server.stdout.readline().strip()
        key = json.loads((folder / "adgang.json").read_text(encoding="utf-8"))["koordinator"]
        assert re.fullmatch(rf"http://127\.0\.0\.1:\d+/k/{re.escape(key)}/", first), first
        with urllib.request.urlopen(first, timeout=30) as answer:
            assert answer.status == 200 and "Status for teamene" in answer.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_plan_given_at_every_start_is_kept_once(tmp_path):
    folder = tmp_path / "mappe"
    for _ in range(3):
        prepare(folder, SAMPLE_CONFIG)
    assert len(Workspace(folder).plan_versions()) == 1
    changed = tmp_path / "plan.toml"
    changed.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8").replace("Ishøj Kommune", "Greve Kommune"),
                       encoding="utf-8")
    ws = prepare(folder, changed)
    assert len(ws.plan_versions()) == 2 and service.current_plan(ws).municipality == "Greve Kommune"
    assert SAMPLE_CONFIG.read_text(encoding="utf-8").count("Ishøj Kommune") >= 1  # the input untouched


def test_a_team_taken_out_of_the_plan_loses_its_address_and_keeps_what_it_sent(site, books, tmp_path):
    site.sent(FOSTER, books[FOSTER]["filled"])
    key, folder = site.key(FOSTER), site.entry(FOSTER)["folder"]
    plan = tmp_path / "plan.toml"
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    start = text.index('[[team]]\nnavn = "Familieplejen"')
    plan.write_text(text[:start] + text[text.index("[[person]]", start):], encoding="utf-8")
    plan.write_text(plan.read_text(encoding="utf-8").replace('team = "Familieplejen"', 'team = "Alle"'),
                    encoding="utf-8")
    service.save_plan_file(site.ws, plan.read_bytes(), "plan.toml")
    assert site.client.get(f"/t/{key}/").status_code == 404
    assert FOSTER not in site.board()
    assert [p for p in (site.folder / "indsendt" / folder).glob("*.xlsx")]  # kept


@pytest.mark.slow
def test_a_leaked_key_emptied_by_hand_is_replaced_and_the_team_keeps_what_it_sent(site, books):
    site.sent(FOSTER, books[FOSTER]["filled"])
    old_team, old_coordinator, folder = site.key(FOSTER), site.coordinator, site.entry(FOSTER)["folder"]
    path = site.folder / "adgang.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["koordinator"] = ""
    data["teams"][FOSTER.casefold()]["key"] = ""
    del data["teams"][YOUTH.casefold()]  # an entry removed altogether: its folder is not handed out again
    path.write_text(json.dumps(data), encoding="utf-8")
    again = Site(site.folder)
    assert again.coordinator not in ("", old_coordinator) and again.key(FOSTER) not in ("", old_team)
    assert again.entry(FOSTER)["folder"] == folder
    assert again.client.get(f"/t/{old_team}/").status_code == 404
    assert "Modtaget" in again.client.get(f"/t/{again.key(FOSTER)}/").text
    folders = [e["folder"] for e in again.ws.access().teams.values()]
    assert len(folders) == len(set(folders)) == 3


def test_a_fault_in_xlplan_is_a_danish_page_with_its_log_never_a_traceback(site, monkeypatch):
    def fault(*_args, **_kwargs):
        raise RuntimeError("en fejl i xlplan")
    monkeypatch.setattr(service, "status_board", fault)
    answer = site.client.get(f"/k/{site.coordinator}/")
    assert answer.status_code == 500
    text = visible(answer.text)
    assert "uventet intern fejl: RuntimeError" in text and "xlplan-fejl.log" in text
    assert "Traceback" not in answer.text and "en fejl i xlplan" not in answer.text
