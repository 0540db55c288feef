"""Names that Excel and file systems accept: sheet names and Windows/macOS-safe file names."""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from functools import lru_cache

SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
FILE_STEM_MAX = 120


def _clean_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def sheet_name(wanted: str, used: set[str]) -> str:
    """A valid, unique sheet name close to `wanted`; `used` holds casefolded names and is updated."""
    base = _clean_spaces(_SHEET_FORBIDDEN.sub(" ", wanted)).strip("'") or "Ark"
    if base.casefold() == "history":  # reserved by Excel
        base = "History (1)"
    candidate = _shorten(base, SHEET_NAME_MAX)
    n = 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = _shorten(base, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


def _shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at a word boundary ("2. Inddragelse af barnet og", not "... og fam");
    mid-word only when one word is most of the limit."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit + 1)
    shortened = text[:space].rstrip(" -–,.;:'") if space >= limit // 2 else ""
    shortened = _without_dangling_words(shortened)
    return shortened or text[:limit].rstrip(" '") or text[:limit]


def _without_dangling_words(text: str) -> str:
    """A shortened name without the prepositions and conjunctions at its end that pointed at a word cut away
    ("1. Barnets perspektiv i" -> "1. Barnets perspektiv"; tekster.yaml: hængende_ord); at least two words stay."""
    dangling = _dangling_words()
    words = text.split(" ")
    while len(words) > 2 and words[-1].casefold() in dangling:
        words.pop()
    return " ".join(words).rstrip(" -–,.;:'")


@lru_cache(maxsize=1)
def _dangling_words() -> frozenset[str]:
    from xlplan.core.content import load_yaml

    return frozenset(str(w).casefold() for w in load_yaml("tekster.yaml")["hængende_ord"])


def file_stem(wanted: str) -> str:
    """A file name (without extension) that Windows, macOS and Linux all accept."""
    stem = _clean_spaces(_FILE_FORBIDDEN.sub(" ", wanted)).rstrip(". ").lstrip(".")
    stem = re.sub(r"\s+", " ", stem)[:FILE_STEM_MAX].rstrip(". ") or "projektmappe"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    return stem


def unique_file_names(stems: list[str], extension: str = ".xlsx") -> list[str]:
    """File names for `stems`, made unique regardless of case (Windows and macOS ignore case)."""
    used: set[str] = set()
    names = []
    for stem in stems:
        candidate, n = stem, 2
        while candidate.casefold() in used:
            candidate = f"{stem} ({n})"
            n += 1
        used.add(candidate.casefold())
        names.append(candidate + extension)
    return names


def display_name(name: str) -> str:
    """`name` (a file name or path from the file system) fit to print, store in JSON and write into a
    workbook: bytes the file system's encoding could not decode (a Latin-1 'æøå' from an old share,
    kept by os.fsdecode as surrogate escapes) become U+FFFD."""
    return os.fsencode(name).decode(sys.getfilesystemencoding(), "replace")
