"""Every text a user sees passes a Danish spell check (hunspell, Debian's Danish dictionary, and the
project's word list tests/data/ordliste.txt for the domain's terms and names).

The texts: the data files (content, lists, messages, traffic light, date rules, the example config),
the column headers and help of every table, the rendered Vejledning of every template, every string of
the blank templates, of a generated team workbook and of a management workbook (cells, merged cells,
input and error messages, sheet names, print headers), and the CLI's help and messages.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from importlib import resources

import pytest
from click.testing import CliRunner

from spelling import available, misspelled
from xlplan.core import content, schema
from xlplan.cli import main
from xlplan.workbook.generate import blank_config
from xlplan.xlsx.model import Formula, Link
from xlplan.workbook.workbook import build_workbook, build_workbook_with_context

pytestmark = pytest.mark.skipif(not available() and not os.environ.get("CI"),
                                reason="hunspell og hunspell-da er ikke installeret; kør 'make system'")

# Data files whose every string value is shown (keys are identifiers). synonymer.yaml is left out on
# purpose: it lists what people type, misspellings and English words included.
SHOWN_FILES = ("ffb.yaml", "ics.yaml", "roller.yaml", "styringsgrundlag.yaml", "lister.yaml", "tekster.yaml",
               "fejl.yaml", "trafiklys.yaml", "skabeloner.yaml", "web.yaml")
PRESETS = ("ics", "ffb", "styringsgrundlag")


def _strings(value, label: str):
    if isinstance(value, str):
        yield label, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{label}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{label}[{i}]")


def _assert_spelled(texts: dict[str, str]) -> None:
    wrong = misspelled(texts)
    assert not wrong, "Ukendte ord:\n" + "\n".join(f"  {label}: {', '.join(words)}  «{texts[label][:90]}»"
                                                   for label, words in wrong.items())


@pytest.mark.slow
@pytest.mark.parametrize("name", SHOWN_FILES)
def test_data_file_is_spelled_right(name):
    _assert_spelled(dict(_strings(content.load_yaml(name), name)))


def test_date_rules_are_spelled_right():
    dates = content.load_yaml("datoer.yaml")
    rules = {f"datoer.yaml:{i}": p["regel"] for i, p in enumerate(dates["perioder"])}
    rules |= {f"datoer.yaml:foran:{i}:{key}": p[key] for i, p in enumerate(dates["foran"])
              for key in ("regel", "regel_dag") if key in p}
    rules |= {f"datoer.yaml:årsdele:{i}": p["regel"] for i, p in enumerate(dates["årsdele"])}
    # the other texts a message shows: why a text is no date, where an inferred year came from, how an
    # open period and a third of a quarter are said
    for key in ("årsager", "årstal", "visning", "kvartals_og_halvårs_dele", "tocifret_år"):
        rules |= dict(_strings(dates[key], f"datoer.yaml:{key}"))
    _assert_spelled(rules)


def _without_identifiers(text: str) -> str:
    """The text without the identifiers a user types in plan.toml: its keys and the methods' keys."""
    methods = "|".join(content.presets())
    return re.sub(rf"^\s*\w+\s*=|\b\w+_\w+\b|(?<![\w-])(?:{methods})(?![\w-])", " ", text)


def test_example_config_is_spelled_right():
    text = resources.files("xlplan.data").joinpath("plan.eksempel.toml").read_text(encoding="utf-8")
    _assert_spelled({f"plan.eksempel.toml:{i}": _without_identifiers(line)
                     for i, line in enumerate(text.splitlines(), 1)})


def _tables():
    yield schema.plan_table()
    yield from (schema.PROCESPLAN, schema.CHECKLIST, schema.STEPS, schema.ROLES, schema.RISKS, schema.PEOPLE)


def test_headers_and_help_are_spelled_right():
    texts = {}
    columns = [c for t in _tables() for c in t.columns] + list(schema.OVERVIEW_FIELDS) + \
        list(schema.SIGTEPUNKT_FIELDS) + list(schema.followup_fields())
    for c in columns:
        texts[f"{c.key}.header"] = c.header
        texts[f"{c.key}.help"] = c.help
    texts.update({f"table:{t.key}": t.title for t in _tables()})
    texts.update({f"sheet:{k}": v for k, v in schema.SHEET_TITLES.items() if k != "metadata"})
    _assert_spelled(texts)


def _workbook_texts(workbook, label: str, own_words: tuple[str, ...] = ()) -> dict[str, str]:
    """Every text of a laid-out workbook, without `own_words` (the coordinator's and the teams' words:
    sigtepunkter and the sheet names made from them, file names)."""
    texts = {}
    for sheet in workbook.sheets:
        if sheet.visibility == "very_hidden":
            continue  # the metadata sheet: keys and identifiers for the reader
        where = f"{label}!{sheet.name}"
        if not any(sheet.name in words or words.startswith(sheet.name) for words in own_words):
            texts[f"{where} (arknavn)"] = sheet.name
        for c in sheet.every_cell():
            value = c.value.text if isinstance(c.value, Link) else c.value
            if isinstance(value, str):
                texts[f"{where} r{c.row + 1}c{c.col + 1}"] = value
        for m in sheet.merges:
            if isinstance(m.value, str):
                texts[f"{where} r{m.first_row + 1}c{m.first_col + 1}"] = m.value
        for i, v in enumerate(sheet.validations):
            for attr in ("input_title", "input_message", "error_title", "error_message"):
                texts[f"{where} validering {i} {attr}"] = getattr(v, attr)
        for i, comment in enumerate(sheet.comments):
            texts[f"{where} kommentar {i}"] = comment.text
        for i, chart in enumerate(sheet.charts):
            texts[f"{where} diagram {i}"] = " ".join([chart.title, chart.y_title] + [s.name for s in chart.series])
        texts[f"{where} sidehoved"] = f"{sheet.print_setup.header} {sheet.print_setup.footer}"
    for key, value in workbook.properties.items():
        if isinstance(value, str) and key != "keywords":  # keywords: the template's identifiers
            texts[f"{label} egenskab {key}"] = value
    for words in sorted(own_words, key=len, reverse=True):
        texts = {k: v.replace(words, " ") for k, v in texts.items()}
    return texts


