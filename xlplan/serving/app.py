"""The web pages of `xlplan serve` (Flask, jinja2 templates in data/web/): each page makes one call to
serving/service.py and shows what comes back. Nothing here counts, decides a state or words a message.

Who may see what is decided by the key in the address: /k/<key>/ is the coordinator's, /t/<key>/ a team's.
A wrong key is a page that does not exist (404), whoever asks. Every form carries a token made from the
page's key, and a request another site sends is refused, so that no page can be made to post for a user.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Flask, abort, redirect, render_template, request, Response, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from xlplan.core import content
from xlplan.core.errors import problem, XlplanError
from xlplan.serving import MAX_UPLOAD_MB, service
from xlplan.serving.workspace import Workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {"xlsx": XLSX, "pdf": "application/pdf", "json": "application/json"}
FORM_SLACK = 64 * 1024  # the rest of a form beside the file
EXTRA_ROWS = 3  # empty rows under each table of the plan form, for new teams, people and sigtepunkter
ROWS_AT_LEAST = 12  # and rows in all: a municipality's teams and people fit in the first save (six and ten did not)
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    # The key is in the address: it must not travel on to other sites. Not "no-referrer": with it, browsers
    # send "Origin: null" with every form, and checked_form refuses that.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


PASSING = frozenset({"WEB010", "OUT001", "HIS001", "HIS004"})  # busy, or a write that failed: may pass by itself


def web_folder():
    return resources.files("xlplan.data").joinpath("web")


def create_app(ws: Workspace, *, public_url: str | None = None, max_upload_mb: int = MAX_UPLOAD_MB,
               as_of: dt.date | None = None) -> Flask:
    """The application over `ws` (opened). `public_url` is the address teams reach it on, when it is behind
    the municipality's web server; `as_of` fixes the date overdue is counted from (tests, demos). Without a
    `public_url`, the addresses shown come from the request's Host: once the server sets XLPLAN_HOST_KNOWN
    (server.known_host: the addresses it listens on), a request for any other Host is refused."""
    folder = web_folder()
    app = Flask(__name__, template_folder=str(folder / "templates"), static_folder=str(folder / "static"),
                static_url_path="/static")
    # A key address typed without its final "/" is answered, not redirected: Werkzeug's redirect would be an
    # absolute http:// address built from the client's Host, also behind an HTTPS proxy.
    app.url_map.strict_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024 + FORM_SLACK
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(states=service.texts()["tilstande"], **_page_words())
    secret = hmac.new(ws.access().coordinator.encode(), b"xlplan-formular", hashlib.sha256).digest()
    consolidator = service.Consolidator(ws)

    def token(key: str) -> str:
        return hmac.new(secret, key.encode("utf-8", "replace"), hashlib.sha256).hexdigest()

    def today() -> dt.date:
        return as_of or dt.date.today()

    def base_url() -> str:
        return (public_url or request.host_url).rstrip("/")

    def team_address(entry) -> str:
        return f"{base_url()}/t/{entry['key']}/"

    def coordinator(key: str) -> None:
        if not ws.is_coordinator(key):
            abort(404)

    def team_of(key: str):
        """The team of a team key, as the plan in force names it; a key of a team no longer in the plan is
        no key."""
        entry = ws.team_for_key(key)
        config = plan_or_none()
        team = next((t for t in config.teams if entry and t.name.casefold() == entry["name"].casefold()),
                    None) if config else None
        if team is None:
            abort(404)
        return config, team, entry

    def plan_or_none():
        try:
            return service.current_plan(ws)
        except XlplanError:
            return None

    def checked_form(key: str) -> None:
        """Refuse a post made by another site, or without the page's token (WEB005)."""
        origin = request.headers.get("Origin")
        cross = request.headers.get("Sec-Fetch-Site") == "cross-site" or (
            origin is not None and origin != "null" and _origin(origin) != _origin(request.host_url)
            and not (public_url and _origin(origin) == _origin(public_url)))
        given = request.form.get("csrf", "")
        if cross or origin == "null" or not hmac.compare_digest(given.encode("utf-8", "replace"),
                                                               token(key).encode()):
            raise _Refused(problem("WEB005"), 403)

    def page(name: str, status: int = 200, **values):
        return render_template(name, **values), status

    # ------------------------------------------------------------ errors

    @app.errorhandler(_Refused)
    def refused(exc: "_Refused"):
        return page("fejl.html", exc.status, problems=[exc.problem])

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_exc):
        if (request.content_length or 0) <= app.config["MAX_CONTENT_LENGTH"]:  # Werkzeug's limit on form fields
            return page("fejl.html", 413, problems=[problem("WEB009", grænse=request.max_form_parts)])
        return page("fejl.html", 413, problems=[problem("WEB003", grænse=max_upload_mb)])

    @app.errorhandler(XlplanError)
    def xlplan_error(exc: XlplanError):  # a full disk, a folder without write access, too busy: said in Danish
        codes = {p.code for p in exc.problems}
        status = 503 if codes & PASSING else 500  # try again later, or something the coordinator must mend
        body, status = page("fejl.html", status, problems=exc.problems)
        return body, status, ({"Retry-After": "30"} if "WEB010" in codes else {})

    @app.before_request
    def known_host():
        known = app.config.get("XLPLAN_HOST_KNOWN")
        if public_url is None and known is not None and not known(request.host):
            raise _Refused(problem("WEB007", vært=request.host[:100]), 400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return page("ukendt.html", exc.code or 500)

    @app.errorhandler(Exception)
    def internal(exc: Exception):
        from xlplan.core.workers import log_detail
        import traceback

        log = log_detail(traceback.format_exc())
        return page("fejl.html", 500, problems=[problem("INT001", detalje=type(exc).__name__, log=log)])

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/")
    def root():
        return page("ukendt.html", 404)

    # ------------------------------------------------------------ the coordinator

    @app.get("/k/<key>/")
    def board(key: str):
        coordinator(key)
        config, problems = _plan(ws)
        if config is None:
            return redirect(url_for("plan", key=key))
        result = service.status_board(ws, config, today())
        reminders = {s.entry["folder"]: service.reminder(config, s, team_address(s.entry))
                     for s in result.teams if s.needs_reminder}
        return page("tavle.html", key=key, csrf=token(key), board=result, plan_problems=problems,
                    reminders=reminders, address=team_address, report=consolidator.last)

    @app.route("/k/<key>/plan", methods=["GET", "POST"])
    def plan(key: str):
        coordinator(key)
        config, problems = _plan(ws)
        if request.method == "POST":
            checked_form(key)
            fields, tables = _form_data(request.form)
            try:
                service.save_plan_form(ws, fields, tables)
            except XlplanError as exc:
                return page("plan.html", 422, key=key, csrf=token(key), fields=fields, tables=_padded(tables),
                            problems=exc.problems, by_field=_by_field(exc.problems), saved=False, plan=config)
            return redirect(url_for("plan", key=key, gemt=1))
        from xlplan.workbook.planbook import form_values

        fields, tables = form_values(config)
        return page("plan.html", key=key, csrf=token(key), fields=fields, tables=_padded(tables), problems=problems,
                    by_field=_by_field(problems), saved=bool(request.args.get("gemt")), plan=config)

    @app.post("/k/<key>/plan/fil")
    def plan_file(key: str):
        coordinator(key)
        checked_form(key)
        sent = request.files.get("plan")
        data = sent.read() if sent else b""
        if not data:
            raise _Refused(problem("WEB004"), 400)
        try:
            service.save_plan_file(ws, data, _shown_name(sent.filename, "plan"))
        except XlplanError as exc:
            return page("fejl.html", 422, problems=exc.problems, back=url_for("plan", key=key))
        return redirect(url_for("plan", key=key, gemt=1))

    @app.get("/k/<key>/plan.xlsx")
    def plan_download(key: str):
        coordinator(key)
        config = _need_plan(ws)
        from xlplan.workbook.planbook import plan_bytes

        return _download(plan_bytes(config), "plan.xlsx", XLSX)

    @app.get("/k/<key>/projektmapper.zip")
    def all_workbooks(key: str):
        coordinator(key)
        config = _need_plan(ws)
        data = service.all_team_workbooks(config, service.plan_generated(ws))
        return _download(data, f"{_file_stem(config.municipality)} - projektmapper.zip", "application/zip")

    @app.get("/k/<key>/projektmappe/<folder>.xlsx")
    def one_workbook(key: str, folder: str):
        coordinator(key)
        config = _need_plan(ws)
        entry = ws.team_by_folder(folder)
        team = next((t for t in config.teams if entry and t.name.casefold() == entry["name"].casefold()), None)
        if team is None:
            abort(404)
        name, data = service.team_workbook(config, team, service.plan_generated(ws))
        return _download(data, name, XLSX)

    @app.get("/k/<key>/team/<folder>/")
    def team_uploads(key: str, folder: str):
        coordinator(key)
        config = _need_plan(ws)
        entry = _entry(ws, folder)
        return page("team.html", key=key, csrf=None, entry=entry, uploads=ws.uploads(entry), config=config,
                    address=team_address(entry), coordinator=True, max_mb=max_upload_mb)

    @app.get("/k/<key>/team/<folder>/<upload_id>/")
    def coordinator_upload(key: str, folder: str, upload_id: str):
        coordinator(key)
        entry = _entry(ws, folder)
        checked = service.stored_upload(ws, entry, upload_id) or abort(404)
        problems, left_out = service.shown_problems(checked.problems)
        return page("indsendt.html", key=key, entry=entry, checked=checked, coordinator=True, problems=problems,
                    left_out=left_out)

    @app.get("/k/<key>/team/<folder>/<upload_id>/<kind>")
    def coordinator_file(key: str, folder: str, upload_id: str, kind: str):
        coordinator(key)
        return _upload_file(ws, _entry(ws, folder), upload_id, kind)

    @app.post("/k/<key>/saml")
    def consolidate(key: str):
        coordinator(key)
        checked_form(key)
        config = _need_plan(ws)
        consolidator.run(config, today())
        return redirect(url_for("report", key=key))

    @app.get("/k/<key>/samlet")
    def report(key: str):
        coordinator(key)
        from xlplan.reporting.resume import briefing

        last = consolidator.last
        from xlplan.reporting.history import ordered_changes

        shown = briefing(last.consolidation, last.development) if last else None
        changes = ordered_changes(last.consolidation, last.development) if last else []
        return page("samlet.html", key=key, csrf=token(key), report=last, briefing=shown, changes=changes,
                    files={k: p.exists() for k, p in consolidator.paths().items()})

    @app.get("/k/<key>/samlet/<kind>")
    def report_file(key: str, kind: str):
        coordinator(key)
        path = consolidator.paths().get(kind)
        if path is None or not path.exists():
            abort(404)
        return _download(path.read_bytes(), path.name, DOWNLOADS[kind])

    # ------------------------------------------------------------ a team

    @app.get("/t/<key>/")
    def team_page(key: str):
        config, team, entry = team_of(key)
        return page("team.html", key=key, csrf=token(key), entry=entry, uploads=ws.uploads(entry), config=config,
                    address=team_address(entry), coordinator=False, max_mb=max_upload_mb)

    @app.post("/t/<key>/send")
    def team_upload(key: str):
        config, team, entry = team_of(key)
        checked_form(key)
        sent = request.files.get("projektmappe")
        data = sent.read() if sent else b""
        if not data:
            raise _Refused(problem("WEB004"), 400)
        checked = service.receive_upload(ws, entry, data, _shown_name(sent.filename, "projektmappe.xlsx"))
        return redirect(url_for("team_result", key=key, upload_id=checked.upload.id), code=303)

    @app.get("/t/<key>/indsendt/<upload_id>/")
    def team_result(key: str, upload_id: str):
        config, team, entry = team_of(key)
        checked = service.stored_upload(ws, entry, upload_id) or abort(404)
        problems, left_out = service.shown_problems(checked.problems)
        return page("indsendt.html", key=key, entry=entry, checked=checked, coordinator=False, problems=problems,
                    left_out=left_out)

    @app.get("/t/<key>/indsendt/<upload_id>/<kind>")
    def team_file(key: str, upload_id: str, kind: str):
        config, team, entry = team_of(key)
        return _upload_file(ws, entry, upload_id, kind)

    @app.get("/t/<key>/projektmappe.xlsx")
    def team_workbook(key: str):
        config, team, entry = team_of(key)
        name, data = service.team_workbook(config, team, service.plan_generated(ws))
        return _download(data, name, XLSX)

    return app


class _Refused(Exception):
    def __init__(self, refusal, status: int):
        super().__init__(refusal.code)
        self.problem, self.status = refusal, status


def _page_words() -> dict:
    """What the templates take from the data files: the plan form's fields, tables and choices, the words
    of "siden sidst", and how a value is shown."""
    from xlplan.reporting.history import change_kinds
    from xlplan.workbook.planbook import method_choices, words

    spec = words()
    choices = {"metode": method_choices(), "rytme": list(content.value_lists()["opfoelgningsrytme"].values),
               "beskyttelse": [spec["ja"], spec["nej"]]}
    kinds = change_kinds()
    return {"plan_fields": spec["felter"], "plan_tables": spec["tabeller"], "choices": choices,
            "changes_words": content.load_yaml("siden_sidst.yaml")["ark"],
            "change_tone": lambda change: kinds[change.kind]["tone"], "shown": _shown}


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _plan(ws: Workspace):
    """The plan in force and what to say about it; (None, problems) when it cannot be read."""
    try:
        config = service.current_plan(ws)
    except XlplanError as exc:
        return None, exc.problems
    return config, list(config.notices) if config else []


def _need_plan(ws: Workspace):
    config, _problems = _plan(ws)
    if config is None:
        raise _Refused(problem("WEB006"), 409)
    return config


def _entry(ws: Workspace, folder: str):
    return ws.team_by_folder(folder) or abort(404)


def _upload_file(ws: Workspace, entry, upload_id: str, kind: str):
    """An upload's fixing copy, or the file as it was sent: always as a download, never as a page."""
    upload = ws.upload(entry, upload_id) or abort(404)
    stem = _file_stem(Path(upload.original_name).stem)
    if kind == "rettekopi.xlsx" and upload.fixing_copy:
        path = ws.fixing_folder(entry) / upload.fixing_copy
        return _download(path.read_bytes(), f"{stem} - rettelser.xlsx", XLSX)
    if kind == "fil":
        path = ws.upload_path(upload)
        return _download(path.read_bytes(), f"{stem}{path.suffix}", "application/octet-stream")
    abort(404)


def _download(data: bytes, name: str, mimetype: str) -> Response:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})


