"""Reads the cells of an .xlsx file: the only module that parses workbook files.

A small streaming reader over the zip parts with expat, rather than openpyxl or calamine, because it
(1) gives a cell's formula and its cached value in one pass (openpyxl gives one or the other),
(2) refuses any DTD or entity before it is expanded, checks the zip directory's declared sizes
before inflating anything and reads no more than was declared (bombs, lies), and
(3) is several times faster than openpyxl and cannot take the process down with it (calamine can).
It knows nothing of xlplan's sheets: it returns raw cells; xlplan.readback interprets them.

Each part has two readers: a fast path of regular expressions for the forms programs write, and
expat for everything else. The fast path reads a part only when cheap checks show it has such a form,
and reads it exactly as expat does; otherwise it steps aside and expat reads the part.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from xml.parsers import expat

from xlplan.core.remembered import Remembered

MAX_PART_BYTES = 64 * 1024 * 1024  # one inflated XML part
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all inflated parts together
MAX_RATIO = 200  # inflated / compressed, for parts over 1 MB
MAX_CELLS = 500_000  # per workbook; a team plan holds a few thousand
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Transitional (ECMA-376) and Strict (ISO/IEC 29500) namespaces; cells are read by local name in either.
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
WORKBOOK = "xl/workbook.xml"  # where a workbook part usually is
OFFICE_DOCUMENT = "officeDocument"  # the package relationship to it (its type's last word)


class ReadError(Exception):
    """The file cannot be read as a workbook. `kind` selects the Danish message in readback."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}")


@dataclass(slots=True)  # never changed after reading: one cell object may stand for many cells of the same text
class RawCell:
    value: object  # str, int, float, bool, dt.date, dt.datetime or None
    formula: str | None = None
    error: str | None = None  # an Excel error value such as '#N/A'


@dataclass
class RawSheet:
    name: str
    state: str  # visible | hidden | veryHidden
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def value(self, row: int, col: int):
        cell = self.cells.get((row, col))
        return None if cell is None else cell.value

    @property
    def max_row(self) -> int:
        return max(self.cells)[0] if self.cells else -1  # the largest (row, col) holds the last row


@dataclass
class RawWorkbook:
    sheets: list[RawSheet]
    date1904: bool = False
    has_macros: bool = False
    external_links: int = 0
    has_comments: bool = True  # a part that may hold cell comments (comments.read_comments reads them)
    missing: list[str] = field(default_factory=list)  # sheets the workbook lists without a part: not read
    saved: dt.datetime | None = None  # when the program that saved it last says it did (docProps/core.xml)

    def sheet(self, name: str) -> RawSheet | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None


class DateSystem(NamedTuple):
    """How a workbook counts serial dates (ECMA-376 Part 1, 18.17.4.1; workbookPr date1904, dateCompatibility)."""

    date1904: bool = False
    leap_year_bug: bool = True  # the 1900 system as Excel keeps it, with a 29 February 1900


