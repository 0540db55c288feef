"""The whole reporting run behind `xlplan saml`, as one library call: read the returned workbooks,
compare with the previous reading, keep the history, and write the management workbook, the JSON and
the exports. The CLI only prints what this returns."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xlplan.core.atomic import write_atomic
from xlplan.core.collecting import held_off
from xlplan.core.config import PlanConfig
from xlplan.core.errors import Problem, problem
from xlplan.reporting import history
from xlplan.reading.files import check_output_path
from xlplan.reporting.consolidate import Consolidation, consolidate, mark_unchanged

DEFAULT_HISTORY = object()  # the history file beside the management workbook


@dataclass
class Report:
    consolidation: Consolidation
    development: history.Development | None  # None without a history
    written: list[Path] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # about the outputs (the exports)


def write_report(inputs: list[Path], output: Path, config: PlanConfig | None = None, as_of: dt.date | None = None,
                 json_output: Path | None = None, export_folder: Path | None = None, pdf_output: Path | None = None,
                 history_path: Path | None | object = DEFAULT_HISTORY, progress=None,
                 now: dt.datetime | None = None, names: dict[Path, str] | None = None) -> Report:
    """Consolidate `inputs` (files or folders) into the management workbook at `output`. With a history
    (by default beside `output`; None for none), the reading is stored and the workbook shows what moved.
    No input is ever written over; every output is written atomically. `names`: the names files are shown under
    (consolidate)."""
    from xlplan.reporting.export import consolidation_json_pieces, export_tables
    from xlplan.reporting.report import report_workbook
    from xlplan.xlsx.model import HEADER_LIMIT
    from xlplan.xlsx.writer import render

    if history_path is DEFAULT_HISTORY:
        history_path = output.parent / history.DEFAULT_NAME
    for target in [output, json_output, pdf_output, history_path]:
        if target is not None:
            check_output_path(target, inputs)
    result = consolidate(inputs, config, as_of, progress=progress, names=names)
    development = None
    if history_path is not None:
        mark_unchanged(result, history.previous_files(history_path, result))
        recorded = history.record(result, history_path)
        development = history.development(history_path, result.as_of)
        development.recorded = recorded
    report = Report(result, development)
    now = now or dt.datetime.now().replace(microsecond=0)
    with held_off():  # the layout's rows and XlsxWriter's objects all stay until the file is written
        layout = report_workbook(result, now, development)
        write_atomic(output, render(layout, release_cells=True))  # the layout's cells are not needed after
    report.written.append(output)
    report.notices += [problem("GEN005", file=output.name, længde=len(name), grænse=HEADER_LIMIT, vist=shown)
                       for name, shown in layout.shortened()]
    if json_output is not None:
        write_atomic(json_output, consolidation_json_pieces(result, development))
        report.written.append(json_output)
    if pdf_output is not None:
        from xlplan.reporting.meeting_pdf import write_meeting_pdf

        write_meeting_pdf(result, development, pdf_output, now)
        report.written.append(pdf_output)
    if export_folder is not None:
        files, notices = export_tables(result, export_folder)
        report.written += files
        report.notices += notices
    return report



@dataclass
class Check:
    reads: list  # WorkbookRead, one per file read
    notices: list[Problem]  # about the inputs: files skipped, not found, not workbooks, not counted
    written: list[Path] = field(default_factory=list)
    teams: int = 0  # the teams the files are from, each once, as a reading counts them (reading/counting.py)
    not_counted: list = field(default_factory=list)  # NotCounted: a team's other files, each with why


def check_files(inputs: list[Path], json_output: Path | None = None, csv_output: Path | None = None,
                summary: bool = True, progress=None) -> Check:
    """Read `inputs` (files or folders) for `xlplan tjek`, and write what was found for scripts: JSON (each file
    and every problem, the same problem records as the consolidation's JSON) and CSV (one problem a row).
    Which files a reading would count (one per team) is decided and said as `saml` does.
    With `summary`, each read keeps only its problems. No input is ever written over."""
    from xlplan.reading.counting import one_per_team
    from xlplan.reading.files import read_inputs
    from xlplan.reporting.export import check_csv, check_json

    outputs = [(json_output, check_json), (csv_output, check_csv)]
    for target, _render in outputs:
        if target is not None:
            check_output_path(target, inputs)
    reads, notices = read_inputs(inputs, summary=summary, progress=progress)
    counted, not_counted = one_per_team(reads)
    check = Check(reads, notices + [n.notice for n in not_counted], not_counted=not_counted,
                  teams=len({r.team.casefold() for r in counted if r.readable}))
    for target, render in outputs:
        if target is not None:
            write_atomic(target, render(reads, check.notices))
            check.written.append(target)
    return check
