import os

import pytest
from browser import chromium, playwright_installed
from libreoffice import soffice
from paths import SAMPLE_CONFIG

from xlplan.core.config import load_config
from xlplan.workbook.generate import generate_team_workbooks


def pytest_collection_modifyitems(config, items):
    # LibreOffice and Chromium are part of the test contract: in CI a missing one is a failure, not a skip.
    if os.environ.get("CI"):
        return
    missing = {}
    if not soffice():
        missing["libreoffice"] = "LibreOffice (soffice) er ikke installeret; kør 'make test'"
    if not (chromium() and playwright_installed()):
        missing["browser"] = "Chromium (/usr/bin/chromium) eller Playwright er ikke installeret; kør 'make test'"
    for item in items:
        for marker, reason in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def sample_config():
    return load_config(SAMPLE_CONFIG)


@pytest.fixture(scope="session")
def sample_workbooks(sample_config, tmp_path_factory):
    out = tmp_path_factory.mktemp("team-workbooks")
    return [w.path for w in generate_team_workbooks(sample_config, out)]


@pytest.fixture(autouse=True)
def workers_started_as_in_a_process_without_threads(monkeypatch):
    """A pool's start method depends on the threads the process runs (spawn when there are any); threads an
    earlier test left (a server's, a thread pool's) must not change how the next test's workers start, or the
    monkeypatches a forked worker inherits would be lost. Tests of either method set it themselves."""
    import multiprocessing
    import sys

    from xlplan.core import workers
    if workers.START_METHOD is None:
        fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
        monkeypatch.setattr(workers, "START_METHOD", "fork" if fork else "spawn")
