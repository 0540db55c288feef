"""Type text into workbook cells the way a person does in LibreOffice, through its UNO bridge.

Setting a cell's FormulaLocal interprets the text as the input line does, with the profile's locale:
in da-DK, "marts 2026" typed into a General cell becomes the date 01-03-2026, while a Text ('@')
cell keeps it as typed. The profile is otherwise LibreOffice's default, as a user has it.

From a test (any Python): `type_cells(source, target, [("Procesplan", "A8", "marts 2026")])`, or
`edit(source, target, steps)` for comments, new sheets, number formats, merges, rows inserted and
deleted, and whether a menu command is enabled (the protection a person meets).
That runs this file as a script with a Python that has the `uno` module (Debian's /usr/bin/python3
with python3-uno; LibreOffice's bundled python elsewhere), because a virtualenv usually has not.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

DANISH_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>da-DK</value></prop></item>
</oor:items>
"""
CONNECT_SECONDS = 60


@lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python interpreter that can `import uno`, or None."""
    candidates = [os.environ.get("XLPLAN_UNO_PYTHON"), "/usr/bin/python3",
                  "/Applications/LibreOffice.app/Contents/Resources/python",
                  r"C:\Program Files\LibreOffice\program\python.exe"]
    for python in filter(None, candidates):
        if Path(python).exists() and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
            return python
    return None


def type_cells(source: Path, target: Path, typings: list[tuple[str, str, str]], timeout: int = 180) -> None:
    """Open `source` in LibreOffice (da-DK), type each (sheet, cell, text), save as xlsx to `target`."""
    edit(source, target, [{"do": "type", "sheet": sheet, "cell": cell, "text": text} for sheet, cell, text in typings],
         timeout)


def edit(source: Path, target: Path | None, steps: list[dict], timeout: int = 180) -> list:
    """Open `source` in LibreOffice (da-DK), do each step as a person would, save as xlsx to `target` (if
    given); the result of each step (None, or what it found out). Steps ("do"): type (sheet, cell, text),
    comment (sheet, cell, text), new_sheet (name), number_format (sheet, cell, code in the da-DK notation),
    merge (sheet, range; the hidden cells keep their contents), unprotect (sheet), insert_rows and
    delete_rows (sheet, row 0-based, count; 'refused' when the sheet's protection refuses), and
    command_state (sheet, select, commands: whether each menu command is enabled on that selection)."""
    python = uno_python()
    if python is None:
        raise RuntimeError("no Python with the uno module: install python3-uno (scripts/install-system-packages)")
    request = json.dumps({"source": str(source), "target": str(target) if target else None, "steps": steps})
    result = subprocess.run([python, __file__], input=request, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"typing through LibreOffice failed: {result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ inside the uno-capable Python

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _connect(port: int, office: subprocess.Popen):
    import uno
    from com.sun.star.connection import NoConnectException

    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _prop(name: str, value):
    from com.sun.star.beans import PropertyValue
    return PropertyValue(Name=name, Value=value)


def _edit_and_save(context, source: Path, target: Path | None, steps: list) -> list:
    import uno
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(source.resolve())), "_blank", 0,
                                            (_prop("Hidden", True),))
    try:
        results = [STEPS[step["do"]](context, document, step) for step in steps]
        if target is not None:
            document.storeToURL(uno.systemPathToFileUrl(str(target.resolve())),
                                (_prop("FilterName", "Calc MS Excel 2007 XML"),))
    finally:
        document.close(True)
    try:
        desktop.terminate()
    except Exception:  # the bridge drops as the office quits
        pass
    return results


def _sheet(document, step):
    return document.Sheets.getByName(step["sheet"])


def _type(_context, document, step):
    _sheet(document, step).getCellRangeByName(step["cell"]).FormulaLocal = step["text"]


def _comment(_context, document, step):
    sheet = _sheet(document, step)
    sheet.Annotations.insertNew(sheet.getCellRangeByName(step["cell"]).CellAddress, step["text"])


def _new_sheet(_context, document, step):
    document.Sheets.insertNewByName(step["name"], document.Sheets.Count)


def _danish():
    from com.sun.star.lang import Locale
    return Locale("da", "DK", "")


def _number_format(_context, document, step):
    formats, locale = document.NumberFormats, _danish()
    key = formats.queryKey(step["code"], locale, False)
    if key == -1:
        key = formats.addNew(step["code"], locale)
    _sheet(document, step).getCellRangeByName(step["cell"]).NumberFormat = key


def _merge(_context, document, step):
    _sheet(document, step).getCellRangeByName(step["range"]).merge(True)


def _unprotect(_context, document, step):
    _sheet(document, step).unprotect("")


def _rows(action):
    def run(_context, document, step):
        rows = _sheet(document, step).Rows
        try:
            getattr(rows, action)(step["row"], step.get("count", 1))
        except Exception:  # LibreOffice refuses what the sheet's protection forbids
            return "refused"
        return "done"
    return run


def _command_state(context, document, step):
    """Whether each command of the menus is enabled with `select` selected, as a person sees it greyed out."""
    import unohelper
    import uno
    from com.sun.star.frame import XStatusListener

    class Listener(unohelper.Base, XStatusListener):
        enabled = None

        def statusChanged(self, event):
            self.enabled = event.IsEnabled

        def disposing(self, event):
            pass

    controller = document.CurrentController
    sheet = _sheet(document, step)
    controller.setActiveSheet(sheet)
    controller.select(sheet.getCellRangeByName(step["select"]))
    parser = context.ServiceManager.createInstanceWithContext("com.sun.star.util.URLTransformer", context)
    states = {}
    for command in step["commands"]:
        url = uno.createUnoStruct("com.sun.star.util.URL")
        url.Complete = command
        _ok, url = parser.parseStrict(url)
        dispatch = controller.Frame.queryDispatch(url, "", 0)
        listener = Listener()
        if dispatch is not None:
            dispatch.addStatusListener(listener, url)
            dispatch.removeStatusListener(listener, url)
        states[command] = bool(listener.enabled)
    return states


STEPS = {"type": _type, "comment": _comment, "new_sheet": _new_sheet, "number_format": _number_format,
         "merge": _merge, "unprotect": _unprotect, "insert_rows": _rows("insertByIndex"),
         "delete_rows": _rows("removeByIndex"), "command_state": _command_state}


def main() -> None:
    request = json.loads(sys.stdin.read())
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory(prefix="xlplan-uno-") as profile:
        user = Path(profile) / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(DANISH_PROFILE, encoding="utf-8")
        port = _free_port()
        # A session of its own on Unix: the soffice script starts soffice.bin as its child, which must go
        # with it if the office crashes or hangs.
        office = subprocess.Popen([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                                   "--norestore", "--nologo", "--nodefault",
                                   f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=os.name == "posix")
        try:
            context = _connect(port, office)
            target = Path(request["target"]) if request["target"] else None
            results = _edit_and_save(context, Path(request["source"]), target, request["steps"])
            office.wait(timeout=60)
            print(json.dumps(results))
        finally:
            _end(office)


def _end(office: subprocess.Popen) -> None:
    """End the office this script started, and on Unix every process of its session (soffice.bin)."""
    if os.name == "posix":
        import signal
        try:
            os.killpg(office.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    elif office.poll() is None:
        office.kill()
    office.wait()


if __name__ == "__main__":
    main()
