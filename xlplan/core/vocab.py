"""Maps what people type or paste into a dropdown cell to the list's canonical value.

The synonyms are data (data/synonymer.yaml); matching ignores case, spacing and trailing punctuation, and a
value decorated with symbols ('Opfyldt ✓', '✔ Afsluttet') is read as the word. One vocabulary per kind of
value: a status that several lists have ('I gang' is an activity's and a criterion's) is meant by the same words
in each of them, whichever list names the word. A word that could mean more than one value of a list ('OK':
in progress, or done?) is not read as either (Mapped.choices): the team is asked to choose.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from xlplan.core import content


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).casefold().replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!")


@dataclass(frozen=True)
class Mapped:
    value: str | None  # the canonical value, or None when nothing matched
    interpreted: bool  # True when the text was not literally the canonical value
    choices: tuple[str, ...] = ()  # the values a word could mean (synonymer.yaml: tvetydige); value is then None


VALUE_LISTS_NOT_SYNONYMS = ("kolonner", "grupper", "navneskel", "tidligere_værdier", "tvetydige")


def _synonym_lists() -> dict[str, dict[str, list[str]]]:
    data = content.load_yaml("synonymer.yaml")
    return {key: value for key, value in data.items() if key not in VALUE_LISTS_NOT_SYNONYMS}


@lru_cache(maxsize=None)
def _table(list_key: str) -> dict[str, str]:
    """normalised word -> value: the list's values, its own synonyms, and the synonyms other lists give for a
    value this list has too (the same word, the same status)."""
    values = allowed(list_key)
    table = {normalise(v): v for v in values}
    lists = _synonym_lists()
    for canonical, words in lists.get(list_key, {}).items():
        assert canonical in values, f"synonymer.yaml: {canonical!r} is not a value of {list_key}"
        for word in words:
            table.setdefault(normalise(word), canonical)
    for other, synonyms in lists.items():
        if other != list_key:
            for canonical, words in synonyms.items():
                if canonical in values:
                    for word in words:
                        table.setdefault(normalise(word), canonical)
    return table


@lru_cache(maxsize=None)
def _ambiguous(list_key: str) -> dict[str, tuple[str, ...]]:
    """normalised word -> the values of the list it could mean."""
    words = content.load_yaml("synonymer.yaml").get("tvetydige", {}).get(list_key, {})
    for word, choices in words.items():
        assert all(c in allowed(list_key) for c in choices), f"synonymer.yaml: tvetydige {list_key} {word!r}"
    return {normalise(word): tuple(choices) for word, choices in words.items()}


# A mark that may say 'not' or 'unsure' ("÷" is Danish shorthand for without): a value with one is never
# read past it.
_CROSSES = frozenset("✗✘❌×✕✖⨯❎÷≠🚫⛔?¿")


def _undecorated(text: str) -> str | None:
    """The words of a value decorated with symbols ('Opfyldt ✓', '✔ Afsluttet!', '(I gang)'), or None when there
    is no decoration to take away, nothing but it, or a cross that may mean the opposite."""
    kept = []
    removed = False
    for ch in text:
        if ch.isalnum() or ch.isspace() or ch in "/-":
            kept.append(ch)
        elif unicodedata.category(ch)[0] in "SP":
            if ch in _CROSSES:
                return None
            kept.append(" ")
            removed = True
    words = normalise("".join(kept))
    return words if removed and any(ch.isalpha() for ch in words) else None


@lru_cache(maxsize=None)
def _former(list_key: str) -> dict[str, str]:
    """A value an earlier template offered in its own list -> how the list writes it now."""
    former = content.load_yaml("synonymer.yaml").get("tidligere_værdier", {}).get(list_key, {})
    return {old: new for new, olds in former.items() for old in olds}


def map_value(list_key: str, raw) -> Mapped:
    if raw is None:
        return Mapped(None, False)
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    if text in _former(list_key):
        return Mapped(_former(list_key)[text], False)
    words = normalise(text)
    if words in _ambiguous(list_key):
        return Mapped(None, False, _ambiguous(list_key)[words])
    canonical = _table(list_key).get(words)
    if canonical is None and words:
        canonical = _table(list_key).get(words.replace("_", " ").replace("-", " "))
    if canonical is None and (bare := _undecorated(text)) is not None:
        if bare in _ambiguous(list_key):
            return Mapped(None, False, _ambiguous(list_key)[bare])
        canonical = _table(list_key).get(bare)
    return Mapped(canonical, canonical is not None and text != canonical)


def allowed(list_key: str) -> tuple[str, ...]:
    if list_key == "faser":  # the phase list depends on the template; accept every phase and step
        return content.all_phase_choices()
    return content.value_lists()[list_key].values
