"""The package layout shows the stages data flows through, and nothing below imports what stands above it:
core < xlsx < workbook (team workbooks) and reading (returned workbooks) < reporting < fixing < serving (the
web pages of `xlplan serve`) < the CLI; the front door (`xlplan.api`) stands between the stages and their callers."""
import ast
from pathlib import Path

from paths import ROOT

LAYERS = {"core": 0, "xlsx": 1, "workbook": 2, "reading": 2, "reporting": 3, "fixing": 4, "api": 5, "serving": 6}
TOP = 7  # xlplan/cli.py, __main__.py, __init__.py


def _package(module: str) -> str | None:
    """The stage a module belongs to; also for `import xlplan.reporting` and `from xlplan import serving`."""
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "xlplan" and parts[1] in LAYERS else None


def _imports(path: Path, module: str):
    """Every xlplan module `path` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("xlplan"):
                yield node.lineno, target
                for alias in node.names:
                    yield node.lineno, f"{target}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("xlplan"):
                    yield node.lineno, alias.name


def test_no_module_imports_a_stage_above_its_own():
    wrong = []
    for path in sorted((ROOT / "xlplan").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = _package(module)
        level = LAYERS[own] if own else TOP
        for line, target in _imports(path, module):
            other = _package(target)
            if other is None or other == own:
                continue
            if LAYERS[other] > level or (LAYERS[other] == level and other != own):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_every_stage_is_a_package_and_the_top_holds_only_the_entry_points():
    top = {p.name for p in (ROOT / "xlplan").glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "cli.py"}, top
    for name in LAYERS:
        assert (ROOT / "xlplan" / name / "__init__.py").is_file()


def test_the_command_line_goes_through_the_front_door():
    """Each command is a call into xlplan.api (or, for `serve`, the web application): the CLI imports no
    stage's internals, only the core's errors and its own machinery (atomic writes, the error log, texts)."""
    through = {"api", "serving", "core"}
    wrong = [f"xlplan/cli.py:{line} imports {target}" for line, target in _imports(ROOT / "xlplan" / "cli.py", "xlplan.cli")
             if _package(target) not in through | {None}]
    assert not wrong, "\n".join(wrong)
