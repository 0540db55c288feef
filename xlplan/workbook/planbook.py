"""The plan as a workbook (plan.xlsx), for a coordinator who has never seen a TOML file.

The sheet Plan holds the municipality, the method and the other single values, one field a row
(label, value, help); Teams, Personer and Sigtepunkter are tables, one row each. Dropdowns come from
a hidden sheet Lister. `plan_workbook` lays it out (through xlsx/model.py and the one writer);
`read_plan_workbook` reads it back through the one reader (xlsx/reader.py) into the same data a
plan.toml gives and through the same checks (core/config.py), with every mistake at its sheet and cell.
Labels and headers are found by their text, so rows and columns a coordinator inserts do no harm.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from xlplan.core import content
from xlplan.core.config import ALL_TEAMS, load_config, parse_plan, PlanConfig, PlanSource, start_range, texts
from xlplan.core.errors import Problem, problem, XlplanError
from xlplan.core.refs import area, cell
from xlplan.core.vocab import normalise
from xlplan.workbook.context import quote_sheet
from xlplan.workbook.table import wrapped_lines
from xlplan.xlsx.model import Formula, Merge, PrintSetup, Sheet, Validation, Workbook

TITLE_ROW, NOTE_ROW, HEADER_ROW = 0, 1, 3
FIRST_FIELD_ROW = HEADER_ROW + 1
LABEL_COL, VALUE_COL, HELP_COL = 0, 1, 2
DATE_FORMAT = "%d-%m-%Y"
HELP_WIDTH = 70


def words() -> dict:
    return texts()["projektmappe"]


def method_choices() -> list[str]:
    """The Metode dropdown: every method alone and every combination, in the order of the presets."""
    names = words()["metoder"]
    keys = list(content.presets())
    return [" + ".join(names[k] for k in combo) for n in range(1, len(keys) + 1)
            for combo in itertools.combinations(keys, n)]


# ---------------------------------------------------------------- layout

def plan_workbook(config: PlanConfig | None = None) -> Workbook:
    """The plan workbook, filled with `config` (the example plan, for `xlplan init plan.xlsx`), or empty."""
    w = words()
    tables = w["tabeller"]
    lists = _lists_sheet(config)
    sheets = [_plan_sheet(config), *(_table_sheet(key, config) for key in tables), lists]
    sheets[0].active = True
    return Workbook(sheets=sheets, properties={"title": w["titel"], "author": "xlplan", "category": "Plan"})


def _sources() -> dict[str, str]:
    lister = quote_sheet(words()["ark"]["lister"])
    rows = words()["tabeller"]["team"]["rækker"]
    return {"metode": f"={lister}!{area(0, 0, len(method_choices()) - 1, 0)}",
            "rytme": f"={lister}!{area(0, 1, len(content.value_lists()['opfoelgningsrytme'].values) - 1, 1)}",
            "beskyttelse": f"={lister}!{area(0, 2, 1, 2)}",
            "team": f"={lister}!{area(0, 3, rows, 3)}"}


def _plan_sheet(config: PlanConfig | None) -> Sheet:
    w = words()
    sheet = Sheet(name=w["ark"]["plan"], protect=False, print_setup=PrintSetup(landscape=True, fit_width=True))
    sheet.merges.append(Merge(TITLE_ROW, 0, TITLE_ROW, HELP_COL, w["titel"], "title"))
    sheet.merges.append(Merge(NOTE_ROW, 0, NOTE_ROW, HELP_COL, w["vejledning"], "note"))
    sheet.row_heights[TITLE_ROW] = 26
    sheet.row_heights[NOTE_ROW] = 13 * wrapped_lines(w["vejledning"], (26 + 36 + HELP_WIDTH) * 1.1) + 4
    for col, text in enumerate(w["overskrifter"]):
        sheet.put(HEADER_ROW, col, text, "header")
    sheet.column_widths.update({LABEL_COL: 26, VALUE_COL: 36, HELP_COL: HELP_WIDTH})
    values = _field_values(config) if config else {}
    first, last = start_range()
    sources = _sources()
    for row, spec in enumerate(w["felter"], FIRST_FIELD_ROW):
        key = spec["nøgle"]
        sheet.put(row, LABEL_COL, spec["navn"], "label")
        sheet.put(row, VALUE_COL, values.get(key), "input_date" if key == "startdato" else "input")
        sheet.put(row, HELP_COL, spec["hjælp"], "small")
        sheet.row_heights[row] = max(15, 12 * wrapped_lines(spec["hjælp"], HELP_WIDTH * 1.2) + 3)
        rule = Validation(row, VALUE_COL, row, VALUE_COL, "any", input_title=spec["navn"][:32],
                          input_message=spec["hjælp"])
        if key in ("metode", "rytme", "beskyttelse"):
            rule.kind, rule.source = "list", sources[key]
            rule.error_title, rule.error_message = spec["navn"][:32], w["fejlbesked"]
        elif key == "startdato":
            rule.kind, rule.minimum, rule.maximum = "date", first, last
            rule.error_title = spec["navn"][:32]
            rule.error_message = w["datofejl"].format(fra=first.strftime(DATE_FORMAT), til=last.strftime(DATE_FORMAT))
        elif key == "tidslinje_uger":
            rule.kind, rule.minimum, rule.maximum = "whole", 4, 260
            rule.error_title, rule.error_message = spec["navn"][:32], w["ugefejl"]
        sheet.validations.append(rule)
    return sheet


def _field_values(config: PlanConfig) -> dict[str, object]:
    w = words()
    presets = content.presets()
    default_sections = {s for m in config.methods for s in presets[m].sections}
    return {
        "kommune": config.municipality,
        "titel": config.title or None,
        "metode": " + ".join(w["metoder"][m] for m in config.methods),
        "afsnit": ", ".join(config.sections) if set(config.sections) != default_sections else None,
        "startdato": config.start,
        "rytme": config.rhythm,
        "tidslinje_uger": config.timeline_weeks,
        "beskyttelse": w["ja"] if config.protect else w["nej"],
        "adgangskode": config.password or None,
        "kontakt.navn": config.contact_name or None,
        "kontakt.email": config.contact_email or None,
    }


def _table_rows(key: str, config: PlanConfig | None) -> list[dict[str, str]]:
    if config is None:
        return []
    if key == "team":
        return [{"navn": t.name, "kontaktperson": t.contact, "email": t.email} for t in config.teams]
    if key == "person":
        return [{"navn": p.name, "rolle": p.role, "team": p.team} for p in config.people]
    return [{"navn": f.name, "beskrivelse": f.description} for f in config.focus_points]


def _table_sheet(key: str, config: PlanConfig | None) -> Sheet:
    spec = words()["tabeller"][key]
    columns = spec["kolonner"]
    last_col = len(columns) - 1
    first, last = HEADER_ROW + 1, HEADER_ROW + spec["rækker"]
    sheet = Sheet(name=spec["ark"], protect=False, freeze=(first, 0),
                  print_setup=PrintSetup(landscape=True, repeat_rows=(HEADER_ROW, HEADER_ROW)))
    sheet.merges.append(Merge(TITLE_ROW, 0, TITLE_ROW, last_col, spec["ark"], "title"))
    sheet.merges.append(Merge(NOTE_ROW, 0, NOTE_ROW, last_col, spec["note"], "note"))
    sheet.row_heights[TITLE_ROW] = 26
    sheet.row_heights[NOTE_ROW] = 13 * wrapped_lines(spec["note"], sum(c["bredde"] for c in columns) * 1.1) + 4
    for col, column in enumerate(columns):
        sheet.put(HEADER_ROW, col, column["navn"], "header")
        sheet.column_widths[col] = column["bredde"]
        rule = Validation(first, col, last, col, "any", input_title=column["navn"][:32], input_message=column["hjælp"])
        if key == "person" and column["nøgle"] == "team":
            rule.kind, rule.source = "list", _sources()["team"]
            rule.error_title, rule.error_message = column["navn"][:32], words()["fejlbesked"]
        sheet.validations.append(rule)
    rows = _table_rows(key, config)
    for row in range(first, last + 1):
        values = rows[row - first] if row - first < len(rows) else {}
        for col, column in enumerate(columns):
            sheet.put(row, col, values.get(column["nøgle"]) or None, "input")
    return sheet


def _lists_sheet(config: PlanConfig | None) -> Sheet:
    """The dropdowns' values: methods, rhythms, Ja/Nej, and 'Alle' with the names on the sheet Teams, which
    formulas keep up to date as the coordinator types them (each stored with the value it computes)."""
    w = words()
    sheet = Sheet(name=w["ark"]["lister"], protect=False, visibility="hidden")
    columns = [method_choices(), list(content.value_lists()["opfoelgningsrytme"].values), [w["ja"], w["nej"]]]
    for col, values in enumerate(columns):
        for row, value in enumerate(values):
            sheet.put(row, col, value, "meta")
    teams = words()["tabeller"]["team"]
    names = [t.name for t in config.teams] if config else []
    teams_sheet = quote_sheet(teams["ark"])
    sheet.put(0, 3, ALL_TEAMS, "meta")
    for i in range(teams["rækker"]):
        ref = f"{teams_sheet}!{cell(HEADER_ROW + 1 + i, 0, absolute=True)}"
        sheet.put(1 + i, 3, Formula(f'=IF({ref}="","",{ref})', names[i] if i < len(names) else ""), "meta")
    for col in range(4):
        sheet.column_widths[col] = 30
    return sheet


def write_example_plan(path: Path, overwrite: bool = False) -> None:
    """`xlplan init`: the example plan, as a workbook when `path` ends in .xlsx, else as commented TOML."""
    from importlib import resources

    from xlplan.core.atomic import write_atomic
    from xlplan.core.config import parse_config
    from xlplan.xlsx.writer import render

    if path.exists() and not overwrite:
        raise XlplanError(problem("OUT002", sti=str(path)))
    example = resources.files("xlplan.data").joinpath("plan.eksempel.toml").read_bytes()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        example = render(plan_workbook(parse_config(example.decode("utf-8"))))
    write_atomic(path, example)


# ---------------------------------------------------------------- reading it back

@dataclass
class WorkbookSource(PlanSource):
    """plan.xlsx: where each value was found (its sheet and cell), and the words of a workbook."""

    path: str
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (sheet, cell of its value)
    labels: dict[str, str] = field(default_factory=dict)  # key -> the field's label
    rows: dict[str, list[dict[str, tuple[str, str]]]] = field(default_factory=dict)  # table -> [key -> place]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> key -> header

    form = "projektmappe"
    codes = {"CFG003": "CFG020", "CFG004": "CFG021", "CFG008": "CFG025", "CFG009": "CFG026"}

    def place(self, table, index, key) -> dict:
        if table is None and key is None:  # the plan as a whole: no teams (CFG026) is said on the sheet Teams
            return {"sheet": words()["tabeller"]["team"]["ark"]}
        if table in (None, "kontakt"):
            name = f"{table}.{key}" if table else key
            sheet, ref = self.fields.get(name, (words()["ark"]["plan"], None))
            return {"sheet": sheet, "cell": ref, "key": name}
        rows = self.rows.get(table, [])
        if index is None or index >= len(rows):
            return {"sheet": words()["tabeller"][table]["ark"], "key": table}
        sheet, ref = rows[index].get(key or "navn") or rows[index]["navn"]
        return {"sheet": sheet, "cell": ref, "key": f"{table}.{key or 'navn'}"}

    def label(self, table, key) -> str:
        if table in (None, "kontakt"):
            return self.labels.get(f"{table}.{key}" if table else key, key or "")
        return self.headers.get(table, {}).get(key, key or "")

    def describe(self, value) -> str:
        return self.words()["fundet"].format(værdi=_text(value))

    def method_choices(self) -> str:
        return ", ".join(method_choices())


def load_plan(path: str | Path) -> PlanConfig:
    """A plan written as plan.toml or as plan.xlsx, told apart by content (a workbook is a zip archive)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm") or _starts_like_a_zip(path):
        return read_plan_workbook(path)
    return load_config(path)


