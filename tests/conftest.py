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
