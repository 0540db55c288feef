"""Sheet and file names that Excel, Windows and macOS accept."""
import pytest
from hypothesis import given, strategies as st

from xlplan.core.names import file_stem, sheet_name, unique_file_names

FORBIDDEN_SHEET = set('[]:*?/\\')
FORBIDDEN_FILE = set('<>:"/\\|?*')


def test_long_sigtepunkt_name_is_cut_to_31():
    assert sheet_name("1. Ledelsesmæssig opfølgning på brugen af ICS i hverdagen", set()) == \
        "1. Ledelsesmæssig opfølgning"


def test_long_names_are_cut_at_a_word_boundary_without_a_dangling_word():
    assert sheet_name("2. Inddragelse af barnet og familien", set()) == "2. Inddragelse af barnet"
    used = {"2. inddragelse af barnet"}
    assert sheet_name("2. Inddragelse af barnet og familien", used) == "2. Inddragelse af barnet (2)"


@pytest.mark.parametrize("wanted, expected", [
    ("1. Barnets perspektiv i hverdagen og i skolen", "1. Barnets perspektiv"),  # 'i' pointed at 'hverdagen'
    ("2. Inddragelse af familie og netværk omkring barnet", "2. Inddragelse af familie"),  # '... og', 'og netværk'
    ("3. Kompetenceudvikling af ledere og medarbejdere", "3. Kompetenceudvikling"),
    ("4. Data og opfølgning på indsatsen hver måned", "4. Data og opfølgning"),
])
def test_a_shortened_sheet_name_ends_on_a_word_that_carries_meaning(wanted, expected):
    name = sheet_name(wanted, set())
    assert name == expected and len(name) <= 31


def test_forbidden_characters_and_duplicates():
    used = set()
    assert sheet_name("Mål: 3/6/9 [måneder]?", used) == "Mål 3 6 9 måneder"
    assert sheet_name("mål 3 6 9 måneder", used) == "mål 3 6 9 måneder (2)"


@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=12))
def test_any_text_gives_valid_unique_sheet_names(wanted):
    used = set()
    names = [sheet_name(w, used) for w in wanted]
    assert len({n.casefold() for n in names}) == len(names)
    for n in names:
        assert 1 <= len(n) <= 31
        assert not FORBIDDEN_SHEET & set(n)
        assert not n.startswith("'") and not n.endswith("'")


@given(st.text(max_size=300))
def test_any_text_gives_a_portable_file_stem(wanted):
    stem = file_stem(wanted)
    assert stem and len(stem) <= 120
    assert not FORBIDDEN_FILE & set(stem)
    assert not any(ord(ch) < 32 for ch in stem)
    assert not stem.endswith((".", " "))
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_file_names_unique_regardless_of_case():
    assert unique_file_names(["Team A", "team a", "Team A"]) == ["Team A.xlsx", "team a (2).xlsx", "Team A (3).xlsx"]
