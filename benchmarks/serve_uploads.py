"""`xlplan serve` under the load of a deadline day: 50 teams upload their workbooks at the same moment, while
200 connections dawdle (open, a line of a request, never the end of it) and a person loads a page every
100 ms.

Usage:
    python benchmarks/serve_uploads.py                       # 50 teams, 200 dawdlers
    python benchmarks/serve_uploads.py --teams 30 --slow 0

Starts the real server as a coordinator does (`python -m xlplan serve MAPPE --port 0 --plan PLAN`, on
loopback only), makes a plan with N teams and each team's workbook filled with different plan rows, then
sends all N at once from N threads, each through its own address with its page's form token, as a
browser does. An upload answered "prøv igen om lidt" (WEB010: as many are being read as the server reads
at once) is sent again after its Retry-After, as a person would, at most 20 times. Then it checks: every
upload answered with its result page, every file stored in MAPPE (byte for byte), none lost, and the
board shows every team as received. It prints the uploads' response times, how many were asked to come
again, and the pages' response times while it ran (p50, p95, max). Bounded in time by its timeouts and
retries; it asserts nothing about speed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import fixtures  # noqa: E402  (the tests' way of filling a workbook as staff do)
from xlplan.core.config import load_config  # noqa: E402
from xlplan.workbook.generate import render_workbook  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]*)"')
TEAM_ADDRESS = re.compile(r'value="(http://[^"]+/t/[^"]+/)"')


def plan_text(teams: int) -> str:
    base = (ROOT / "samples" / "plan.toml").read_text(encoding="utf-8")
    head = base[:base.index("[[team]]")]
    rest = base[base.index("[[sigtepunkt]]"):]
    team_tables = "".join(f'[[team]]\nnavn = "Team {n:02d}"\nemail = "team{n:02d}@kommune.dk"\n\n'
                          for n in range(1, teams + 1))
    return head + team_tables + '[[person]]\nnavn = "Tina Holm"\nrolle = "Teamleder"\nteam = "Alle"\n\n' + rest


def workbooks(plan: Path, folder: Path) -> dict[str, bytes]:
    config = load_config(plan)
    found = {}
    for n, team in enumerate(config.teams):
        path = folder / f"{team.name}.xlsx"
        path.write_bytes(render_workbook(config, team, dt.datetime(2026, 1, 5)))
        fixtures.edit(path, fixtures.filled_plan_rows)
        if n % 3 == 1:  # every third with a mistake to report, as on a real deadline day
            fixtures.edit(path, lambda wb: fixtures.write_row(wb[fixtures.PLAN], fixtures.header_row(wb[fixtures.PLAN]) + 3,
                                                             {2: "Kursus", 3: "Tina Holm", 10: "31-02-2026"}))
        found[team.name] = path.read_bytes()
    return found


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="projektmappe"; filename="{name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read().decode("utf-8")


RETRIES = 20


def upload(address: str, name: str, data: bytes, results: dict, start: threading.Event, again: dict) -> None:
    token = CSRF.search(get(address)).group(1)
    body, kind = multipart({"csrf": token}, f"{name}.xlsx", data)
    start.wait()
    began = time.perf_counter()
    for attempt in range(RETRIES + 1):
        request = urllib.request.Request(address + "send", data=body, headers={"Content-Type": kind}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:  # follows the 303 to the result page
                page = answer.read().decode("utf-8")
                results[name] = (time.perf_counter() - began, answer.status, "/indsendt/" in answer.url, page)
                return
        except urllib.error.HTTPError as busy:
            if busy.code != 503 or "WEB010" not in busy.read().decode("utf-8") or attempt == RETRIES:
                results[name] = (time.perf_counter() - began, busy.code, False, f"HTTP {busy.code}")
                return
            again[name] = again.get(name, 0) + 1
            time.sleep(min(float(busy.headers.get("Retry-After", "1")), 1.0))  # a person tries again soon
        except Exception as exc:  # noqa: BLE001 - a lost upload is what this measures
            results[name] = (time.perf_counter() - began, None, False, repr(exc))
            return


def dawdle(port: int, count: int) -> list[socket.socket]:
    """Connections that send the first line of a request and never the rest."""
    opened = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        opened.append(s)
    return opened


def probe(urls: list[str], seen: list[float], stop: threading.Event) -> None:
    """A person loading a page every 100 ms: each answer's time (a page not answered in 30 s counts as 30 s)."""
    n = 0
    while not stop.is_set():
        began = time.perf_counter()
        try:
            get(urls[n % len(urls)], timeout=30)
        except Exception:  # noqa: BLE001 - a page not answered is what this measures
            pass
        seen.append(time.perf_counter() - began)
        n += 1
        stop.wait(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--slow", type=int, default=200, help="connections that never finish their request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlplan-serve-bench-") as tmp:
        tmp = Path(tmp)
        plan = tmp / "plan.toml"
        plan.write_text(plan_text(args.teams), encoding="utf-8")
        books = workbooks(plan, tmp)
        folder = tmp / "mappe"
        server = subprocess.Popen([sys.executable, "-m", "xlplan", "serve", str(folder), "--port", "0", "--plan",
                                   str(plan), "--opgjort-pr", "15-06-2026", "-q"], stdout=subprocess.PIPE,
                                  text=True, encoding="utf-8")
        try:
            coordinator = server.stdout.readline().strip()
            board = get(coordinator)
            addresses = TEAM_ADDRESS.findall(board)
            names = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>', board)
            results: dict = {}
            again: dict = {}
            start = threading.Event()
            threads = [threading.Thread(target=upload, args=(address, name, books[name], results, start, again))
                       for address, name in zip(addresses, names)]
            for thread in threads:
                thread.start()
            time.sleep(1.0)  # every thread has its token and waits at the line
            port = int(coordinator.split(":")[2].split("/")[0])
            dawdlers = dawdle(port, args.slow)
            pages, stop = [], threading.Event()
            prober = threading.Thread(target=probe, args=([coordinator.split("/k/")[0] + "/static/xlplan.css",
                                                           addresses[0]], pages, stop))
            prober.start()
            began = time.perf_counter()
            start.set()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - began
            stop.set()
            prober.join()
            for s in dawdlers:
                s.close()
            report(args.teams, results, wall, folder, books, get(coordinator), again, pages, args.slow)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _spread(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s"


def report(teams: int, results: dict, wall: float, folder: Path, books: dict, board: str, again: dict,
           pages: list[float], slow: int) -> None:
    times = sorted(r[0] for r in results.values())
    answered = [n for n, r in results.items() if r[1] == 200 and r[2]]
    stored = {p.read_bytes() for p in (folder / "indsendt").rglob("*.xlsx")}
    kept = [n for n, data in books.items() if data in stored]
    received = len(re.findall(r'class="tilstand (?:modtaget|fejl)"', board))
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"xlplan serve: {teams} uploads at once on loopback ({dt.date.today():%d-%m-%Y})")
    print(f"  answered with their result page: {len(answered)}/{teams}")
    print(f"  stored byte for byte in MAPPE:   {len(kept)}/{teams}")
    print(f"  received on the board:           {received}/{teams}")
    print(f"  response time: min {times[0]:.2f} s, median {statistics.median(times):.2f} s, "
          f"95th percentile {p95:.2f} s, max {times[-1]:.2f} s")
    print(f"  all {teams} answered in {wall:.2f} s")
    print(f"  asked to come again (WEB010): {len(again)} uploads, {sum(again.values())} times")
    print(f"  pages while they ran, beside {slow} dawdling connections: {len(pages)} loads, {_spread(pages)}")
    for name, r in sorted(results.items()):
        if name not in answered:
            print(f"  LOST: {name}: {r[3][:200]}")


if __name__ == "__main__":
    main()