def _own_words(config) -> tuple[str, ...]:
    points = [p.name for p in config.focus_points] + [p.description for p in config.focus_points]
    return tuple(f"{i}. {name}" for i, name in enumerate(points, 1)) + tuple(points)


@pytest.mark.slow
@pytest.mark.parametrize("preset", PRESETS)
def test_blank_template_is_spelled_right(preset):
    _assert_spelled(_workbook_texts(build_workbook(blank_config(preset), None), preset))


@pytest.mark.slow
def test_team_workbook_is_spelled_right(sample_config):
    workbook = build_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9, 0))
    _assert_spelled(_workbook_texts(workbook, sample_config.teams[0].name, _own_words(sample_config)))


def test_styringsgrundlag_team_workbook_is_spelled_right(sample_config):
    from dataclasses import replace

    config = replace(sample_config, methods=("styringsgrundlag",), sections=content.presets()["styringsgrundlag"].sections)
    workbook, _ = build_workbook_with_context(config, config.teams[0], dt.datetime(2026, 1, 5, 9, 0))
    _assert_spelled(_workbook_texts(workbook, "styringsgrundlag", _own_words(config)))


@pytest.mark.slow
def test_management_workbook_is_spelled_right(sample_config, sample_workbooks):
    from xlplan.reporting.consolidate import consolidate
    from xlplan.reporting.report import report_workbook

    result = consolidate(sample_workbooks, sample_config, dt.date(2026, 6, 15))
    workbook = report_workbook(result, dt.datetime(2026, 6, 15, 12, 0), None)
    own = _own_words(sample_config) + tuple(r.file for r in result.reads) + \
        tuple(r.template_id for r in result.reads if r.template_id)
    _assert_spelled(_workbook_texts(workbook, "samlet-status", own))


COMMANDS = ("init", "new", "template", "check", "consolidate", "history", "migrate", "serve")


def test_cli_help_is_spelled_right():
    runner = CliRunner()
    texts = {"xlplan --help": runner.invoke(main, ["--help"]).output}
    for command in COMMANDS:
        texts[f"xlplan {command} --help"] = runner.invoke(main, [command, "--help"]).output
    commands = "|".join(("xlplan",) + COMMANDS)
    texts = {label: re.sub(rf"(?<![\w-])(?:{commands})(?![\w-])", " ", text) for label, text in texts.items()}
    _assert_spelled({f"{label} linje {i}": line for label, text in texts.items()
                     for i, line in enumerate(text.splitlines(), 1)})


@pytest.mark.slow
def test_cli_messages_are_spelled_right(sample_config, sample_workbooks, tmp_path):
    """What check and consolidate print, without the teams' own words (quoted values, names, file names)."""
    runner = CliRunner()
    outputs = {
        "check": runner.invoke(main, ["check", *map(str, sample_workbooks)]).output,
        "consolidate": runner.invoke(main, ["consolidate", *map(str, sample_workbooks), "-o", str(tmp_path / "s.xlsx"),
                                            "--as-of", "15-06-2026"]).output,
        "history": runner.invoke(main, ["history", "--history", str(tmp_path / "xlplan-historik.sqlite")]).output,
    }
    own = sorted([p.name for p in sample_workbooks] + [t.name for t in sample_config.teams] + [sample_config.municipality],
                 key=len, reverse=True)
    texts = {}
    for command, output in outputs.items():
        for i, line in enumerate(output.splitlines(), 1):
            line = re.sub(r"'[^']*'", " ", line)  # values quoted from the workbooks
            for words in own:
                line = line.replace(words, " ")
            texts[f"{command} linje {i}"] = line
    _assert_spelled(texts)


WEB_TEMPLATES = resources.files("xlplan.data").joinpath("web", "templates")
READ_ALOUD = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"')


def _template_texts(source: str) -> list[str]:
    """What a page of `xlplan serve` says in its template's own words: the text between tags and the
    attributes a screen reader reads, without the jinja code and the values it fills in."""
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    spoken = READ_ALOUD.findall(source)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", source)
    return [line.strip() for line in (text.splitlines() + spoken) if line.strip()]


@pytest.mark.parametrize("name", sorted(p.name for p in WEB_TEMPLATES.iterdir() if p.name.endswith(".html")))
def test_web_page_is_spelled_right(name):
    lines = _template_texts(WEB_TEMPLATES.joinpath(name).read_text(encoding="utf-8"))
    assert lines or name == "problemer.html"
    _assert_spelled({f"{name} {i}": line for i, line in enumerate(lines, 1)})
