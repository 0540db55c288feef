"""What every sheet builder needs to know about the workbook being laid out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xlplan.core.config import FocusPoint, Person
from xlplan.xlsx.model import HEADER_LIMIT, utf16_len


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
    method_text: str = ""  # the method names inside a sentence ("... forankringen af styringsgrundlaget")
    contact_name: str = ""
    contact_email: str = ""
    team_contact: str = ""
    team_email: str = ""
    generated: dt.datetime | None = None
    config_hash: str = ""
    blank: bool = False
    # Filled while laying out: value-list key -> range formula, and sheet role -> sheet name.
    list_sources: dict[str, str] = field(default_factory=dict)
    # Workbook-level names (value-list name -> range), so dropdowns and Power Query find the lists by name.
    names: dict[str, str] = field(default_factory=dict)
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

    def page_header(self, title: str) -> tuple[str, tuple[str, str] | None]:
        """The page header (municipality and team, the sheet's title, the template), and the name it had to
        shorten to keep within Excel's limit, if any."""
        left = f"{self.municipality} – {self.team}" if self.team else self.municipality or self.template_name
        return page_header(left, title, self.template_name)

    def header(self, title: str) -> str:
        return self.page_header(title)[0]

    def footer(self) -> str:
        return "&L&8xlplan&RSide &P af &N"


LIST_NAME_PREFIX = "liste_"


def list_name(key: str) -> str:
    """The defined name of a value list: letters, digits and underscores, never a cell reference."""
    return LIST_NAME_PREFIX + key


def page_header(left: str, centre: str, right: str) -> tuple[str, tuple[str, str] | None]:
    """A page header with three parts in small print, within Excel's limit for a header: the longest part
    (in practice a long municipality or team name) is shortened with '…' until it fits. Returns the
    header and (the part, as the header shows it) when one was shortened."""
    full = (left, centre, right)
    parts = list(full)
    cut = None
    while utf16_len(_header_text(parts)) > HEADER_LIMIT:
        cut = max(range(3), key=lambda i: utf16_len(escape_header(parts[i])))
        low, high = 1, len(parts[cut]) - 1  # the longest prefix that fits, found by bisection
        while low < high:
            middle = (low + high + 1) // 2
            trial = parts[:cut] + [_shortened(full[cut], middle)] + parts[cut + 1:]
            low, high = (middle, high) if utf16_len(_header_text(trial)) <= HEADER_LIMIT else (low, middle - 1)
        parts[cut] = _shortened(full[cut], low)
    return _header_text(parts), None if cut is None else (full[cut], parts[cut])


def _header_text(parts) -> str:
    return "&L&8{}&C&8{}&R&8{}".format(*(escape_header(p) for p in parts))


def _shortened(text: str, keep: int) -> str:
    return text[:keep].rstrip() + "…"


def escape_header(text: str) -> str:
    # '&' starts a control code in Excel headers and footers; a literal ampersand is written twice.
    return text.replace("&", "&&")


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"
