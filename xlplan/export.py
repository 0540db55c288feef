"""The JSON contract for scripts and BI tools: every record with its source, progress and every problem."""
from __future__ import annotations

import json

from . import __version__
from .consolidate import Consolidation
from .progress import TeamProgress
from .records import to_jsonable

JSON_SCHEMA_VERSION = 1


def _share(share) -> dict:
    return {"relevante": share.relevant, "opfyldt": share.met, "i_gang": share.in_progress,
            "ikke_påbegyndt": share.not_started, "ikke_relevant": share.not_relevant, "andel": share.share}


def _progress(team: TeamProgress) -> dict:
    return {
        "team": team.team, "filer": team.files, "trafiklys": team.light, "begrundelse": team.reasons,
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


def consolidation_dict(c: Consolidation) -> dict:
    files = []
    for r in c.reads:
        entry = {
            "fil": r.file, "sti": r.path, "sha256": r.sha256, "størrelse": r.size,
            "ændret": to_jsonable(r.modified), "læst": r.readable, "team": r.team or None,
            "skabelon": r.template_id, "skabelonversion": r.template_version, "lavet": r.generated,
            "oversigt": to_jsonable(r.info) if r.info else None,
            "rækker_læst": len(r.rows_seen),
        }
        for name, key in (("plan_rows", "planrækker"), ("followups", "opfølgning"), ("process_rows", "procesplan"),
                          ("criteria", "kriterier"), ("steps", "trin"), ("roles", "roller"), ("risks", "risici"),
                          ("people", "personer")):
            entry[key] = to_jsonable(getattr(r, name))
        files.append(entry)
    return {
        "format": "xlplan-data", "formatversion": JSON_SCHEMA_VERSION, "xlplan_version": __version__,
        "kommune": c.municipality, "opgjort_pr": c.as_of.isoformat(),
        "filer": files,
        "fremdrift": [_progress(t) for t in c.teams],
        "manglende_teams": c.missing_teams,
        "problemer": [p.as_dict() for p in c.problems],
    }


def consolidation_json(c: Consolidation) -> bytes:
    return json.dumps(consolidation_dict(c), ensure_ascii=False, indent=2).encode("utf-8")
