"""The PDF for the meeting: `xlplan consolidate ... --pdf FIL`, read back with poppler."""
import subprocess
import sys

from click.testing import CliRunner

from paths import ROOT, SAMPLE_CONFIG
from xlplan.cli import main

SAMPLES = ROOT / "samples" / "returned"
TEAMS = ["Familieteamet", "Børne- og ungeteamet", "Familieplejen"]


def _text(pdf, first=None, last=None):
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _page_sizes(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [tuple(round(float(v)) for v in line.split("size:")[1].split("pts")[0].split(" x "))
            for line in info.splitlines() if line.startswith("Page") and "size:" in line]


def _consolidate(tmp_path, *extra):
    args = ["consolidate", str(SAMPLES), "-o", str(tmp_path / "samlet-status.xlsx"), "--config", str(SAMPLE_CONFIG),
            "--as-of", "15-06-2026", *extra]
    return CliRunner().invoke(main, args)


def test_consolidate_writes_the_meeting_pdf_with_the_briefing_first(tmp_path):
    pdf = tmp_path / "møde.pdf"
    result = _consolidate(tmp_path, "--pdf", str(pdf))
    assert result.exit_code == 0, result.output
    assert str(pdf) in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    sizes = _page_sizes(pdf)
    assert sizes[0] == (595, 842) and all(size == (842, 595) for size in sizes[1:])  # A4 portrait, then landscape
    first = " ".join(_text(pdf, 1, 1).split())
    # the lights of the samples (tests/test_consolidate.py): Gul, Rød, Grøn
    assert "3 teams: 1 rød, 1 gul, 1 grøn." in first
    assert "Børne- og ungeteamet er rød:" in first
    assert all(team in first for team in TEAMS)
    assert f"Side 1 af {len(sizes)}" in first
    rest = _text(pdf, 2)
    assert "Overblik" in rest and "Forsinket og de næste frister" in rest and "Siden sidst" in rest
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_without_reportlab_the_coordinator_is_told_in_danish(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "reportlab", None)  # as if it were not installed
    result = _consolidate(tmp_path, "--pdf", str(tmp_path / "møde.pdf"))
    assert result.exit_code == 2
    assert "[PDF001]" in result.output and "pip install reportlab" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "samlet-status.xlsx").exists() and not (tmp_path / "møde.pdf").exists()


def test_the_pdf_is_never_written_over_an_input(tmp_path):
    import shutil

    folder = tmp_path / "ind"
    shutil.copytree(SAMPLES, folder)
    target = folder / "Familieplejen - ICS-implementeringsplan.xlsx"
    before = target.read_bytes()
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(tmp_path / "s.xlsx"), "--pdf",
                                       str(target)])
    assert result.exit_code == 2 and "[OUT003]" in result.output
    assert target.read_bytes() == before


def test_a_header_too_wide_for_its_column_breaks_at_its_hyphen_not_inside_a_word(tmp_path):
    """Overblik's 'Mål over-skredet' in its narrow column: 'Mål over-' over 'skredet', never 'over-s' / 'kredet';
    every header word of the page whole on its line."""
    pdf = tmp_path / "møde.pdf"
    assert _consolidate(tmp_path, "--pdf", str(pdf)).exit_code == 0
    page = _text(pdf, 2, 2)
    header = page[page.index("Team"):].splitlines()[:2]
    words = " ".join(header).split()
    assert "over-" in words and "skredet" in words and "kredet" not in words, header
    assert {"Forbered", "Igangsæt", "Fasthold", "Genbesøg", "ansvarlig"} <= set(words), header


def test_the_first_readings_pdf_has_no_page_with_only_a_heading_and_a_note(tmp_path):
    """At the first reading "Siden sidst" and "Udvikling" are each a heading and one sentence: they stand under
    Overblik, not on two almost blank pages of their own."""
    pdf = tmp_path / "møde.pdf"
    assert _consolidate(tmp_path, "--pdf", str(pdf)).exit_code == 0
    pages = len(_page_sizes(pdf))
    for number in range(1, pages + 1):
        lines = [line for line in _text(pdf, number, number).splitlines() if line.strip()]
        assert len(lines) >= 8, (number, lines)  # the running header and footer, and more than a heading and a note
    second = " ".join(_text(pdf, 2, 2).split())
    assert "Overblik" in second and "Siden sidst" in second and "Udvikling over aflæsningerne" in second


def test_a_table_broken_across_pages_leaves_no_row_alone_under_its_header_or_at_a_pages_foot():
    """Wherever a page ends, a table splits with at least two of its rows on each side of the break, or moves
    to the next page whole (the first reading's PDF had one row alone under a repeated header)."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    from xlplan.reporting.meeting_pdf import _Document
    style = getSampleStyleSheet()["Normal"]

    def table():
        made = _Document.table(None, [[Paragraph(f"række {i}", style), Paragraph("x", style)] for i in range(12)],
                               [100, 100])
        made.wrap(300, 10_000)
        return made
    splits = [table().split(300, height) for height in range(5, 200)]
    body_rows = [[len(part._cellvalues) - 1 for part in parts] for parts in splits if parts]
    assert body_rows, "some heights split the table"
    assert all(min(rows) >= 2 for rows in body_rows), body_rows
