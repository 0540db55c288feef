"""Workbooks in the forms other programs write, built by the tests by rewriting the XML of a generated one.

Each builder takes a workbook (source) and writes the same workbook in another legitimate form to `path`;
the name says the form. The content is unchanged, so what a second reader (openpyxl) reads from the
source is what xlplan must read from the rewritten file.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
RELATIONSHIPS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_RELATIONSHIPS = b"http://purl.oclc.org/ooxml/officeDocument/relationships"
SHEETS = re.compile(r"xl/worksheets/sheet\d+\.xml")


def members(source: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def prefixed(xml: bytes, prefix: bytes) -> bytes:
    """Every element of a part with a namespace prefix and the default namespace bound to it instead."""
    xml = re.sub(rb"<(/?)([A-Za-z][\w.]*)", rb"<\1" + prefix + rb":\2", xml)
    return xml.replace(b"xmlns=", b"xmlns:" + prefix + b"=", 1)


def shared_strings_with_prefix(source: Path, path: Path, prefix: bytes = b"ns2") -> Path:
    """As .NET's XmlSerializer and some Java libraries write it: <ns2:sst xmlns:ns2="…main">."""
    parts = members(source)
    parts["xl/sharedStrings.xml"] = prefixed(parts["xl/sharedStrings.xml"], prefix)
    assert b"<" + prefix + b":si>" in parts["xl/sharedStrings.xml"]
    return write(path, parts)


def cached_values_with_space_preserved(source: Path, path: Path) -> Path:
    """A formula's cached value as <v xml:space="preserve">, as some writers mark every text-bearing element."""
    parts = members(source)
    count = 0
    for name in [n for n in parts if SHEETS.fullmatch(n)]:
        parts[name], n = re.subn(rb"</f><v>", b'</f><v xml:space="preserve">', parts[name])
        count += n
    assert count, "the source holds formulas with cached values"
    return write(path, parts)


def part_names_in_other_case(source: Path, path: Path) -> Path:
    """Zip entries named in another case than their relationship targets (xl/SharedStrings.xml), which Excel
    reads: part names are compared case-insensitively (ECMA-376 Part 2, 6.2.2.3)."""
    parts = members(source)
    renamed = {}
    for name, data in parts.items():
        if name == "xl/sharedStrings.xml":
            name = "xl/SharedStrings.xml"
        elif name == "xl/styles.xml":
            name = "xl/Styles.xml"
        elif SHEETS.fullmatch(name):
            name = name.replace("worksheets/sheet", "Worksheets/Sheet")
        renamed[name] = data
    assert "xl/SharedStrings.xml" in renamed
    return write(path, renamed)


def strict_open_xml(source: Path, path: Path) -> Path:
    """As Excel saves "Strict Open XML Spreadsheet": the ISO/IEC 29500 Strict namespaces, and date cells
    as ISO 8601 text (t="d") instead of serial numbers."""
    dates = _date_cells(source)
    parts = members(source)
    for name, data in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        data = data.replace(MAIN, STRICT_MAIN).replace(RELATIONSHIPS, STRICT_RELATIONSHIPS)
        if SHEETS.fullmatch(name):
            data = _iso_dates(data, dates.get(name, {}))
        parts[name] = data
    assert any(b' t="d"><v>' in parts[n] for n in parts if SHEETS.fullmatch(n)), "the source holds dates"
    return write(path, parts)


def _date_cells(source: Path) -> dict[str, dict[str, dt.datetime]]:
    """Sheet part -> cell reference -> date, for the plain (not formula) date cells, by openpyxl."""
    wb = openpyxl.load_workbook(source)
    found = {}
    for number, ws in enumerate(wb.worksheets, 1):
        found[f"xl/worksheets/sheet{number}.xml"] = {
            c.coordinate: c.value for row in ws.iter_rows() for c in row if isinstance(c.value, dt.datetime)}
    return found


def _iso_dates(xml: bytes, dates: dict[str, dt.datetime]) -> bytes:
    def iso(match):
        ref = match.group(1).decode()
        if ref not in dates:
            return match.group(0)
        attrs = re.sub(rb' t="n"', b"", match.group(2))
        return b'<c r="%s"%s t="d"><v>%s</v></c>' % (match.group(1), attrs, dates[ref].isoformat().encode())

    return re.sub(rb'<c r="([A-Z]+\d+)"((?: s="\d+")?(?: t="n")?)><v>[^<]*</v></c>', iso, xml)


def whole_column_and_row_merges(source: Path, path: Path, title: str, refs=(b"R:R", b"60:60")) -> Path:
    """Merges over whole columns and rows, as `ref="R:R"` and `ref="60:60"`."""
    parts = members(source)
    names = re.findall(rb'<sheet name="([^"]*)"', parts["xl/workbook.xml"])
    name = f"xl/worksheets/sheet{[n.decode() for n in names].index(title) + 1}.xml"
    cells = b"".join(b'<mergeCell ref="%s"/>' % ref for ref in refs)
    xml = parts[name]
    if b"<mergeCells" in xml:
        xml = re.sub(rb"(<mergeCells[^>]*>)", lambda m: m.group(1) + cells, xml, count=1)
    else:
        xml = xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + cells + b"</mergeCells>", 1)
    parts[name] = xml
    return write(path, parts)


def numbers_with_15_significant_digits(source: Path, path: Path) -> Path:
    """Every number as LibreOffice writes it (46083.4895833333 for 02-03-2026 11:45), not openpyxl's 17 digits."""
    parts = members(source)
    for name in [n for n in parts if SHEETS.fullmatch(n)]:
        parts[name] = re.sub(rb"<v>(-?\d+\.\d+(?:E-?\d+)?)</v>",
                             lambda m: b"<v>%s</v>" % (b"%.15g" % float(m.group(1))), parts[name])
    return write(path, parts)
