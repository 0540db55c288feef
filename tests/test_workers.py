"""The worker processes under both start methods, a run that is killed, files that are not regular
files or have undecodable names, and how outputs are written (atomically, with normal permissions)."""
import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

import hostile
import isolation_tasks
from xlplan.workbook import generate
from xlplan.core import workers
from xlplan.reading import isolation
from xlplan.core.errors import XlplanError
from xlplan.workbook.generate import generate_team_workbooks, render_workbook, write_atomic
from xlplan.reading.readback import read_team_workbook

ROOT = Path(__file__).parent.parent
SAMPLES = sorted((ROOT / "samples" / "returned").glob("*.xlsx"))
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX signals, modes and file names")
LINUX = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")
METHODS = pytest.mark.parametrize("method", ["fork", "spawn"])


def xlplan(*args, timeout=120, **kwargs):
    """`python -m xlplan ARGS` with this checkout first on the path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    return subprocess.run([sys.executable, "-m", "xlplan", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=kwargs.pop("cwd", ROOT), **kwargs)


# ---------------------------------------------------------------- one pool, fork and spawn

@METHODS
def test_the_pool_really_uses_the_start_method_asked_for(method, monkeypatch):
    monkeypatch.setattr(isolation_tasks, "MARK", "set by the test process")
    with workers.WorkerPool(isolation_tasks.where_am_i, workers=1, method=method,
                              setup=isolation.prepare_reading) as pool:
        assert pool.context.get_start_method() == method
        [(_, outcome)] = list(pool.run([None]))
    seen = outcome.value
    assert outcome.kind == "ok" and seen["pid"] != os.getpid()
    assert seen["catalogue_loaded"], "the worker prepared the vocabularies itself"
    if method == "spawn":
        assert seen["mark"] == "as imported" and seen["start_method"] == "spawn", "a fresh interpreter"
    else:
        assert seen["mark"] == "set by the test process", "a forked copy of the test process"


@pytest.mark.slow
@METHODS
def test_spawned_and_forked_workers_read_what_the_reader_reads_in_process(method):
    expected = [read_team_workbook(p) for p in SAMPLES]
    calls = []
    results = isolation.read_isolated(SAMPLES, method=method, progress=lambda done, total: calls.append((done, total)))
    assert [(r.team, r.plan_rows, r.criteria, r.problems) for r in results] == \
        [(r.team, r.plan_rows, r.criteria, r.problems) for r in expected]
    assert calls == [(i, len(SAMPLES)) for i in range(1, len(SAMPLES) + 1)]


@METHODS
def test_summary_under_either_start_method_brings_back_only_problems(method):
    [full] = isolation.read_isolated(SAMPLES[:1], method=method)
    [slim] = isolation.read_isolated(SAMPLES[:1], method=method, summary=True)
    assert full.plan_rows and not slim.plan_rows and slim.problems == full.problems


def _many_teams(config, count=9):
    return dataclasses.replace(config, teams=tuple(dataclasses.replace(config.teams[i % len(config.teams)],
                                                                       name=f"Team {i}") for i in range(count)))


def _members(data: bytes) -> dict[str, bytes]:
    import io
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


@pytest.mark.slow
@METHODS
def test_new_renders_in_workers_under_either_start_method(sample_config, tmp_path, monkeypatch, method):
    monkeypatch.setattr(workers, "START_METHOD", method)
    config = _many_teams(sample_config)
    now = dt.datetime(2026, 1, 5, 9)
    written = generate_team_workbooks(config, tmp_path, now=now)
    assert len(written) == len(config.teams) >= generate.PARALLEL_FROM
    for w, team in zip(written, config.teams):
        assert _members(w.path.read_bytes()) == _members(render_workbook(config, team, now))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(w.path.name for w in written)


@pytest.mark.slow
@METHODS
def test_a_dying_renderer_costs_only_its_team_and_is_reported(sample_config, tmp_path, monkeypatch, method):
    monkeypatch.setattr(workers, "START_METHOD", method)
    monkeypatch.setattr(generate, "_render_team", isolation_tasks.render_failing_for_team_3)
    config = _many_teams(sample_config)
    with pytest.raises(XlplanError) as info:
        generate_team_workbooks(config, tmp_path, now=dt.datetime(2026, 1, 5, 9))
    [failure] = info.value.problems
    assert failure.code == "GEN001" and "Team 3" in failure.message and "SIGABRT" in failure.message
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == len(config.teams) - 1 and not any(n.endswith(".tmp") for n in names)


# ---------------------------------------------------------------- a killed run leaves no worker behind

def _process_table() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, start time), from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), fields[0], fields[19])
    return table


def _descendants(pid: int) -> dict[int, str]:
    """pid -> start time of every process below `pid`."""
    table = _process_table()
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, _, started) in table.items():
            if ppid == parent and child not in found:
                found[child] = started
                frontier.append(child)
    return found


def _still_running(processes: dict[int, str]) -> list[int]:
    table = _process_table()
    return [pid for pid, started in processes.items()
            if pid in table and table[pid][2] == started and table[pid][1] != "Z"]


@pytest.fixture(scope="module")
def slow_folder(tmp_path_factory):
    """Workbooks that take seconds each to read (480,000 cells, under the 500,000 limit): a run over
    them is still reading when the test kills it."""
    folder = tmp_path_factory.mktemp("langsomme")
    big = hostile.too_many_cells(SAMPLES[0], folder / "team-00.xlsx", cells=480_000)
    for i in range(1, 12):
        (folder / f"team-{i:02}.xlsx").write_bytes(big.read_bytes())
    return folder


# A test that sends a signal sets the child's dispositions itself, as a terminal leaves them: a job started in
# the background (`&`, cron, nohup) inherits SIGINT and SIGHUP as ignored, and xlplan rightly keeps them so.
AS_FROM_A_TERMINAL = """
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGHUP, signal.SIG_DFL)
"""

DRIVER = AS_FROM_A_TERMINAL + """
import sys
from xlplan.core import workers
from xlplan.cli import main
workers.START_METHOD = sys.argv[1]
workers.KILL_WITH_PARENT = sys.argv[2] == "1"
main(sys.argv[3:])
"""


@pytest.mark.slow
@POSIX
@LINUX
@pytest.mark.parametrize("method, kernel_kill, signum", [
    ("fork", True, signal.SIGKILL), ("fork", True, signal.SIGTERM), ("fork", True, signal.SIGHUP),
    ("fork", True, signal.SIGINT), ("spawn", True, signal.SIGKILL), ("spawn", True, signal.SIGTERM),
    # without PR_SET_PDEATHSIG, as on macOS: the workers' own watch on their parent must do it
    ("fork", False, signal.SIGKILL), ("spawn", False, signal.SIGKILL),
])
def test_killing_consolidate_leaves_no_worker_holding_the_terminal(slow_folder, tmp_path, method, kernel_kill,
                                                                   signum):
    out = tmp_path / "ud"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen([sys.executable, "-c", DRIVER, method, "1" if kernel_kill else "0", "saml",
                            str(slow_folder), "-o", str(out / "samlet-status.xlsx"), "--uden-historik"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    workers = {}
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:  # both workers started and reading
            time.sleep(0.2)
            workers = _descendants(run.pid)
        time.sleep(1)
        workers = _descendants(run.pid)
        assert len(workers) >= 2 and run.poll() is None, "the run was still reading when it was killed"
        os.kill(run.pid, signum)
        try:
            _, stderr = run.communicate(timeout=20)  # returns only when no process holds its pipes
        except subprocess.TimeoutExpired:
            pytest.fail(f"stdout/stderr still held open after {signal.Signals(signum).name}")
        grace = time.monotonic() + 10
        while _still_running(workers) and time.monotonic() < grace:
            time.sleep(0.2)
        assert not _still_running(workers), "every worker ended with its parent"
        assert list(out.iterdir()) == [], "no output and no temporary file"
        if signum != signal.SIGKILL:
            assert "Afbrudt." in stderr.decode() and "Traceback" not in stderr.decode()
    finally:
        for pid in _still_running(workers):
            os.kill(pid, signal.SIGKILL)
        if run.poll() is None:
            run.kill()
            run.communicate()


# ---------------------------------------------------------------- inputs that are not regular files

@POSIX
@pytest.mark.parametrize("how", ["named", "in_folder"])
def test_a_fifo_among_the_inputs_is_refused_without_blocking(tmp_path, how):
    folder = tmp_path / "ind"
    folder.mkdir()
    (folder / "godt.xlsx").write_bytes(SAMPLES[0].read_bytes())
    fifo = folder / "rør.xlsx"
    os.mkfifo(fifo)
    inputs = [str(folder)] if how == "in_folder" else [str(folder / "godt.xlsx"), str(fifo)]
    try:
        done = xlplan("tjek", *inputs, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("check hung on a FIFO")
    assert "[RD012]" in done.stdout and "rør.xlsx" in done.stdout
    assert "Familieplejen (godt.xlsx)" in done.stdout and "I alt: 1 fil," in done.stdout
    assert done.returncode == 1


@pytest.mark.slow
@POSIX
def test_describing_a_file_that_timed_out_never_blocks(tmp_path):
    """The worker hangs opening a FIFO until the time limit; the parent must describe it without opening it."""
    fifo = tmp_path / "rør.xlsx"
    os.mkfifo(fifo)
    code = ("import sys; from xlplan.reading import isolation; "
            "[r] = isolation.read_isolated([sys.argv[1]], timeout=2); print([p.code for p in r.problems])")
    try:
        done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        pytest.fail("the parent blocked on the FIFO")
    assert done.stdout.strip() == "['RD010']", done.stderr


# ---------------------------------------------------------------- undecodable file names

LATIN1_NAME = "Team æøå.xlsx".encode("latin-1")  # as an old share stores it: not valid UTF-8


@pytest.fixture
def latin1_folder(tmp_path):
    folder = tmp_path / "ind"
    folder.mkdir()
    (folder / "Familieteamet.xlsx").write_bytes(SAMPLES[2].read_bytes())
    try:
        with open(os.path.join(os.fsencode(folder), LATIN1_NAME), "wb") as handle:
            handle.write(SAMPLES[0].read_bytes())
    except OSError:
        pytest.skip("this file system accepts only valid UTF-8 names")
    assert len(os.listdir(folder)) == 2
    return folder


@pytest.mark.slow
def test_a_file_name_that_is_not_utf8_is_read_and_shown_safely(latin1_folder, tmp_path):
    shown = LATIN1_NAME.decode("utf-8", "replace")
    assert "\ufffd" in shown
    out, data = tmp_path / "samlet-status.xlsx", tmp_path / "data.json"
    done = xlplan("saml", str(latin1_folder), "-o", str(out), "--json", str(data), "--uden-historik")
    assert done.returncode == 0, done.stderr
    files = {f["fil"]: f for f in json.loads(data.read_text(encoding="utf-8"))["filer"]}
    assert files[shown]["læst"] and files[shown]["team"] == "Familieplejen"
    assert shown in files[shown]["sti"]
    sources = openpyxl.load_workbook(out, read_only=True)["Kilder"]
    assert shown in {c for row in sources.iter_rows(values_only=True) for c in row}
    check = xlplan("tjek", str(latin1_folder))
    assert f"Familieplejen ({shown})" in check.stdout and "INT001" not in check.stdout + check.stderr


# ---------------------------------------------------------------- outputs

@POSIX
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_get_the_permissions_any_program_would_give(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with open(tmp_path / "reference", "w") as handle:  # what a plain open() creates under this umask
            handle.write("x")
        write_atomic(tmp_path / "samlet-status.xlsx", b"data")
    finally:
        os.umask(previous)
    expected = (tmp_path / "reference").stat().st_mode & 0o777
    assert (tmp_path / "samlet-status.xlsx").stat().st_mode & 0o777 == expected


@pytest.mark.slow
@POSIX
def test_every_command_writes_outputs_colleagues_can_open(sample_config, tmp_path):
    previous = os.umask(0o002)
    try:
        (tmp_path / "reference").write_text("x")
        expected = (tmp_path / "reference").stat().st_mode & 0o777
        assert xlplan("init", str(tmp_path / "plan.toml")).returncode == 0
        assert xlplan("ny", str(ROOT / "samples" / "plan.toml"), "-o", str(tmp_path / "mapper")).returncode == 0
        assert xlplan("saml", str(ROOT / "samples" / "returned"), "-o", str(tmp_path / "s.xlsx"),
                      "--json", str(tmp_path / "s.json"), "--uden-historik").returncode == 0
        xlplan("tjek", str(ROOT / "samples" / "returned"), "--rettekopier", str(tmp_path / "rettelser"))
    finally:
        os.umask(previous)
    outputs = [tmp_path / "plan.toml", tmp_path / "s.xlsx", tmp_path / "s.json",
               *(tmp_path / "mapper").iterdir(), *(tmp_path / "rettelser").iterdir()]
    assert len(outputs) >= 7
    assert {p.name: p.stat().st_mode & 0o777 for p in outputs} == {p.name: expected for p in outputs}


WRITE_THEN_SIGNAL = AS_FROM_A_TERMINAL + """
import os, signal, sys, time
from pathlib import Path
from xlplan.workbook.generate import write_atomic
real_fsync = os.fsync
def fsync_then_signal(fd):
    real_fsync(fd)
    os.kill(os.getpid(), getattr(signal, sys.argv[2]))
    time.sleep(5)
