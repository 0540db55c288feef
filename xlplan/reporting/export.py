"""The JSON contract for scripts and BI tools: every record with its source, progress and every problem."""
from __future__ import annotations

import json

from xlplan import __version__
from xlplan.reporting.consolidate import Consolidation
from xlplan.reporting.progress import TeamProgress
from xlplan.core import facts
from xlplan.core.records import RECORD_KINDS, to_jsonable

JSON_SCHEMA_VERSION = 1
CHECK_SCHEMA_VERSION = 1  # the JSON of `xlplan tjek --json`


def _share(share) -> dict:
    return {"relevante": share.relevant, "opfyldt": share.met, "i_gang": share.in_progress,
            "ikke_påbegyndt": share.not_started, "ikke_relevant": share.not_relevant, "andel": share.share}


def progress_dict(team: TeamProgress) -> dict:
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


def record_dict(record, overdue: frozenset) -> dict:
    """A record as the JSON and the exports give it: its fields, and the facts derived from it (overdue:
    Consolidation.overdue_sources)."""
    out = to_jsonable(record)
    if facts.is_watched(record):
        out["forsinket"] = record.source in overdue
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
    from xlplan.reporting.history import ordered_changes

    return [change_dict(ch) for ch in ordered_changes(c, development)]


def consolidation_dict(c: Consolidation, development=None) -> dict:
    return _document(c, development, [_file_entry(c, r) for r in c.reads], [p.as_dict() for p in c.problems])


def _file_entry(c: Consolidation, r) -> dict:
    entry = {
        "fil": r.file, "sti": r.path, "sha256": r.sha256, "størrelse": r.size,
        "ændret": to_jsonable(r.modified), "læst": r.readable, "team": r.team or None,
        "skabelon": r.template_id, "skabelonversion": r.template_version, "lavet": r.generated,
        "oversigt": to_jsonable(r.info) if r.info else None,
        "rækker_læst": len(r.rows_seen),
        "egne_ark": [{"ark": own.name, "celler": [{"celle": cell, "tekst": text} for cell, text in own.texts]}
                     for own in r.own_sheets],
        "kommentarer": [{"ark": note.sheet, "celle": note.cell, "forfatter": note.author, "tekst": note.text}
                        for note in r.comments],
        "sigtepunkter": [{"ark": sheet, "navn": name or None, "beskrivelse": description}
                         for sheet, name, description in r.focus_points],
    }
    for kind in RECORD_KINDS:
        entry[kind.export_name] = [record_dict(record, c.overdue_sources) for record in getattr(r, kind.attribute)]
    return entry


def _document(c: Consolidation, development, files: list, problems: list) -> dict:
    return {
        "format": "xlplan-data", "formatversion": JSON_SCHEMA_VERSION, "xlplan_version": __version__,
        "kommune": c.municipality, "opgjort_pr": c.as_of.isoformat(),
        "filer": files,
        "ikke_talt_med": [not_counted_dict(n) for n in c.not_counted],
        "fremdrift": [progress_dict(t) for t in c.teams],
        "manglende_teams": c.missing_teams,
        "problemer": problems,
        "siden_sidst": changes_list(c, development),
    }


def not_counted_dict(n) -> dict:
    """A file left out of the reading (a copy, or a team's older file): which file counts instead, and why."""
    return {"fil": n.read.file, "sti": n.read.path, "sha256": n.read.sha256, "team": n.read.team or None,
            "talt_med_i_stedet": n.counted.file, "kopi": n.copy, "kode": n.notice.code, "besked": n.notice.message}


def consolidation_json(c: Consolidation, development=None) -> bytes:
    return b"".join(consolidation_json_pieces(c, development))


PIECE_CHARACTERS = 1 << 20


def consolidation_json_pieces(c: Consolidation, development=None):
    """The bytes of consolidation_dict as indented JSON, in pieces of about a megabyte, each file's entry
    and each problem made as the encoder reaches it: a national JSON (hundreds of MB) is never held whole,
    in text or as dicts."""
    document = _document(c, development, _Made(lambda: (_file_entry(c, r) for r in c.reads), len(c.reads)),
                         _Made(lambda: (p.as_dict() for p in c.problems), len(c.problems)))
    pending, size = [], 0
    for text in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document):
        pending.append(text)
        size += len(text)
        if size >= PIECE_CHARACTERS:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    yield "".join(pending).encode("utf-8")


class _Made(list):
    """A JSON array whose items are made as json's encoder reaches them. Its encoder for indented output
    (the one used here; a test compares the bytes with json.dumps) asks a list only whether it is empty
    and then iterates it."""

    def __init__(self, make, count: int):
        super().__init__()
        self._make, self._count = make, count

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        return iter(self._make())


# ---------------------------------------------------------------- CSV and Parquet for BI tools

def export_tables(c: Consolidation, folder) -> tuple[list, list]:
    """Every table of the reading (reporting/frames.py) as <name>.csv (UTF-8 with BOM and ';', so a Danish
    Excel opens it) and, with pyarrow installed, <name>.parquet; written from the same DataFrames the
    analysts' API gives. Returns the files written and the notices to show."""
    from pathlib import Path

    from xlplan.core.atomic import write_atomic
    from xlplan.core.errors import problem
    from xlplan.reporting.frames import frames

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pyarrow = None
    folder = Path(folder)
    written = []
    for name, frame in frames(c).items():
        path = folder / f"{name}.csv"
        write_atomic(path, _csv(frame))
        written.append(path)
        if pyarrow is not None:
            path = folder / f"{name}.parquet"
            write_atomic(path, frame.to_parquet(index=False, engine="pyarrow"))
            written.append(path)
    notices = [problem("EXP001", mappe=str(folder))] if pyarrow is None else []
    return written, notices


def _csv(frame) -> bytes:
    """ISO dates (2026-03-16), times only where there are times, ";" between fields."""
    out = frame.copy()
    for column in out.columns:
        if str(out[column].dtype).startswith("datetime"):
            times = out[column].dropna()
            fmt = "%Y-%m-%d" if (times == times.dt.normalize()).all() else "%Y-%m-%dT%H:%M:%S"
            out[column] = out[column].dt.strftime(fmt)
    return ("\ufeff" + out.to_csv(sep=";", index=False, lineterminator="\r\n")).encode("utf-8")


def csv_bytes(rows: list[dict], columns) -> bytes:
    """Rows as CSV that Danish Excel opens by double-click: UTF-8 with BOM, ';'-separated."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), delimiter=";", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def check_dict(reads, notices) -> dict:
    """What `xlplan tjek` found, for scripts: each file and every problem, as the consolidation's JSON gives them."""
    problems = list(notices) + [p for r in reads for p in r.problems]
    files = [{"fil": r.file, "sti": r.path, "team": r.team or None, "læst": r.readable,
              "fejl": sum(1 for p in r.problems if p.is_error),
              "advarsler": sum(1 for p in r.problems if p.is_warning)} for r in reads]
    return {"format": "xlplan-tjek", "formatversion": CHECK_SCHEMA_VERSION, "xlplan_version": __version__,
            "filer": files, "problemer": [p.as_dict() for p in problems]}


def check_json(reads, notices) -> bytes:
    return json.dumps(check_dict(reads, notices), ensure_ascii=False, indent=2).encode("utf-8")


def check_csv(reads, notices) -> bytes:
    from xlplan.core.errors import RECORD_FIELDS

    problems = list(notices) + [p for r in reads for p in r.problems]
    return csv_bytes([p.as_dict() for p in problems], RECORD_FIELDS)
