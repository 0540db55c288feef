"""Reads the cells of an .xlsx file: the only module that parses workbook files.

A small streaming reader over the zip parts with expat, rather than openpyxl or calamine, because it
(1) gives a cell's formula and its cached value in one pass (openpyxl gives one or the other),
(2) refuses any DTD or entity before it is expanded, checks the zip directory's declared sizes
before inflating anything and reads no more than was declared (bombs, lies), and
(3) is several times faster than openpyxl and cannot take the process down with it (calamine can).
It knows nothing of xlplan's sheets: it returns raw cells; xlplan.readback interprets them.
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
from xml.parsers import expat

MAX_PART_BYTES = 64 * 1024 * 1024  # one inflated XML part
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all inflated parts together
MAX_RATIO = 200  # inflated / compressed, for parts over 1 MB
MAX_CELLS = 500_000  # per workbook; a team plan holds a few thousand
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


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

    def sheet(self, name: str) -> RawSheet | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None


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
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error) as exc:
        raise ReadError("bad_zip", str(exc)) from None
    with archive:
        return _Reader(archive).read(skip)


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


BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def is_date_format(code: str) -> bool:
    stripped = _QUOTED.sub("", code).lower()
    return bool(re.search(r"[dmy]", stripped)) and "general" not in stripped


class _Reader:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.infos = {info.filename: info for info in archive.infolist()}
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
        if "xl/workbook.xml" not in self.infos:
            if "EncryptedPackage" in self.infos or "EncryptionInfo" in self.infos:
                raise ReadError("encrypted")
            raise ReadError("not_xlsx")

    def part(self, name: str) -> bytes | None:
        info = self.infos.get(name)
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
        sheets, date1904 = self._workbook()
        targets, types = self._relationships("xl/_rels/workbook.xml.rels", "xl")
        strings = self._shared_strings(types.get("sharedStrings", "xl/sharedStrings.xml"))
        date_styles = self._date_styles(types.get("styles", "xl/styles.xml"))
        result = []
        for name, state, rid in sheets:
            target = targets.get(rid)
            if name in skip and target in self.infos:
                result.append(RawSheet(name, state))
                continue
            data = self.part(target) if target else None
            if data is None:
                raise ReadError("missing_part", name)
            sheet = RawSheet(name, state)
            if not (FAST and _scan_sheet(data, sheet, strings, date_styles, date1904, self)):
                sheet = RawSheet(name, state)
                self._sheet(data, sheet, strings, date_styles, date1904)
            result.append(sheet)
        has_macros = any(n.lower().endswith("vbaproject.bin") for n in self.infos)
        links = sum(1 for n in self.infos if n.startswith("xl/externalLinks/") and n.endswith(".xml"))
        return RawWorkbook(result, date1904, has_macros, links)

    def _workbook(self):
        sheets, flags = [], {"date1904": False}

        def start(name, attrs):
            local = _local(name)
            if local == "sheet":
                sheets.append((attrs.get(f"{MAIN_NS}}}name", attrs.get("name", "")),
                               attrs.get("state", "visible"),
                               attrs.get(f"{REL_NS}}}id", "")))
            elif local == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "0") in ("1", "true")

        _parse(self.part("xl/workbook.xml"), start)
        return sheets, flags["date1904"]

    def _relationships(self, name: str, base: str) -> tuple[dict[str, str], dict[str, str]]:
        """Relationship id -> part, and relationship type (its last word) -> part."""
        data = self.part(name)
        targets: dict[str, str] = {}
        types: dict[str, str] = {}
        if data is None:
            return targets, types

        def start(tag, attrs):
            if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
                targets[attrs.get("Id", "")] = path
                types.setdefault(attrs.get("Type", "").rsplit("/", 1)[-1], path)

        _parse(data, start)
        return targets, types

    def _shared_strings(self, name: str) -> list[str]:
        data = self.part(name)
        strings: list[str] = []
        if data is None:
            return strings
        if FAST:
            fast = _scan_shared_strings(data)
            if fast is not None:
                return fast
        state = {"parts": None, "in_t": False, "skip": 0}

        def start(name, attrs):
            local = _local(name)
            if local == "si":
                state["parts"] = []
            elif local in ("rPh", "phoneticPr"):
                state["skip"] += 1
            elif local == "t" and not state["skip"]:
                state["in_t"] = True

        def end(name):
            local = _local(name)
            if local == "si":
                strings.append("".join(state["parts"] or ()))
                state["parts"] = None
            elif local in ("rPh", "phoneticPr"):
                state["skip"] -= 1
            elif local == "t":
                state["in_t"] = False

        def text(data_):
            if state["in_t"] and state["parts"] is not None:
                state["parts"].append(data_)

        _parse(data, start, end, text)
        return strings

    def _date_styles(self, name: str) -> set[int]:
        data = self.part(name)
        if data is None:
            return set()
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
                custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
            elif local in inside:
                inside[local] = True
            elif local == "xf" and inside["cellXfs"]:
                xfs.append(int(attrs.get("numFmtId", "0")))

        def end(name):
            if _local(name) in inside:
                inside[_local(name)] = False

        _parse(data, start, end)
        return {i for i, fmt in enumerate(xfs)
                if fmt in BUILTIN_DATE_FORMATS or (fmt in custom and is_date_format(custom[fmt]))}

    def _sheet(self, data: bytes, sheet: RawSheet, strings, date_styles, date1904) -> None:
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
                st["style"] = int(attrs.get("s", "0"))
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
                st["inline"] = (st["inline"] or "") + "".join(buf)
                st["in"] = None
            elif local == "rPh":
                st["phonetic"] -= 1
            elif local == "c":
                cell = _cell(st["type"], st["style"], st["v"], st["f"], st["inline"], strings, date_styles, date1904)
                if cell is not None:
                    self.cells += 1
                    if self.cells > MAX_CELLS:
                        raise ReadError("too_many_cells", str(MAX_CELLS))
                    sheet.cells[(st["row"], st["col"])] = cell

        def text(data_):
            if st["in"]:
                buf.append(data_)

        _parse(data, start, end, text)


# ---------------------------------------------------------------- the fast path for sheet XML
#
# Expat calls back into Python for every element, and a generated sheet is mostly styled empty
# cells: a regular-expression scan over the bytes is about five times faster. It is used only when
# the part can be checked to be whole (it ends with its closing tag), holds no DTD, and gives every
# cell its reference; otherwise the expat path reads the sheet. A test checks that both give the
# same cells on every fixture.
FAST = True
# Only cells with content: a self-closing <c .../> (a styled empty cell) never reaches Python.
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.S)
_R = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_T_ATTR = re.compile(rb'\bt="(\w+)"')
_S_ATTR = re.compile(rb'\bs="(\d+)"')
_V = re.compile(rb"<(?:\w+:)?v(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?ref="([^"]+)"')
_END = re.compile(rb"</(?:\w+:)?worksheet>\s*$")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _xml_text(raw: bytes) -> str:
    return _unescape(raw.decode("utf-8"))


_SI = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si>(.*?)</si>', re.S)
_T_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")  # text holds no '<' (it is escaped)
_RPH_TEXT = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SST_END = re.compile(rb"</(?:\w+:)?sst>\s*$")


def _unescape(text: str) -> str:
    """Text as an XML parser gives it: line ends normalised, the five entities and character references replaced."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _NAMED.get(m.group(1)) or chr(int(m.group(1)[2:], 16) if m.group(1)[1] == "x"
                                                                 else int(m.group(1)[1:])), text)