def sniff(head: bytes) -> str:
    """What a file is by its first bytes: 'zip', 'ole' (legacy .xls or an encrypted workbook), or 'other'."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    return "other"


def _ole_kind(path) -> str:
    """An OLE compound file is an encrypted workbook, a legacy .xls, or broken: judged by its stream names."""
    with open(path, "rb") as handle:
        data = handle.read(8 * 1024 * 1024)
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return "ole_broken"


def read_workbook(path, skip: frozenset[str] = frozenset()) -> RawWorkbook:
    """The workbook's sheets and cells. Sheets named in `skip` are listed but neither inflated nor parsed
    (a team workbook's guide and value lists: the reader of records never looks at them)."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    kind = sniff(head)
    if kind == "ole":
        raise ReadError(_ole_kind(path))
    if kind != "zip":
        raise ReadError("not_zip", "empty" if not head else "")
    archive = open_archive(path)
    with archive:
        return _Reader(archive).read(skip)


def saved_time(text: str) -> dt.datetime | None:
    """A W3CDTF time ('2026-12-07T10:15:00Z', '…+01:00') in this computer's local time, as a file's time
    is (naive); None when it is none."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value.replace(microsecond=0)


def is_comment_part(name: str) -> bool:
    """A part that may hold cell comments, legacy or threaded (by its name, as Excel and LibreOffice write it)."""
    lower = name.lower()
    return lower.endswith(".xml") and "comment" in lower.rsplit("/", 1)[-1]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _refuse_dtd(*_args):
    raise ReadError("dtd")


def _parse(data: bytes, start, end=None, text=None) -> None:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ReadError("bad_xml", str(exc)) from None


# How a style shows a number, by its number format (ECMA-376 Part 1, 18.8.30-31): a date (with or without its
# time), a time of day (Excel shows 1.5 under h:mm as 12:00: the day is not shown), or a duration counted
# in elapsed hours, minutes or seconds (1.5 under [h]:mm is 36:00)
DATE, TIME, DURATION = "date", "time", "duration"
BUILTIN_KINDS = {**dict.fromkeys([*range(14, 18), 22, *range(27, 37), *range(50, 59)], DATE),
                 **dict.fromkeys([18, 19, 20, 21, 45, 47], TIME),  # h:mm AM/PM ... h:mm:ss, mm:ss, mmss.0
                 46: DURATION}  # [h]:mm:ss
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')  # literal text, escapes and [..] (colours, locales, elapsed)
_LITERAL = re.compile(r'"[^"]*"|\\.')
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)


def format_kind(code: str) -> str | None:
    """DATE, TIME or DURATION for a number format that shows a number as one; None for a number. m is the
    month, except beside an hour or a second, where it is the minutes (as Excel reads it)."""
    stripped = _QUOTED.sub("", code).lower()
    if "general" in stripped:
        return None
    if _ELAPSED.search(_LITERAL.sub("", code)):
        return DURATION
    if re.search(r"[dy]", stripped):
        return DATE
    clock = re.search(r"[hs]", stripped)
    if "m" in stripped:
        return TIME if clock else DATE
    return TIME if clock else None


class _Reader:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.infos = {info.filename: info for info in archive.infolist()}
        # Part names are compared case-insensitively (ECMA-376 Part 2, 6.2.2.3), as Excel finds them, and an
        # entry named with backslashes (xl\\workbook.xml, as some Windows tools write the zip) is the part with
        # slashes, as Excel, openpyxl and calamine find it; a name with slashes comes first
        self.folded = {}
        for name in sorted(self.infos, key=lambda n: "\\" in n):
            self.folded.setdefault(name.replace("\\", "/").lower(), name)
        self.total = 0
        self.cells = 0
        self._check_directory()

    def _check_directory(self) -> None:
        declared = sum(i.file_size for i in self.infos.values())
        if declared > MAX_TOTAL_BYTES:
            raise ReadError("bomb", f"{declared // 1_000_000} MB udpakket")
        for info in self.infos.values():
            if info.flag_bits & 0x1:
                raise ReadError("encrypted_zip")
            if info.file_size > MAX_PART_BYTES or (
                    info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise ReadError("bomb", f"{info.filename}: {info.file_size // 1_000_000} MB udpakket")
        self.workbook = self._workbook_name()
        if self.workbook is None:
            if "EncryptedPackage" in self.infos or "EncryptionInfo" in self.infos:
                raise ReadError("encrypted")
            raise ReadError("not_xlsx")

    def _workbook_name(self) -> str | None:
        """The workbook part: the target of the package's officeDocument relationship (_rels/.rels), which
        may name any part (ECMA-376 Part 2, 9.3; Part 1, 11.3.10), else xl/workbook.xml, where every common
        program writes it; None without either."""
        try:
            _targets, types = self._relationships("_rels/.rels", ".")
        except ReadError as exc:
            if exc.kind != "bad_xml":
                raise  # a DTD or a bomb is refused wherever it is
            types = {}  # damaged package relationships: the workbook where it always is, if it is there
        for name in (types.get(OFFICE_DOCUMENT), WORKBOOK):
            if name and self.info(name) is not None:
                return name
        return None

    def book_relationships(self) -> tuple[dict[str, str], dict[str, str]]:
        """The workbook's relationships: relationship id -> part (its sheets), type's last word -> part."""
        folder, base = posixpath.split(self.workbook)
        return self._relationships(posixpath.join(folder, "_rels", base + ".rels"), folder or ".")

    def book_part(self, types: dict[str, str], kind: str, usual: str) -> str:
        """The part of a kind the workbook relates to (sharedStrings, styles), or its usual name beside it."""
        return types.get(kind) or posixpath.join(posixpath.dirname(self.workbook), usual)

    def info(self, name: str) -> zipfile.ZipInfo | None:
        info = self.infos.get(name)
        if info is None:
            info = self.infos.get(self.folded.get(name.lower(), ""))
        return info

    def part(self, name: str) -> bytes | None:
        info = self.info(name)
        if info is None:
            return None
        try:
            with self.archive.open(info) as handle:
                data = handle.read(info.file_size + 1)  # never more than declared, plus one to catch a lie
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error,
                struct.error) as exc:
            raise ReadError("bad_zip", f"{name}: {exc}") from None
        if len(data) > info.file_size:
            raise ReadError("bomb", f"{name}: større end angivet")
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise ReadError("bomb", "for meget data")
        return data

    def read(self, skip: frozenset[str] = frozenset()) -> RawWorkbook:
        sheets, dates = self._workbook()
        targets, types = self.book_relationships()
        strings = self._shared_strings(self.book_part(types, "sharedStrings", "sharedStrings.xml"))
        date_styles = self._date_styles(self.book_part(types, "styles", "styles.xml"))
        result, missing = [], []
        for name, state, rid in sheets:
            target = targets.get(rid)
            if name in skip and target and self.info(target) is not None:
                result.append(RawSheet(name, state))
                continue
            data = self.part(target) if target else None
            if data is None:
                missing.append(name)  # listed without a part (Excel keeps a legacy macro sheet so): the rest is read
                continue
            sheet = RawSheet(name, state)
            if not (FAST and _scan_sheet(data, sheet, strings, date_styles, dates, self)):
                sheet = RawSheet(name, state)
                self._sheet(data, sheet, strings, date_styles, dates)
            result.append(sheet)
        folded = list(self.folded)
        has_macros = any(n.endswith("vbaproject.bin") for n in folded)
        linked = posixpath.join(posixpath.dirname(self.workbook.lower()), "externallinks/")
        links = sum(1 for n in folded if n.startswith(linked) and n.endswith(".xml"))
        return RawWorkbook(result, dates.date1904, has_macros, links, any(map(is_comment_part, self.infos)), missing,
                           self._saved())

    def _saved(self) -> dt.datetime | None:
        """dcterms:modified of the core properties: Excel, LibreOffice and Google Sheets write the time of the
        save there, and it travels with the file (a file's time in a folder is when it was copied there)."""
        try:
            data = self.part("docProps/core.xml")
        except ReadError:
            return None  # the properties are no part of what a team wrote: a damaged part costs only this time
        if not data:
            return None
        found: list[str] = []
        state = {"in": False}

        def start(name, _attrs):
            state["in"] = _local(name) == "modified"

        def end(_name):
            state["in"] = False

        def text(value):
            if state["in"]:
                found.append(value)

        try:
            _parse(data, start, end, text)
        except ReadError:
            return None
        return saved_time("".join(found))

    def _workbook(self) -> tuple[list[tuple[str, str, str]], DateSystem]:
        data = self.part(self.workbook)
        sheets, dates = _once(("workbook", data), lambda: _workbook_part(data))
        return list(sheets), dates

    def _relationships(self, name: str, base: str) -> tuple[dict[str, str], dict[str, str]]:
        """Relationship id -> part, and relationship type (its last word) -> part."""
        data = self.part(name)
        if data is None:
            return {}, {}
        targets, types = _once(("relationships", base, data), lambda: _relationships_part(data, base))
        return dict(targets), dict(types)

    def _date_styles(self, name: str) -> dict[int, str]:
        """Cell style -> how it shows a number: DATE, TIME or DURATION (a style that shows a number is left out)."""
        data = self.part(name)
        if data is None:
            return {}
        return dict(_once(("styles", FAST, data), lambda: _date_styles_part(data)))

    def _shared_strings(self, name: str) -> list[str]:
        data = self.part(name)
        strings: list[str] = []
        if data is None:
            return strings
        if FAST:
            fast = _scan_shared_strings(data)
            if fast is not None:
                return fast
        state = {"parts": None, "text": None, "skip": 0}

        def start(name, attrs):
            local = _local(name)
            if local == "si":
                state["parts"] = []
            elif local in ("rPh", "phoneticPr"):
                state["skip"] += 1
            elif local == "t" and not state["skip"]:
                state["text"] = []

        def end(name):
            local = _local(name)
            if local == "si":
                strings.append("".join(state["parts"] or ()))
                state["parts"] = None
            elif local in ("rPh", "phoneticPr"):
                state["skip"] -= 1
            elif local == "t" and state["text"] is not None:
                if state["parts"] is not None:
                    state["parts"].append(decode_escapes("".join(state["text"])))
                state["text"] = None

        def text(data_):
            if state["text"] is not None:
                state["text"].append(data_)

        _parse(data, start, end, text)
        return strings

    def _sheet(self, data: bytes, sheet: RawSheet, strings, date_styles, dates: DateSystem) -> None:
        st = {"ref": None, "type": "n", "style": 0, "v": None, "f": None, "in": None, "row": -1, "col": -1,
              "inline": None, "phonetic": 0}
        buf: list[str] = []

        def start(name, attrs):
            local = _local(name)
            if local == "c":
                ref = attrs.get("r")
                if ref:
                    st["row"], st["col"] = _ref(ref)
                else:
                    st["col"] += 1
                st["type"] = attrs.get("t", "n")
                st["style"] = _style_index(attrs.get("s"))
                st["v"] = st["f"] = st["inline"] = None
            elif local == "row":
                r = attrs.get("r")
                st["row"] = int(r) - 1 if r else st["row"] + 1
                st["col"] = -1
            elif local in ("v", "f"):
                st["in"] = local
                buf.clear()
            elif local == "t" and st["type"] == "inlineStr" and not st["phonetic"]:
                st["in"] = "t"
                buf.clear()
            elif local == "rPh":  # a phonetic reading is not part of the text
                st["phonetic"] += 1
            elif local == "mergeCell":
                _add_merge(sheet, attrs.get("ref", ""))

        def end(name):
            local = _local(name)
            if local in ("v", "f") and st["in"] == local:
                st[local] = "".join(buf)
                st["in"] = None
            elif local == "t" and st["in"] == "t":
                st["inline"] = (st["inline"] or "") + decode_escapes("".join(buf))
                st["in"] = None
            elif local == "rPh":
                st["phonetic"] -= 1
            elif local == "c":
                cell = _cell(st["type"], st["style"], st["v"], st["f"], st["inline"], strings, date_styles, dates)
                if cell is not None:
                    self.cells += 1
                    if self.cells > MAX_CELLS:
                        raise ReadError("too_many_cells", str(MAX_CELLS))
                    sheet.cells[(st["row"], st["col"])] = cell

        def text(data_):
            if st["in"]:
                buf.append(data_)

        _parse(data, start, end, text)


# ---- parts that recur byte for byte in every team's workbook (the same template saved by the same program)

_PARTS = Remembered(64, 256 * 1024)  # (what, ..., the part's bytes) -> what was read from it


def _once(key: tuple, read):
    """What `read()` gives for a part, read once per process for the same bytes (a damaged part raises
    each time; a large part is read each time). Callers get their own copies of what may be changed."""
    if not isinstance(key[-1], bytes):
        return read()
    found = _PARTS.get(key)
    return _PARTS.keep(key, read(), len(key[-1])) if found is None else found


def _workbook_part(data: bytes) -> tuple[list[tuple[str, str, str]], DateSystem]:
    sheets, properties, root = [], {}, []

    def start(name, attrs):
        local = _local(name)
        if not root:
            root.append(local)
            if local != "workbook":  # the package's main part is no workbook (a document, a presentation)
                raise ReadError("not_xlsx", local)
        if local == "sheet":
            sheets.append((attrs.get(f"{MAIN_NS}}}name", attrs.get("name", "")),
                           attrs.get("state", "visible"),
                           attrs.get(f"{REL_NS}}}id") or attrs.get(f"{STRICT_REL_NS}}}id", "")))
        elif local == "workbookPr":
            properties.update(attrs)

    _parse(data, start)
    # dateCompatibility="0" (ISO/IEC 29500) selects the 1900 system without the leap-year bug, whatever
    # date1904 says; LibreOffice reads it the same way
    if properties.get("dateCompatibility") in ("0", "false"):
        return sheets, DateSystem(date1904=False, leap_year_bug=False)
    return sheets, DateSystem(date1904=properties.get("date1904") in ("1", "true"))


def _relationships_part(data: bytes, base: str) -> tuple[dict[str, str], dict[str, str]]:
    targets: dict[str, str] = {}
    types: dict[str, str] = {}

    def start(tag, attrs):
        if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
            targets[attrs.get("Id", "")] = path
            types.setdefault(attrs.get("Type", "").rsplit("/", 1)[-1], path)

    _parse(data, start)
    return targets, types


def _date_styles_part(data: bytes) -> dict[int, str]:
    if FAST:
        fast = _scan_date_styles(data)
        if fast is not None:
            return fast
    custom: dict[int, str] = {}
    xfs: list[int] = []
    inside = {"cellXfs": False, "numFmts": False}  # a numFmt inside a differential format is not a cell's

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt" and inside["numFmts"]:
            custom[_format_id(attrs)] = attrs.get("formatCode", "")
        elif local in inside:
            inside[local] = True
        elif local == "xf" and inside["cellXfs"]:
            xfs.append(_format_id(attrs))

    def end(name):
        if _local(name) in inside:
            inside[_local(name)] = False

    _parse(data, start, end)
    return _kinds(xfs, custom)


def _kinds(xfs: list[int], custom: dict[int, str]) -> dict[int, str]:
    """Each cell style (its number format's id, in order) that shows a number as a date, time or duration."""
    kinds = {}
    for i, fmt in enumerate(xfs):
        kind = format_kind(custom[fmt]) if fmt in custom else BUILTIN_KINDS.get(fmt)
        if kind is not None:
            kinds[i] = kind
    return kinds


def _style_index(value: str | None) -> int:
    """A cell's style (its s attribute): absent or empty is the default style, 0, as Excel, openpyxl and
    calamine read it; anything but a number is refused."""
    if not value:
        return 0
    if not value.isascii() or not value.isdigit():
        raise ReadError("bad_xml", f"ugyldig typografi {value!r} i en celle")
    return int(value)


def _format_id(attrs: dict) -> int:
    """A style's number format: a number, or the part is refused (read as General, a date would show as a
    number without a word)."""
    value = attrs.get("numFmtId", "0")
    if not value.isascii() or not value.isdigit():
        raise ReadError("bad_xml", f"ugyldigt talformat {value!r} i typografierne")
    return int(value)


# ---------------------------------------------------------------- the fast path
#
# Expat calls back into Python for every element, and a generated sheet is mostly styled empty
# cells: one pass of a regular expression over the bytes is about five times faster. It reads a part
# only when cheap checks show the forms it knows (one namespace prefix or none throughout, no DTD,
# comment, CDATA or other encoding than UTF-8, the part whole); any element it cannot place makes it
# step aside for expat rather than guess. Tests compare both paths on every fixture, and hypothesis on
# generated parts.
FAST = True
# The checks below search with compiled patterns rather than bytes.find or `in`: for these short needles
# that is two to three times faster on a sheet (measured with benchmarks/reader_paths.py).
_MARKUP = re.compile(rb"<!")
_PREFIXED_CELL = re.compile(rb":c[ >]")
_PREFIXED_ITEM = re.compile(rb":si>")
_ESCAPED = re.compile(rb"_x")


class _Unusual(Exception):
    """The fast path met a form it does not read: expat reads the part."""


def _plain_part(data: bytes) -> bool:
    """True when the part holds no markup declaration, CDATA section or comment, and is UTF-8 (the fast
    paths read only plain elements); a DTD or entity is refused here, before anything is read."""
    if _MARKUP.search(data):
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise ReadError("dtd")
        return False
    if data.startswith(b"<?xml"):
        declaration = data[:data.find(b"?>", 0, 200)].lower()
        if b"encoding" in declaration and b"utf-8" not in declaration:
            return False
    return True


def _declares(data: bytes, prefix: bytes, before: int) -> bool:
    """Whether the part binds `prefix` (with its colon) before `before`; expat refuses an unbound one."""
    return not prefix or data.find(b"xmlns:" + prefix[:-1] + b"=", 0, before) >= 0


# ---- shared strings

_SST_ROOT = re.compile(rb"<(\w+:)?sst\b")
_SST_END = re.compile(rb"</(?:\w+:)?sst>\s*$")


@lru_cache(maxsize=8)
def _string_item(prefix: str) -> re.Pattern:
    """A shared string item: its text when it is one plain <t>, else its whole body (rich text runs)."""
    p = re.escape(prefix)
    return re.compile(rf'<{p}si>(?:<{p}t(?: xml:space="preserve")?>([^<]*)</{p}t>|(.*?))</{p}si>|<{p}si/>', re.S)


def _scan_shared_strings(data: bytes) -> list[str] | None:
    """The shared strings by regular expressions; None when the part needs the full parser."""
    root = _SST_ROOT.search(data, 0, 4096)
    if root is None or not _plain_part(data) or not _SST_END.search(data[-64:]):
        return None
    prefix = root.group(1) or b""
    if not _declares(data, prefix, data.find(b">", root.end())):
        return None
    if prefix:
        if data.count(b":si>") != data.count(b"<" + prefix + b"si>") + data.count(b"</" + prefix + b"si>"):
            return None  # items with another prefix among these
    elif _PREFIXED_ITEM.search(data):
        return None  # an item with a prefix among plain ones
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # expat reads it, or says where it is damaged
    found = _string_item(prefix.decode()).findall(text)
    if len(found) != data.count(b"<" + prefix + b"si"):
        return None  # an item the pattern does not know
    try:
        if _ESCAPED.search(data):  # rare: the texts of rich items are decoded run by run in _text_runs
            return [decode_escapes(_unescape(simple)) if not rich else "".join(_text_runs(rich))
                    for simple, rich in found]
        return [_unescape(simple) if not rich else "".join(_text_runs(rich)) for simple, rich in found]
    except _Unusual:
        return None
    except (ValueError, OverflowError) as exc:
        raise ReadError("bad_xml", str(exc)) from None


# ---- date styles

_XF = re.compile(rb"<xf\b([^>]*)>")
_NUMFMT = re.compile(rb"<numFmt\b([^>]*)>")
_NUMFMT_ID = re.compile(rb'\bnumFmtId="(\d+)"')
_FORMAT_CODE = re.compile(rb'\bformatCode="([^"]*)"')


def _scan_date_styles(data: bytes) -> dict[int, str] | None:
    """The cell styles that show a date, by regular expressions; None when the part needs the full parser."""
    if not _plain_part(data) or b"='" in data:
        return None
    begin, end = data.find(b"<cellXfs"), data.find(b"</cellXfs>")
    if begin < 0 or end < begin:
        return None  # none, or written with a namespace prefix
    try:
        custom = {}
        for attrs in _NUMFMT.findall(data, 0, begin):
            number, code = _NUMFMT_ID.search(attrs), _FORMAT_CODE.search(attrs)
            if number is None and b"numFmtId" in attrs:
                return None  # not a plain number: the full parser judges it (and refuses what is no number)
            custom[int(number.group(1)) if number else 0] = _xml_text(code.group(1)) if code else ""
        xfs = []
        for attrs in _XF.findall(data, begin, end):
            number = _NUMFMT_ID.search(attrs)
            if number is None and b"numFmtId" in attrs:
                return None
            xfs.append(int(number.group(1)) if number else 0)
    except UnicodeDecodeError:
        return None
    except ValueError as exc:
        raise ReadError("bad_xml", str(exc)) from None
    return _kinds(xfs, custom)


# ---- sheets

_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_END = re.compile(rb"</(?:\w+:)?worksheet>\s*$")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?ref="([^"]+)"')


