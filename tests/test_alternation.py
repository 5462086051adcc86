"""Word lists compiled as prefix trees: same matches as a flat alternation, longest first."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.alternation import alternation, lowered, words_pattern
from toolkit.reference import actor_index, place_index


def test_longest_phrase_wins():
    rx = re.compile(words_pattern(["kill", "killed", "killing"]))
    assert [m.group() for m in rx.finditer("killed, kill, killing, skill")] == [
        "killed",
        "kill",
        "killing",
    ]


def test_phrases_match_across_any_spacing_and_case():
    rx = re.compile(words_pattern(["Tens of thousands"]))
    assert rx.search(lowered("TENS OF\n  THOUSANDS fled")).span() == (0, 19)


def test_a_stem_takes_any_ending():
    rx = re.compile(words_pattern(["evacuat*"]))
    assert [m.group() for m in rx.finditer("evacuated the evacuation")] == [
        "evacuated",
        "evacuation",
    ]


def test_an_empty_list_matches_nothing():
    assert re.compile(alternation([])).search("anything") is None


def test_lowered_keeps_offsets_when_a_letter_would_grow():
    text = "İdlib and Aleppo"
    assert len(lowered(text)) == len(text)
    assert lowered(text).index("aleppo") == text.index("Aleppo")


words = st.text(alphabet="abcde ", min_size=1, max_size=6).filter(str.strip)


@given(st.lists(words, min_size=1, max_size=8), st.text(alphabet="abcde ,", max_size=40))
def test_same_matches_as_a_flat_alternation_longest_first(phrases, text):
    flat = "|".join(
        r"\s+".join(map(re.escape, p.split())) for p in sorted(set(phrases), key=len, reverse=True)
    )
    tree = re.compile(words_pattern(phrases))
    plain = re.compile(rf"(?<!\w)(?:{flat})(?!\w)")
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Troops entered al-Bab and AL BAB.", ["al-Bab", "AL BAB"]),
        ("Raqqa is held by IS.", ["Raqqa", "IS"]),
    ],
)
def test_aliases_are_found_whatever_their_case_but_acronyms_only_in_capitals(text, found):
    hits = place_index().scan(text) + actor_index().scan(text)
    assert sorted(text[s:e] for s, e, _ in hits) == sorted(found)
