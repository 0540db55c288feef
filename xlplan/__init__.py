"""xlplan: plan, follow and report the implementation of a method in Danish municipalities, in Excel."""

__version__ = "0.1.0"


def read(paths, as_of=None, config=None):
    """Read returned workbooks (files or folders, as the CLI takes them) and consolidate them.

    `as_of` (a date, or its text as 2026-06-15 or 15-06-2026; today by default) decides what is overdue;
    `config` (a plan file's path, plan.xlsx or plan.toml, or a PlanConfig) orders the teams as the plan
    does and names the teams that sent nothing. Returns a
    Consolidation: `.reads` (the files that count, one per team, with their records and problems),
    `.not_counted` (a team's other files and identical copies, each with the notice that says why), `.teams`
    (progress per team),
    `.problems`, and `.frames()`, the same tables as pandas DataFrames."""
    from pathlib import Path

    from xlplan.core.config import PlanConfig
    from xlplan.reporting.consolidate import consolidate
    from xlplan.workbook.planbook import load_plan

    if isinstance(paths, (str, Path)):
        paths = [paths]
    if isinstance(as_of, str):
        as_of = _date(as_of)
    if config is not None and not isinstance(config, PlanConfig):
        config = load_plan(Path(config))
    return consolidate([Path(p) for p in paths], config, as_of)


def history(path):
    """The history of readings (the SQLite file `xlplan consolidate` keeps) as pandas DataFrames:
    aflæsninger, fremdrift, teams and poster (see reporting/history.py `frames`)."""
    from pathlib import Path

    from xlplan.reporting.history import frames

    return frames(Path(path))


def _date(text: str):
    """2026-06-15 or 15-06-2026."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.datetime.strptime(text, "%d-%m-%Y").date()