os.fsync = fsync_then_signal
write_atomic(Path(sys.argv[1]), b"new content" * 100000)
"""


@POSIX
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_during_writing_leaves_no_temporary_file(tmp_path, signame):
    out = tmp_path / "samlet-status.xlsx"
    out.write_bytes(b"previous")
    done = subprocess.run([sys.executable, "-c", WRITE_THEN_SIGNAL, str(out), signame], capture_output=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode != 0
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["samlet-status.xlsx"], "no temporary file left"


IGNORED_HANGUP_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup leaves it
from xlplan.core.atomic import termination_raises, write_atomic
with termination_raises():
    os.kill(os.getpid(), signal.SIGHUP)
    write_atomic(Path(sys.argv[1]), b"new content")
    print("still here", signal.getsignal(signal.SIGHUP) is signal.SIG_IGN)
"""


@POSIX
def test_a_hangup_ignored_by_the_parent_stays_ignored_as_under_nohup(tmp_path):
    out = tmp_path / "samlet-status.xlsx"
    done = subprocess.run([sys.executable, "-c", IGNORED_HANGUP_WHILE_WRITING, str(out)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "still here True"
    assert out.read_bytes() == b"new content"


@POSIX
def test_a_later_run_removes_only_its_own_stale_temporary_files(tmp_path):
    hour_ago = time.time() - 3600
    stale = tmp_path / ".plan.toml.xlplan-0123abcd.tmp"  # left by a run that was killed outright
    others = [tmp_path / ".plan.toml.tmp", tmp_path / "noter.tmp", tmp_path / ".plan.toml.xlplan-kladde.tmp",
              tmp_path / "plan.toml.xlplan-0123abcd.tmp"]
    for path in [stale, *others]:
        path.write_text("x")
        os.utime(path, (hour_ago, hour_ago))
    in_progress = tmp_path / ".andet.xlsx.xlplan-89abcdef.tmp"  # newer than the run: another run's
    in_progress.write_text("x")
    future = time.time() + 3600
    os.utime(in_progress, (future, future))
    done = xlplan("init", str(tmp_path / "plan.toml"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in others] + [in_progress.name, "plan.toml"])


# ---------------------------------------------------------------- python -m xlplan

def test_python_dash_m_xlplan_runs_the_cli():
    done = xlplan("--help")
    assert done.returncode == 0 and "Brug: xlplan" in done.stdout and "saml" in done.stdout
    version = xlplan("--version")
    assert version.returncode == 0 and version.stdout.startswith("xlplan ")


def test_a_bug_while_rendering_costs_only_its_team_and_says_where_the_log_is(sample_config, tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "_render_team", isolation_tasks.render_raising_for_team_3)
    config = _many_teams(sample_config)
    with pytest.raises(XlplanError) as info:
        generate_team_workbooks(config, tmp_path, now=dt.datetime(2026, 1, 5, 9))
    [failure] = info.value.problems
    assert failure.code == "GEN004" and "Team 3" in failure.message
    log = failure.values["log"]
    assert "a bug in a sheet builder" in open(log, encoding="utf-8").read()
    assert len(list(tmp_path.iterdir())) == len(config.teams) - 1


def test_a_file_written_in_pieces_that_fail_halfway_leaves_the_old_file_and_no_temporary(tmp_path):
    """`saml --json` writes its JSON as it is made: a failure in the middle changes nothing."""
    from xlplan.core.atomic import write_atomic

    out = tmp_path / "samlet-status.json"
    out.write_bytes(b"previous")

    def pieces():
        yield b'{"filer": ['
        raise RuntimeError("halfway")
    with pytest.raises(RuntimeError):
        write_atomic(out, pieces())
    assert out.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == [out.name]
    write_atomic(out, iter([b"new ", b"content"]))
    assert out.read_bytes() == b"new content"


# ---------------------------------------------------------------- no process-wide switch

def test_a_process_with_threads_starts_its_workers_afresh_and_keeps_its_collector(monkeypatch):
    """A server answers pages from threads while it reads: no worker is forked from it (a fork can copy a
    lock another thread holds), and the collector is not held off for the whole process."""
    import gc
    import threading

    from xlplan.core.collecting import held_off
    monkeypatch.setattr(workers, "START_METHOD", None)
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    other.start()
    try:
        assert workers.start_method() == "spawn"
        with held_off():
            assert gc.isenabled()
    finally:
        done.set()
        other.join()
    if threading.active_count() == 1 and sys.platform.startswith("linux"):
        assert workers.start_method() == "fork"
        with held_off():
            assert not gc.isenabled()
        assert gc.isenabled()


def test_a_long_running_process_still_removes_temporary_files_left_by_a_killed_write(tmp_path, monkeypatch):
    from xlplan.core import atomic
    monkeypatch.setattr(atomic, "RUN_STARTED", time.time() - 7 * 24 * 3600)  # a server started a week ago
    monkeypatch.setattr(atomic, "_swept", {})
    left = tmp_path / ".samlet-status.xlsx.xlplan-0123abcd.tmp"  # by a write killed 20 minutes ago
    writing = tmp_path / ".andet.xlsx.xlplan-89abcdef.tmp"  # another request's, a moment ago
    for path, age in ((left, 20 * 60), (writing, 5)):
        path.write_text("x")
        os.utime(path, (time.time() - age, time.time() - age))
    write_atomic(tmp_path / "samlet-status.xlsx", b"ny")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([writing.name, "samlet-status.xlsx"])