def _shown_name(name: str | None, default: str) -> str:
    """The file's own name, to show: its last part, without control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name.strip()[:200] or default


def _file_stem(text: str) -> str:
    from xlplan.core.names import file_stem

    return file_stem(text)


def _form_data(form) -> tuple[dict[str, str], dict[str, list[dict[str, str]]]]:
    """The plan form's fields by key, and each table's rows: inputs named 'team.3.email' and so on."""
    from xlplan.workbook.planbook import words

    spec = words()
    fields = {f["nøgle"]: form.get(f["nøgle"], "") for f in spec["felter"]}
    tables: dict[str, list[dict[str, str]]] = {}
    for table, table_spec in spec["tabeller"].items():
        rows: dict[int, dict[str, str]] = {}
        for name, value in form.items():
            parts = name.split(".")
            if len(parts) == 3 and parts[0] == table and parts[1].isdigit() and int(parts[1]) < table_spec["rækker"]:
                if parts[2] in {c["nøgle"] for c in table_spec["kolonner"]}:
                    rows.setdefault(int(parts[1]), {})[parts[2]] = value
        # Rows left empty are dropped here, so that a problem's row number is the row the form shows again.
        tables[table] = [rows[i] for i in sorted(rows) if any(v.strip() for v in rows[i].values())]
    return fields, tables


def _padded(tables: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    return {key: rows + [{} for _ in range(max(EXTRA_ROWS, ROWS_AT_LEAST - len(rows)))] for key, rows in tables.items()}


def _by_field(problems) -> dict[str, list]:
    found: dict[str, list] = {}
    for p in problems:
        if p.key:
            found.setdefault(p.key, []).append(p)
    return found
