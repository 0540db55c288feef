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


# ---------------------------------------------------------------- one vocabulary per kind of value

def _synonyms_as_written() -> dict[str, dict[str, str]]:
    """list -> word -> the value synonymer.yaml gives it there, read straight from the file."""
    import yaml

    from paths import ROOT
    data = yaml.safe_load((ROOT / "xlplan" / "data" / "synonymer.yaml").read_text(encoding="utf-8"))
    lists = {key: value for key, value in data.items() if key in content.value_lists()}
    return {key: {word: value for value, words in synonyms.items() for word in words} for key, synonyms in lists.items()}


def _the_same_word_in_every_list_with_its_value():
    cases = []
    for named_in, words in _synonyms_as_written().items():
        for word, value in words.items():
            for other in sorted(content.value_lists()):
                if value in content.value_lists()[other].values:
                    cases.append((other, word, value))
    return cases


@pytest.mark.parametrize("list_key, word, value", _the_same_word_in_every_list_with_its_value())
def test_a_word_means_the_same_status_in_every_list_that_has_that_status(list_key, word, value):
    """'delvist' is 'I gang' for a criterion, so it is 'I gang' for an activity too (both lists have 'I gang')."""
    assert map_value(list_key, word).value == value


def test_delvist_is_in_progress_for_an_activity_as_for_a_criterion():
    assert map_value("aktivitetsstatus", "delvist") == map_value("kriteriestatus", "delvist")
    assert map_value("aktivitetsstatus", "delvist").value == "I gang"


@pytest.mark.parametrize("list_key, raw, expected", [
    ("kriteriestatus", "Opfyldt ✓", "Opfyldt"),
    ("kriteriestatus", "✔ opfyldt!", "Opfyldt"),
    ("aktivitetsstatus", "(Afsluttet)", "Afsluttet"),
    ("aktivitetsstatus", "✅ færdig", "Afsluttet"),
    ("risikostatus", "Lukket 👍", "Lukket"),
])
def test_a_decorated_value_is_read_as_its_word_and_said_to_be_interpreted(list_key, raw, expected):
    mapped = map_value(list_key, raw)
    assert (mapped.value, mapped.interpreted, mapped.choices) == (expected, True, ())


@pytest.mark.parametrize("raw", ["✗ Opfyldt", "Opfyldt ❌", "✓ ✓", "★"])
def test_a_cross_or_only_symbols_is_not_read_past(raw):
    assert map_value("kriteriestatus", raw).value is None


@pytest.mark.parametrize("list_key, raw", [("aktivitetsstatus", "OK"), ("aktivitetsstatus", "ok ✓"),
                                           ("kriteriestatus", "Ok.")])
def test_ok_could_mean_in_progress_or_done_and_is_neither(list_key, raw):
    mapped = map_value(list_key, raw)
    assert mapped.value is None and "I gang" in mapped.choices and len(mapped.choices) == 2


@pytest.mark.parametrize("typed", ["÷ Opfyldt", "≠ Opfyldt", "🚫 Afsluttet", "Afsluttet?", "⛔ Opfyldt"])
def test_a_mark_that_may_say_not_or_unsure_is_never_read_past(typed):
    from xlplan.core.vocab import map_value
    lists = ("kriteriestatus", "aktivitetsstatus")
    assert all(map_value(values, typed).value is None for values in lists), typed