@lru_cache(maxsize=8)
def _cell_pattern(prefix: bytes) -> re.Pattern:
    """A cell with content as XlsxWriter, openpyxl, LibreOffice and Excel write it, for one namespace prefix:
    r first, then s and t in either order and any other attributes; then an optional formula, value and
    inline string (its text alone when it is one plain <t>, as openpyxl writes it). The possessive
    quantifiers make a styled empty cell (<c r="B7" s="3"/>, most of a generated sheet) fail at its "/"
    without backtracking, so those cost almost nothing. A cell whose start tag matches but whose content
    does not (an unknown child, a mismatched or missing end tag) matches the last alternative, which
    sends the part to expat."""
    return re.compile(_cell_head(prefix) + rb'([A-Z]{1,3}\d+)"' + _cell_rest(prefix), re.S)


@lru_cache(maxsize=8)
def _cell_outline(prefix: bytes) -> re.Pattern:
    """The same cells as _cell_pattern, giving only two groups: the reference, and everything after it
    (the same text recurs from cell to cell, and is read once by _cell_pattern)."""
    rest = _cell_rest(prefix)
    assert b"\\(" not in rest
    return re.compile(_cell_head(prefix) + rb'([A-Z]{1,3}\d+)"(' + re.sub(rb"\((?!\?)", b"(?:", rest) + rb")", re.S)


