"""Hostile and broken files: refused quickly and clearly, every other file still read, inputs untouched."""
import datetime as dt
import hashlib
import os
import resource
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import fixtures
import hostile
import isolation_tasks
from xlplan.reading import isolation
from xlplan.reporting.consolidate import consolidate
from xlplan.core.errors import XlplanError
from xlplan.workbook.generate import render_workbook, write_atomic
from xlplan.reading.readback import read_team_workbook

AS_OF = dt.date(2026, 6, 15)


@pytest.fixture(scope="module")
def good(sample_config, tmp_path_factory):
    """A valid, filled team workbook to build bad ones from, and two good ones to read beside them."""
    folder = tmp_path_factory.mktemp("good")
    paths = []
    for team in sample_config.teams[:2]:
        path = folder / f"{team.name}.xlsx"
        path.write_bytes(render_workbook(sample_config, team, dt.datetime(2026, 1, 5)))
        fixtures.edit(path, fixtures.filled_plan_rows)
        paths.append(path)
    return paths


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_with(good, bad, sample_config, tmp_path):
    """Consolidate the bad file beside the good ones; the inputs must stay byte-identical."""
    folder = tmp_path / "inn"
    folder.mkdir(exist_ok=True)
    files = []
    for path in good:
        target = folder / path.name
        target.write_bytes(path.read_bytes())
        files.append(target)
    bad_target = folder / bad.name
    if bad != bad_target:
        bad_target.write_bytes(bad.read_bytes())
    before = {p.name: sha(p) for p in folder.iterdir()}
    started = time.monotonic()
    result = consolidate([folder], sample_config, AS_OF)
    elapsed = time.monotonic() - started
    assert {p.name: sha(p) for p in folder.iterdir()} == before, "inputs must never change"
    read_ok = {r.team for r in result.reads if r.readable}
    assert {"Familieteamet", "Børne- og ungeteamet"} <= read_ok, "the good files are still read"
    # a hostile copy of a good team's workbook is read; one of the team's two files counts (reading/counting.py)
    bad_read = next(r for r in [*result.reads, *(n.read for n in result.not_counted)] if r.file == bad.name)
    return bad_read, elapsed


def codes(read):
    return [p.code for p in read.problems]


@pytest.mark.slow
def test_zip_bomb_is_refused_from_the_directory_quickly(good, sample_config, tmp_path):
    bomb = hostile.zip_bomb(good[0], tmp_path / "bombe.xlsx", megabytes=300)
    assert bomb.stat().st_size < 2_000_000
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    read, elapsed = run_with(good, bomb, sample_config, tmp_path)
    assert codes(read) == ["RD004"] and not read.readable
    assert "pakkes ud" in read.problems[0].message
    assert elapsed < 10
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    assert peak_mb < 500


@pytest.mark.parametrize("name, build, code", [
    ("falsk-stoerrelse.xlsx", hostile.false_declared_size, "RD003"),
    ("ark-afkortet.xlsx", hostile.sheet_cut_short, "RD003"),
    ("afkortet-fil.xlsx", hostile.truncated_file, "RD003"),
])
def test_broken_zips(good, sample_config, tmp_path, name, build, code):
    read, _ = run_with(good, build(good[0], tmp_path / name), sample_config, tmp_path)
    assert codes(read) == [code] and "beskadiget" in read.problems[0].message


@pytest.mark.parametrize("name, xml", [
    ("xxe.xlsx", hostile.XXE), ("billion-laughs.xlsx", hostile.LAUGHS), ("harmloes-dtd.xlsx", hostile.HARMLESS_DTD)])
def test_any_dtd_or_entity_is_refused(good, sample_config, tmp_path, name, xml):
    bad = hostile.replace_part(good[0], tmp_path / name, "Oversigt", xml)
    read, elapsed = run_with(good, bad, sample_config, tmp_path)
    assert codes(read) == ["RD005"] and elapsed < 10
    assert "/etc/passwd" not in str(read.problems) and "root:" not in str(read.problems)


