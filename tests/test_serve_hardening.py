"""`xlplan serve` against strangers and careless clients, on a real waitress server on loopback: the Host
a client names, redirects, connections that never finish, refusals in Danish, file modes, the error log,
and the warning when the server is reachable from the network."""
from __future__ import annotations

import io
import os
import socket
import stat
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from paths import SAMPLE_CONFIG
from xlplan.cli import main
from xlplan.core.errors import XlplanError, problem
from xlplan.core.workers import LOG_NAME, log_detail
from xlplan.serving import service
from xlplan.serving.server import Server, listening_hosts, prepare
from test_serve import CSRF, Site, books, visible  # noqa: F401 - books is a fixture

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and links")


@pytest.fixture
def running(tmp_path):
    """A real server on a free loopback port, in a thread; stopped after the test."""
    ws = prepare(tmp_path / "mappe", SAMPLE_CONFIG)
    server = Server(ws, port=0, max_upload_mb=1)
    server.ws = ws
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server
    server.stop()
    thread.join(timeout=30)


def _get(server, path: str, host: str | None = None, timeout: float = 30):
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def _key(server) -> str:
    return server.url.rstrip("/").rsplit("/", 1)[1]


def test_a_host_the_server_does_not_listen_on_is_refused(running):
    status, _, text = _get(running, f"/k/{_key(running)}/", host="evil.example")
    assert status == 400 and "WEB007" in visible(text)
    assert _key(running) not in text, "not a word of the coordinator's page"
    for host in (f"127.0.0.1:{running.port}", f"localhost:{running.port}"):
        status, _, text = _get(running, f"/k/{_key(running)}/", host=host)
        assert status == 200 and "Status for teamene" in text, host


def test_a_key_address_without_its_final_slash_is_answered_not_redirected(running):
    status, headers, text = _get(running, f"/k/{_key(running)}")
    assert status == 200 and "Location" not in headers and "Status for teamene" in text


def test_the_addresses_of_a_server_on_every_interface_are_this_computers():
    hosts = listening_hosts("0.0.0.0", 8765)
    assert {"127.0.0.1:8765", "localhost:8765", f"{socket.gethostname().lower()}:8765"} <= hosts
    assert "evil.example:8765" not in hosts and listening_hosts("127.0.0.1", 80) >= {"localhost", "127.0.0.1"}


def test_dawdling_connections_do_not_shut_others_out(running):
    """More connections than waitress's default limit (100) that never finish their headers: a page is still
    answered (the default would hold every new request until the dawdlers' 120 s are up)."""
    dawdlers = []
    try:
        for _ in range(150):
            s = socket.create_connection(("127.0.0.1", running.port), timeout=10)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
            dawdlers.append(s)
        status, _, _ = _get(running, "/static/xlplan.css", host=f"127.0.0.1:{running.port}", timeout=60)
        assert status == 200
    finally:
        for s in dawdlers:
            s.close()


def _multipart(fields: list[tuple[str, str]], file: tuple[str, bytes] | None = None) -> tuple[bytes, str]:
    boundary = "xlplanboundary"
    body = io.BytesIO()
    for name, value in fields:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    if file:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="projektmappe"; filename="{file[0]}"\r\n'
                   f"Content-Type: application/octet-stream\r\n\r\n".encode() + file[1] + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def _post(server, path: str, body: bytes, content_type: str):
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=body, method="POST",
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_an_upload_over_the_limit_is_refused_in_danish_by_the_real_server(running):
    _get(running, f"/k/{_key(running)}/")  # the board hands out the teams' keys
    key = next(iter(running.ws.access().teams.values()))["key"]
    _, _, page = _get(running, f"/t/{key}/")
    body, kind = _multipart([("csrf", CSRF.search(page).group(1))], ("stor.xlsx", b"x" * (2 * 1024 * 1024)))
    status, text = _post(running, f"/t/{key}/send", body, kind)
    assert status == 413 and "WEB003" in visible(text) and "1 MB" in visible(text), text[:300]
    assert "Request Entity Too Large" not in text


