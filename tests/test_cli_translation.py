"""click's own messages reach the user in Danish through a real gettext catalogue
(xlplan/data/locale/da/LC_MESSAGES/click.po, compiled to click.mo), never by rewriting finished text."""
import ast
import gettext
import os
import shutil
import string
import subprocess
from pathlib import Path

import click
import pytest

import xlplan.cli  # noqa: F401 - installs the catalogue
from paths import ROOT

LOCALE = ROOT / "xlplan" / "data" / "locale" / "da" / "LC_MESSAGES"
# click translates this one from a variable (`_(extra["required"])`), so no extractor sees it
DYNAMIC = {"required"}


def _click_messages() -> list[tuple[str, str | None]]:
    """Every message click passes to `_` (singular, None) or `ngettext` (singular, plural), read from the
    installed click's own source."""
    found = [(m, None) for m in DYNAMIC]
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                         for a in node.args[:2]]
                if node.func.id == "_" and texts[0] is not None:
                    found.append((texts[0], None))
                elif node.func.id == "ngettext" and None not in texts:
                    found.append((texts[0], texts[1]))
    return found


def _catalogue(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as f:
        return gettext.GNUTranslations(f)


def _fields(text: str) -> set[str]:
    return {name.split("!")[0].split(".")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_of_the_installed_click_has_a_danish_translation():
    danish = _catalogue(LOCALE / "click.mo")._catalog
    messages = _click_messages()
    assert len(messages) > 60  # the extraction found click's messages
    missing = [m for m, plural in messages
               if (m not in danish if plural is None else not {(m, 0), (m, 1)} <= danish.keys())]
    assert not missing, missing
    assert all(text for key, text in danish.items() if key != ""), "an empty translation"


def test_translations_use_only_the_values_click_gives():
    danish = _catalogue(LOCALE / "click.mo")._catalog
    for singular, plural in _click_messages():
        if plural is None:
            assert _fields(danish[singular]) <= _fields(singular), singular
        else:
            for form in (0, 1):
                assert _fields(danish[(singular, form)]) <= _fields(singular) | _fields(plural), singular


@pytest.mark.skipif(not shutil.which("msgfmt") and not os.environ.get("CI"), reason="msgfmt (GNU gettext) er ikke installeret; kør 'make test'")
def test_the_shipped_catalogue_is_compiled_from_the_po_file(tmp_path):
    out = tmp_path / "click.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(out), str(LOCALE / "click.po")], check=True)
    assert _catalogue(out)._catalog == _catalogue(LOCALE / "click.mo")._catalog


def test_click_modules_translate_through_the_danish_catalogue():
    import click.core
    import click.exceptions

    assert click.core._("Options") == "Tilvalg"
    assert click.exceptions.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)",
                                     2) == "(Mente du en af: {possibilities}?)"