@pytest.mark.parametrize("name, content, code", [
    ("tekst.xlsx", "Det her er bare tekst\n", "RD001"),
    ("data.xlsx", "Team;Status\nA;Opfyldt\n", "RD001"),
    ("tom.xlsx", "", "RD001"),
])
def test_text_csv_and_empty_files(good, sample_config, tmp_path, name, content, code):
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    read, _ = run_with(good, bad, sample_config, tmp_path)
    assert codes(read) == [code] and "Excel-projektmappe (.xlsx)" in read.problems[0].message


@pytest.mark.parametrize("name", ["gammel.xls", "gammel-omdoebt.xlsx"])
def test_legacy_xls_by_content_not_extension(good, sample_config, tmp_path, name):
    read, _ = run_with(good, hostile.legacy_xls(tmp_path / name), sample_config, tmp_path)
    assert codes(read) == ["RD002"] and ".xls" in read.problems[0].message


def test_encrypted_workbook_says_remove_the_password(good, sample_config, tmp_path):
    read, _ = run_with(good, hostile.encrypted_workbook(tmp_path / "kodeord.xlsx"), sample_config, tmp_path)
    assert codes(read) == ["RD006"] and "fjern adgangskoden" in read.problems[0].fix


def test_malformed_compound_document(good, sample_config, tmp_path):
    read, _ = run_with(good, hostile.malformed_compound_document(tmp_path / "ole.xlsx"), sample_config, tmp_path)
    assert codes(read) == ["RD003"]


def test_absurd_shared_strings_count_is_harmless(good, sample_config, tmp_path):
    generated = tmp_path / "generated.xlsx"  # XlsxWriter's file has a sharedStrings part (openpyxl's may not)
    generated.write_bytes(render_workbook(sample_config, sample_config.teams[2], dt.datetime(2026, 1, 5)))
    bad = hostile.absurd_shared_strings_count(generated, tmp_path / "sst.xlsx")
    read, elapsed = run_with(good, bad, sample_config, tmp_path)
    assert read.readable and read.team == "Familieplejen" and len(read.criteria) == 114 and elapsed < 10


def test_lock_files_are_skipped_not_counted(good, sample_config, tmp_path):
    lock = fixtures.with_lock_file(tmp_path)
    folder = tmp_path
    for path in good:
        (folder / path.name).write_bytes(path.read_bytes())
    result = consolidate([folder], sample_config, AS_OF)
    assert all(not r.file.startswith("~$") for r in result.reads)
    assert any(p.code == "RB020" and lock.name in p.message for p in result.notices)


def test_macro_enabled_file_is_read_with_a_warning(good, sample_config, tmp_path):
    read, _ = run_with(good, hostile.macro_enabled(good[0], tmp_path / "makro.xlsm"), sample_config, tmp_path)
    assert read.readable and "RB024" in codes(read) and len(read.plan_rows) == 2


def test_external_links_are_reported_never_followed(good, sample_config, tmp_path):
    bad = hostile.external_links(good[0], tmp_path / "links.xlsx", fixtures.PLAN)
    read, _ = run_with(good, bad, sample_config, tmp_path)
    assert "RB025" in codes(read)
    [p] = [p for p in read.problems if p.code == "RB027"]
    assert p.cell == "B9" and "[1]Ark1!A1" in p.message
    assert read.plan_rows[0].aktivitet == "Hentet aktivitet"


@pytest.mark.slow
def test_more_cells_than_a_plan_can_hold(good, sample_config, tmp_path):
    bad = hostile.too_many_cells(good[0], tmp_path / "stor.xlsx")
    read, elapsed = run_with(good, bad, sample_config, tmp_path)
    assert codes(read) == ["RD007"] and elapsed < 30


def test_more_rows_than_a_table_can_hold(good, tmp_path, monkeypatch):
    from xlplan.reading import readback
    monkeypatch.setattr(readback, "MAX_TABLE_ROWS", 1)
    read = read_team_workbook(good[0])
    assert "RB028" in codes(read) and len(read.plan_rows) == 1


# ---------------------------------------------------------------- a crash inside the reader costs only that file