def test_too_many_form_fields_are_refused_with_that_reason(tmp_path):
    site = Site(tmp_path / "mappe")
    token = site.token(f"/k/{site.coordinator}/")
    fields = {"csrf": token, **{f"felt{i}": "x" for i in range(1100)}}  # a browser's form is multipart here
    answer = site.client.post(f"/k/{site.coordinator}/plan", data=fields, content_type="multipart/form-data")
    assert answer.status_code == 413
    text = visible(answer.text)
    assert "WEB009" in text and "1000" in text and "MB" not in text


def test_a_failed_write_is_said_in_danish(tmp_path, monkeypatch):
    site = Site(tmp_path / "mappe")

    def full_disk(*_args, **_kwargs):
        raise XlplanError(problem("OUT001", sti=str(tmp_path / "mappe"), detalje="drevet er fuldt"))
    monkeypatch.setattr(service, "status_board", full_disk)
    answer = site.client.get(f"/k/{site.coordinator}/")
    assert answer.status_code == 503
    text = visible(answer.text)
    assert "OUT001" in text and "drevet er fuldt" in text and "uventet intern fejl" not in text


@pytest.mark.slow
@POSIX
def test_the_folder_and_what_is_kept_in_it_are_the_owners_alone(tmp_path, books):
    folder = tmp_path / "mappe"
    folder.mkdir(mode=0o755)  # made by hand before, readable by everyone
    site = Site(folder)
    site.sent("Familieteamet", books["Familieteamet"]["filled"])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    kept = [p for p in folder.rglob("*") if p.is_file()]
    assert len(kept) >= 3
    assert {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode) & 0o077 for p in kept} == {
        p.relative_to(folder).as_posix(): 0 for p in kept}


@POSIX
def test_the_error_log_is_the_users_own_and_never_follows_a_planted_link(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tilstand"))
    monkeypatch.setattr("sys.platform", "linux")
    where = log_detail("første fejl")
    log = tmp_path / "tilstand" / "xlplan" / LOG_NAME
    assert where == str(log) and log.read_text(encoding="utf-8") == "første fejl\n"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600 and stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    target = tmp_path / "andens-fil"
    target.write_text("uændret")
    log.unlink()
    log.symlink_to(target)
    assert log_detail("anden fejl") == "(log kunne ikke gemmes)"
    assert target.read_text() == "uændret"


def test_listening_beyond_this_computer_is_warned_about(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr("xlplan.serving.server.serve", lambda ws, **kwargs: started.append(kwargs["host"]))
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "mappe"), "--adresse", "0.0.0.0",
                                       "--plan", str(SAMPLE_CONFIG)])
    assert result.exit_code == 0, result.output
    assert started == ["0.0.0.0"] and "[WEB008]" in result.output and "https" in result.output.lower()
    quiet = CliRunner().invoke(main, ["serve", str(tmp_path / "mappe2"), "--plan", str(SAMPLE_CONFIG)])
    assert quiet.exit_code == 0 and "WEB008" not in quiet.output


# ---------------------------------------------------------------- writes that fail, and many at once

def test_an_upload_whose_record_cannot_be_written_leaves_nothing_and_says_why(tmp_path, books, monkeypatch):
    from xlplan.serving.workspace import Workspace
    site = Site(tmp_path / "mappe")

    def full_disk(self, upload, problems):
        raise XlplanError(problem("OUT001", sti=str(self.root), detalje="drevet er fuldt"))
    monkeypatch.setattr(Workspace, "save_upload", full_disk)
    before = site.stored()
    answer = site.send("Familieteamet", books["Familieteamet"]["filled"])
    assert answer.status_code == 503 and "drevet er fuldt" in visible(answer.text)
    assert site.stored() == before, "neither the workbook nor its fixing copy is kept without its record"
    assert not any((site.folder / "rettelser").rglob("*.xlsx"))


