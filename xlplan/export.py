"""The JSON contract for scripts and BI tools: every record with its source, progress and every problem."""
from __future__ import annotations

import json

from . import __version__
from .consolidate import Consolidation
from .progress import TeamProgress
from . import facts
from .records import RECORD_KINDS, to_jsonable

JSON_SCHEMA_VERSION = 1


def _share(share) -> dict:
    return {"relevante": share.relevant, "opfyldt": share.met, "i_gang": share.in_progress,
            "ikke_påbegyndt": share.not_started, "ikke_relevant": share.not_relevant, "andel": share.share}


def _progress(team: TeamProgress) -> dict:
    return {
        "team": team.team, "filer": team.files, "trafiklys": team.light, "begrundelse": team.reasons,
        "ikke_udfyldt": team.untouched, "uændret": team.unchanged,
        "aktuel_fase": team.current_phase,
        "tjekliste": _share(team.checklist),
        "faser": {pid: _share(s) for pid, s in sorted(team.phases.items())},
        "dimensioner": [{"fase": p, "dimension": d, **_share(s)} for (p, d), s in sorted(team.dimensions.items())],
        "rolle_og_ansvar": _share(team.responsibility),
        "aktiviteter_efter_status": dict(team.activities),
        "forsinket": [to_jsonable(i) for i in team.overdue],
        "kommende_frister": [to_jsonable(i) for i in team.upcoming],
        "uden_ansvarlig": [to_jsonable(s) for s in team.unowned],
        "åbne_risici": team.open_risks, "højeste_risikoscore": team.max_risk,
        "roller_besat": team.roles_filled, "roller_i_alt": team.roles_total,
        "fejl": team.errors, "advarsler": team.warnings,
    }


def record_dict(record, as_of) -> dict:
    """A record as the JSON and the exports give it: its fields, and the facts derived from it."""
    out = to_jsonable(record)
    if facts.is_watched(record):
        out["forsinket"] = facts.is_overdue(record, as_of)
    return out


def change_dict(change) -> dict:
    """A change since the last reading as the JSON gives it (README: siden_sidst)."""
    where = change.source
    return {"kind": change.kind, "team": change.team, "what": change.what, "before": to_jsonable(change.before),
            "now": to_jsonable(change.now),
            "source": {"file": where.file, "sheet": where.sheet, "cell": where.cell} if where else None}


def changes_list(c: Consolidation, development) -> list[dict]:
    """What moved since the last reading, in the order the sheet Siden sidst shows it."""
    if development is None:
        return []
    from .history import in_team_order

    order = [t.team for t in c.teams] + list(c.missing_teams)
    return [change_dict(ch) for ch in in_team_order(development.changes, order)]


def consolidation_dict(c: Consolidation, development=None) -> dict:
    files = []
    for r in c.reads:
        entry = {
            "fil": r.file, "sti": r.path, "sha256": r.sha256, "størrelse": r.size,
            "ændret": to_jsonable(r.modified), "læst": r.readable, "team": r.team or None,
            "skabelon": r.template_id, "skabelonversion": r.template_version, "lavet": r.generated,
            "oversigt": to_jsonable(r.info) if r.info else None,
            "rækker_læst": len(r.rows_seen),
            "egne_ark": [{"ark": own.name, "celler": [{"celle": cell, "tekst": text} for cell, text in own.texts]}
                         for own in r.own_sheets],
        }
        for kind in RECORD_KINDS:
            entry[kind.export_name] = [record_dict(record, c.as_of) for record in getattr(r, kind.attribute)]
        files.append(entry)
    return {
        "format": "xlplan-data", "formatversion": JSON_SCHEMA_VERSION, "xlplan_version": __version__,
        "kommune": c.municipality, "opgjort_pr": c.as_of.isoformat(),
        "filer": files,
        "fremdrift": [_progress(t) for t in c.teams],
        "manglende_teams": c.missing_teams,
        "problemer": [p.as_dict() for p in c.problems],
        "siden_sidst": changes_list(c, development),
    }


def consolidation_json(c: Consolidation, development=None) -> bytes:
    return json.dumps(consolidation_dict(c, development), ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------- CSV and Parquet for BI tools

def _flat(record, as_of) -> dict:
    """One record as a flat row: dates as ISO text with the typed text beside, the source as columns."""
    row = {}
    for key, value in record_dict(record, as_of).items():
        if isinstance(value, dict) and set(value) == {"tekst", "start", "slut"}:
            row[f"{key}_tekst"], row[f"{key}_start"], row[f"{key}_slut"] = value["tekst"], value["start"], value["slut"]
        elif key == "source":
            row.update({"kilde_fil": value["file"], "kilde_ark": value["sheet"], "kilde_celle": value["cell"],
                        "kilde_række": value["row"]})
        elif isinstance(value, dict):
            for sub, v in value.items():
                row[f"{key}_{sub}"] = v if not isinstance(v, (dict, list)) else json.dumps(v, ensure_ascii=False)
        elif isinstance(value, list):
            row[key] = json.dumps(value, ensure_ascii=False)
        else:
            row[key] = value
    return row


def export_tables(c: Consolidation, folder) -> tuple[list, list]:
    """Every record type as <name>.csv (UTF-8 with BOM, so Excel opens it) and, if pyarrow is there, .parquet.

    Returns the files written and the notices to show (the Parquet files missing without pyarrow)."""
    import csv
    import io
    from pathlib import Path

    from .errors import problem
    from .generate import write_atomic

    folder = Path(folder)
    written = []
    tables = {kind.export_name: [_flat(r, c.as_of) for read in c.reads for r in getattr(read, kind.attribute)]
              for kind in RECORD_KINDS}
    tables["problemer"] = [p.as_dict() for p in c.problems]
    tables["fremdrift"] = [{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
                            for k, v in _progress(t).items()} for t in c.teams]
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        pyarrow = None
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for row in rows for k in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        path = folder / f"{name}.csv"
        write_atomic(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        written.append(path)
        if pyarrow is not None:
            schema = pyarrow.schema([(col, _arrow_type(pyarrow, [row.get(col) for row in rows])) for col in columns])
            table = pyarrow.Table.from_pylist([{col: _cast(row.get(col), schema.field(col).type, pyarrow)
                                                for col in columns} for row in rows], schema=schema)
            sink = pyarrow.BufferOutputStream()
            pq.write_table(table, sink)
            path = folder / f"{name}.parquet"
            write_atomic(path, sink.getvalue().to_pybytes())
            written.append(path)
    notices = [problem("EXP001", mappe=str(folder))] if pyarrow is None else []
    return written, notices


def _arrow_type(pyarrow, values):
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pyarrow.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pyarrow.int64()
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pyarrow.float64()
    return pyarrow.string()


def _cast(value, kind, pyarrow):
    if value is None:
        return None
    if kind == pyarrow.string():
        return value if isinstance(value, str) else str(value)
    return value
