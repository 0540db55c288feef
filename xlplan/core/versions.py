"""Template versions and the mapping between them, declared as data in data/versioner.yaml.

A workbook from an older supported version is read through the mapping (criteria renumbered,
columns renamed), so consolidation takes every supported version side by side, and `flyt`
carries it onto the current template.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from xlplan.core.content import load_yaml


@lru_cache(maxsize=1)
def load() -> dict:
    return load_yaml("versioner.yaml")


def current() -> int:
    return int(load()["aktuel"])


def supported() -> set[int]:
    return {int(v) for v in load()["understøttede"]}


@dataclass
class Mapping:
    """How to read a workbook of one version as the current one."""

    criteria: dict[str, str] = field(default_factory=dict)  # old id -> current id
    headers: dict[str, set[str]] = field(default_factory=dict)  # column key -> old headers
    new_criteria: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.criteria or self.headers)


def mapping_from(version: int) -> Mapping:
    """The composed mapping from `version` to the current version."""
    result = Mapping()
    transitions = {int(k): v for k, v in (load().get("overgange") or {}).items()}
    for step in range(version, current()):
        t = transitions.get(step) or {}
        renamed = {str(k): str(v) for k, v in (t.get("kriterier") or {}).items()}
        # Compose: an id renamed earlier is renamed again.
        result.criteria = {old: renamed.get(new, new) for old, new in result.criteria.items()}
        for old, new in renamed.items():
            result.criteria.setdefault(old, new)
        for key, names in (t.get("kolonner") or {}).items():
            result.headers.setdefault(key, set()).update(names)
        result.new_criteria.update(str(c) for c in t.get("nye_kriterier") or ())
    return result