def test_a_history_that_could_not_be_made_leaves_no_empty_file_and_the_board_keeps_loading(tmp_path, monkeypatch,
                                                                                          sample_config):
    import sqlite3

    from xlplan.reporting import history
    from xlplan.reporting.consolidate import consolidate
    site = Site(tmp_path / "mappe")

    def disk_full(_db):
        raise sqlite3.OperationalError("database or disk is full")
    with monkeypatch.context() as m:
        m.setattr(history, "_create_or_migrate", disk_full)
        with pytest.raises(XlplanError, match="fuldt"):
            history.record(consolidate([], sample_config), site.ws.history_path)
    assert not site.ws.history_path.exists(), "no 0-byte history left behind"
    site.ws.history_path.write_bytes(b"")  # as an older xlplan left it
    assert site.client.get(f"/k/{site.coordinator}/").status_code == 200
    assert history.readings(site.ws.history_path) == []


def test_uploads_beyond_those_read_at_once_are_asked_to_come_again_at_once(tmp_path, books, monkeypatch):
    site = Site(tmp_path / "mappe")
    for _ in range(service.READ_AT_ONCE):  # as many uploads as are read at once, still reading
        assert service._reading.acquire(blocking=False)
    try:
        answer = site.send("Familieteamet", books["Familieteamet"]["filled"])
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
        assert "WEB010" in visible(answer.text) and "Prøv igen om lidt" in visible(answer.text)
        assert site.stored() == [], "nothing kept of a file that was not received"
    finally:
        for _ in range(service.READ_AT_ONCE):
            service._reading.release()
    assert site.send("Familieteamet", books["Familieteamet"]["filled"]).status_code == 303


def test_boards_asked_for_at_once_share_one_reading(tmp_path, books, monkeypatch):
    from xlplan.reporting import consolidate as consolidating
    site = Site(tmp_path / "mappe")
    site.sent("Familieteamet", books["Familieteamet"]["filled"])
    readings, real = [], consolidating.consolidate

    def counted(*args, **kwargs):
        readings.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(consolidating, "consolidate", counted)
    service._board_cache.clear()
    answers = []
    clients = [threading.Thread(target=lambda: answers.append(site.app.test_client().get(
        f"/k/{site.coordinator}/").status_code)) for _ in range(6)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=120)
    assert answers == [200] * 6 and len(readings) == 1


def test_a_port_in_use_is_said_with_how_to_choose_another(tmp_path, monkeypatch):
    """`xlplan serve` on a port another program listens on: the port is taken, and --port with a free one."""
    import socket

    from click.testing import CliRunner

    from paths import ROOT
    from xlplan.cli import main
    from xlplan.core import workers

    monkeypatch.setattr(workers, "START_METHOD", workers.START_METHOD)  # serve sets spawn: put back after
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(tmp_path / "mappe"), "--plan", str(ROOT / "samples" / "plan.toml"),
                                           "--port", str(port)])
    assert result.exit_code != 0 and "[WEB020]" in result.output, result.output
    assert f"Porten {port} på 127.0.0.1 er allerede i brug" in result.output and "--port " in result.output
    assert "INT001" not in result.output and "OSError" not in result.output
    suggested = int(result.output.split("--port ")[-1].split(".")[0])
    assert suggested != port


def test_a_server_on_every_interface_answers_its_network_address_and_no_unknown_name():
    """On 0.0.0.0 the computer's own network addresses cannot all be listed (Debian resolves its hostname to
    127.0.1.1): an address written as numbers on the server's port is this computer as the team typed it."""
    from xlplan.serving.server import known_host
    hosts = listening_hosts("0.0.0.0", 8765)
    assert known_host("192.0.2.2:8765", hosts, True, 8765) and known_host("[2001:db8::5]:8765", hosts, True, 8765)
    assert not known_host("evil.example:8765", hosts, True, 8765)
    assert not known_host("192.0.2.2:9999", hosts, True, 8765), "another port is another server"
    assert not known_host("192.0.2.2:8765", listening_hosts("127.0.0.1", 8765), False, 8765)
