"""Reading generated workbooks back with openpyxl, for assertions."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl


def load(path: Path):
    return openpyxl.load_workbook(path)


def metadata(wb) -> dict[str, str]:
    ws = wb["xlplan"]
    return {r[0].value: (r[1].value or "") for r in ws.iter_rows(min_col=1, max_col=2)}


def validations(ws) -> list:
    return list(ws.data_validations.dataValidation)


def validation_at(ws, ref: str):
    for dv in ws.data_validations.dataValidation:
        if ref in dv.sqref:
            return dv
    return None


def column_of(ws, header_row: int, header: str) -> str:
    for cell in ws[header_row]:
        if cell.value == header:
            return cell.column_letter
    raise KeyError(header)


def texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def source(wb, dv) -> str:
    """The range a list validation reads from, through the defined name it refers to."""
    name = dv.formula1
    return wb.defined_names[name].attr_text if name in wb.defined_names else name


def fields_of(record) -> dict:
    """A record's fields by name (records have slots, so no vars())."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
