"""The one error catalogue: every problem xlplan reports has a code, a Danish message and a fix.

A Problem is data: its code, where it is and the values that describe it. The Danish texts live in
data/fejl.yaml and are formatted only when a problem is shown (`message`, `fix`), so code can filter
problems by their values and never by their wording.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from functools import lru_cache

from xlplan.core.content import load_yaml


class Severity(enum.Enum):
    """How much a problem matters. The value is the word the JSON contract and the catalogue use."""

    ERROR = "fejl"  # must be fixed before the value can be used
    WARNING = "advarsel"  # read, but interpreted
    INFO = "info"  # worth knowing; nothing to fix in the file

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    return load_yaml("fejl.yaml")


@lru_cache(maxsize=None)  # asked for every problem of every file a run reports
def _severity(code: str) -> Severity:
    return Severity(catalogue()[code].get("niveau", Severity.ERROR.value))


@dataclass(frozen=True)
class Problem:
    """One reported problem: its code, where it is (file, sheet, cell or config line) and its values."""

    code: str
    values: dict[str, object] = field(default_factory=dict, hash=False, compare=True)
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    key: str | None = None

    @property
    def severity(self) -> Severity:
        return _severity(self.code)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    @property
    def message(self) -> str:
        return catalogue()[self.code]["besked"].format(**self.values)

    @property
    def fix(self) -> str:
        return catalogue()[self.code]["rettelse"].format(**self.values)

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
        """The problem as the JSON and CSV outputs give it, with the fields of RECORD_FIELDS."""
        return dict(zip(RECORD_FIELDS, (self.code, self.severity.value, self.file, self.sheet, self.cell, self.line,
                                        self.key, self.message, self.fix)))


RECORD_FIELDS = ("kode", "niveau", "fil", "ark", "celle", "linje", "nøgle", "besked", "rettelse")


def problem(code: str, *, file=None, sheet=None, cell=None, line=None, key=None, **values) -> Problem:
    """A problem from the catalogue. An unknown code or a missing value fails here, where it is raised,
    not later where the problem is shown."""
    entry = catalogue()[code]
    entry["besked"].format(**values)
    entry["rettelse"].format(**values)
    return Problem(code=code, values=values, file=file, sheet=sheet, cell=cell, line=line, key=key)


def note_text(p: Problem) -> str:
    """The note xlplan writes on a problem's cell in a fixing copy: '<Niveau> [<kode>]: <besked>', then the fix
    on a line of its own; several on one cell are separated by an empty line (NOTES_APART)."""
    return f"{p.severity.label} [{p.code}]: {p.message}\n{p.fix}"


NOTES_APART = "\n\n"
_NOTE_HEAD = re.compile(r"^(%s) \[([A-Z]{2,4}\d{3})\]: " % "|".join(s.label for s in Severity), re.MULTILINE)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@lru_cache(maxsize=None)
def _note_forms(code: str) -> tuple[re.Pattern, re.Pattern]:
    """A note of `code` as note_text writes it, its values any text: the whole note, and its message alone."""
    entry = catalogue()[code]

    def form(template: str) -> str:
        return ".*?".join(map(re.escape, _PLACEHOLDER.split(template.replace("{{", "{").replace("}}", "}"))))

    head = r"%s \[%s\]: %s" % (re.escape(_severity(code).label), code, form(entry["besked"]))
    return (re.compile(r"%s\n%s(?=\n|\Z)" % (head, form(entry["rettelse"])), re.DOTALL),
            re.compile(r"%s(?=\n|\Z)" % head, re.DOTALL))


def without_own_notes(text: str) -> str:
    """A cell note's text without xlplan's own notes in it (a fixing copy's, sent back): recognised by their form
    (note_text) and not by their author, which another program may have rewritten (LibreOffice saves it as a
    space). A note is xlplan's when a line starts with the level and code of a problem in the catalogue and
    goes on with that code's message as the catalogue writes it, the values being any text; its fix on the next
    line is xlplan's too. What is left, a team's words added to the note, is the team's; a note without any of
    xlplan's is returned as it was."""
    original, text = text, text.replace("\r\n", "\n").replace("\r", "\n")
    kept, at = [], 0
    for head in _NOTE_HEAD.finditer(text):
        code = head.group(2)
        if head.start() < at or code not in catalogue() or _severity(code).label != head.group(1):
            continue
        whole, message = _note_forms(code)
        found = whole.match(text, head.start()) or message.match(text, head.start())
        if found is None:
            continue
        kept.append(text[at:head.start()])
        at = found.end()
    if not kept:
        return original  # no note of xlplan's: the team's text as it was
    kept.append(text[at:])
    return "\n".join(part.strip("\n") for part in kept if part.strip()).strip()


def count(problems, severity: Severity) -> int:
    return sum(1 for p in problems if p.severity is severity)


class XlplanError(Exception):
    """An error meant for the user: carries one or more Problems in Danish."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))
