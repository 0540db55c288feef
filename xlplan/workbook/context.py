"""What every sheet builder needs to know about the workbook being laid out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xlplan.core.config import FocusPoint, Person


@dataclass
class Context:
    municipality: str
    team: str
    template_id: str
    template_name: str
    method_names: str
    sections: tuple[str, ...]
    people: tuple[Person, ...]
    focus_points: tuple[FocusPoint, ...]
    start: dt.date | None
    timeline_weeks: int
    rhythm: str
    protect: bool
    password: str
    contact_name: str = ""
    contact_email: str = ""
    team_contact: str = ""
    team_email: str = ""
    generated: dt.datetime | None = None
    config_hash: str = ""
    blank: bool = False
    # Filled while laying out: value-list key -> range formula, and sheet role -> sheet name.
    list_sources: dict[str, str] = field(default_factory=dict)
    sheet_names: dict[str, str] = field(default_factory=dict)
    # A returned workbook's data to write into the fresh one, where each old row went, and how many
    # rows each table got (more than the default when the data needs them).
    fill: object | None = None
    placed: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    team_columns: dict[str, object] = field(default_factory=dict)  # sheet -> the team's own columns (TeamColumns)
    places: object | None = None  # a fresh copy's map from the returned workbook's cells to its own

    def place(self, source, sheet: str, row: int) -> None:
        """Remember that the row read at `source` is written at `row` (0-based) of `sheet`."""
        self.placed[(source.sheet, source.row)] = (sheet, row)

    def header(self, title: str) -> str:
        left = escape_header(f"{self.municipality} – {self.team}" if self.team else self.municipality or self.template_name)
        return f"&L&8{left}&C&8{escape_header(title)}&R&8{escape_header(self.template_name)}"

    def footer(self) -> str:
        return "&L&8xlplan&RSide &P af &N"


def escape_header(text: str) -> str:
    # '&' starts a control code in Excel headers and footers; a literal ampersand is written twice.
    return text.replace("&", "&&")


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"