def _scan_shared_strings(data: bytes) -> list[str] | None:
    """The shared strings by regular expressions; None when the part needs the full parser."""
    if not _markup_free(data) or not _SST_END.search(data[-64:]) or b"<si/>" in data or b"<x:" in data[:2048]:
        return None
    try:
        text = data.decode("utf-8")
        found = _SI.findall(text)
        if len(found) != text.count("<si>"):
            return None
        return [_unescape(simple) if not rich else "".join(_text_runs(rich)) for simple, rich in found]
    except (UnicodeDecodeError, ValueError, OverflowError) as exc:
        raise ReadError("bad_xml", str(exc)) from None


def _markup_free(data: bytes) -> bool:
    """True when the part holds no markup declaration, CDATA section or comment (the fast paths read
    only plain elements); a DTD or entity is refused here, before anything is read."""
    if b"<!" not in data:
        return True
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ReadError("dtd")
    return False


_XF = re.compile(rb"<xf\b([^>]*)>")
_NUMFMT = re.compile(rb"<numFmt\b([^>]*)>")
_NUMFMT_ID = re.compile(rb'\bnumFmtId="(\d+)"')
_FORMAT_CODE = re.compile(rb'\bformatCode="([^"]*)"')


def _scan_date_styles(data: bytes) -> set[int] | None:
    """The cell styles that show a date, by regular expressions; None when the part needs the full parser."""
    if not _markup_free(data) or b"='" in data:
        return None
    begin, end = data.find(b"<cellXfs"), data.find(b"</cellXfs>")
    if begin < 0 or end < begin:
        return None
    try:
        custom = {}
        for attrs in _NUMFMT.findall(data, 0, begin):
            number, code = _NUMFMT_ID.search(attrs), _FORMAT_CODE.search(attrs)
            custom[int(number.group(1)) if number else 0] = _xml_text(code.group(1)) if code else ""
        xfs = []
        for attrs in _XF.findall(data, begin, end):
            number = _NUMFMT_ID.search(attrs)
            xfs.append(int(number.group(1)) if number else 0)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReadError("bad_xml", str(exc)) from None
    return {i for i, fmt in enumerate(xfs)
            if fmt in BUILTIN_DATE_FORMATS or (fmt in custom and is_date_format(custom[fmt]))}


