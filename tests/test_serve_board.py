"""The status board of `xlplan serve` keeps the last reading of the files that count: it must never show
a reading older than what the teams have sent since, nor than the history."""
import datetime as dt
import shutil

from paths import ROOT
from xlplan.serving import service
from xlplan.serving.server import prepare

AS_OF = dt.date(2026, 6, 15)
SAMPLES = ROOT / "samples" / "returned"


def _send(ws, team: str, sample: str):
    entry = next(e for e in ws.team_entries([team]))
    return service.receive_upload(ws, entry, (SAMPLES / sample).read_bytes(), sample)


def test_the_board_shows_each_new_upload_and_what_the_last_reading_makes_unchanged(tmp_path):
    ws = prepare(tmp_path / "mappe", ROOT / "samples" / "plan.toml")
    config = service.current_plan(ws)
    states = lambda: {s.team.name: s for s in service.status_board(ws, config, AS_OF).teams}
    assert {s.state for s in states().values()} == {service.NOT_RECEIVED}
    _send(ws, "Familieteamet", "Ishøj Kommune - Familieteamet.xlsx")
    board = states()
    assert board["Familieteamet"].state != service.NOT_RECEIVED and board["Familieteamet"].progress is not None
    assert board["Familieplejen"].state == service.NOT_RECEIVED
    _send(ws, "Familieplejen", "Familieplejen - ICS-implementeringsplan.xlsx")
    # the reading of the day before: Familieteamet and Familieplejen as sent ("uændret" compares with a reading
    # of an earlier date; a reading of the board's own date is the one the next consolidation replaces)
    service.Consolidator(ws).run(config, AS_OF - dt.timedelta(days=1))
    _send(ws, "Familieplejen", "Familieplejen - ICS-implementeringsplan.xlsx")  # the same file again, a new upload
    _send(ws, "Børne- og ungeteamet", "Ishøj Kommune - Børne- og ungeteamet.xlsx")
    board = states()
    assert board["Familieteamet"].progress.unchanged and board["Familieplejen"].progress.unchanged
    assert not board["Børne- og ungeteamet"].progress.unchanged
    assert board["Børne- og ungeteamet"].counted.original_name == "Ishøj Kommune - Børne- og ungeteamet.xlsx"


def test_after_a_reading_of_the_boards_own_date_the_board_says_what_consolidating_again_would(tmp_path):
    """Consolidating again the same day replaces that day's reading and compares with the day before: the
    board, on that date, shows the same lights as the report it would make."""
    ws = prepare(tmp_path / "mappe", ROOT / "samples" / "plan.toml")
    config = service.current_plan(ws)
    _send(ws, "Familieplejen", "Familieplejen - ICS-implementeringsplan.xlsx")
    consolidator = service.Consolidator(ws)
    consolidator.run(config, AS_OF)
    board = {s.team.name: s for s in service.status_board(ws, config, AS_OF).teams}
    again = {t.team: t for t in consolidator.run(config, AS_OF).consolidation.teams}
    assert not board["Familieplejen"].progress.unchanged and not again["Familieplejen"].unchanged
    assert board["Familieplejen"].progress.light == again["Familieplejen"].light