def _starts_like_a_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def read_plan_workbook(path: str | Path) -> PlanConfig:
    from xlplan.xlsx.reader import read_workbook, ReadError

    path = Path(path)
    try:
        book = read_workbook(path)
    except FileNotFoundError:
        raise XlplanError(problem("CFG001", sti=str(path))) from None
    except OSError as exc:
        raise XlplanError(problem("OUT001", sti=str(path), detalje=exc.strerror or str(exc))) from None
    except ReadError as exc:
        reasons = words()["læsefejl"]
        raise XlplanError(problem("CFG024", sti=str(path), detalje=reasons.get(exc.kind, reasons["andet"]))) from None
    reader = _PlanReader(book, WorkbookSource(str(path)))
    data = reader.read()
    try:
        config = parse_plan(data, reader.source)
    except XlplanError as exc:
        raise XlplanError(reader.problems + exc.problems) from None
    if [p for p in reader.problems if p.is_error]:
        raise XlplanError(reader.problems)
    return replace(config, notices=tuple(reader.problems))


class _PlanReader:
    def __init__(self, book, source: WorkbookSource):
        self.book = book
        self.source = source
        self.problems: list[Problem] = []

    def _problem(self, code: str, sheet: str | None = None, ref: str | None = None, **values) -> None:
        self.problems.append(problem(code, file=self.source.path, sheet=sheet, cell=ref, **values))

    def _sheet(self, name: str, required: bool):
        found = self.book.sheet(name) or next((s for s in self.book.sheets if normalise(s.name) == normalise(name)),
                                              None)
        if found is None and required:
            raise XlplanError(problem("CFG023", file=self.source.path, ark=name))
        return found

    def read(self) -> dict:
        w = words()
        data = self._fields(self._sheet(w["ark"]["plan"], required=True))
        for key, spec in w["tabeller"].items():
            sheet = self._sheet(spec["ark"], required=key == "team")
            rows = self._table(sheet, key, spec) if sheet is not None else []
            if rows:
                data[key] = rows
        return data

    def _stray(self, sheet, row: int, col: int, value) -> None:
        self._problem("CFG022", sheet.name, cell(row, col), værdi=_text(value)[:80])

    def _fields(self, sheet) -> dict:
        w = words()
        specs = {normalise(spec["navn"]): spec for spec in w["felter"]}
        ours = {normalise(t) for t in (w["titel"], w["vejledning"], *w["overskrifter"])} | \
            {normalise(spec["hjælp"]) for spec in w["felter"]}
        raw: dict[str, object] = {}
        value_cells = set()
        for (row, col), found in sorted(sheet.cells.items()):
            if col != LABEL_COL or not isinstance(found.value, str) or normalise(found.value) not in specs:
                continue
            spec = specs[normalise(found.value)]
            key, place = spec["nøgle"], (sheet.name, cell(row, VALUE_COL))
            value_cells.add((row, VALUE_COL))
            if key in self.source.fields:
                self._problem("CFG027", sheet.name, cell(row, col), nøgle=spec["navn"])
                continue
            self.source.fields[key], self.source.labels[key] = place, spec["navn"]
            value = sheet.value(row, VALUE_COL)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                raw[key] = value
        for (row, col), found in sorted(sheet.cells.items()):
            known = (row, col) in value_cells or (col == LABEL_COL and isinstance(found.value, str)
                                                  and normalise(found.value) in specs)
            if not known and found.value not in (None, "") and normalise(_text(found.value)) not in ours:
                self._stray(sheet, row, col, found.value)
        for key in [spec["nøgle"] for spec in w["felter"]]:
            self.source.labels.setdefault(key, next(s["navn"] for s in w["felter"] if s["nøgle"] == key))
        return _plan_data(raw)

    def _table(self, sheet, key: str, spec: dict) -> list[dict]:
        columns = {normalise(c["navn"]): c["nøgle"] for c in spec["kolonner"]}
        self.source.headers[key] = {c["nøgle"]: c["navn"] for c in spec["kolonner"]}
        header_row, positions = None, {}
        for (row, col), found in sorted(sheet.cells.items()):
            if row > 20:
                break
            if isinstance(found.value, str) and normalise(found.value) in columns:
                if header_row not in (None, row):
                    continue
                header_row = row
                positions.setdefault(columns[normalise(found.value)], col)
        missing = [c["navn"] for c in spec["kolonner"] if c["nøgle"] not in positions]
        if missing:
            raise XlplanError(problem("CFG028", file=self.source.path, sheet=sheet.name, kolonne=missing[0],
                                      række=(header_row if header_row is not None else HEADER_ROW) + 1))
        ours = {normalise(t) for t in (spec["ark"], spec["note"])}
        by_row: dict[int, dict[int, object]] = {}
        for (row, col), found in sheet.cells.items():
            if found.value in (None, "") or (isinstance(found.value, str) and not found.value.strip()):
                continue
            if row > header_row:
                by_row.setdefault(row, {})[col] = found.value
            elif row < header_row and normalise(_text(found.value)) not in ours:
                self._stray(sheet, row, col, found.value)
        items, places = [], []
        by_col = {col: name for name, col in positions.items()}
        for row in sorted(by_row):
            values = by_row[row]
            for col in sorted(set(values) - set(by_col)):
                self._stray(sheet, row, col, values[col])
            item = {by_col[col]: _text(value) for col, value in values.items() if col in by_col}
            if not item:
                continue
            items.append(item)
            places.append({name: (sheet.name, cell(row, col)) for name, col in positions.items()})
        self.source.rows[key] = places
        return items