# The cell as XlsxWriter, openpyxl and LibreOffice write it: r first, then s and/or t, then an optional
# formula, value or inline string. One pass of this pattern reads a part when every content cell
# (counted by its closing tags) has this form; otherwise the general scan below reads it. The
# possessive quantifiers make a styled empty cell (<c r="B7" s="3"/>, most of a generated sheet)
# fail at its "/" without backtracking, so those cost almost nothing.
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3}\d+)"(?: s="(\d+)")?+(?: t="(\w+)")?+(?: s="(\d+)")?+>'
                         rb'(<f>([^<]*)</f>|<f/>)?+(<v>([^<]*)</v>|<v/>)?+(<is>(?:[^<]|<(?!/is>))*</is>)?+</c>')


_EMPTY = object()


def _scan_plain(data: bytes, sheet: RawSheet, strings, date_styles, date1904, reader) -> bool:
    begin = data.find(b"<sheetData>")
    if begin < 0:
        return data.find(b"<sheetData/>") >= 0 and b"</c>" not in data
    finish = data.find(b"</sheetData>", begin)
    if finish < 0:
        return False
    if data.find(b":c>", begin, finish) >= 0:
        return False  # a cell with a namespace prefix among plain ones: the general scan reads both
    expected = data.count(b"</c>", begin, finish)
    if reader.cells + expected > MAX_CELLS:
        return False  # the general scan counts the cells that hold something, and stops at the limit
    found = _PLAIN_CELL.findall(data, begin, finish)
    if len(found) != expected:
        return False
    cells = sheet.cells
    count = len(strings)
    by_index = {}  # most cells are shared strings without a formula: one (immutable) RawCell per string
    for ref, s1, kind, s2, has_formula, formula, has_value, value, inline in found:
        if kind == b"s" and not has_formula:
            cell = by_index.get(value)
            if cell is None:
                index = int(value) if value.isdigit() else -1
                text = strings[index] if 0 <= index < count else None
                cell = by_index[value] = RawCell(text) if text else _EMPTY
            if cell is not _EMPTY:
                cells[_ref_bytes(ref)] = cell
            continue
        cell = _cell(kind.decode() if kind else "n", int(s1 or s2 or 0),
                     _xml_text(value) if has_value else None, _xml_text(formula) if has_formula else None,
                     _inline_text(inline) if kind == b"inlineStr" else None, strings, date_styles, date1904)
        if cell is not None:
            cells[_ref_bytes(ref)] = cell
    reader.cells += len(cells)
    return True


def _text_runs(xml: str) -> list[str]:
    """The texts of a rich or inline string's <t> elements, without its phonetic runs."""
    return [_unescape(t.group(1) or "") for t in _T_TEXT.finditer(_RPH_TEXT.sub("", xml))]


