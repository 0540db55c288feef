"""The content of the workbooks, loaded from the data files in xlplan/data/.

Everything a team sees (criteria, roles, steps, statuses, help questions) comes from those files;
this module turns them into typed, read-only records.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


def load_yaml(name: str):
    """A data file, parsed once per process; each caller gets its own copy to change as it likes."""
    return copy.deepcopy(_parsed(name))


# LibYAML's loader when PyYAML was built with it: the same documents, ten times faster to parse
# (a test checks that both loaders give the same data for every file).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def _parsed(name: str):
    text = resources.files("xlplan.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    level: int  # 0 = criterion, 1 = sub-item of the criterion above


@dataclass(frozen=True)
class Dimension:
    name: str
    content: tuple[str, ...]  # the guide's "Indhold" paragraphs
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    short: str
    description: str
    characteristics: tuple[str, ...]  # the guide's "Kendetegn" page of the phase
    dimensions: tuple[Dimension, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.dimensions for c in d.criteria)


@dataclass(frozen=True)
class Role:
    name: str
    level: str
    typical: str
    benefit_role: str
    purpose: str
    tasks: tuple[str, ...]
    attention: str = ""  # the guide's "Opmærksomhedspunkter"
    profile: str = ""  # the guide's "Rolleprofil"


@dataclass(frozen=True)
class Step:
    name: str
    description: str


@dataclass(frozen=True)
class ChecklistGroup:
    name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ValueList:
    key: str
    name: str
    values: tuple[str, ...]
    done: tuple[str, ...] = ()
    not_relevant: tuple[str, ...] = ()
    in_progress: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    method: str
    sections: tuple[str, ...]
    method_in_text: str = ""  # the method's name inside a sentence, where it differs from `method`


def _criteria(dimension_id: str, items: list[dict]) -> tuple[Criterion, ...]:
    out = []
    for n, item in enumerate(items, 1):
        cid = f"{dimension_id}.{n}"
        out.append(Criterion(cid, item["tekst"], 0))
        for letter, sub in zip("abcdefghij", item.get("underpunkter", [])):
            out.append(Criterion(f"{cid}.{letter}", sub["tekst"], 1))
    return tuple(out)


@lru_cache(maxsize=1)
def phases() -> tuple[Phase, ...]:
    data = load_yaml("ffb.yaml")
    return tuple(
        Phase(
            id=p["id"], name=p["navn"], short=p["kort"], description=p["beskrivelse"],
            characteristics=tuple(p["kendetegn"]),
            dimensions=tuple(
                Dimension(d["navn"], tuple(d["indhold"]), _criteria(f"{p['id']}.{i}", d["succeskriterier"]))
                for i, d in enumerate(p["dimensioner"], 1)
            ),
        )
        for p in data["faser"]
    )


@lru_cache(maxsize=1)
def roles() -> tuple[Role, ...]:
    data = load_yaml("roller.yaml")
    return tuple(
        Role(r["navn"], r["niveau"], r["typisk"], r["gevinstrolle"], r["formaal"], tuple(r["opgaver"]),
             r["opmaerksomhedspunkter"], r["rolleprofil"])
        for r in data["roller"]
    )


@lru_cache(maxsize=1)
def group_composition() -> dict:
    """The guide's "Gruppesammensætning": its text and the internal and external stakeholders."""
    return load_yaml("roller.yaml")["gruppesammensaetning"]


@lru_cache(maxsize=1)
def steering() -> dict:
    data = load_yaml("styringsgrundlag.yaml")
    return {
        "steps": tuple(Step(s["navn"], s["beskrivelse"]) for s in data["trin"]),
        "steps_note": data["trin_note"],
        "responsibility": tuple(ChecklistGroup(g["gruppe"], tuple(g["punkter"])) for g in data["rolle_og_ansvar"]),
    }


def responsibility_criteria() -> tuple[tuple[str, tuple[Criterion, ...]], ...]:
    """The styringsgrundlag's checklist for roles and responsibility: (group, its criteria R<group>.<n>)."""
    return tuple((group.name, tuple(Criterion(f"R{g}.{i}", text, 0) for i, text in enumerate(group.items, 1)))
                 for g, group in enumerate(steering()["responsibility"], 1))


@lru_cache(maxsize=1)
def ics() -> dict:
    return load_yaml("ics.yaml")


@lru_cache(maxsize=1)
def value_lists() -> dict[str, ValueList]:
    data = load_yaml("lister.yaml")
    return {
        key: ValueList(key, v["navn"], tuple(str(x) for x in v["værdier"]),
                       tuple(v.get("faerdig", ())), tuple(v.get("ikke_relevant", ())), tuple(v.get("i_gang", ())))
        for key, v in data.items()
    }


@lru_cache(maxsize=1)
def presets() -> dict[str, Preset]:
    data = load_yaml("skabeloner.yaml")
    return {k: Preset(k, v["navn"], v["metode"], tuple(v["afsnit"]), v.get("metode_i_tekst", v["metode"]))
            for k, v in data["skabeloner"].items()}


@lru_cache(maxsize=1)
def template_version() -> int:
    return int(load_yaml("skabeloner.yaml")["version"])


def section_order() -> tuple[str, ...]:
    return tuple(load_yaml("skabeloner.yaml")["rækkefølge"])


def steps_only(sections: tuple[str, ...]) -> bool:
    """Whether the workbook follows the styringsgrundlag's steps and not the FFB phases."""
    return "trin" in sections and "faser" not in sections


def phase_choices(sections: tuple[str, ...]) -> tuple[str, ...]:
    """What 'Aktuel fase' offers: the 7 steps for a pure styringsgrundlag plan (where it reads 'Aktuelt
    trin'), else the 4 phases; written as the sheets' titles write them ("Fase 1: Forbered forandringen")."""
    if steps_only(sections):
        return tuple(f"Trin {i}: {s.name}" for i, s in enumerate(steering()["steps"], 1))
    return tuple(f"Fase {p.id}: {p.name}" for p in phases())


def all_phase_choices() -> tuple[str, ...]:
    return phase_choices(("faser",)) + phase_choices(("trin",))


def count_of(n: int, word: str) -> str:
    """'1 advarsel', '2 advarsler': the number and the word in singular or plural (tekster.yaml: flertal)."""
    return f"{n} {word if n == 1 else _plurals()[word]}"


@lru_cache(maxsize=1)  # two counts for every file `tjek` lists
def _plurals() -> dict[str, str]:
    return load_yaml("tekster.yaml")["flertal"]