def _cell_head(prefix: bytes) -> bytes:
    return rb'<' + re.escape(prefix) + rb'c r="'


def _cell_rest(prefix: bytes) -> bytes:
    p = re.escape(prefix)
    return (rb'(?: s="(\d+)"(?: t="(\w+)")?+| t="(\w+)"(?: s="(\d+)")?+)?+'
            rb'(?=[\s>])(?:\s+(?![st]=)[\w:.-]+="[^"<]*")*+\s*+>\s*+'
            rb'(?:(<' + p + rb'f\b[^>]*?(?:/>|>([^<]*)</' + p + rb'f>))?+\s*+'
            rb'(<' + p + rb'v\b[^>]*?(?:/>|>([^<]*)</' + p + rb'v>))?+\s*+'
            rb'(<' + p + rb'is>(?:<' + p + rb't(?: xml:space="preserve")?>([^<]*)</' + p + rb't></' + p + rb'is>'
            rb'|(?:[^<]|<(?!/' + p + rb'is>))*+</' + p + rb'is>))?+\s*+'
            rb'</' + p + rb'c>|(.))')


_EMPTY = object()
# A cell's XML after its reference -> its groups of _cell_pattern, and its cell where that depends on
# nothing but the XML (texts, booleans, errors, ISO dates, formulas without a cached value; not a number,
# which is a date or not by the workbook's styles, nor a shared string): the same template texts recur in
# every team's workbook a process reads. Bounded; the cells are never changed after reading.
_INDEPENDENT_KINDS = frozenset({b"inlineStr", b"str", b"b", b"e", b"d"})
_KNOWN_LIMIT, _KNOWN_SIZE = 20_000, 1_000  # entries; characters or bytes (a long text seldom recurs)
_OUTLINES = Remembered(_KNOWN_LIMIT, _KNOWN_SIZE)
_NUMBERS = Remembered(_KNOWN_LIMIT, _KNOWN_SIZE)  # (XML after the reference, its style's kind, date system) -> cell
_TEXTS = Remembered(_KNOWN_LIMIT, _KNOWN_SIZE)  # a shared string's text -> its cell


