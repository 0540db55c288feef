"""`xlplan serve`: the coordinator's and the teams' pages through Flask's test client, and each security
promise of the web application, tested by what a browser (or an attacker's page) would send.

Expectations come from outside the web layer: the sample plan.toml read by load_config, xlplan.read() on
the same stored files, openpyxl on the downloads, the file system itself."""
from __future__ import annotations

import datetime as dt
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

    answer = site.post(f"/k/{site.coordinator}/saml")
    assert answer.status_code == 302
    site.sent(FAMILY, books[FAMILY]["filled"])
    rows = board_rows(site.board())
    assert {name: state for name, (state, _) in rows.items()} == {
        FAMILY: "modtaget", YOUTH: "kan_ikke_læses", FOSTER: "uændret"}


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
        independent = xlplan.read(path, as_of=AS_OF, config=sample_config)
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
