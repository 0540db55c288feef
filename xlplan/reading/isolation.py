"""Reading returned workbooks in worker processes (core/workers.py): a file that hangs, runs out of
memory or kills its worker costs only itself and is reported; every other file is still read."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Callable

from xlplan.core.workers import MEMORY_MB, TIMEOUT_SECONDS, Outcome, WorkerPool, log_detail


def prepare_reading() -> None:
    """Load the vocabularies and catalogues once per worker (with fork: once, in the parent)."""
    from xlplan.reading.readback import prepare
    prepare()


def _item(item) -> tuple[str, str | None]:
    """A worker's item: a path, or (path, the name the file is shown under)."""
    return (item[0], item[1]) if isinstance(item, tuple) else (item, None)


def read_full(item):
    """Everything in the workbook, under a name that is safe to show and store (by default its own)."""
    from xlplan.core.names import display_name
    from xlplan.core.records import share_empty_mappings
    from xlplan.reading.readback import read_team_workbook

    path, shown = _item(item)
    result = read_team_workbook(Path(path), display_name=display_name(shown or Path(path).name))
    result.path = display_name(path)
    share_empty_mappings(result)
    return result


def read_summary(item):
    """What `tjek` needs: the file's identity and problems, not its records (less to send back)."""
    from xlplan.core.records import WorkbookRead

    read = read_full(item)
    slim = WorkbookRead(read.file, read.path, read.sha256, read.size, read.modified, team=read.team,
                        template_id=read.template_id, template_version=read.template_version,
                        generated=read.generated, readable=read.readable, saved=read.saved, info=read.info)
    slim.problems = read.problems  # with the team, its saved times: enough to say which of a team's files counts
    return slim


def read_isolated(paths: list[Path], workers: int | None = None, timeout: float = TIMEOUT_SECONDS,
                  memory_mb: int = MEMORY_MB, summary: bool = False, progress=None,
                  reader: Callable[[str], Any] | None = None, method: str | None = None,
                  names: dict[Path, str] | None = None) -> list:
    """Read `paths` in worker processes; the results in the order of `paths`. Never raises for a bad
    file: one that hangs, runs out of memory or kills its worker is reported (RD009-RD011).
    With `summary`, only each file's identity and problems come back (enough for `tjek`).
    `reader` replaces the function that reads one file (module-level, so a spawned worker finds it).
    `names` are the names files are shown under instead of their own (the server's: the name a team sent).
    """
    paths = [Path(p) for p in paths]
    names = names or {}
    items = [(str(p), names[p]) if p in names else str(p) for p in paths]
    task = reader or (read_summary if summary else read_full)
    results: list = [None] * len(paths)
    with WorkerPool(task, workers=workers, timeout=timeout, memory_mb=memory_mb, setup=prepare_reading,
                    method=method) as pool:
        for done, (index, outcome) in enumerate(pool.run(items), 1):
            results[index] = _as_read(paths[index], outcome, names.get(paths[index]))
            if progress:
                progress(done, len(paths))
    return results


def _as_read(path: Path, outcome: Outcome, shown: str | None = None):
    if outcome.kind == "ok":
        return outcome.value
    if outcome.kind == "error":
        return _failed(path, "error", shown, log=log_detail(f"{path}:\n{outcome.detail}"))
    return _failed(path, outcome.kind, shown, detalje=outcome.detail)


def _failed(path: Path, kind: str, shown: str | None = None, **values):
    from xlplan.core.names import display_name
    from xlplan.reading.readback import read_failure
    from xlplan.core.records import WorkbookRead

    name = display_name(shown or path.name)
    result = WorkbookRead(name, display_name(str(path)), "", 0, None, readable=False)
    try:
        result.sha256, result.size, result.modified = regular_file_facts(path)
    except OSError:
        pass
    result.problems.append(read_failure(kind, name, **values))
    return result


def regular_file_facts(path: Path):
    """sha256, size and modification time of `path`, refusing without blocking anything that is not a
    regular file (opening a FIFO for reading would wait for a writer forever)."""
    import datetime as dt
    import hashlib

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file: {path}")
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest(), info.st_size, dt.datetime.fromtimestamp(info.st_mtime).replace(microsecond=0)
