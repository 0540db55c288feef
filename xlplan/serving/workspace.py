"""The folder `xlplan serve` keeps everything in, and the keys that open it.

    MAPPE/
      adgang.json                    the coordinator's key and each team's (readable only by its owner)
      plan/plan-<tid>.xlsx|.toml     every version of the plan; the newest is the one in force
      indsendt/team-NN/<tid>.<ext>   every upload, never overwritten, with <tid>.json beside it
      rettekopier/team-NN/<tid>.xlsx each upload's fixing copy, when it has something to fix
      samlet/                        the latest samlet-status.xlsx, .json and .pdf
      xlplan-historik.sqlite         the readings, as `xlplan saml` keeps them

No text a user typed or sent becomes part of a path: team folders are numbered in the order teams were
first seen, files are named by the time they arrived, and a file's own name is only stored as data.
"""
from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xlplan.core.atomic import write_atomic
from xlplan.core.errors import Problem, XlplanError, problem

ACCESS_FILE = "adgang.json"
PLAN_FOLDER = "plan"
UPLOAD_FOLDER = "indsendt"
FIXING_FOLDER = "rettekopier"
REPORT_FOLDER = "samlet"
HISTORY_FILE = "xlplan-historik.sqlite"
KEY_BYTES = 24  # 192 bits: not to be guessed, and short enough for a mail
STAMP = "%Y%m%d-%H%M%S-%f"
ACCEPTED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".fods", ".csv"}  # named as sent; read by content anyway
OTHER_SUFFIX = ".upload"


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def same_key(given: str, known: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), known.encode("utf-8"))


@dataclass
class Upload:
    """One file a team sent: where it is kept, what it was called and what reading it found."""

    id: str  # its time stamp, also its file name without extension
    team: str  # the team whose address it was sent to
    folder: str  # team-NN
    received: str  # ISO time
    original_name: str  # as sent: shown, never used as a path
    stored_name: str
    size: int
    sha256: str = ""
    readable: bool = True
    workbook_team: str = ""  # the team the workbook itself names
    errors: int = 0
    warnings: int = 0
    untouched: bool = False
    refused: str = ""  # a problem code when the upload is kept but not used (another team's workbook)
    fixing_copy: str = ""  # file name in rettekopier/team-NN/, when there is one

    @property
    def usable(self) -> bool:
        return self.readable and not self.refused

    @property
    def received_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.received)


@dataclass
class Access:
    coordinator: str
    teams: dict[str, dict[str, str]] = field(default_factory=dict)  # casefolded name -> {name, key, folder}