def _scan_sheet(data: bytes, sheet: RawSheet, strings, date_styles, dates: DateSystem, reader) -> bool:
    """Fill `sheet` from its XML with one regular expression; False when the part needs the full parser."""
    if not _plain_part(data) or not _END.search(data[-64:]):
        return False
    opening = _SHEET_DATA.search(data)
    if opening is None:
        return False
    prefix = opening.group(1) or b""
    if not _declares(data, prefix, opening.start()):
        return False
    after = opening.end()
    if not opening.group(2):
        after = data.rfind(b"</" + prefix + b"sheetData>", opening.end())  # near the end, before the merges
        if after < 0:
            return False
        try:
            if not _scan_cells(data, opening.end(), after, prefix, sheet, strings, date_styles, dates, reader):
                return False
        except (_Unusual, UnicodeDecodeError):
            return False  # expat reads it, or says where it is damaged
        except (ValueError, OverflowError) as exc:
            raise ReadError("bad_xml", str(exc)) from None
    elif data.find(b"c>", after) >= 0:
        return False  # perhaps a cell after an empty <sheetData/>: expat says what that is
    _scan_merges(data, sheet, after)  # merged ranges follow the cells
    return True


def _scan_cells(data: bytes, begin: int, finish: int, prefix: bytes, sheet: RawSheet, strings, date_styles,
                dates: DateSystem, reader) -> bool:
    """The cells between begin and finish (sheetData's content); False at the first one it does not know."""
    expected = data.count(b"</" + prefix + b"c>", begin, finish)
    if prefix:
        if data.find(b"<c", begin, finish) >= 0 or data.find(b"</c>", begin, finish) >= 0:
            return False  # a cell without the sheet's prefix
        if data.count(b":c>", begin, finish) != expected or data.count(b":c ", begin, finish) != data.count(
                b"<" + prefix + b"c ", begin, finish):
            return False  # a cell with another prefix
    elif _PREFIXED_CELL.search(data, begin, finish):
        return False  # a cell with a prefix among plain ones
    if reader.cells + expected > MAX_CELLS:
        return False  # expat counts the cells that hold something, and stops at the limit
    found = _cell_outline(prefix).findall(data, begin, finish)
    if len(found) != expected:
        return False  # a cell the pattern does not know
    cells = sheet.cells
    memo = {}  # this workbook's cells by their XML after the reference: a row's cells recur
    for ref, rest in found:
        cell = memo.get(rest)
        if cell is None:
            cell = memo[rest] = _cell_of(ref, rest, prefix, strings, date_styles, dates)
        if cell is not _EMPTY:
            cells[_ref_bytes(ref)] = cell
    reader.cells += len(cells)
    return True


