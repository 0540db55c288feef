"""A reading as tables: one flat row per record, progress figure, problem and file read.

The rows are made here once; the analysts' DataFrames (`xlplan.read(...).frames()`), the CSV and the
Parquet exports all come from them, with the same names and columns. In a row, a date field becomes
four columns: the text as typed (`<field>_tekst`), the first and last day understood
(`<field>_start`, `<field>_slut`; no last day for an open end) and whether the year was inferred
(`<field>_år_udledt`); a record's place becomes `kilde_fil`, `kilde_ark`, `kilde_celle`,
`kilde_række`.
"""
from __future__ import annotations

import json

from xlplan.core.records import NO_DATE, RECORD_KINDS, to_jsonable
from xlplan.reporting.consolidate import Consolidation
from xlplan.reporting.export import progress_dict, record_dict

PROGRESS, PROBLEMS, SOURCES = "fremdrift", "problemer", "kilder"
TABLE_NAMES = tuple(kind.export_name for kind in RECORD_KINDS) + (PROGRESS, PROBLEMS, SOURCES)
DATE_SUFFIXES = ("_start", "_slut")
DATE_KEYS = frozenset(to_jsonable(NO_DATE))  # the keys of a date field in the JSON


def flat(record, overdue: frozenset) -> dict:
    """One record as a flat row."""
    row = {}
    for key, value in record_dict(record, overdue).items():
        if isinstance(value, dict) and set(value) == DATE_KEYS:
            row.update({f"{key}_{sub}": v for sub, v in value.items()})
        elif key == "source":
            value = value or {}
            row.update({"kilde_fil": value.get("file"), "kilde_ark": value.get("sheet"),
                        "kilde_celle": value.get("cell"), "kilde_række": value.get("row")})
        elif isinstance(value, dict):
            for sub, v in value.items():
                row[f"{key}_{sub}"] = v if not isinstance(v, (dict, list)) else json.dumps(v, ensure_ascii=False)
        elif isinstance(value, list):
            row[key] = json.dumps(value, ensure_ascii=False)
        else:
            row[key] = value
    return row


def _declared_columns(kind) -> list[str]:
    """The columns every row of a record kind has, known even when there are no rows."""
    return list(flat(kind.record(), frozenset()))


def _source_row(read) -> dict:
    return {"fil": read.file, "sti": read.path, "team": read.team or None, "læst": read.readable,
            "skabelon": read.template_id, "skabelonversion": read.template_version, "lavet": read.generated,
            "ændret": read.modified.isoformat() if read.modified else None, "størrelse": read.size,
            "rækker_læst": len(read.rows_seen), "fejl": len(read.errors),
            "advarsler": sum(1 for p in read.problems if p.is_warning), "sha256": read.sha256}


def rows(c: Consolidation) -> dict[str, tuple[list[str], list[dict]]]:
    """Table name -> (its columns, its rows)."""
    tables = {}
    for kind in RECORD_KINDS:
        table = [flat(r, c.overdue_sources) for read in c.reads for r in getattr(read, kind.attribute)]
        tables[kind.export_name] = (_columns(_declared_columns(kind), table), table)
    progress = [{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
                 for k, v in progress_dict(t).items()} for t in c.teams]
    problems = [p.as_dict() for p in c.problems]
    sources = [_source_row(r) for r in c.reads]
    for name, table in ((PROGRESS, progress), (PROBLEMS, problems), (SOURCES, sources)):
        tables[name] = (_columns([], table), table)
    return tables


def _columns(declared: list[str], table: list[dict]) -> list[str]:
    return list(dict.fromkeys([*declared, *(k for row in table for k in row)]))


def frames(c: Consolidation) -> dict:
    """Table name -> pandas DataFrame: dates as datetime columns, whole numbers as nullable integers,
    texts as strings."""
    import pandas as pd

    out = {}
    for name, (columns, table) in rows(c).items():
        frame = pd.DataFrame.from_records(table, columns=columns)
        for column in columns:
            if column.endswith(DATE_SUFFIXES) or column == "ændret":
                frame[column] = pd.to_datetime(frame[column])
        out[name] = frame.convert_dtypes()
    return out
