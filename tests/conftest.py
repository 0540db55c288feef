import os

import pytest
from libreoffice import soffice
from paths import SAMPLE_CONFIG

from xlplan.core.config import load_config
from xlplan.workbook.generate import generate_team_workbooks


def pytest_collection_modifyitems(config, items):
    # LibreOffice is part of the test contract: in CI a missing soffice is a failure, not a skip.
    if soffice() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) er ikke installeret; kør 'make test'")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def sample_config():
    return load_config(SAMPLE_CONFIG)


@pytest.fixture(scope="session")
def sample_workbooks(sample_config, tmp_path_factory):
    out = tmp_path_factory.mktemp("team-workbooks")
    return [w.path for w in generate_team_workbooks(sample_config, out)]
