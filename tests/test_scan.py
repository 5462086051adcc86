"""The one-pass scanner must give exactly what Python's engine gives, pattern by pattern."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import DATA

from toolkit import read_reports, scan
from toolkit.alternation import lowered
from toolkit.extract.batch import extract_all
from toolkit.extract.sentences import split_sentences
from toolkit.lexicons import load

pytestmark = pytest.mark.skipif(scan._database() is None, reason="hyperscan is not installed")

# text that tries the edges: glued sentences, curly quotes, non-ASCII letters, digits and
# spaces, letters that case-blind patterns equate with ASCII ones, stripped punctuation
AWKWARD = [
    "Troops retook 93% of Aleppo.Every day,  tens of\nthousands fled “since Saturday”.",
    "İdlib’s rebels said 1,959 were killed ſince Monday; the city’s east is rebel-held.",
    "About ٣٠٠ people\u00a0fled\u2009on Dec. 5, 2016 – the UN said. Over the past two days",
    "2 Killed 10 Injured in Aleppo Oct 262016 SANA said government forces captured all of Palmyra",
    "a hundred and twenty-five thousand people left between 2 and 3 km from al-Bab (SOHR)",
    "x-tens of thousands, 5.twenty, a,234 killed; half of the city; a third of eastern Aleppo",
]


def _texts() -> list[str]:
    return [*read_reports(DATA / "reports")["body"], *AWKWARD]


def _specs():
    return list(scan._database().specs.values())


def _same(hits, spec, text: str, pos: int, end: int, offset: int = 0) -> None:
    pattern = spec.pattern
    want = [(m.span(), m.groups()) for m in pattern.finditer(text, pos, end)]
    got = [(m.span(), m.groups()) for m in hits.finditer(pattern, text, pos, end, offset)]
    assert got == want, (pattern.pattern[:80], text[pos:end][:80])


def _check(body: str) -> None:
    low = lowered(body)
    hits = scan.Hits.of(low)
    sentences = list(split_sentences(body))
    for spec in _specs():
        text = body if spec.caseless else low
        _same(hits, spec, text, 0, len(text))
        for start, end in sentences:
            _same(hits, spec, text, start, end)  # a range of the body
            _same(hits, spec, text[start:end], 0, end - start, offset=start)  # a slice
    hits.know_sentences(sentences)  # the answers from sentence sets are the same
    for spec in _specs():
        text = low if not spec.caseless else body
        for start, end in sentences:
            _same(hits, spec, text, start, end)


@pytest.mark.parametrize("n", range(len(AWKWARD) + 5))
def test_every_pattern_matches_as_in_python(n):
    _check(_texts()[n])


def _vocabulary() -> list[str]:
    words = []
    for name in ("numbers", "periods", "categories", "events", "attribution"):
        words += _words(load(name))
    return sorted({w.rstrip("*") for w in words if isinstance(w, str)})


def _words(node) -> list[str]:
    if isinstance(node, dict):
        return [w for k, v in node.items() for w in (k, *_words(v))]
    if isinstance(node, list):
        return [w for v in node for w in _words(v)]
    return [node] if isinstance(node, str) else []


_PIECES = st.sampled_from(
    [" ", "  ", "\n", ".", ",", "-", "’", "“", "(", "%", "İ", "é", "٣", "\u00a0", "x", "A"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_vocabulary()), _PIECES, st.integers(0, 3000).map(str))))
def test_random_text_from_the_cue_words(parts):
    _check("".join(parts))


def test_extraction_is_the_same_without_the_scanner(monkeypatch):
    reports = read_reports(DATA / "reports")
    claims, _, events = extract_all(reports)
    monkeypatch.setattr(scan, "hits_of", lambda low: None)
    slow_claims, _, slow_events = extract_all(reports)
    assert claims.equals(slow_claims)
    assert events.equals(slow_events)


def test_widened_pattern_drops_look_arounds_and_names():
    assert scan._widened(r"(?<![\w.,])(?P<a>[0-9]+)(?=\s+of\b|\s*$)\bx") == rb"(?:[0-9]+)x"
    assert scan._widened(r"[(?=]a(?:b)") == rb"[(?=]a(?:b)"


def test_ascii_view_keeps_one_byte_per_character():
    text = "İdlib’s ٣٠ “x” –\u00a0é"
    view = scan.ascii_view(text)
    assert len(view) == len(text)
    assert view == b'idlib\'s 00 "x" - x'


def test_a_pattern_the_automaton_refuses_is_left_to_python(monkeypatch):
    import re

    refused = re.compile(r"(?<=a)b")
    monkeypatch.setattr(scan, "_REGISTRY", dict(scan._REGISTRY))
    spec = scan._Spec(refused, len(scan._REGISTRY), (b"(?<=a)b",), True, False)
    scan._REGISTRY[id(refused)] = spec
    scan._database.cache_clear()
    try:
        db = scan._database()
        assert db is not None and id(refused) not in db.specs
        assert len(db.specs) == len(scan._REGISTRY) - 1
        hits = scan.Hits.of("ab cab")
        assert [m.span() for m in hits.finditer(refused, "ab cab")] == [(1, 2), (5, 6)]
    finally:
        scan._database.cache_clear()
