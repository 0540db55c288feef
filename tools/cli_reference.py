"""Writes docs/cli.md, the reference of every command, from the commands' own --help (Danish, as a user
sees it). tests/test_docs.py fails when docs/cli.md differs from what this makes.

Usage: python tools/cli_reference.py   (or: make docs)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from xlplan.cli import main  # noqa: E402

TARGET = ROOT / "docs" / "cli.md"
HEAD = """# xlplan: kommandoerne

Hver kommandos egen hjælp (`xlplan KOMMANDO --help`), som den står i denne version. Siden laves af
`tools/cli_reference.py` (`make docs`), og en test fejler, hvis den ikke passer til kommandoerne.
"""


def _help(*args: str) -> str:
    done = CliRunner().invoke(main, [*args, "--help"], env={"COLUMNS": "100"}, prog_name="xlplan")
    if done.exit_code != 0:
        raise RuntimeError(f"xlplan {' '.join(args)} --help: {done.output}")
    return done.output.rstrip() + "\n"


def reference() -> str:
    parts = [HEAD, "\n## xlplan\n\n```text\n" + _help() + "```\n"]
    for name in main.list_commands(None):
        parts.append(f"\n## xlplan {name}\n\n```text\n{_help(name)}```\n")
    return "".join(parts)


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(reference(), encoding="utf-8")
    print(f"Skrev {TARGET.relative_to(ROOT)}")
