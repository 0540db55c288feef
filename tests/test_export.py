"""CSV and Parquet exports for BI tools."""
import csv
import datetime as dt

import pyarrow.parquet as pq

from paths import ROOT
from xlplan.reporting.consolidate import consolidate
from xlplan.reporting.export import export_tables


def test_every_record_type_as_csv_and_parquet(sample_config, tmp_path):
    result = consolidate([ROOT / "samples" / "returned"], sample_config, dt.date(2026, 6, 15))
    written, notices = export_tables(result, tmp_path)
    assert notices == []
    names = {p.name for p in tmp_path.iterdir()}
    for table in ("planrækker", "procesplan", "kriterier", "roller", "risici", "personer", "opfølgning", "problemer",
                  "fremdrift"):
        assert f"{table}.csv" in names and f"{table}.parquet" in names
    with open(tmp_path / "planrækker.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == sum(len(r.plan_rows) for r in result.reads)
    typed = next(r for r in rows if r["start_tekst"] == "uge 12 2026")
    assert (typed["start_start"], typed["start_slut"], typed["kilde_celle"]) == ("2026-03-16", "2026-03-22", "A11")
    risks = pq.read_table(tmp_path / "risici.parquet").to_pylist()
    assert sorted(r["score"] for r in risks) == [8, 9, 12, 16]  # 4×3, 2×4, 3×3 and 4×4 in the samples
    criteria = pq.read_table(tmp_path / "kriterier.parquet")
    assert criteria.num_rows == 228 and "status" in criteria.column_names


def test_without_pyarrow_the_csv_files_are_written_and_a_warning_says_why(sample_config, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    result = consolidate([ROOT / "samples" / "returned"], sample_config, dt.date(2026, 6, 15))
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    written, notices = export_tables(result, tmp_path)
    assert {p.suffix for p in written} == {".csv"}
    assert [(n.code, n.is_warning) for n in notices] == [("EXP001", True)]


def test_an_invalid_value_is_exported_as_typed_beside_the_empty_field(sample_config, tmp_path):
    """Børne- og ungeteamet typed 'måske' over a criterion's status list: the status is empty, the text is kept."""
    import json

    from xlplan.reporting.export import consolidation_json
    result = consolidate([ROOT / "samples" / "returned"], sample_config, dt.date(2026, 6, 15))
    data = json.loads(consolidation_json(result))
    criteria = [c for f in data["filer"] for c in f["kriterier"] if c["invalid"]]
    assert [(c["id"], c["status"], c["invalid"]) for c in criteria] == [("1.5.1", None, {"status": "måske"})]
    export_tables(result, tmp_path)
    with open(tmp_path / "kriterier.csv", encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r.get("invalid_status")]
    assert [(r["id"], r["status"], r["invalid_status"]) for r in rows] == [("1.5.1", "", "måske")]


def test_the_json_written_in_pieces_is_json_dumps_of_the_whole(sample_config):
    """`saml --json` writes the document as the encoder makes it (a national JSON is hundreds of MB): the
    bytes are those of json.dumps over the whole dict, and the pieces stay about a megabyte."""
    import json

    from xlplan.reporting import export

    result = consolidate([ROOT / "samples" / "returned"], sample_config, dt.date(2026, 6, 15))
    whole = json.dumps(export.consolidation_dict(result), ensure_ascii=False, indent=2).encode("utf-8")
    pieces = list(export.consolidation_json_pieces(result))
    assert b"".join(pieces) == whole and export.consolidation_json(result) == whole
    assert json.loads(whole)["filer"] and json.loads(whole)["problemer"]
    small = list(_pieces_of(export, result, 4096))
    assert len(small) > 10 and max(len(p) for p in small) < 4096 + 2000 and b"".join(small) == whole


def _pieces_of(export, result, size):
    original = export.PIECE_CHARACTERS
    export.PIECE_CHARACTERS = size
    try:
        return list(export.consolidation_json_pieces(result))
    finally:
        export.PIECE_CHARACTERS = original
