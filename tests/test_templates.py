"""The blank templates in templates/xlsx/ are what the code builds now, and read like a workbook xlplan wrote."""
from pathlib import Path

import pytest

from xlplan.core import content
from xlplan.workbook.generate import render_template, stale_templates, template_names

from workbook_helpers import load, metadata

TEMPLATES = Path(__file__).parent.parent / "templates" / "xlsx"


@pytest.mark.slow
def test_shipped_templates_are_not_stale():
    stale = stale_templates(TEMPLATES)
    assert not stale, f"Forældede skabeloner: {stale}. Kør 'xlplan template' og commit templates/xlsx/."


@pytest.mark.slow
def test_stale_check_notices_a_change(tmp_path):
    for key, name in template_names().items():
        (tmp_path / name).write_bytes(render_template(key))
    assert stale_templates(tmp_path) == []
    victim = tmp_path / template_names()["ffb"]
    victim.write_bytes(render_template("ics"))
    assert stale_templates(tmp_path) == [victim.name]


@pytest.mark.slow
def test_templates_are_blank_and_recognisable():
    expected = {"ics": ["1. Sigtepunkt 1"[3:], "Procesplan", "Roller", "Risikolog"],
                "ffb": ["Fase 1 Forbered", "Fase 4 Genbesøg", "Procesplan", "Roller", "Risikolog"],
                "styringsgrundlag": ["Trin", "Rolle og ansvar", "Procesplan", "Risikolog"]}
    for key, name in template_names().items():
        wb = load(TEMPLATES / name)
        meta = metadata(wb)
        assert meta["template_id"] == key and meta["team"] == "" and meta["generated"] == ""
        assert meta["template_version"] == str(content.template_version())
        for sheet in expected[key]:
            assert sheet in wb.sheetnames, (name, sheet)
        assert wb["Oversigt"]["B4"].value is None, "team name is typed by hand"
        people = [r[0].value for r in wb["Personer"].iter_rows(min_row=6, max_col=1) if r[0].value]
        assert people == []


def test_file_names():
    assert sorted(template_names().values()) == ["FFB-implementering.xlsx", "ICS-implementeringsplan.xlsx",
                                                 "Styringsgrundlag-implementering.xlsx"]
