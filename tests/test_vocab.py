"""Values pasted over dropdowns are mapped to the canonical value, and marked as interpreted."""
import pytest
from hypothesis import given, strategies as st

from xlplan.core import content
from xlplan.core.vocab import map_value


@pytest.mark.parametrize("list_key, raw, expected", [
    ("kriteriestatus", "opfyldt", "Opfyldt"),
    ("kriteriestatus", "Færdig", "Opfyldt"),
    ("kriteriestatus", "x", "Opfyldt"),
    ("kriteriestatus", "  ikke   RELEVANT. ", "Ikke relevant"),
    ("kriteriestatus", "N/A", "Ikke relevant"),
    ("kriteriestatus", "in progress", "I gang"),
    ("aktivitetsstatus", "Done", "Afsluttet"),
    ("aktivitetsstatus", "igang", "I gang"),
    ("aktivitetsstatus", "not started", "Ikke påbegyndt"),
    ("risikostatus", "closed", "Lukket"),
    ("ja_nej", "x", "Ja"),
])
def test_synonyms(list_key, raw, expected):
    mapped = map_value(list_key, raw)
    assert mapped.value == expected and mapped.interpreted


def test_exact_value_is_not_interpreted_and_unknown_is_none():
    assert map_value("kriteriestatus", "Opfyldt").interpreted is False
    assert map_value("kriteriestatus", "måske").value is None


@given(st.sampled_from(sorted(content.value_lists())), st.data())
def test_every_canonical_value_maps_to_itself_in_any_case_and_spacing(list_key, data):
    value = data.draw(st.sampled_from(content.value_lists()[list_key].values))
    variant = data.draw(st.sampled_from([value, value.upper(), value.lower(), f"  {value} ", value.replace(" ", "  ")]))
    assert map_value(list_key, variant).value == value


@given(st.text(max_size=30))
def test_any_text_maps_to_a_list_value_or_none(text):
    mapped = map_value("aktivitetsstatus", text)
    assert mapped.value is None or mapped.value in content.value_lists()["aktivitetsstatus"].values


def test_numbers_match_the_scale():
    assert map_value("skala", 3.0).value == "3" and map_value("skala", "3").value == "3"