@pytest.mark.slow
@pytest.mark.parametrize("method", ["fork", "spawn"])
@pytest.mark.parametrize("kind, code, words", [
    ("abort", "RD009", "SIGABRT"), ("hang", "RD010", "for lang tid"), ("memory", "RD011", "hukommelse"),
    ("bug", "RD013", "intern fejl"),
])
def test_a_dying_worker_costs_only_its_file(good, tmp_path, method, kind, code, words):
    bad = tmp_path / f"ond-{kind}.xlsx"
    bad.write_bytes(good[0].read_bytes())
    started = time.monotonic()
    results = isolation.read_isolated([good[0], bad, good[1]], timeout=3, memory_mb=400,
                                      reader=isolation_tasks.bad_reader, method=method)
    assert time.monotonic() - started < 30
    assert [r.readable for r in results] == [True, False, True]
    assert [p.code for p in results[1].problems] == [code]
    assert words in str(results[1].problems[0])


# ---------------------------------------------------------------- output

def test_interrupted_write_leaves_the_previous_output(tmp_path, monkeypatch):
    out = tmp_path / "samlet-status.xlsx"
    out.write_bytes(b"previous")

    def fail(*_args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(XlplanError) as info:
        write_atomic(out, b"new content")
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["samlet-status.xlsx"], "no temporary file left"
    assert info.value.problems[0].code == "OUT001" and "Luk filen" in info.value.problems[0].fix


def test_unwritable_destination_is_a_clear_message(tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with pytest.raises(XlplanError) as info:
        write_atomic(blocker / "samlet-status.xlsx", b"data")
    assert info.value.problems[0].code == "OUT001"


# ---------------------------------------------------------------- fuzzing

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.data())
def test_mutated_bytes_never_raise(good, tmp_path_factory, data):
    original = good[0].read_bytes()
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 20))):
        pos = data.draw(st.integers(0, len(mutated) - 1))
        mutated[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        cut = data.draw(st.integers(0, len(mutated)))
        mutated = mutated[:cut]
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.xlsx"
    path.write_bytes(bytes(mutated))
    read = read_team_workbook(path)  # must not raise
    assert read.readable or read.problems


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.data())
def test_mutated_zip_entries_never_raise(good, tmp_path_factory, data):
    members = hostile._members(good[0])
    name = data.draw(st.sampled_from(sorted(members)))
    content = members[name]
    action = data.draw(st.sampled_from(["truncate", "garbage", "flip", "empty"]))
    if action == "truncate":
        content = content[: data.draw(st.integers(0, len(content)))]
    elif action == "garbage":
        content = data.draw(st.binary(max_size=2000))
    elif action == "flip" and content:
        pos = data.draw(st.integers(0, len(content) - 1))
        content = content[:pos] + bytes([content[pos] ^ 0xFF]) + content[pos + 1:]
    else:
        content = b""
    members[name] = content
    path = hostile._write(tmp_path_factory.mktemp("fuzz") / "fuzz.xlsx", members)
    read = read_team_workbook(path)
    assert read.readable or read.problems


@pytest.mark.slow
@pytest.mark.parametrize("kind, code, words", [
    ("abort", "RD009", "SIGABRT"), ("hang", "RD010", "for lang tid"), ("bug", "RD013", "intern fejl")])
def test_a_dying_worker_costs_only_its_file_under_spawn_without_resource(good, tmp_path, monkeypatch, kind, code,
                                                                          words):
    """As on Windows: workers are spawned and have no `resource` module, so no memory limit; the time limit
    and crash isolation hold all the same."""
    monkeypatch.setenv("XLPLAN_TEST_WITHOUT_RESOURCE", "1")
    bad = tmp_path / f"ond-{kind}.xlsx"
    bad.write_bytes(good[0].read_bytes())
    results = isolation.read_isolated([good[0], bad, good[1]], timeout=3, memory_mb=400,
                                      reader=isolation_tasks.where_resource_is_missing, method="spawn")
    assert [r.readable for r in results] == [True, False, True]
    assert [p.code for p in results[1].problems] == [code] and words in str(results[1].problems[0])
