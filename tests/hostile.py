"""Hostile and broken files, built by the tests (no binary blobs): each builder is named after the problem."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET = "xl/worksheets/sheet{}.xml"


def _members(source: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _sheet_part(members: dict[str, bytes], title: str) -> str:
    """The part name of the sheet called `title` (sheets are numbered in workbook order)."""
    import re
    names = re.findall(rb'<sheet name="([^"]*)"', members["xl/workbook.xml"])
    return SHEET.format([n.decode() for n in names].index(title) + 1)


def replace_part(source: Path, path: Path, title: str, xml: bytes) -> Path:
    members = _members(source)
    members[_sheet_part(members, title)] = xml
    return _write(path, members)


def zip_bomb(source: Path, path: Path, megabytes: int = 300) -> Path:
    """A sheet that inflates to `megabytes` MB from a few hundred kB."""
    members = _members(source)
    target = _sheet_part(members, "Procesplan")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            if name != target:
                z.writestr(name, data)
        with z.open(target, "w", force_zip64=True) as handle:
            handle.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                handle.write(chunk)
            handle.write(b"</sheetData></worksheet>")
    return path


def false_declared_size(source: Path, path: Path) -> Path:
    """The zip directory says a sheet is 100 bytes; it inflates to far more."""
    data = bytearray(source.read_bytes())
    members = _members(source)
    name = _sheet_part(members, "Oversigt").encode()
    with zipfile.ZipFile(source) as z:
        info = z.getinfo(name.decode())
    struct.pack_into("<I", data, info.header_offset + 22, 100)  # local header: uncompressed size
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, 100)  # central directory: uncompressed size
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


XXE = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
       b'<c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "hahahahahaha">' +
          b"".join(b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10)
                   for i in range(9)) +
          b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
          b'<c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row></sheetData></worksheet>')
HARMLESS_DTD = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY navn "Tina">]>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


def sheet_cut_short(source: Path, path: Path) -> Path:
    members = _members(source)
    part = _sheet_part(members, "Oversigt")
    members[part] = members[part][: len(members[part]) // 2]
    return _write(path, members)


def truncated_file(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.7)])
    return path


def legacy_xls(path: Path) -> Path:
    """An OLE compound file with a 'Workbook' stream: the pre-2007 .xls format."""
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0") + "Workbook".encode("utf-16-le").ljust(128, b"\0")
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + directory + b"\0" * 2048)
    return path


def encrypted_workbook(path: Path) -> Path:
    """How Excel stores a password-protected .xlsx: an OLE file with EncryptionInfo and EncryptedPackage."""
    names = ["Root Entry", "EncryptionInfo", "EncryptedPackage"]
    directory = b"".join(n.encode("utf-16-le").ljust(128, b"\0") for n in names)
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + directory + b"\0" * 4096)
    return path


def malformed_compound_document(path: Path) -> Path:
    path.write_bytes(OLE_MAGIC + b"\0" * 1500)
    return path


def absurd_shared_strings_count(source: Path, path: Path) -> Path:
    members = _members(source)
    sst = members["xl/sharedStrings.xml"]
    import re
    members["xl/sharedStrings.xml"] = re.sub(rb'count="\d+" uniqueCount="\d+"', b'count="4000000000" '
                                             b'uniqueCount="4000000000"', sst, count=1)
    assert members["xl/sharedStrings.xml"] != sst
    return _write(path, members)


def macro_enabled(source: Path, path: Path) -> Path:
    members = _members(source)
    members["xl/vbaProject.bin"] = OLE_MAGIC + b"\0" * 512
    return _write(path, members)


def external_links(source: Path, path: Path, plan_title: str) -> Path:
    members = _members(source)
    members["xl/externalLinks/externalLink1.xml"] = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook/></externalLink>')
    part = _sheet_part(members, plan_title)
    xml = members[part]
    # Activity in B9 fetched from another workbook: "[1]Ark1!A1", with its cached value
    cell = b'<c r="B9" t="str"><f>[1]Ark1!A1</f><v>Hentet aktivitet</v></c>'
    import re
    xml = re.sub(rb'<c r="B9"(?:[^>]*/>|[^>]*>.*?</c>)', b"", xml, flags=re.S)
    xml = re.sub(rb'(<row r="9"[^>]*>)', lambda m: m.group(1) + cell, xml, count=1)
    assert b"[1]Ark1!A1" in xml
    members[part] = xml
    return _write(path, members)


def too_many_cells(source: Path, path: Path, cells: int = 600_000) -> Path:
    rows = []
    per_row = 20
    for r in range(1, cells // per_row + 2):
        rows.append(f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}"><v>1</v></c>' for c in range(per_row))
                    + "</row>")
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           + "".join(rows) + "</sheetData></worksheet>").encode()
    return replace_part(source, path, "Risikolog", xml)


def rows_for_problems(problems: int) -> int:
    """How many rows `bad_weeks_and_statuses` writes for about `problems` problems: two on each row the table
    reads, and beyond the rows a table holds (MAX_TABLE_ROWS) three on each (its values outside the table)."""
    from xlplan.reading.readback import MAX_TABLE_ROWS

    if problems <= 2 * MAX_TABLE_ROWS:
        return -(-problems // 2)
    return MAX_TABLE_ROWS + -(-(problems - 2 * MAX_TABLE_ROWS) // 3)


def bad_weeks_and_statuses(source: Path, path: Path, rows: int) -> Path:
    """A Procesplan with `rows` rows, each with a week that does not exist and a status no list offers: a
    small file (0.1 MB for 2,000 rows) with a problem on every other cell."""
    import shutil

    import fixtures

    if Path(source) != Path(path):
        shutil.copyfile(source, path)

    def fill(wb) -> None:
        sheet = wb["Procesplan"]
        header = fixtures.header_row(sheet, "Dato/periode")
        for i in range(rows):
            fixtures.write_row(sheet, header + 1 + i, {1: "Uge 60 2026", 4: f"Møde {i + 1}", 7: "Måske"})

    return fixtures.edit(path, fill)
