"""Generate team workbooks and blank templates: the library API behind `xlplan ny` and `xlplan skabelon`."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from xlplan.core import content
from xlplan.core.atomic import write_atomic
from xlplan.core.config import PlanConfig, Team
from xlplan.core.errors import Problem, problem, XlplanError
from xlplan.workbook.workbook import build_workbook
from xlplan.core.names import file_stem, unique_file_names


def render_workbook(config: PlanConfig, team: Team | None, generated: dt.datetime | None = None) -> bytes:
    return render_team(config, team, generated)[0]


def render_team(config: PlanConfig, team: Team | None, generated: dt.datetime | None = None
                ) -> tuple[bytes, list[Problem]]:
    """The workbook's bytes and what the user should know about it (a name shortened in its page header)."""
    from xlplan.xlsx.model import HEADER_LIMIT
    from xlplan.xlsx.writer import render

    layout = build_workbook(config, team, generated)
    notices = [problem("GEN005", længde=len(name), grænse=HEADER_LIMIT, vist=shown) for name, shown in layout.shortened()]
    return render(layout), notices


@dataclass(frozen=True)
class Written:
    team: str
    path: Path
    notices: tuple[Problem, ...] = ()


def team_file_names(config: PlanConfig) -> list[str]:
    stems = [file_stem(f"{config.municipality} - {team.name}") for team in config.teams]
    return unique_file_names(stems)


def generate_team_workbooks(config: PlanConfig, out_dir: Path, overwrite: bool = False,
                            now: dt.datetime | None = None, progress=None) -> list[Written]:
    now = now or dt.datetime.now().replace(microsecond=0)
    targets = [out_dir / name for name in team_file_names(config)]
    existing = [p for p in targets if p.exists()]
    if existing and not overwrite:
        raise XlplanError([problem("OUT002", sti=str(p)) for p in existing])
    jobs = list(zip(config.teams, targets))
    written = []
    for team_name, path, notices in _write_all(config, jobs, now):
        written.append(Written(team_name, path, tuple(replace(n, file=path.name) for n in notices)))
        if progress:
            progress(team_name, path, len(written), len(jobs))
    order = {t.name: i for i, t in enumerate(config.teams)}
    return sorted(written, key=lambda w: order[w.team])


PARALLEL_FROM = 8  # teams; below that, starting worker processes costs more than it saves


def _write_all(config: PlanConfig, jobs, now):
    """Render and write each team's workbook; with many teams, rendering runs in worker processes on
    every core (isolation.py) and the parent writes each file as it arrives, so an interrupted run
    leaves no temporary file behind."""
    cores = os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM or cores < 2:
        for team, path in jobs:
            data, notices = render_team(config, team, now)
            write_atomic(path, data)
            yield team.name, path, notices
        return
    from xlplan.core.workers import WorkerPool

    failed = []
    with WorkerPool(_render_team, setup=_keep_plan, setup_args=(config, now)) as pool:
        for index, outcome in pool.run(range(len(jobs))):
            team, path = jobs[index]
            if outcome.kind != "ok":
                failed.append(_render_failure(team.name, outcome))
                continue
            data, notices = outcome.value
            write_atomic(path, data)
            yield team.name, path, notices
    if failed:
        raise XlplanError(failed)


_plan: tuple[PlanConfig, dt.datetime] | None = None  # a rendering worker's plan, sent once per worker


def _keep_plan(config: PlanConfig, now: dt.datetime) -> None:
    global _plan
    _plan = (config, now)


def _render_team(index: int) -> tuple[bytes, list[Problem]]:
    config, now = _plan
    return render_team(config, config.teams[index], now)


def _render_failure(team: str, outcome):
    from xlplan.core.workers import log_detail

    if outcome.kind == "timeout":
        return problem("GEN002", team=team, detalje=outcome.detail)
    if outcome.kind == "memory":
        return problem("GEN003", team=team, detalje=outcome.detail)
    if outcome.kind == "error":
        return problem("GEN004", team=team, log=log_detail(f"{team}:\n{outcome.detail}"))
    return problem("GEN001", team=team, detalje=outcome.detail)


def blank_config(preset_key: str) -> PlanConfig:
    preset = content.presets()[preset_key]
    sections = tuple(s for s in content.section_order() if s in preset.sections)
    return PlanConfig(municipality="", methods=(preset_key,), start=None, teams=(), sections=sections)


def template_names() -> dict[str, str]:
    """preset key -> file name of its blank template."""
    return {key: f"{preset.name}.xlsx" for key, preset in content.presets().items()}


def render_template(preset_key: str) -> bytes:
    return render_workbook(blank_config(preset_key), None, None)


def build_templates(out_dir: Path) -> list[Path]:
    paths = []
    for key, name in template_names().items():
        path = out_dir / name
        write_atomic(path, render_template(key))
        paths.append(path)
    return paths


def _zip_members(data: bytes) -> dict[str, bytes]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def stale_templates(out_dir: Path) -> list[str]:
    """Names of the blank templates in out_dir that are missing or differ from what the code builds now."""
    stale = []
    for key, name in template_names().items():
        path = out_dir / name
        if not path.is_file():
            stale.append(name)
            continue
        try:
            same = _zip_members(path.read_bytes()) == _zip_members(render_template(key))
        except Exception:  # noqa: BLE001 - an unreadable file is simply stale
            same = False
        if not same:
            stale.append(name)
    return stale