def _plan_data(raw: dict[str, object]) -> dict:
    """The Plan sheet's values as plan.toml gives them: a date a date, a number a number, Ja/Nej a truth
    value, several methods a list. A value that cannot be read so is passed on as typed, and the checks
    say at its cell what it should be."""
    w = words()
    data: dict = {}
    for key, value in raw.items():
        if key == "startdato":
            data[key] = _date(value)
        elif key == "tidslinje_uger":
            data[key] = _whole(value)
        elif key == "beskyttelse":
            data[key] = _yes_no(value, w)
        elif key == "metode":
            data[key] = _methods(_text(value), w)
        elif key == "afsnit":
            data[key] = [part.strip() for part in re.split(r"[,;]", _text(value)) if part.strip()]
        elif key.startswith("kontakt."):
            data.setdefault("kontakt", {})[key.split(".", 1)[1]] = _text(value)
        else:
            data[key] = _text(value)
    return data


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT + (" %H:%M" if value.time() != dt.time() else ""))
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, bool):
        return words()["ja"] if value else words()["nej"]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


DATE_TEXTS = (re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})"), re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"))


def _date(value):
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = _text(value)
    for number, pattern in enumerate(DATE_TEXTS):
        match = pattern.fullmatch(text)
        if match:
            parts = [int(g) for g in match.groups()]
            day, month, year = parts if number == 0 else parts[::-1]
            try:
                return dt.date(year, month, day)
            except ValueError:
                return text
    return text


