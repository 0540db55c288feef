"""The reference of the commands (docs/cli.md) is the commands' own help, and the README's table of
commands names every option each command has."""
import importlib.util
import re

from paths import ROOT
from xlplan.cli import main


def _tool():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_command_reference_is_the_commands_own_help():
    tool = _tool()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == tool.reference(), \
        "docs/cli.md is stale: run 'python tools/cli_reference.py' (or make docs)"


def test_the_readme_table_names_every_option_of_every_command():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("### Commands and options"):text.index("## In a browser")]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)[^|]*\|.*$", table, re.M)}
    missing = []
    for name, command in main.commands.items():
        assert name in rows, f"the README's table has no row for {name}"
        for param in command.params:
            danish = next((o for o in param.opts if o.startswith("--")), None)  # the earlier names come after
            if danish and danish not in ("--help", "--stille") and danish not in rows[name]:
                missing.append(f"{name} {danish}")
    assert not missing, missing
