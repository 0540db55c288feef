"""The plan: parsed, validated, and turned into a typed PlanConfig.

A plan is written as a text file (plan.toml) or as a small workbook (plan.xlsx, read in
xlplan/workbook/planbook.py); both give the same kind of data to the same checks here. Every mistake
becomes a Danish Problem at its place – the line and the key of plan.toml, the sheet and the cell of
plan.xlsx – so a coordinator can fix the plan without reading Python.
"""
from __future__ import annotations

import ast
import codecs
import dataclasses
import datetime as dt
import difflib
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
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
    # What the user should know about how the plan was read (an encoding converted, a value ignored).
    notices: tuple[Problem, ...] = field(default=(), compare=False)

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
# The kinds of value a key takes, by the word planfil.yaml describes them with.
KINDS = {str: "tekst", bool: "ja_nej", int: "heltal", dt.date: "dato", list: "liste", dict: "tabel"}


@lru_cache(maxsize=1)
def texts() -> dict:
    return content.load_yaml("planfil.yaml")


def start_range() -> tuple[dt.date, dt.date]:
    """The first and the last start date a plan may have: the dates its workbooks show must be dates
    Excel and the reader handle."""
    return texts()["første_startdato"], texts()["sidste_startdato"]


# ---------------------------------------------------------------- where a plan's values were written

class PlanSource:
    """Where a plan was written, and how its messages speak of it: the places of its keys, the examples
    in its fixes, and the codes whose wording depends on the form (a key in plan.toml, a cell in plan.xlsx)."""

    form = "toml"  # the section of planfil.yaml with this form's words
    codes: dict[str, str] = {}  # a code worded for plan.toml -> this form's own

    def __init__(self, path: str):
        self.path = path

    def place(self, table: str | None, index: int | None, key: str | None) -> dict:
        """problem() arguments that say where `key` of item `index` of `table` was written."""
        return {}

    def label(self, table: str | None, key: str | None) -> str:
        """How the user names the key."""
        return key or table or ""

    def words(self) -> dict:
        return texts()[self.form]

    def kind(self, name: str, key: str = "") -> str:
        return self.words()["typer"][name].format(nøgle=key)

    def example(self, table: str | None, key: str) -> str:
        examples = self.words()["eksempler"]
        for name in (f"{table}.{key}" if table else key, key):
            if name in examples:
                return examples[name]
        return self.words()["eksempel"].format(nøgle=key)

    def describe(self, value) -> str:
        for kind, name in KINDS.items():
            if isinstance(value, kind):
                return self.kind(name)
        return type(value).__name__

    def method_choices(self) -> str:
        return ", ".join(content.presets())


class TomlSource(PlanSource):
    """plan.toml: the line of every key, found in one pass over the text (tomllib keeps no positions)."""

    HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
    KEY = re.compile(r'^\s*"?([^"=\s]+)"?\s*=')

    def __init__(self, text: str, path: str):
        super().__init__(path)
        self.top: dict[str, int] = {}  # key -> line, before the first [section]
        self.sections: dict[str, list[tuple[int, dict[str, int]]]] = {}  # name -> [(header line, {key: line})]
        keys = self.top
        for number, line in enumerate(text.splitlines(), 1):
            header = self.HEADER.match(line)
            if header:
                keys = {}
                self.sections.setdefault(header.group(1), []).append((number, keys))
                continue
            key = self.KEY.match(line)
            if key:
                keys.setdefault(key.group(1), number)

    def line(self, table: str | None, index: int | None, key: str | None) -> int | None:
        if table is None:
            return self.top.get(key) if key else None
        sections = self.sections.get(table)
        if not sections:
            return self.top.get(table)  # an inline table: kontakt = { navn = "..." }
        header, keys = sections[min(index or 0, len(sections) - 1)]
        return keys.get(key, header) if key else header  # a key missing from its section: the section's header

    def place(self, table, index, key) -> dict:
        return {"line": self.line(table, index, key), "key": f"{table}.{key}" if table and key else (key or table)}