def _whole(value):
    if isinstance(value, bool):
        return _text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isdigit() else text


def _yes_no(value, w: dict):
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    return {w["ja"].casefold(): True, w["nej"].casefold(): False}.get(text, _text(value))


def _methods(text: str, w: dict):
    by_name = {normalise(name): key for key, name in w["metoder"].items()} | {key: key for key in w["metoder"]}
    parts = [p.strip() for p in re.split(r"\+|,|\bog\b", text) if p.strip()]
    methods = [by_name.get(normalise(p), p) for p in parts]
    return methods[0] if len(methods) == 1 else methods


# ---------------------------------------------------------------- the plan as a web form (`xlplan serve`)

class FormSource(PlanSource):
    """A plan typed into the web form: the same fields, labels and checks as plan.xlsx; a problem's key names
    the form field it belongs to ('startdato', 'kontakt.email', 'team.2.navn')."""

    form = "projektmappe"
    codes = WorkbookSource.codes | {"CFG008": "WEB022", "CFG009": "WEB023"}  # a form has tables, not sheets

    def place(self, table, index, key) -> dict:
        if table in (None, "kontakt"):
            return {"key": (f"{table}.{key}" if table else key) if key else "team"}
        if index is None:
            return {"key": table}
        return {"key": f"{table}.{index}.{key or 'navn'}"}

    def label(self, table, key) -> str:
        if table in (None, "kontakt"):
            name = f"{table}.{key}" if table else key
            return next((s["navn"] for s in words()["felter"] if s["nøgle"] == name), key or "")
        columns = words()["tabeller"].get(table, {}).get("kolonner", [])
        return next((c["navn"] for c in columns if c["nøgle"] == key), key or "")

    def describe(self, value) -> str:
        return self.words()["fundet"].format(værdi=_text(value))

    def method_choices(self) -> str:
        return ", ".join(method_choices())


