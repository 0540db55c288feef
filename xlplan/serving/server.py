"""Running the application: waitress, a pure-Python WSGI server that runs alike on Windows, macOS and
Linux, with as many threads as uploads may arrive at once (each upload is read in its own worker process)."""
from __future__ import annotations

import datetime as dt
import errno
import ipaddress
import logging
import socket
from pathlib import Path
from typing import Callable

from xlplan.core.errors import Problem, XlplanError, problem
from xlplan.serving import DEFAULT_PORT, LOOPBACK, MAX_UPLOAD_MB, service
from xlplan.serving.workspace import Workspace

THREADS = 8
# Connections that never finish their request (a slow or hostile client) hold a connection, not a thread:
# room for a few hundred of them (Windows' select() takes at most 512 sockets), each closed after
# CHANNEL_TIMEOUT seconds without a byte, looked for every CLEANUP_SECONDS.
CONNECTION_LIMIT = 400
CHANNEL_TIMEOUT = 20
CLEANUP_SECONDS = 5
# A body declared larger than the page's own limit is still answered by the page, in Danish (WEB003); only one
# far beyond it gets waitress's own English refusal, before a byte of it is read.
BODY_LIMIT_FACTOR = 4
WILDCARDS = ("0.0.0.0", "::", "")


def listening_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers (host:port, lower case) that name this server: the address it listens on, and for a
    loopback or wildcard address the names and addresses of this computer that reach it."""
    names = {host}
    if host in WILDCARDS:
        names |= {"localhost", "127.0.0.1", "::1", socket.gethostname(), socket.getfqdn()}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
        except OSError:
            pass
    elif is_loopback(host):
        names |= {"localhost", "127.0.0.1", "::1"}
    shown = {f"[{n}]" if ":" in n else n for n in names if n}
    return frozenset(f"{n}:{port}".lower() for n in shown) | (
        frozenset(n.lower() for n in shown) if port == 80 else frozenset())


def known_host(host_header: str, hosts: frozenset[str], wildcard: bool, port: int) -> bool:
    """Whether a request's Host names this server. On every interface (0.0.0.0) a computer's own network
    addresses cannot all be listed (Debian's hostname resolves to 127.0.1.1), so there an address written as
    numbers on the server's port is accepted too: a name it does not know never is."""
    host = host_header.lower()
    if host in hosts:
        return True
    if not wildcard:
        return False
    name, _, given_port = host.rpartition(":")
    if (given_port or "80") != str(port) or not name:
        return False
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def prepare(folder: Path, plan: Path | None = None) -> Workspace:
    """MAPPE opened (made the first time), with `plan` kept as the plan in force when it differs from it."""
    ws = Workspace(folder).open()
    if plan is not None:
        from xlplan.core.config import read_plan_bytes

        data = read_plan_bytes(plan)
        current = ws.plan_path()
        if current is None or current.read_bytes() != data:
            service.save_plan_file(ws, data, plan.name)
    return ws


def coordinator_url(base: str, ws: Workspace) -> str:
    return f"{base.rstrip('/')}/k/{ws.access().coordinator}/"


class Server:
    """The application on a listening socket: its address once the port is open, `run` until stopped
    (Ctrl+C, or `stop` from another thread)."""

    def __init__(self, ws: Workspace, host: str = LOOPBACK, port: int = DEFAULT_PORT, public_url: str | None = None,
                 max_upload_mb: int = MAX_UPLOAD_MB, as_of: dt.date | None = None):
        from waitress import create_server

        from xlplan.serving.app import create_app

        # waitress says in English on the console when uploads wait for a free thread; they are answered in
        # turn, and the coordinator's window is no place for it.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self.app = create_app(ws, public_url=public_url, max_upload_mb=max_upload_mb, as_of=as_of)
        self._map: dict = {}  # waitress's sockets: `stop` closes them all
        try:
            self._wsgi = create_server(
                self.app, map=self._map, host=host, port=port, threads=THREADS, ident="xlplan",
                connection_limit=CONNECTION_LIMIT, channel_timeout=CHANNEL_TIMEOUT, cleanup_interval=CLEANUP_SECONDS,
                max_request_body_size=self.app.config["MAX_CONTENT_LENGTH"] * BODY_LIMIT_FACTOR)
        except OSError as exc:
            raise XlplanError(not_listening(exc, host, port)) from None
        self.host, self.port = self._wsgi.effective_host, self._wsgi.effective_port
        # The application learns the addresses it is reached on once the port is open (port 0: a free one).
        hosts, wildcard, port = listening_hosts(host, self.port), host in WILDCARDS, self.port
        self.app.config["XLPLAN_HOST_KNOWN"] = lambda given: known_host(given, hosts, wildcard, port)
        shown_host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = coordinator_url(public_url or f"http://{shown_host}:{self.port}", ws)

    def run(self) -> None:
        try:
            self._wsgi.run()
        finally:
            self._close_sockets()
            self._wsgi.task_dispatcher.shutdown(timeout=5)

    def stop(self) -> None:
        """Ask the serving thread to close every socket; `run` then returns. The sockets are closed by
        that thread itself (through waitress's trigger), never under its feet."""
        from waitress.trigger import trigger

        triggers = [item for item in list(self._map.values()) if isinstance(item, trigger)]
        if triggers:
            triggers[0].pull_trigger(self._close_sockets)

    def _close_sockets(self) -> None:
        from waitress import wasyncore

        wasyncore.close_all(self._map, ignore_all=True)


def not_listening(exc: OSError, host: str, port: int) -> Problem:
    """Why the port could not be opened, in Danish: taken (with a free one to choose instead), or another reason."""
    if exc.errno == errno.EADDRINUSE:
        return problem("WEB020", port=port, adresse=host, fri=free_port_after(host, port))
    return problem("WEB021", port=port, adresse=host, detalje=exc.strerror or str(exc))


def free_port_after(host: str, port: int, tries: int = 50) -> int:
    """The first port after `port` that `host` can listen on now (a suggestion: it may be taken by the time it is
    used); 0 (any free port) when none of `tries` is."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, candidate))
                return candidate
            except OSError:
                continue
    return 0


def serve(ws: Workspace, host: str = LOOPBACK, port: int = DEFAULT_PORT, public_url: str | None = None,
          max_upload_mb: int = MAX_UPLOAD_MB, as_of: dt.date | None = None,
          announce: Callable[[str], None] = print, started: Callable[[Server], None] | None = None) -> None:
    """Serve until interrupted; `announce` gets the coordinator's address as soon as the port is open, and
    `started` the running server (to stop it from another thread)."""
    # The server reads uploads from several threads at once: workers.start_method spawns each worker afresh
    # in a process with threads, as on Windows and macOS (a few tenths of a second more per upload).
    server = Server(ws, host, port, public_url, max_upload_mb, as_of)
    announce(server.url)
    if started is not None:
        started(server)
    server.run()
