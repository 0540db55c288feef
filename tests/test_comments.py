"""Comments (notes) on cells: read from the parts real writers store, kept, listed and exported."""
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment

import fixtures
from xlplan.core.errors import Severity
from xlplan.reading.readback import read_team_workbook
from xlplan.workbook.generate import render_workbook
from xlplan.xlsx.comments import read_comments
from xlplan.xlsx.reader import ReadError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
THREADED_NS = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"


def _workbook(parts: dict[str, str]) -> bytes:
    """A minimal workbook with one sheet 'Plan' and the given extra parts (path -> XML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
                                      f'<sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')
        for name, xml in parts.items():
            z.writestr(name, xml)
    return buffer.getvalue()


def _rels(*relations: tuple[str, str, str]) -> str:
    items = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in relations)
    return f'<Relationships xmlns="{RELS}">{items}</Relationships>'


BOOK_RELS = ("rId1", f"{DOC_RELS}/worksheet", "worksheets/sheet1.xml")


def test_an_excel_note_is_read_without_the_author_line_excel_writes_into_its_text(tmp_path):
    """Excel (before threaded comments) starts a note's text with a bold 'Author:' line."""
    legacy = (f'<comments xmlns="{MAIN}"><authors><author>Tina Holm</author></authors><commentList>'
              '<comment ref="C9" authorId="0"><text><r><rPr><b/></rPr><t>Tina Holm:</t></r>'
              '<r><t xml:space="preserve">\nSpørg Bo om datoen</t></r></text></comment></commentList></comments>')
    path = tmp_path / "note.xlsx"
    path.write_bytes(_workbook({
        "xl/_rels/workbook.xml.rels": _rels(BOOK_RELS),
        "xl/worksheets/_rels/sheet1.xml.rels": _rels(("rId1", f"{DOC_RELS}/comments", "../comments1.xml")),
        "xl/comments1.xml": legacy}))
    [comment] = read_comments(path)
    assert (comment.sheet, comment.row, comment.col, comment.author, comment.text) == (
        "Plan", 8, 2, "Tina Holm", "Spørg Bo om datoen")


def test_a_threaded_comment_is_read_with_its_replies_instead_of_excels_placeholder(tmp_path):
    """Excel 365 stores a threaded comment twice: as a placeholder note for older versions and as the thread."""
    placeholder = ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, "
                   "any edits to it will get removed if the file is opened in a newer version of Excel.\n\n"
                   "Comment:\n    Skal vi flytte mødet?")
    legacy = (f'<comments xmlns="{MAIN}"><authors><author>tc={{C1}}</author></authors><commentList>'
              f'<comment ref="B2" authorId="0"><text><t>{placeholder}</t></text></comment></commentList></comments>')
    thread = (f'<ThreadedComments xmlns="{THREADED_NS}">'
              '<threadedComment ref="B2" personId="{P1}" id="{C1}"><text>Skal vi flytte mødet?</text>'
              '</threadedComment>'
              '<threadedComment ref="B2" personId="{P2}" id="{C2}" parentId="{C1}"><text>Ja, til uge 12</text>'
              '</threadedComment></ThreadedComments>')
    persons = (f'<personList xmlns="{THREADED_NS}"><person displayName="Tina Holm" id="{{P1}}"/>'
               '<person displayName="Jonas Krogh" id="{P2}"/></personList>')
    path = tmp_path / "thread.xlsx"
    path.write_bytes(_workbook({
        "xl/_rels/workbook.xml.rels": _rels(
            BOOK_RELS, ("rId9", "http://schemas.microsoft.com/office/2017/10/relationships/person",
                        "persons/person.xml")),
        "xl/worksheets/_rels/sheet1.xml.rels": _rels(
            ("rId1", f"{DOC_RELS}/comments", "../comments1.xml"),
            ("rId2", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
             "../threadedComments/threadedComment1.xml")),
        "xl/comments1.xml": legacy, "xl/threadedComments/threadedComment1.xml": thread,
        "xl/persons/person.xml": persons}))
    [comment] = read_comments(path)
    assert (comment.row, comment.col, comment.author) == (1, 1, "Tina Holm")
    assert comment.text == "Skal vi flytte mødet?\nJonas Krogh: Ja, til uge 12"


def test_a_comments_part_with_a_dtd_is_refused(tmp_path):
    legacy = ('<!DOCTYPE x [<!ENTITY a "aaaa">]>'
              f'<comments xmlns="{MAIN}"><authors><author>&a;</author></authors><commentList/></comments>')
    path = tmp_path / "dtd.xlsx"
    path.write_bytes(_workbook({
        "xl/_rels/workbook.xml.rels": _rels(BOOK_RELS),
        "xl/worksheets/_rels/sheet1.xml.rels": _rels(("rId1", f"{DOC_RELS}/comments", "../comments1.xml")),
        "xl/comments1.xml": legacy}))
    with pytest.raises(ReadError) as refused:
        read_comments(path)
    assert refused.value.kind == "dtd"


def comments_on_cells(wb) -> None:
    """Notes written with the comment tool: on a plan cell, on the Oversigt and on the team's own sheet."""
    fixtures.filled_plan_rows(wb)
    ws = wb[fixtures.PLAN]
    h = fixtures.header_row(ws)
    ws.cell(row=h + 1, column=2).comment = Comment("Spørg Bo om datoen", "Tina Holm")
    wb["Oversigt"]["B7"].comment = Comment("Vi skifter fase efter sommer", "Jonas Krogh")
    fixtures.own_notes_sheet_added(wb)
    wb["Vores noter"]["A1"].comment = Comment("Referat ligger på drevet", "Tina Holm")


