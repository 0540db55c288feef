"""xlplan's front door: every thing a coordinator does, as one call each. The command line (`xlplan.cli`) and
the web pages (`xlplan.serving`) call these and nothing below them; a script or a notebook can too.

    >>> from pathlib import Path
    >>> from xlplan import api
    >>> plan = api.load_plan(Path("samples/plan.toml"))                           # plan.toml or plan.xlsx
    >>> written = api.generate(plan, Path("projektmapper"))                       # one workbook per team
    >>> check = api.check([Path("returneret")])                                   # every problem, per file
    >>> copies = api.write_fixing_copies(check.reads, Path("rettelser"), [Path("returneret")])
    >>> report = api.consolidate([Path("returneret")], Path("samlet-status.xlsx"), plan)  # management's
    >>> moved = api.migrate([Path("gammel.xlsx")], Path("ny.xlsx"))              # onto the current template

Every call raises `XlplanError` (its `.problems` in Danish, each with a code) for what the user must fix;
no call prints. Errors are never a traceback for a user: the callers show the problems.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xlplan.core.config import PlanConfig
from xlplan.core.errors import Problem, XlplanError
from xlplan.fixing.carry import AnnotatedCopy
from xlplan.fixing.migrate import Migration
from xlplan.reporting.run import DEFAULT_HISTORY, Check, Report
from xlplan.workbook.generate import Written

__all__ = [
    "DEFAULT_HISTORY", "Check", "MigrationRun", "PlanConfig", "Report", "Written", "XlplanError",
    "build_templates", "changes_since_last", "check", "consolidate", "generate", "light_key", "load_plan",
    "migrate", "parse_date", "read", "readings", "remove_reading", "history", "stale_templates",
    "write_example_plan", "write_fixing_copies",
]


# ---------------------------------------------------------------- the plan and the workbooks

def write_example_plan(path: Path, overwrite: bool = False) -> None:
    """An example plan to edit: plan.xlsx (a workbook to fill in Excel) or plan.toml (a commented text)."""
    from xlplan.workbook.planbook import write_example_plan as write

    write(path, overwrite=overwrite)


def load_plan(path: Path) -> PlanConfig:
    """The plan in plan.xlsx or plan.toml; its notices (things it had to shorten or assume) in `.notices`."""
    from xlplan.workbook.planbook import load_plan as load

    return load(path)


def generate(plan: PlanConfig, folder: Path, overwrite: bool = False, progress=None) -> list[Written]:
    """One workbook per team of `plan` in `folder`; `progress(team, path, done, total)` after each."""
    from xlplan.workbook.generate import generate_team_workbooks

    return generate_team_workbooks(plan, folder, overwrite=overwrite, progress=progress)


def build_templates(folder: Path) -> list[Path]:
    """The blank templates (ICS, FFB, styringsgrundlag) in `folder`."""
    from xlplan.workbook.generate import build_templates as build

    return build(folder)


def stale_templates(folder: Path) -> list[str]:
    """The names of the templates in `folder` that differ from what this xlplan builds, or are missing."""
    from xlplan.workbook.generate import stale_templates as stale

    return stale(folder)


# ---------------------------------------------------------------- reading back

def check(inputs: list[Path], json_output: Path | None = None, csv_output: Path | None = None,
          summary: bool = True, progress=None) -> Check:
    """Every returned workbook in `inputs` (files or folders) read, with its problems; which files a reading
    counts (one per team); JSON and CSV of the problems for scripts, when asked. With `summary`, each read
    keeps only its problems (enough to list them; not to make fixing copies)."""
    from xlplan.reporting.run import check_files

    return check_files(inputs, json_output=json_output, csv_output=csv_output, summary=summary, progress=progress)


def write_fixing_copies(reads: list, folder: Path, inputs: list[Path]) -> list[AnnotatedCopy]:
    """A fixing copy in `folder` of each read workbook with problems (reads from `check(..., summary=False)`)."""
    from xlplan.fixing.carry import write_annotated_copies

    return write_annotated_copies(reads, folder, inputs)


def consolidate(inputs: list[Path], output: Path, plan: PlanConfig | None = None, as_of: dt.date | None = None,
                json_output: Path | None = None, export_folder: Path | None = None, pdf_output: Path | None = None,
                history_path: Path | None | object = DEFAULT_HISTORY, progress=None) -> Report:
    """Management's workbook at `output` from the returned workbooks in `inputs`, as of `as_of` (today), with
    the JSON, the meeting PDF and the tables for BI tools when asked, and the reading kept in the history
    (beside `output` by default; None for none)."""
    from xlplan.reporting.run import write_report

    return write_report(inputs, output, plan, as_of, json_output=json_output, export_folder=export_folder,
                        pdf_output=pdf_output, history_path=history_path, progress=progress)


def read(paths, as_of=None, config=None):
    """The consolidation of `paths` without writing anything (see `xlplan.read`)."""
    import xlplan

    return xlplan.read(paths, as_of=as_of, config=config)


# ---------------------------------------------------------------- moving to a new template

@dataclass
class MigrationRun:
    """What `migrate` did: each file carried over, each that could not be (with its problems), and the
    notices about the inputs (files skipped, not workbooks)."""

    notices: list[Problem] = field(default_factory=list)
    outcomes: list[tuple[Path, Migration | XlplanError]] = field(default_factory=list)  # in the inputs' order

    @property
    def failed(self) -> list[tuple[Path, XlplanError]]:
        return [(path, outcome) for path, outcome in self.outcomes if isinstance(outcome, XlplanError)]


def migrate(inputs: list[Path], out: Path) -> MigrationRun:
    """Each filled workbook in `inputs` onto the current template: to `out` when it is one file named .xlsx,
    else into the folder `out` under its own name. An input is never written over (OUT003)."""
    from xlplan.fixing.migrate import migrate as carry_over
    from xlplan.reading.files import check_output_path, collect_files

    files, notices = collect_files(inputs)
    run = MigrationRun(notices=list(notices))
    single = len(files) == 1 and out.suffix.lower() == ".xlsx"
    for path in files:
        target = out if single else out / path.name
        check_output_path(target, inputs)
        try:
            run.outcomes.append((path, carry_over(path, target)))
        except XlplanError as exc:
            run.outcomes.append((path, exc))
    return run


# ---------------------------------------------------------------- the history

def readings(path: Path) -> list:
    """The readings kept in the history file, in the order of their dates."""
    from xlplan.reporting import history as kept

    return kept.readings(path)


def remove_reading(path: Path, number: int) -> None:
    from xlplan.reporting import history as kept

    kept.remove(path, number)


def history(path: Path) -> dict:
    """The history as pandas DataFrames (see `xlplan.history`)."""
    from xlplan.reporting.history import frames

    return frames(Path(path))


def changes_since_last(report: Report) -> int:
    """How many things moved since the reading before (the unchanged teams not counted); 0 without a history."""
    from xlplan.reporting.history import UNCHANGED

    if report.development is None:
        return 0
    return sum(1 for c in report.development.changes if c.kind != UNCHANGED)


# ---------------------------------------------------------------- words and dates as shown

def light_key(name: str) -> str:
    """A traffic light's key in trafiklys.yaml (its colour: roed, gul, groen) from the name shown."""
    from xlplan.reporting.progress import light_key as key

    return key(name)


def parse_date(text: str) -> dt.date | None:
    """One day written as Danes write it (15-06-2026, 15/6-2026, 15. juni 2026 …), or None."""
    from xlplan.reading.periods import PeriodError, parse_period

    try:
        period = parse_period(text)
    except PeriodError:
        return None
    return period.start if period.start == period.end else None