def _inline_text(inline: bytes) -> str | None:
    """An inline string's text; None when it has no <t> at all (as expat reads it)."""
    texts = _text_runs(inline.decode("utf-8"))
    return "".join(texts) if texts else None


def _scan_sheet(data: bytes, sheet: RawSheet, strings, date_styles, date1904, reader) -> bool:
    """Fill `sheet` from its XML with regular expressions; False when the part needs the full parser."""
    if not _markup_free(data) or not _END.search(data[-64:]):
        return False
    try:
        if _scan_plain(data, sheet, strings, date_styles, date1904, reader):
            _scan_merges(data, sheet)
            return True
    except (UnicodeDecodeError, ValueError, OverflowError) as exc:
        raise ReadError("bad_xml", str(exc)) from None
    sheet.cells.clear()
    try:
        for match in _CELL.finditer(data):
            attrs, inner = match.group(1), match.group(2)
            ref = _R.search(attrs)
            if ref is None:
                return False
            if not inner:
                continue
            kind, style = _T_ATTR.search(attrs), _S_ATTR.search(attrs)
            kind = kind.group(1).decode() if kind else "n"
            v, f = _V.search(inner), _F.search(inner)
            cell = _cell(kind, int(style.group(1)) if style else 0, _xml_text(v.group(1) or b"") if v else None,
                         _xml_text(f.group(1) or b"") if f else None,
                         _inline_text(inner) if kind == "inlineStr" else None, strings, date_styles, date1904)
            if cell is not None:
                reader.cells += 1
                if reader.cells > MAX_CELLS:
                    raise ReadError("too_many_cells", str(MAX_CELLS))
                sheet.cells[_ref(ref.group(1).decode())] = cell
        _scan_merges(data, sheet)
    except (UnicodeDecodeError, ValueError, OverflowError) as exc:
        raise ReadError("bad_xml", str(exc)) from None
    return True


def _scan_merges(data: bytes, sheet: RawSheet) -> None:
    first = data.find(b"mergeCell ")
    if first < 0:
        return
    for ref in _MERGE.findall(data, max(0, first - 16), data.rfind(b"mergeCell ") + 1024):
        _add_merge(sheet, ref.decode())


def _add_merge(sheet: RawSheet, ref: str) -> None:
    if ":" in ref:
        a, b = ref.split(":", 1)
        (r1, c1), (r2, c2) = _ref(a), _ref(b)
        sheet.merged.append((r1, c1, r2, c2))


_REF = re.compile(r"([A-Z]{1,3})(\d+)")


@lru_cache(maxsize=65536)
def _ref_bytes(ref: bytes) -> tuple[int, int]:
    return _ref(ref.decode())


@lru_cache(maxsize=65536)
def _ref(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref.replace("$", "").upper())
    if not match:
        raise ReadError("bad_xml", f"ugyldig cellereference {ref!r}")
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)


def serial_to_date(serial: float, date1904: bool = False) -> dt.date | dt.datetime:
    moment = (EPOCH_1904 if date1904 else EXCEL_EPOCH) + dt.timedelta(days=serial)
    if moment.hour == moment.minute == moment.second == 0 and moment.microsecond == 0:
        return moment.date()
    return moment.replace(microsecond=0)


def _cell(kind: str, style: int, raw: str | None, formula: str | None, inline: str | None, strings, date_styles,
          date1904) -> RawCell | None:
    if formula is None and not raw and not inline:
        return None  # an empty cell, whatever its type says
    if kind == "s":
        index = int(raw) if raw and raw.isdigit() else -1
        value = strings[index] if 0 <= index < len(strings) else None
    elif kind == "inlineStr":
        value = inline
    elif kind in ("str",):
        value = raw
    elif kind == "b":
        value = raw in ("1", "true")
    elif kind == "e":
        return RawCell(None, formula, raw or "#ERROR")
    else:
        if raw is None or raw == "":
            value = None
        else:
            try:
                number = float(raw)
            except ValueError:
                value = raw
            else:
                if style in date_styles and 0 <= number < 2_958_466:
                    value = serial_to_date(number, date1904)
                else:
                    value = int(number) if number.is_integer() and abs(number) < 2**53 else number
    if value is None and formula is None:
        return None
    if isinstance(value, str) and value == "" and formula is None:
        return None
    return RawCell(value, formula)
