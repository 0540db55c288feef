"""Drive `xlplan serve` in a real browser: Debian's Chromium through Playwright, and the server as a user
starts it (`python -m xlplan serve MAPPE --port 0`), its first line on stdout being the coordinator's address.

Playwright cannot download its own browsers here, so it is given the system's Chromium. Used by
tests/test_serve_browser.py and tools/serve_screenshots.py.
"""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import xlplan

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AS_OF = "15-06-2026"
START_SECONDS = 60


def chromium() -> str | None:
    """The system's Chromium, or None (XLPLAN_CHROMIUM names another)."""
    named = os.environ.get("XLPLAN_CHROMIUM")
    for candidate in filter(None, [named, *CHROMIUM_CANDIDATES, shutil.which("chromium")]):
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def playwright_installed() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def launch(playwright, **options):
    """Headless Chromium, as the tests and the screenshots use it (`options` go to Playwright's launch)."""
    return playwright.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS, **options)


class Server:
    """`xlplan serve` running in a process of its own; `url` is the coordinator's address it announced."""

    def __init__(self, process: subprocess.Popen, url: str, folder: Path, log: Path):
        self.process, self.url, self.folder, self.log = process, url, folder, log

    @property
    def base(self) -> str:
        return self.url.split("/k/", 1)[0]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


@contextmanager
def running_server(folder: Path, *extra: str):
    """Start `python -m xlplan serve folder --port 0 --opgjort-pr 15-06-2026`, with this checkout's xlplan
    first on the path; stop it at the end (Popen.terminate, which is TerminateProcess on Windows)."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder.parent / f"{folder.name}-server.log"
    source = str(Path(xlplan.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")])),
               PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "xlplan", "serve", str(folder), "--port", "0", "--opgjort-pr", AS_OF, *extra]
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8",
                                   env=env)
        try:
            url = _first_line(process)
            if not url.startswith("http://"):
                raise RuntimeError(f"xlplan serve did not announce its address: {url!r}\n"
                                   f"{log.read_text(encoding='utf-8', errors='replace')}")
            yield Server(process, url, folder, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()


def _first_line(process: subprocess.Popen) -> str:
    """The first line the server writes, waiting at most START_SECONDS (a thread, so that this works on
    Windows too, where a pipe cannot be polled)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=START_SECONDS).strip()
    except queue.Empty:
        return ""
