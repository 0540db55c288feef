"""Reads the comments (notes) on cells: the legacy comments every writer stores (xl/comments*.xml) and
Excel 365's threaded comments (xl/threadedComments/*.xml), each part found through its sheet's
relationships.

It uses the reader's safety primitives: the zip directory is checked before anything is inflated, no
part is read beyond its declared size, and any DTD or entity is refused before it is expanded.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from xlplan.xlsx.reader import _local, _parse, _Reader, _ref, is_comment_part, open_archive, sniff

LEGACY = "comments"
THREADED = "threadedComment"
PERSONS = "person"


@dataclass(frozen=True)
class RawComment:
    sheet: str
    row: int
    col: int
    author: str
    text: str


def read_comments(path) -> list[RawComment]:
    """Every cell comment of the workbook at `path`, sheet by sheet; a threaded comment (with its replies)
    in place of the legacy copy Excel stores beside it."""
    with open(path, "rb") as handle:
        if sniff(handle.read(8)) != "zip":
            return []
    archive = open_archive(path)
    with archive:
        reader = _Reader(archive)
        if not any(map(is_comment_part, reader.infos)):
            return []
        return _comments(reader)


def _comments(reader: _Reader) -> list[RawComment]:
    sheets, _date1904 = reader._workbook()
    targets, book_types = reader.book_relationships()
    people = _persons(reader, book_types.get(PERSONS))
    found: list[RawComment] = []
    for name, _state, rid in sheets:
        part = targets.get(rid)
        if not part:
            continue
        folder, base = posixpath.split(part)
        _targets, types = reader._relationships(posixpath.join(folder, "_rels", base + ".rels"), folder)
        threaded = _threaded(reader, types.get(THREADED), people)
        for (row, col), (author, text) in _legacy(reader, types.get(LEGACY)).items():
            author, text = threaded.pop((row, col), (author, text))
            found.append(RawComment(name, row, col, author, text))
        found += [RawComment(name, row, col, author, text) for (row, col), (author, text) in threaded.items()]
    return found


def _legacy(reader: _Reader, part: str | None) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, col) -> (author, text) of a comments part. Excel starts a note with its author's name and a
    colon on a line of its own; that line is the author, not the text."""
    data = reader.part(part) if part else None
    if data is None:
        return {}
    authors: list[str] = []
    comments: dict[tuple[int, int], tuple[str, str]] = {}
    state = {"author": None, "ref": None, "author_id": 0, "parts": None, "in_t": False, "phonetic": 0}

    def start(tag, attrs):
        local = _local(tag)
        if local == "author":
            state["author"] = []
        elif local == "comment":
            state["ref"] = attrs.get("ref", "")
            author_id = attrs.get("authorId", "0")
            state["author_id"] = int(author_id) if author_id.isascii() and author_id.isdigit() else -1
            state["parts"] = []
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and state["parts"] is not None and not state["phonetic"]:
            state["in_t"] = True

    def end(tag):
        local = _local(tag)
        if local == "author":
            authors.append("".join(state["author"]))
            state["author"] = None
        elif local == "t":
            state["in_t"] = False
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "comment":
            author = authors[state["author_id"]] if 0 <= state["author_id"] < len(authors) else ""
            text = "".join(state["parts"])
            if author and text.startswith(author + ":\n"):
                text = text[len(author) + 2:]
            comments[_ref(state["ref"])] = (author, text)
            state["parts"] = None

    def text(data_):
        if state["author"] is not None:
            state["author"].append(data_)
        elif state["in_t"]:
            state["parts"].append(data_)

    _parse(data, start, end, text)
    return comments


def _threaded(reader: _Reader, part: str | None, people: dict[str, str]) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, col) -> (author, text) of a threaded-comments part: the first comment of a thread with its
    replies below it, each reply as 'Name: text'."""
    data = reader.part(part) if part else None
    if data is None:
        return {}
    threads: dict[str, tuple[tuple[int, int], str, list[str]]] = {}
    state = {"current": None, "parts": None}

    def start(tag, attrs):
        local = _local(tag)
        if local == "threadedComment":
            state["current"] = (attrs.get("ref", ""), attrs.get("id", ""), attrs.get("parentId"),
                                people.get(attrs.get("personId", ""), ""))
        elif local == "text" and state["current"] is not None:
            state["parts"] = []

    def end(tag):
        local = _local(tag)
        if local == "text" and state["parts"] is not None:
            ref, own_id, parent, author = state["current"]
            text = "".join(state["parts"])
            if parent and parent in threads:
                threads[parent][2].append(f"{author}: {text}" if author else text)
            else:
                threads[own_id] = (_ref(ref), author, [text])
            state["parts"] = None
        elif local == "threadedComment":
            state["current"] = None

    def text(data_):
        if state["parts"] is not None:
            state["parts"].append(data_)

    _parse(data, start, end, text)
    return {position: (author, "\n".join(texts)) for position, author, texts in threads.values()}


def _persons(reader: _Reader, part: str | None) -> dict[str, str]:
    """Person id -> display name, for threaded comments."""
    data = reader.part(part) if part else None
    if data is None:
        return {}
    people: dict[str, str] = {}

    def start(tag, attrs):
        if _local(tag) == "person":
            people[attrs.get("id", "")] = attrs.get("displayName", "")

    _parse(data, start)
    return people