class _Checker:
    def __init__(self, source: PlanSource):
        self.source = source
        self.problems: list[Problem] = []

    def add(self, code: str, table=None, index=None, key=None, **values):
        code = self.source.codes.get(code, code)
        self.problems.append(problem(code, file=self.source.path, **self.source.place(table, index, key), **values))

    def missing(self, table, index, key):
        self.add("CFG003", table, index, key, nøgle=self.source.label(table, key),
                 eksempel=self.source.example(table, key))

    def wrong(self, table, index, key, expected: str, value, example: str | None = None, found: str | None = None):
        self.add("CFG004", table, index, key, nøgle=self.source.label(table, key), forventet=expected,
                 fundet=found or self.source.describe(value), eksempel=example or self.source.example(table, key))

    def unknown_keys(self, data: dict, allowed: set[str], table=None, index=None):
        words = self.source.words()
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = words["mente_du"].format(nøgle=close[0]) if close else \
                    words["tilladte"].format(nøgler=", ".join(sorted(allowed)))
                self.add("CFG006", table, index, key, nøgle=key, forslag=hint)

    def get(self, data: dict, key: str, kind, *, table=None, index=None, required=False, default=None):
        if key not in data:
            if required:
                self.missing(table, index, key)
            return default
        value = data[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is dt.date and isinstance(value, dt.datetime):
            value, ok = value.date(), True
        if not ok:
            self.wrong(table, index, key, self.source.kind(KINDS[kind]), value)
            return default
        if kind is str:
            value = value.strip()
            if len(value) > MAX_TEXT:
                self.add("CFG012", table, index, key, nøgle=self.source.label(table, key), længde=len(value),
                         grænse=MAX_TEXT)
                return default
        return value


# ---------------------------------------------------------------- plan.toml

def read_plan_bytes(path: Path) -> bytes:
    """A plan file's bytes, or the Danish problem why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise XlplanError(problem("CFG001", sti=str(path))) from None
    except OSError as exc:
        raise XlplanError(problem("OUT001", sti=str(path), detalje=exc.strerror or str(exc))) from None


def load_config(path: str | Path) -> PlanConfig:
    """A plan written as plan.toml."""
    path = Path(path)
    raw = read_plan_bytes(path)
    text, notices = decode_plan_text(raw, str(path))
    config = parse_config(text, str(path))
    return dataclasses.replace(config, notices=tuple(notices) + config.notices)


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def decode_plan_text(raw: bytes, path: str) -> tuple[str, list[Problem]]:
    """The plan's text. UTF-8 (with or without BOM) is read as it is; UTF-16 and UTF-32, which declare
    themselves with a BOM, are converted with a notice; anything else (Windows' ANSI, UTF-16 without a
    BOM) is refused at its first line that is not UTF-8, since æ, ø and å would silently change."""
    if raw.startswith(UTF32_BOMS):
        return raw.decode("utf-32"), [problem("CFG014", file=path, tegnsæt="UTF-32")]
    if raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16"), [problem("CFG014", file=path, tegnsæt="UTF-16")]
        except UnicodeDecodeError:
            pass  # a BOM followed by something else: refused below
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        if b"\x00" in raw:
            raise XlplanError(problem("CFG015", file=path, line=line)) from None
        start = raw.rfind(b"\n", 0, exc.start) + 1
        end = raw.find(b"\n", exc.start)
        shown = raw[start:end if end >= 0 else len(raw)].decode("cp1252", errors="replace").strip()
        raise XlplanError(problem("CFG013", file=path, line=line, tekst=shown[:80])) from None


def parse_config(text: str, path: str = "plan.toml") -> PlanConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise XlplanError(toml_syntax_problem(str(exc), text, path)) from None
    return parse_plan(data, TomlSource(text, path))


def toml_syntax_problem(message: str, text: str, path: str) -> Problem:
    """tomllib's English message, said in Danish with the line and the key it stands at."""
    words = texts()["toml"]
    lines = text.splitlines()
    where = re.search(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$", message)
    bare = message[:where.start()] if where else message
    line = int(where.group(1)) if where and where.group(1) else (len(lines) or None)
    if bare in UNCLOSED and line:
        line = _opening_line(lines, line, *UNCLOSED[bare])
    detail = danish_toml_message(bare)
    key = None
    if line and line <= len(lines):
        found = TomlSource.KEY.match(lines[line - 1])
        key = found.group(1) if found else None
    if key:
        detail = words["ved_nøgle"].format(fejl=detail, nøgle=key)
    return problem("CFG002", file=path, line=line, key=key, detalje=detail)


# tomllib notices an unclosed list or table where the next key begins; the mistake is where it opened.
UNCLOSED = {"Unclosed array": ("[", "]"), "Unclosed inline table": ("{", "}")}


def _opening_line(lines: list[str], reported: int, opening: str, closing: str) -> int:
    """The last key line at or before `reported` whose value opens more `opening` than it closes."""
    for number in range(min(reported, len(lines)), 0, -1):
        line = lines[number - 1]
        if TomlSource.KEY.match(line):
            value = line.split("=", 1)[1]
            if value.count(opening) > value.count(closing):
                return number
    return reported


def danish_toml_message(message: str) -> str:
    words = texts()["toml"]
    known = words["syntaks"]
    if message in known:
        return known[message]
    for english, danish in known.items():
        names = re.findall(r"\{(\w+)\}", english)
        if not names:
            continue
        pattern = "".join(f"(?P<{part[1:-1]}>.+)" if part.startswith("{") and part.endswith("}") else re.escape(part)
                          for part in re.split(r"(\{\w+\})", english) if part)
        match = re.fullmatch(pattern, message)
        if match:
            return danish.format(**{name: _shown_part(value) for name, value in match.groupdict().items()})
    return words["ukendt"]


def _shown_part(text: str) -> str:
    """A part of tomllib's message as a user reads it: a key ('kontakt',) as kontakt, a character as itself."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    if isinstance(value, tuple):
        return ".".join(map(str, value))
    if isinstance(value, str) and len(value) == 1 and not value.isprintable():
        return texts()["toml"]["usynligt_tegn"].format(kode=f"{ord(value):04X}")
    return f"'{value}'" if isinstance(value, str) else str(value)


# ---------------------------------------------------------------- the checks, for either form

def parse_plan(data: dict, source: PlanSource) -> PlanConfig:
    """The plan from `data` (keys as in plan.toml), checked, with every mistake at its place in `source`."""
    c = _Checker(source)
    c.unknown_keys(data, TOP_KEYS)
    municipality = c.get(data, "kommune", str, required=True, default="")
    title = c.get(data, "titel", str, default="")
    methods = _methods(c, data)
    sections = _sections(c, data, methods)
    start = _start(c, data)
    rhythm = _rhythm(c, data)
    weeks = c.get(data, "tidslinje_uger", int, default=52)
    if not 4 <= weeks <= 260:
        c.wrong(None, None, "tidslinje_uger", source.kind("uger"), weeks, found=str(weeks))
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
    config = PlanConfig(
        municipality=municipality, methods=methods, start=start, teams=teams, people=people,
        focus_points=focus, title=title, sections=sections, rhythm=rhythm, timeline_weeks=weeks,
        protect=protect, password=password, contact_name=contact_name, contact_email=contact_email,
    )
    return dataclasses.replace(config, config_hash=content_hash(config))


def content_hash(config: PlanConfig) -> str:
    """A fingerprint of what the plan says (not how it is written): plan.toml and plan.xlsx with the same
    plan give the same, and so the same team workbooks."""
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)
              if f.name not in ("config_hash", "notices")}
    text = json.dumps(fields, default=lambda v: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else str(v),
                      ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _start(c: _Checker, data: dict) -> dt.date | None:
    start = c.get(data, "startdato", dt.date, required=True)
    first, last = start_range()
    if start is not None and not first <= start <= last:
        c.add("CFG016", key="startdato", dato=start.strftime("%d-%m-%Y"), fra=first.strftime("%d-%m-%Y"),
              til=last.strftime("%d-%m-%Y"))
        return None
    return start


def _methods(c: _Checker, data: dict) -> tuple[str, ...]:
    presets = content.presets()
    value = data.get("metode")
    if value is None:
        c.missing(None, None, "metode")
        return ("ics",)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if values is None or not values or not all(isinstance(v, str) for v in values):
        c.wrong(None, None, "metode", c.source.kind("metode"), value, c.source.example(None, "metode_liste"))
        return ("ics",)
    methods = []
    for v in values:
        key = v.strip().lower()
        if key not in presets:
            c.add("CFG005", key="metode", værdi=v, muligheder=c.source.method_choices())
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
        c.wrong(None, None, key, c.source.kind("afsnit", key), value)
        return []
    for i, item in enumerate(value):
        c.unknown_keys(item, TABLE_KEYS[key], key, i)
    return value


def _teams(c: _Checker, data: dict) -> tuple[Team, ...]:
    teams, seen = [], set()
    for i, item in enumerate(_array(c, data, "team")):
        name = c.get(item, "navn", str, table="team", index=i, default="")
        if not name:
            c.missing("team", i, "navn")
            continue
        if name.casefold() in seen:
            c.add("CFG007", "team", i, "navn", værdi=name)
            continue
        seen.add(name.casefold())
        teams.append(Team(name, c.get(item, "kontaktperson", str, table="team", index=i, default=""),
                          c.get(item, "email", str, table="team", index=i, default="")))
    if not teams and "team" not in data:
        c.add("CFG009")
    return tuple(teams)


def _people(c: _Checker, data: dict, teams: tuple[Team, ...]) -> tuple[Person, ...]:
    names = {t.name.casefold(): t.name for t in teams}
    people = []
    for i, item in enumerate(_array(c, data, "person")):
        name = c.get(item, "navn", str, table="person", index=i, default="")
        if not name:
            c.missing("person", i, "navn")
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
            c.missing("sigtepunkt", i, "navn")
            continue
        points.append(FocusPoint(name, c.get(item, "beskrivelse", str, table="sigtepunkt", index=i, default="")))
    return tuple(points)
