"""The plan config (plan.toml): parsed, validated, and turned into a typed PlanConfig.

Every mistake becomes a Danish Problem that names the line and the key, so a coordinator can fix
the file without reading Python.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from xlplan.core import content
from xlplan.core.errors import Problem, problem, XlplanError

ALL_TEAMS = "Alle"
MAX_TEXT = 2000  # a generous bound for one cell of user text; Excel's own limit is 32,767


@dataclass(frozen=True)
class Team:
    name: str
    contact: str = ""
    email: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""
    team: str = ALL_TEAMS


@dataclass(frozen=True)
class FocusPoint:
    name: str
    description: str = ""


@dataclass(frozen=True)
class PlanConfig:
    municipality: str
    methods: tuple[str, ...]
    start: dt.date | None
    teams: tuple[Team, ...]
    people: tuple[Person, ...] = ()
    focus_points: tuple[FocusPoint, ...] = ()
    title: str = ""
    sections: tuple[str, ...] = ()
    rhythm: str = "Kvartalsvis"
    timeline_weeks: int = 52
    protect: bool = True
    password: str = ""
    contact_name: str = ""
    contact_email: str = ""
    config_hash: str = ""

    @property
    def template_id(self) -> str:
        return "+".join(self.methods)

    def people_for(self, team: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.team in (ALL_TEAMS, "", team))


TOP_KEYS = {"kommune", "titel", "metode", "afsnit", "startdato", "rytme", "tidslinje_uger", "beskyttelse",
            "adgangskode", "kontakt", "team", "person", "sigtepunkt"}
TABLE_KEYS = {
    "kontakt": {"navn", "email"},
    "team": {"navn", "kontaktperson", "email"},
    "person": {"navn", "rolle", "team"},
    "sigtepunkt": {"navn", "beskrivelse"},
}
EXAMPLES = {
    "kommune": 'kommune = "Ishøj Kommune"',
    "metode": 'metode = "ics"',
    "startdato": "startdato = 2026-01-05",
    "team": '[[team]]\nnavn = "Familieteamet"',
    "navn": 'navn = "Familieteamet"',
    "rolle": 'rolle = "Projektleder"',
    "beskrivelse": 'beskrivelse = "Beskrivelse fra barometerrapporten"',
    "tidslinje_uger": "tidslinje_uger = 52",
    "beskyttelse": "beskyttelse = true",
    "afsnit": 'afsnit = ["plan", "procesplan"]',
}
TYPE_NAMES = {str: "en tekst i anførselstegn", bool: "true eller false", int: "et helt tal",
              dt.date: "en dato (åååå-mm-dd)", list: "en liste i [ ]", dict: "en tabel"}


class _Locator:
    """Finds the line of a key in the TOML text, for messages (tomllib keeps no positions)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def line(self, table: str | None, index: int | None, key: str | None) -> int | None:
        start, end = 0, len(self.lines)
        if table is not None:
            headers = [i for i, l in enumerate(self.lines) if re.match(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?", l)]
            if not headers:
                return self._key_line(0, end, table)
            start = headers[min(index or 0, len(headers) - 1)]
            end = next((i for i in range(start + 1, len(self.lines)) if re.match(r"^\s*\[", self.lines[i])), end)
            if key is None:
                return start + 1
        else:
            end = next((i for i, l in enumerate(self.lines) if re.match(r"^\s*\[", l)), end)
        return self._key_line(start, end, key) if key else None

    def _key_line(self, start: int, end: int, key: str) -> int | None:
        for i in range(start, end):
            if re.match(rf'^\s*"?{re.escape(key)}"?\s*=', self.lines[i]):
                return i + 1
        return None


class _Checker:
    def __init__(self, text: str, path: str):
        self.loc = _Locator(text)
        self.path = path
        self.problems: list[Problem] = []

    def add(self, code: str, table=None, index=None, key=None, **values):
        line = self.loc.line(table, index, key)
        shown = f"{table}.{key}" if table and key else (key or table)
        self.problems.append(problem(code, file=self.path, line=line, key=shown, **values))

    def unknown_keys(self, data: dict, allowed: set[str], table=None, index=None):
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"Mente du '{close[0]}'?" if close else "Tilladte nøgler: " + ", ".join(sorted(allowed)) + "."
                self.add("CFG006", table, index, key, nøgle=key, forslag=hint)

    def get(self, data: dict, key: str, kind, *, table=None, index=None, required=False, default=None):
        if key not in data:
            if required:
                self.add("CFG003", table, index, None if table is None else None, nøgle=key,
                         eksempel=EXAMPLES.get(key, f'{key} = "..."'))
            return default
        value = data[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is dt.date and isinstance(value, dt.datetime):
            value, ok = value.date(), True
        if not ok:
            self.add("CFG004", table, index, key, nøgle=key, forventet=TYPE_NAMES[kind],
                     fundet=_describe(value), eksempel=EXAMPLES.get(key, f'{key} = "..."'))
            return default
        if kind is str:
            value = value.strip()
            if len(value) > MAX_TEXT:
                self.add("CFG012", table, index, key, nøgle=key, længde=len(value), grænse=MAX_TEXT)
                return default
        return value


def _describe(value) -> str:
    for kind, name in TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def load_config(path: str | Path) -> PlanConfig:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise XlplanError(problem("CFG001", sti=str(path))) from None
    except OSError as exc:
        raise XlplanError(problem("OUT001", sti=str(path), detalje=exc.strerror or str(exc))) from None
    text = raw.decode("utf-8-sig", errors="replace")
    return parse_config(text, str(path))


def parse_config(text: str, path: str = "plan.toml") -> PlanConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else None
        detail = _danish_toml_error(str(exc))
        raise XlplanError(problem("CFG002", file=path, line=line, detalje=detail)) from None

    c = _Checker(text, path)
    c.unknown_keys(data, TOP_KEYS)
    municipality = c.get(data, "kommune", str, required=True, default="")
    title = c.get(data, "titel", str, default="")
    methods = _methods(c, data)
    sections = _sections(c, data, methods)
    start = c.get(data, "startdato", dt.date, required=True)
    rhythm = _rhythm(c, data)
    weeks = c.get(data, "tidslinje_uger", int, default=52)
    if not 4 <= weeks <= 260:
        c.add("CFG004", None, None, "tidslinje_uger", nøgle="tidslinje_uger", forventet="et tal mellem 4 og 260",
              fundet=str(weeks), eksempel=EXAMPLES["tidslinje_uger"])
        weeks = 52
    protect = c.get(data, "beskyttelse", bool, default=True)
    password = c.get(data, "adgangskode", str, default="")

    contact = c.get(data, "kontakt", dict, default={})
    c.unknown_keys(contact, TABLE_KEYS["kontakt"], "kontakt")
    contact_name = c.get(contact, "navn", str, table="kontakt", default="")
    contact_email = c.get(contact, "email", str, table="kontakt", default="")

    teams = _teams(c, data)
    people = _people(c, data, teams)
    focus = _focus_points(c, data)

    if c.problems:
        raise XlplanError(c.problems)
    return PlanConfig(
        municipality=municipality, methods=methods, start=start, teams=teams, people=people,
        focus_points=focus, title=title, sections=sections, rhythm=rhythm, timeline_weeks=weeks,
        protect=protect, password=password, contact_name=contact_name, contact_email=contact_email,
        config_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def _danish_toml_error(message: str) -> str:
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    known = {
        "Invalid value": "ugyldig værdi (mangler der anførselstegn om teksten?)",
        "Cannot overwrite a value": "nøglen står der to gange",
        "Expected '=' after a key in a key/value pair": "der mangler '=' efter nøglen",
        "Unclosed array": "en liste er ikke lukket med ]",
        "Unterminated string": "en tekst er ikke afsluttet med anførselstegn",
        "Invalid date or datetime": "ugyldig dato",
    }
    for english, danish in known.items():
        if message.startswith(english):
            return danish
    return message


def _methods(c: _Checker, data: dict) -> tuple[str, ...]:
    presets = content.presets()
    value = data.get("metode")
    if value is None:
        c.add("CFG003", key=None, nøgle="metode", eksempel=EXAMPLES["metode"])
        return ("ics",)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if values is None or not values or not all(isinstance(v, str) for v in values):
        c.add("CFG004", key="metode", nøgle="metode", forventet="en tekst eller en liste af tekster",
              fundet=_describe(value), eksempel='metode = ["ics", "ffb"]')
        return ("ics",)
    methods = []
    for v in values:
        key = v.strip().lower()
        if key not in presets:
            c.add("CFG005", key="metode", værdi=v, muligheder=", ".join(presets))
        elif key not in methods:
            methods.append(key)
    return tuple(methods) or ("ics",)


def _sections(c: _Checker, data: dict, methods: tuple[str, ...]) -> tuple[str, ...]:
    order = content.section_order()
    if "afsnit" in data:
        value = c.get(data, "afsnit", list, default=[])
        wanted = []
        for v in value:
            if not isinstance(v, str) or v.strip().lower() not in order:
                c.add("CFG011", key="afsnit", værdi=v, muligheder=", ".join(order))
            else:
                wanted.append(v.strip().lower())
        return tuple(s for s in order if s in wanted)
    presets = content.presets()
    chosen = {s for m in methods if m in presets for s in presets[m].sections}
    return tuple(s for s in order if s in chosen)


def _rhythm(c: _Checker, data: dict) -> str:
    choices = content.value_lists()["opfoelgningsrytme"].values
    value = c.get(data, "rytme", str, default="Kvartalsvis")
    for choice in choices:
        if choice.lower() == value.lower():
            return choice
    c.add("CFG010", key="rytme", værdi=value, muligheder=", ".join(choices))
    return "Kvartalsvis"


def _array(c: _Checker, data: dict, key: str) -> list[dict]:
    value = data.get(key, [])
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        c.add("CFG004", key=key, nøgle=key, forventet=f"afsnit [[{key}]]", fundet=_describe(value),
              eksempel=EXAMPLES.get(key, f"[[{key}]]"))
        return []
    for i, item in enumerate(value):
        c.unknown_keys(item, TABLE_KEYS[key], key, i)
    return value


def _teams(c: _Checker, data: dict) -> tuple[Team, ...]:
    teams, seen = [], set()
    for i, item in enumerate(_array(c, data, "team")):
        name = c.get(item, "navn", str, table="team", index=i, default="")
        if not name:
            c.problems.append(problem("CFG003", file=c.path, line=c.loc.line("team", i, None), key="team.navn",
                                      nøgle="navn", eksempel=EXAMPLES["navn"]))
            continue
        if name.casefold() in seen:
            c.add("CFG007", "team", i, "navn", værdi=name)
            continue
        seen.add(name.casefold())
        teams.append(Team(name, c.get(item, "kontaktperson", str, table="team", index=i, default=""),
                          c.get(item, "email", str, table="team", index=i, default="")))
    if not teams and "team" not in data:
        c.problems.append(problem("CFG009", file=c.path))
    return tuple(teams)


def _people(c: _Checker, data: dict, teams: tuple[Team, ...]) -> tuple[Person, ...]:
    names = {t.name.casefold(): t.name for t in teams}
    people = []
    for i, item in enumerate(_array(c, data, "person")):
        name = c.get(item, "navn", str, table="person", index=i, default="")
        if not name:
            c.problems.append(problem("CFG003", file=c.path, line=c.loc.line("person", i, None), key="person.navn",
                                      nøgle="navn", eksempel='navn = "Tina Hansen"'))
            continue
        team = c.get(item, "team", str, table="person", index=i, default=ALL_TEAMS) or ALL_TEAMS
        if team.casefold() == ALL_TEAMS.casefold():
            team = ALL_TEAMS
        elif team.casefold() in names:
            team = names[team.casefold()]
        else:
            c.add("CFG008", "person", i, "team", navn=name, værdi=team,
                  muligheder=", ".join(t.name for t in teams) or "ingen")
        people.append(Person(name, c.get(item, "rolle", str, table="person", index=i, default=""), team))
    return tuple(people)


def _focus_points(c: _Checker, data: dict) -> tuple[FocusPoint, ...]:
    points = []
    for i, item in enumerate(_array(c, data, "sigtepunkt")):
        name = c.get(item, "navn", str, table="sigtepunkt", index=i, default="")
        if not name:
            c.problems.append(problem("CFG003", file=c.path, line=c.loc.line("sigtepunkt", i, None),
                                      key="sigtepunkt.navn", nøgle="navn", eksempel='navn = "Fælles sprog"'))
            continue
        points.append(FocusPoint(name, c.get(item, "beskrivelse", str, table="sigtepunkt", index=i, default="")))
    return tuple(points)