def _cell_of(ref: bytes, rest: bytes, prefix: bytes, strings, date_styles, dates: DateSystem):
    """The cell (or _EMPTY) of a cell's XML, `rest` being what follows its reference."""
    known = _OUTLINES.get(rest)
    if known is None:
        known = _outline(ref, rest, prefix, strings, date_styles, dates)
        _OUTLINES.keep(rest, known, len(rest))
    content, cell, index = known
    if cell is not None:
        return cell
    if index is not None:  # a shared string, by its index
        text = strings[index] if index < len(strings) else None
        if not text:
            return _EMPTY
        cell = _TEXTS.get(text)
        if cell is None:
            cell = RawCell(text)
            _TEXTS.keep(text, cell, len(text))
        return cell
    kind = content[1] or content[2]
    if kind == b"" or kind == b"n":  # a number: a date or not by its style and the date system
        key = (rest, date_styles.get(int(content[0] or content[3] or 0)), dates)
        cell = _NUMBERS.get(key)
        if cell is None:
            cell = _found_cell(content, strings, date_styles, dates) or _EMPTY
            _NUMBERS.keep(key, cell, len(rest))
        return cell
    return _found_cell(content, strings, date_styles, dates) or _EMPTY  # by this workbook's strings


def _outline(ref: bytes, rest: bytes, prefix: bytes, strings, date_styles, dates: DateSystem) -> tuple:
    """(the groups of _cell_pattern after the reference, the cell where it depends on nothing but its XML,
    the index of a shared string)."""
    whole = _cell_head(prefix) + ref + b'"' + rest
    match = _cell_pattern(prefix).match(whole)
    if match is None or match.end() != len(whole):
        raise _Unusual  # cannot be (the two patterns are one), but never a guess: expat reads the part
    content = match.groups(b"")[1:]  # as findall gives them: b"" for a group that took no part
    if content[-1]:
        raise _Unusual  # an element the pattern does not know: expat reads the part
    kind = content[1] or content[2]
    if kind == b"s" and not content[4] and content[7].isdigit():
        return content, None, int(content[7])
    if kind in _INDEPENDENT_KINDS or not content[6]:
        return content, _found_cell(content, strings, date_styles, dates) or _EMPTY, None
    return content, None, None


