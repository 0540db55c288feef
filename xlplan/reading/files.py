"""Which of the paths a user names are workbooks to read, what is skipped and why, and which outputs
would write over an input."""
from __future__ import annotations

import stat
from pathlib import Path

from xlplan.core.errors import Problem, XlplanError, problem
from xlplan.core.names import display_name
from xlplan.core.records import WorkbookRead

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def collect_files(inputs: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The workbooks among `inputs` (files, or folders searched one level deep), and notices about skipped files."""
    files: list[Path] = []
    seen: set[Path] = set()
    notices: list[Problem] = []
    for item in inputs:
        if item.is_dir():
            candidates = _workbooks_in(item, notices)
            if not candidates:
                notices.append(problem("RB023", sti=display_name(str(item))))
        elif item.exists() or item.is_symlink():
            candidates = [item]
        else:
            notices.append(problem("RD008", file=display_name(item.name), detalje="filen findes ikke"))
            continue
        for path in candidates:
            if path.name.startswith("~$"):
                notices.append(problem("RB020", file=display_name(path.name), navn=display_name(path.name)))
                continue
            refused = _not_a_regular_file(path)
            if refused:
                notices.append(refused)
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(path)
    return files, notices


def _not_a_regular_file(path: Path) -> Problem | None:
    """Decided by stat alone, before anything is opened: opening a FIFO for reading waits forever."""
    name = display_name(path.name)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:  # a dangling link
        return problem("RD008", file=name, detalje="filen findes ikke")
    except OSError as exc:
        return problem("RD008", file=name, detalje=exc.strerror or str(exc))
    return None if stat.S_ISREG(mode) else problem("RD012", file=name, navn=name)


SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini"}  # written by Finder and Explorer, never a team's


def _workbooks_in(folder: Path, notices: list[Problem]) -> list[Path]:
    """The workbooks in `folder` (not its subfolders); everything else is listed with why it is not read,
    except the files an operating system leaves in folders and hidden files."""
    found = []
    for path in sorted(folder.iterdir()):
        name = display_name(path.name)
        if path.is_dir():
            notices.append(problem("RB036", file=name, navn=name))
        elif path.suffix.lower() in WORKBOOK_SUFFIXES:
            found.append(path)
        elif path.name.casefold() in SYSTEM_FILES or path.name.startswith("."):
            continue
        elif path.suffix.lower() in (".ods", ".fods"):
            notices.append(problem("RB035", file=name, navn=name))
        else:
            notices.append(problem("RB037", file=name, navn=name))
    return found


def read_inputs(inputs: list[Path], summary: bool = False, progress=None) -> tuple[list[WorkbookRead], list[Problem]]:
    """Every workbook among `inputs` read (each in a worker), and the notices about what was not read."""
    files, notices = collect_files(inputs)
    return read_all(files, summary=summary, progress=progress), notices


def read_all(files: list[Path], summary: bool = False, progress=None,
             names: dict[Path, str] | None = None) -> list[WorkbookRead]:
    """Every file read in worker processes with time and memory limits (see isolation.py); `names`: the names
    files are shown under instead of their own."""
    from xlplan.reading.isolation import read_isolated

    return read_isolated(files, summary=summary, progress=progress, names=names)


def check_output_path(output: Path, inputs: list[Path]) -> None:
    """Refuse to write over one of the inputs."""
    try:
        target = output.resolve()
    except OSError:
        return
    for item in inputs:
        paths = [p for p in item.iterdir()] if item.is_dir() else [item]
        if any(p.resolve() == target for p in paths if p.exists()):
            raise XlplanError(problem("OUT003", sti=str(output)))