class Workspace:
    """MAPPE and what is in it. Safe to use from several threads: writes of the keys are serialised, and
    every file is written atomically."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.RLock()

    # ------------------------------------------------------------ set-up

    def open(self) -> "Workspace":
        """Create MAPPE and the coordinator's key the first time; later, take what is there."""
        try:
            # The teams' workbooks hold names and e-mail addresses: the folder is its owner's alone (on POSIX;
            # on Windows a user's folders are private by their access lists), also when it was made before.
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.root, 0o700)
            for name in (PLAN_FOLDER, UPLOAD_FOLDER, FIXING_FOLDER, REPORT_FOLDER):
                (self.root / name).mkdir(exist_ok=True, mode=0o700)
        except OSError as exc:
            raise XlplanError(problem("OUT001", sti=str(self.root), detalje=exc.strerror or str(exc))) from None
        if not self.access_path.exists():
            self._save_access(Access(coordinator=new_key()))
        access = self.access()  # a damaged adgang.json is said now, not at the first request
        if not access.coordinator:  # emptied by hand because it leaked
            access.coordinator = new_key()
            self._save_access(access)
        return self

    @property
    def access_path(self) -> Path:
        return self.root / ACCESS_FILE

    @property
    def history_path(self) -> Path:
        return self.root / HISTORY_FILE

    @property
    def report_folder(self) -> Path:
        return self.root / REPORT_FOLDER

    def access(self) -> Access:
        try:
            data = json.loads(self.access_path.read_text(encoding="utf-8"))
            return Access(coordinator=data["koordinator"], teams=data.get("teams", {}))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise XlplanError(problem("WEB001", sti=str(self.access_path), detalje=str(exc))) from None

    def _save_access(self, access: Access) -> None:
        data = {"koordinator": access.coordinator, "teams": access.teams}
        # The keys are passwords: readable by the coordinator's own account only, from the first byte.
        write_atomic(self.access_path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"), private=True)

    # ------------------------------------------------------------ keys

    def is_coordinator(self, key: str) -> bool:
        return same_key(key, self.access().coordinator)

    def team_for_key(self, key: str) -> dict[str, str] | None:
        """The team whose key this is ({name, key, folder}), or None. Every key is compared in full."""
        found = None
        for entry in self.access().teams.values():
            if same_key(key, entry["key"]):
                found = entry
        return found

    def team_entries(self, names: list[str]) -> list[dict[str, str]]:
        """Each of the plan's teams with its key and folder, made the first time a team is seen. A team
        keeps its key when the plan is edited; a renamed team is a new team with a new key."""
        with self._lock:
            access = self.access()
            changed = False
            for name in names:
                entry = access.teams.get(name.casefold())
                if entry is None:
                    used = {e.get("folder") for e in access.teams.values()}
                    number = len(access.teams) + 1
                    while f"team-{number:02d}" in used:  # an entry removed by hand must not hand out its folder twice
                        number += 1
                    access.teams[name.casefold()] = {"name": name, "key": new_key(), "folder": f"team-{number:02d}"}
                    changed = True
                elif not entry.get("key"):  # emptied by hand because it leaked: a new key, the same folder
                    entry["key"] = new_key()
                    changed = True
                elif entry["name"] != name:  # the same team, written with other capitals
                    entry["name"] = name
                    changed = True
            if changed:
                self._save_access(access)
            return [access.teams[name.casefold()] for name in names]

    def team_by_folder(self, folder: str) -> dict[str, str] | None:
        return next((e for e in self.access().teams.values() if e["folder"] == folder), None)

    # ------------------------------------------------------------ the plan

    def plan_versions(self) -> list[Path]:
        folder = self.root / PLAN_FOLDER
        return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith("plan-")
                      and p.suffix in (".xlsx", ".toml"))

    def plan_path(self) -> Path | None:
        versions = self.plan_versions()
        return versions[-1] if versions else None

    def store_plan(self, data: bytes, suffix: str, now: dt.datetime | None = None) -> Path:
        """A new version of the plan (the older ones stay)."""
        with self._lock:
            target = self.root / PLAN_FOLDER / f"plan-{_stamp(now)}{suffix}"
            write_atomic(target, data, private=True)
            return target

    # ------------------------------------------------------------ uploads

    def upload_folder(self, entry: dict[str, str]) -> Path:
        return self.root / UPLOAD_FOLDER / entry["folder"]

    def store_upload(self, entry: dict[str, str], data: bytes, original_name: str,
                     now: dt.datetime | None = None) -> tuple[Upload, Path]:
        """Keep the file as sent, under a new name; never over an earlier one."""
        with self._lock:
            folder = self.upload_folder(entry)
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            stamp = _stamp(now)
            while any(folder.glob(f"{stamp}.*")):
                now = (now or dt.datetime.now()) + dt.timedelta(microseconds=1)
                stamp = _stamp(now)
            suffix = Path(original_name).suffix.lower()
            suffix = suffix if suffix in ACCEPTED_SUFFIXES else OTHER_SUFFIX
            path = folder / f"{stamp}{suffix}"
            write_atomic(path, data, private=True)
            received = dt.datetime.strptime(stamp, STAMP).replace(microsecond=0).isoformat()
            upload = Upload(id=stamp, team=entry["name"], folder=entry["folder"], received=received,
                            original_name=original_name[:255], stored_name=path.name, size=len(data))
            return upload, path

    def save_upload(self, upload: Upload, problems: list[Problem]) -> None:
        """The upload's record and what reading it found, kept beside it: the pages show them without
        reading the file again."""
        path = self.root / UPLOAD_FOLDER / upload.folder / f"{upload.id}.json"
        record = asdict(upload) | {"problemer": [_stored(p) for p in problems]}
        write_atomic(path, json.dumps(record, ensure_ascii=False, indent=2, default=str).encode("utf-8"), private=True)

    def upload_problems(self, upload: Upload) -> list[Problem]:
        path = self.root / UPLOAD_FOLDER / upload.folder / f"{upload.id}.json"
        try:
            stored = json.loads(path.read_text(encoding="utf-8")).get("problemer", [])
            return [Problem(**item) for item in stored]
        except (OSError, ValueError, TypeError):
            return []

    def uploads(self, entry: dict[str, str]) -> list[Upload]:
        """The team's uploads, newest first."""
        folder = self.upload_folder(entry)
        if not folder.is_dir():
            return []
        found = []
        for path in folder.glob("*.json"):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                record.pop("problemer", None)
                found.append(Upload(**record))
            except (OSError, ValueError, TypeError):
                continue  # a record being written, or damaged by hand: its workbook is still in the folder
        return sorted(found, key=lambda u: u.id, reverse=True)

    def upload(self, entry: dict[str, str], upload_id: str) -> Upload | None:
        return next((u for u in self.uploads(entry) if u.id == upload_id), None)

    def upload_path(self, upload: Upload) -> Path:
        return self.root / UPLOAD_FOLDER / upload.folder / upload.stored_name

    def fixing_folder(self, entry: dict[str, str]) -> Path:
        return self.root / FIXING_FOLDER / entry["folder"]

    def latest_usable(self, entry: dict[str, str]) -> Upload | None:
        return next((u for u in self.uploads(entry) if u.usable), None)


def _stored(p: Problem) -> dict:
    return {"code": p.code, "values": p.values, "file": p.file, "sheet": p.sheet, "cell": p.cell, "line": p.line,
            "key": p.key}


def _stamp(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now()).strftime(STAMP)