def _found_cell(content: tuple, strings, date_styles, dates: DateSystem) -> RawCell | None:
    """The cell a match of the cell pattern stands for (its groups after the reference)."""
    s1, t1, t2, s2, has_formula, formula, has_value, value, inline, inline_text, unusual = content
    kind = t1 or t2
    if kind == b"inlineStr":
        inline = decode_escapes(_xml_text(inline_text)) if inline_text else _inline_text(inline)
    return _cell(kind.decode() if kind else "n", int(s1 or s2 or 0),
                 _xml_text(value) if has_value else None, _xml_text(formula) if has_formula else None,
                 inline if kind == b"inlineStr" else None, strings, date_styles, dates)


def _scan_merges(data: bytes, sheet: RawSheet, start: int) -> None:
    first = data.find(b"mergeCell ", start)
    if first < 0:
        return
    for ref in _MERGE.findall(data, max(0, first - 16), data.rfind(b"mergeCell ") + 1024):
        _add_merge(sheet, ref.decode())


# ---- text

_T_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")  # text holds no '<' (it is escaped)
_RPH_TEXT = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)


def _text_runs(xml: str) -> list[str]:
    """The texts of a rich or inline string's <t> elements, without its phonetic runs."""
    if "<?" in xml:
        raise _Unusual  # a processing instruction inside the text
    return [decode_escapes(_unescape(t.group(1) or "")) for t in _T_TEXT.finditer(_RPH_TEXT.sub("", xml))]


def _inline_text(inline: bytes) -> str | None:
    """An inline string's text; None when it has no <t> at all (as expat reads it)."""
    texts = _text_runs(inline.decode("utf-8"))
    return "".join(texts) if texts else None


def _xml_text(raw: bytes) -> str:
    return _unescape(raw.decode("utf-8"))


_REFERENCE = re.compile(r"&(?:(#x[0-9a-fA-F]+|#[0-9]+)|(lt|gt|amp|quot|apos));|&")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    """Text as an XML parser gives it: line ends normalised, the five entities and character references
    replaced; anything else after '&' is not well-formed XML."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    return _REFERENCE.sub(_replace_reference, text)


def _replace_reference(match: re.Match) -> str:
    number, name = match.groups()
    if name:
        return _NAMED[name]
    if number is None:
        raise ReadError("bad_xml", "'&' uden gyldig reference")
    code = int(number[2:], 16) if number[1] == "x" else int(number[1:])
    if not _xml_character(code):
        raise ReadError("bad_xml", f"ugyldigt tegn &{number};")
    return chr(code)


def _xml_character(code: int) -> bool:
    """Whether XML 1.0 allows the character (a reference to any other is not well-formed)."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


# a surrogate pair first, so that its halves are joined; a half alone stays as written
_ESCAPE = re.compile(r"_x([Dd][89ABab][0-9A-Fa-f]{2})__x([Dd][C-Fc-f][0-9A-Fa-f]{2})_|_x([0-9A-Fa-f]{4})_")


def decode_escapes(text: str) -> str:
    """A string as Excel means it: '_xHHHH_' is the character HHHH (ECMA-376 Part 1, 22.9.2.19 ST_Xstring), so
    '_x000D_' is a carriage return and '_x005F_' an underscore ('_x005F_x000D_' is the text '_x000D_')."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(_escaped_character, text)


def _escaped_character(match: re.Match) -> str:
    high, low, single = match.groups()
    if high:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    code = int(single, 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)


# ---------------------------------------------------------------- references and merges

def _add_merge(sheet: RawSheet, ref: str) -> None:
    merge = _merge_range(ref)
    if merge is not None:
        sheet.merged.append(merge)


MAX_ROW, MAX_COL = 1_048_575, 16_383  # the last row and column of a sheet, 0-based
_WHOLE_COLUMNS = re.compile(r"\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})")
_WHOLE_ROWS = re.compile(r"\$?(\d+):\$?(\d+)")


@lru_cache(maxsize=4096)
def _merge_range(ref: str) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) of a merge; whole columns ('R:R') and whole rows
    ('3:3') reach the sheet's edge. None for a single cell, which merges nothing."""
    if ":" not in ref:
        return None
    if columns := _WHOLE_COLUMNS.fullmatch(ref):
        return 0, _column(columns.group(1)), MAX_ROW, _column(columns.group(2))
    if rows := _WHOLE_ROWS.fullmatch(ref):
        return int(rows.group(1)) - 1, 0, int(rows.group(2)) - 1, MAX_COL
    a, b = ref.split(":", 1)
    (r1, c1), (r2, c2) = _ref(a), _ref(b)
    return r1, c1, r2, c2


