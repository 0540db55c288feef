"""The one error catalogue: every problem xlplan reports has a code, a Danish message and a fix.

The texts live in data/fejl.yaml; this module only looks them up and formats them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .content import load_yaml


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    return load_yaml("fejl.yaml")


@dataclass(frozen=True)
class Problem:
    """One reported problem, with where it is (file, sheet, cell or config line) and how to fix it."""

    code: str
    message: str
    fix: str
    severity: str = "fejl"  # fejl (must be fixed) | advarsel (read, but interpreted) | info
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    key: str | None = None

    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet and f"ark '{self.sheet}'", self.cell and f"celle {self.cell}") if p]
        if self.line is not None:
            parts.append(f"linje {self.line}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        head = f"{where}: " if where else ""
        return f"{head}[{self.code}] {self.message} {self.fix}".strip()

    def as_dict(self) -> dict:
        return {"kode": self.code, "niveau": self.severity, "fil": self.file, "ark": self.sheet, "celle": self.cell,
                "linje": self.line, "nøgle": self.key, "besked": self.message, "rettelse": self.fix}


def problem(code: str, *, file=None, sheet=None, cell=None, line=None, key=None, **values) -> Problem:
    entry = catalogue()[code]
    return Problem(
        code=code,
        message=entry["besked"].format(**values),
        fix=entry["rettelse"].format(**values),
        severity=entry.get("niveau", "fejl"),
        file=file, sheet=sheet, cell=cell, line=line, key=key,
    )


class XlplanError(Exception):
    """An error meant for the user: carries one or more Problems in Danish."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))