@pytest.fixture
def commented(sample_config, tmp_path):
    path = tmp_path / "kommentarer.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 1, 5, 9)))
    return fixtures.edit(path, comments_on_cells)


@pytest.mark.slow
def test_comments_are_kept_and_listed_with_their_place(commented):
    expected = {(ws.title, c.coordinate, c.comment.author, c.comment.text)
                for ws in openpyxl.load_workbook(commented).worksheets for row in ws.iter_rows() for c in row
                if c.comment}
    read = read_team_workbook(commented)
    assert {(c.sheet, c.cell, c.author, c.text) for c in read.comments} == expected and len(expected) == 3
    notices = {(p.sheet, p.cell) for p in read.problems if p.code == "RB046"}
    assert notices == {(sheet, cell) for sheet, cell, _author, _text in expected}
    assert all(p.severity is Severity.INFO for p in read.problems if p.code == "RB046")


def test_comments_are_in_the_json(commented, sample_config):
    from xlplan.reporting.consolidate import consolidate
    from xlplan.reporting.export import consolidation_json
    data = json.loads(consolidation_json(consolidate([commented], sample_config, dt.date(2026, 6, 15))))
    [entry] = data["filer"]
    assert {(c["ark"], c["celle"], c["forfatter"], c["tekst"]) for c in entry["kommentarer"]} == {
        (fixtures.PLAN, "B9", "Tina Holm", "Spørg Bo om datoen"),
        ("Oversigt", "B7", "Jonas Krogh", "Vi skifter fase efter sommer"),
        ("Vores noter", "A1", "Tina Holm", "Referat ligger på drevet")}


@pytest.mark.parametrize("part", [
    f'<comments xmlns="{MAIN}"><authors/><commentList><comment ref="B2" authorId="²"><text><t>x</t></text>'
    '</comment></commentList></comments>',
    f'<comments xmlns="{MAIN}"><commentList><comment ref="Q" authorId="7"><text><t>x</t></text></comment>'
    '</commentList></comments>',
    f'<comments xmlns="{MAIN}"><commentList><comment authorId="0"/></commentList></comments>',
    f'<comments xmlns="{MAIN}"><commentList><comment ref="A1"><text><t>x</t></text>',
    '\xff\xfe<comments/>',
], ids=["odd author", "bad reference", "no reference", "cut off", "not utf-8"])
def test_a_damaged_comments_part_is_a_read_error_never_a_crash(part, tmp_path):
    path = tmp_path / "skadet.xlsx"
    path.write_bytes(_workbook({
        "xl/_rels/workbook.xml.rels": _rels(BOOK_RELS),
        "xl/worksheets/_rels/sheet1.xml.rels": _rels(("rId1", f"{DOC_RELS}/comments", "../comments1.xml")),
        "xl/comments1.xml": part}))
    try:
        comments = read_comments(path)
    except ReadError as refused:
        assert refused.kind in ("bad_xml", "dtd")
    else:
        assert all(c.text == "x" and c.author == "" for c in comments)


# ------------------------------------------------------- xlplan's own notes, sent back in a fixing copy

def test_xlplans_own_notes_sent_back_under_another_author_are_not_the_teams(sample_config, tmp_path):
    """A fixing copy saved again by a program that rewrites the notes' author (LibreOffice writes a space,
    Google Sheets the user): xlplan's notes are known by their form, and a team's words written into one stay
    the team's. The notes are typed here as the fixing copy shows them to a person."""
    path = tmp_path / "sendt-igen.xlsx"
    path.write_bytes(render_workbook(sample_config, sample_config.teams[0], dt.datetime(2026, 6, 15, 9)))
    wb = openpyxl.load_workbook(path)
    plan = wb[fixtures.PLAN]
    ours = ("Fejl [RB008]: Datoen '31/9-2026' i Delmål-dato kan ikke bruges: 31/9-2026 findes ikke.\n"
            "Skriv en dato, der findes, som dd-mm-åååå, eller en periode som 'uge 40 2026' eller 'primo april 2026'.")
    warning = ("Advarsel [RB016]: Aktiviteten har ingen ansvarlig.\n"
               "Skriv navnet på den ansvarlige i kolonnen Ansvarlig.")
    plan["G9"].comment = Comment(ours, " ")
    plan["C9"].comment = Comment(warning.replace("\n", "\r\n") + "\r\n\r\n" + ours.replace("\n", "\r\n"), "Tina Holm")
    plan["B9"].comment = Comment(warning + "\n\nVi venter på Bo", " ")
    plan["D9"].comment = Comment("Fejl [RB008]: som aftalt på mødet", "Bo")  # the form, not a note of ours
    wb.save(path)
    read = read_team_workbook(path)
    assert sorted((c.cell, c.author, c.text) for c in read.comments) == [
        ("B9", "", "Vi venter på Bo"), ("D9", "Bo", "Fejl [RB008]: som aftalt på mødet")]
    assert sorted(p.cell for p in read.problems if p.code == "RB046") == ["B9", "D9"]