_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _column(letters: str) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return col - 1


@lru_cache(maxsize=65536)
def _ref_bytes(ref: bytes) -> tuple[int, int]:
    return _ref(ref.decode())


@lru_cache(maxsize=65536)
def _ref(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref.replace("$", "").upper())
    if not match:
        raise ReadError("bad_xml", f"ugyldig cellereference {ref!r}")
    return int(match.group(2)) - 1, _column(match.group(1))


# ---------------------------------------------------------------- dates

EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 of the 1900 system without the leap-year bug
EXCEL_DAY_ZERO = dt.datetime(1899, 12, 31)  # serial 0 where Excel counts 29-02-1900 (serial 60) as a day
EPOCH_1904 = dt.datetime(1904, 1, 1)
MS_PER_DAY = 86_400_000


@lru_cache(maxsize=4096)
def serial_to_date(serial: float, date1904: bool = False, leap_year_bug: bool = True) -> dt.date | dt.datetime | None:
    """The moment a serial number stands for, to the millisecond (as openpyxl and Excel round it): a date
    when it falls on midnight. None for Excel's 29-02-1900 (serial 60), a day that never was."""
    if date1904:
        epoch = EPOCH_1904
    elif leap_year_bug and serial < 61:
        if serial >= 60:
            return None
        epoch = EXCEL_DAY_ZERO
    else:
        epoch = EXCEL_EPOCH
    days, fraction = divmod(serial, 1)
    try:
        moment = epoch + dt.timedelta(days=days, milliseconds=round(fraction * MS_PER_DAY))
    except OverflowError:
        return None  # rounds past 31-12-9999
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return moment.date()
    return moment


# ECMA-376 Part 1, 18.17.4: a date, a date and a time, or a time of day, in local time (no zone), read to
# the millisecond from however many digits of a second (Strict files write more than nine)
_ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?", re.ASCII)
_ISO_TIME = re.compile(r"T?(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?", re.ASCII)


def _milliseconds(fraction: str | None) -> int:
    """A second's fraction, as its digits, to the millisecond (rounded; ten digits decide it)."""
    return round(int(fraction[:10].ljust(10, "0")) / 10 ** 7) if fraction else 0


def time_of_day(serial: float) -> dt.time:
    """The time of day a serial number shows under a time format: its fraction, to the millisecond."""
    ms = round((serial % 1) * MS_PER_DAY) % MS_PER_DAY
    seconds, ms = divmod(ms, 1000)
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, ms * 1000)


def iso_to_date(text: str) -> dt.date | dt.datetime | dt.time | None:
    """The date, date and time, or time of day of a t="d" cell; None for any other text. The 1904 setting
    does not apply: the text names the day itself."""
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return _iso_time(text)
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        moment += dt.timedelta(milliseconds=_milliseconds(fraction))
    except (ValueError, OverflowError):
        return None  # no such day or time
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return moment.date()
    return moment


def _iso_time(text: str) -> dt.time | None:
    """A time of day written alone (11:45:30, T11:45); None for any other text, and for one that rounds to
    24:00, which is no time of day."""
    match = _ISO_TIME.fullmatch(text)
    if match is None:
        return None
    hour, minute, second, fraction = match.groups()
    ms = ((int(hour) * 60 + int(minute)) * 60 + int(second or 0)) * 1000 + _milliseconds(fraction)
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59 or ms >= MS_PER_DAY:
        return None
    return time_of_day(ms / MS_PER_DAY)


# ---------------------------------------------------------------- one cell, both paths

def _cell(kind: str, style: int, raw: str | None, formula: str | None, inline: str | None, strings, date_styles,
          dates: DateSystem) -> RawCell | None:
    if formula is None and not raw and not inline:
        return None  # an empty cell, whatever its type says
    if kind == "s":
        index = int(raw) if raw and raw.isascii() and raw.isdigit() else -1
        value = strings[index] if 0 <= index < len(strings) else None
    elif kind == "inlineStr":
        value = inline
    elif kind == "str":  # a formula's text result, an ST_Xstring like any cell text: Excel writes a carriage
        value = decode_escapes(raw) if raw else raw  # return in it as _x000D_ (ECMA-376 Part 1, 22.9.2.19)
    elif kind == "b":
        value = raw in ("1", "true")
    elif kind == "e":
        return RawCell(None, formula, raw or "#ERROR")
    elif kind == "d":
        value = (iso_to_date(raw) or raw) if raw else None  # text that is no date stays, to be reported
    else:
        value = _number(raw, style, date_styles, dates)
    if value is None and formula is None:
        return None
    if isinstance(value, str) and value == "" and formula is None:
        return None
    return RawCell(value, formula)


def _number(raw: str | None, style: int, date_styles, dates: DateSystem):
    if raw is None or raw == "":
        return None
    try:
        number = float(raw)
    except ValueError:
        return raw
    kind = date_styles.get(style)
    if kind is not None and 0 <= number < 2_958_466:
        if kind == TIME:
            return time_of_day(number)
        if kind == DURATION:
            return dt.timedelta(milliseconds=round(number * MS_PER_DAY))
        day = serial_to_date(number, *dates)
        if day is not None:
            return day
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def open_archive(path) -> zipfile.ZipFile:
    """The workbook's zip archive; a damaged one is a ReadError, whatever zipfile raised."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error) as exc:
        raise ReadError("bad_zip", str(exc)) from None
