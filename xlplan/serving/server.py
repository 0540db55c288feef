"""Running the application: waitress, a pure-Python WSGI server that runs alike on Windows, macOS and
Linux, with as many threads as uploads may arrive at once (each upload is read in its own worker process)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from xlplan.serving import service
from xlplan.serving.workspace import Workspace

DEFAULT_PORT = 8765
LOOPBACK = "127.0.0.1"
THREADS = 8


def prepare(folder: Path, plan: Path | None = None) -> Workspace:
    """MAPPE opened (made the first time), with `plan` kept as the plan in force when it differs from it."""
    ws = Workspace(folder).open()
    if plan is not None:
        from xlplan.core.errors import XlplanError, problem

        try:
            data = plan.read_bytes()
        except FileNotFoundError:
            raise XlplanError(problem("CFG001", sti=str(plan))) from None
        except OSError as exc:
            raise XlplanError(problem("OUT001", sti=str(plan), detalje=exc.strerror or str(exc))) from None
        current = ws.plan_path()
        if current is None or current.read_bytes() != data:
            service.save_plan_file(ws, data, plan.name)
    return ws


def coordinator_url(base: str, ws: Workspace) -> str:
    return f"{base.rstrip('/')}/k/{ws.access().coordinator}/"


def serve(ws: Workspace, host: str = LOOPBACK, port: int = DEFAULT_PORT, public_url: str | None = None,
          max_upload_mb: int = service.MAX_UPLOAD_MB, as_of: dt.date | None = None,
          announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted; `announce` gets the coordinator's address as soon as the port is open."""
    from waitress import create_server

    from xlplan.serving.app import create_app

    app = create_app(ws, public_url=public_url, max_upload_mb=max_upload_mb, as_of=as_of)
    server = create_server(app, host=host, port=port, threads=THREADS, ident="xlplan",
                           max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1)
    shown_host = f"[{host}]" if ":" in host else host
    base = public_url or f"http://{shown_host}:{server.effective_port}"
    announce(coordinator_url(base, ws))
    try:
        server.run()
    finally:
        server.close()