def plan_from_form(fields: dict[str, str], tables: dict[str, list[dict[str, str]]], path: str = "plan") -> PlanConfig:
    """The plan typed into the form: `fields` by the keys of the Plan sheet, `tables` by table key, one dict a
    row. Read as plan.xlsx's values are, and checked by the same rules; rows left empty are not rows."""
    raw = {key: value.strip() for key, value in fields.items() if isinstance(value, str) and value.strip()}
    data = _plan_data(raw)
    for key in words()["tabeller"]:
        rows = [{k: v.strip() for k, v in row.items() if isinstance(v, str) and v.strip()}
                for row in tables.get(key, [])]
        rows = [row for row in rows if row]
        if rows:
            data[key] = rows
    return parse_plan(data, FormSource(path))


def form_values(config: PlanConfig | None) -> tuple[dict[str, str], dict[str, list[dict[str, str]]]]:
    """What the form shows for `config`: every field and every table row as text, as plan.xlsx shows it."""
    fields = {key: "" if value is None else _text(value)
              for key, value in (_field_values(config) if config else {}).items()}
    tables = {key: _table_rows(key, config) for key in words()["tabeller"]}
    return fields, tables


def plan_bytes(config: PlanConfig) -> bytes:
    """The plan as plan.xlsx, to keep and to download."""
    from xlplan.xlsx.writer import render

    return render(plan_workbook(config))
