"""Maps what people type or paste into a dropdown cell to the list's canonical value.

The synonyms are data (data/synonymer.yaml); matching ignores case, spacing and trailing punctuation.
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


@lru_cache(maxsize=None)
def _table(list_key: str) -> dict[str, str]:
    values = allowed(list_key)
    table = {normalise(v): v for v in values}
    synonyms = content.load_yaml("synonymer.yaml").get(list_key, {})
    for canonical, words in synonyms.items():
        assert canonical in values, f"synonymer.yaml: {canonical!r} is not a value of {list_key}"
        for word in words:
            table.setdefault(normalise(word), canonical)
    return table


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
    canonical = _table(list_key).get(normalise(text))
    if canonical is None and normalise(text):
        canonical = _table(list_key).get(normalise(text).replace("_", " ").replace("-", " "))
    return Mapped(canonical, canonical is not None and text != canonical)


def allowed(list_key: str) -> tuple[str, ...]:
    if list_key == "faser":  # the phase list depends on the template; accept every phase and step
        return content.all_phase_choices()
    return content.value_lists()[list_key].values
