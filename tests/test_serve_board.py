"""The status board of `xlplan serve` keeps the last reading of the files that count: it must never show
a reading older than what the teams have sent since, nor than the history."""
import datetime as dt
import shutil

import pytest
from paths import ROOT
from xlplan.serving import service
from xlplan.serving.server import prepare

AS_OF = dt.date(2026, 6, 15)
SAMPLES = ROOT / "samples" / "returned"


def _send(ws, team: str, sample: str):
    entry = next(e for e in ws.team_entries([team]))
    return service.receive_upload(ws, entry, (SAMPLES / sample).read_bytes(), sample)


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_cli_and_the_server_keep_the_same_readings_and_say_the_same_siden_sidst(tmp_path):
    """The same files, read on the same dates by `saml` and by the server (twice on the second date): the
    same readings in the history and the same "siden sidst" (the server names its stored copies: compared
    without the file)."""
    import json

    from click.testing import CliRunner

    import fixtures
    from paths import SAMPLE_CONFIG
    from xlplan.cli import main
    from xlplan.reporting import history

    ws = prepare(tmp_path / "mappe", ROOT / "samples" / "plan.toml")
    config = service.current_plan(ws)
    folder = tmp_path / "ind"
    shutil.copytree(SAMPLES, folder)
    cli_history, cli_json = tmp_path / "cli.sqlite", tmp_path / "cli.json"

    def send(team, name):
        entry = next(e for e in ws.team_entries([team]))
        service.receive_upload(ws, entry, (folder / name).read_bytes(), name)

    def both(as_of):
        server = service.Consolidator(ws)
        server.run(config, as_of)
        result = CliRunner().invoke(main, ["saml", str(folder), "-o", str(tmp_path / "cli.xlsx"), "--plan",
                                           str(SAMPLE_CONFIG), "--opgjort-pr", f"{as_of:%d-%m-%Y}", "--json",
                                           str(cli_json), "--historik", str(cli_history)])
        assert result.exit_code == 0, result.output

        def said(path):
            return [(c["team"], c["kind"], c["what"], c["before"], c["now"],
                     c["source"] and (c["source"]["sheet"], c["source"]["cell"]))
                    for c in json.loads(path.read_text(encoding="utf-8"))["siden_sidst"]]
        return said(server.paths()["json"]), said(cli_json)

    for team, name in (("Familieteamet", "Ishøj Kommune - Familieteamet.xlsx"),
                       ("Børne- og ungeteamet", "Ishøj Kommune - Børne- og ungeteamet.xlsx"),
                       ("Familieplejen", "Familieplejen - ICS-implementeringsplan.xlsx")):
        send(team, name)
    both(AS_OF)
    fixtures.edit(folder / "Ishøj Kommune - Familieteamet.xlsx", fixtures.filled_plan_rows)
    send("Familieteamet", "Ishøj Kommune - Familieteamet.xlsx")
    july = AS_OF + dt.timedelta(days=30)
    first = both(july)
    assert first[0] == first[1] and first[0]
    # Familieteamet fixes its workbook and sends it again the same day: the same date again replaces the reading
    fixtures.edit(folder / "Ishøj Kommune - Familieteamet.xlsx", fixtures.updated_on(july))
    send("Familieteamet", "Ishøj Kommune - Familieteamet.xlsx")
    again = both(july)
    assert again[0] == again[1] and again[0]
    assert ("Familieteamet", "ingen_ny_version") not in {(team, kind) for team, kind, *_ in again[0]}
    stored = [[(r.as_of, r.teams) for r in history.readings(path)] for path in (ws.history_path, cli_history)]
    assert stored[0] == stored[1] == [(AS_OF.isoformat(), 3), (july.isoformat(), 3)]


def test_what_the_server_consolidates_names_each_file_by_the_name_the_team_sent(tmp_path):
    """Kilder, Problemer, the JSON's 'fil' and every source in "siden sidst" name an upload by the name the team
    sent, beside the name it is stored under in MAPPE (the name alone may be the same from two teams)."""
    import json

    import openpyxl

    import fixtures

    ws = prepare(tmp_path / "mappe", ROOT / "samples" / "plan.toml")
    config = service.current_plan(ws)
    own = tmp_path / "Familieteamet_final_v3.xlsx"
    shutil.copy(SAMPLES / "Ishøj Kommune - Familieteamet.xlsx", own)

    def send(team, path, name):
        entry = next(e for e in ws.team_entries([team]))
        checked = service.receive_upload(ws, entry, path.read_bytes(), name)
        stored = [p.name for p in ws.upload_folder(entry).glob("*.xlsx") if p.stem == checked.upload.id]
        return f"{name} (gemt som {stored[0]})"

    first = send("Familieteamet", own, "Familieteamet_final_v3.xlsx")
    born = send("Børne- og ungeteamet", SAMPLES / "Ishøj Kommune - Børne- og ungeteamet.xlsx", "plan.xlsx")
    consolidator = service.Consolidator(ws)
    consolidator.run(config, AS_OF)
    fixtures.edit(own, fixtures.filled_plan_rows)
    familie = send("Familieteamet", own, "Familieteamet_final_v4.xlsx")
    consolidator.run(config, AS_OF + dt.timedelta(days=30))
    paths = consolidator.paths()
    document = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert sorted(f["fil"] for f in document["filer"]) == sorted([familie, born])
    changed = {c["source"]["file"] for c in document["siden_sidst"] if c["source"]}
    assert familie in changed and changed <= {first, familie, born}, "a change named by the file it is in"
    assert {p["fil"] for p in document["problemer"] if p["fil"]} <= {familie, born}
    wb = openpyxl.load_workbook(paths["xlsx"])
    kilder = wb["Kilder"]
    assert sorted(kilder.cell(row, 1).value for row in range(5, kilder.max_row + 1)) == sorted([familie, born])
