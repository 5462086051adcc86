"""One pass over a report for every cue list and pattern the extractor uses.

The rules of the extractor are Python regular expressions, and Python's engine tries each
of them at every position of the text: twenty-odd lists then mean twenty-odd passes. Here
all of them are compiled into one Hyperscan automaton that reads a report once and tells
where each pattern may match. Python's own pattern then confirms every candidate, so
results are exactly those of `pattern.finditer`; only the places where nothing can match
are skipped.

Two kinds of registered pattern:

- word lists (`register(pattern, phrases=...)`): every phrase is an expression of its
  own, so the automaton reports where each occurrence starts; the Python pattern is tried
  at those starts only.
- any other pattern (`register(pattern)`): its look-arounds and word boundaries are
  dropped, which can only widen what it matches, and the automaton reports where such a
  match ends; the Python pattern runs over a sentence only when one ends inside it.

Hyperscan sees an ASCII copy of the lower-cased text, one byte per character, so offsets
are the same in both: letters and digits outside ASCII become "x" and "0", spaces a
space, curly quotes and dashes their ASCII forms, anything else a byte no pattern names.
Without the `hyperscan` package (it is built for x86-64) every call falls back to
Python's engine, with the same results.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

try:  # an accelerator only: without it every pattern runs in Python's engine
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# characters that case-blind Python patterns equate with an ASCII letter
_FOLDS = {"ı": "i", "ſ": "s", "İ": "i", "K": "k"}
_PUNCT = {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-"}
_PUNCT |= {"‑": "-", "−": "-", "‒": "-"}
_OTHER = "\x1a"  # a byte that no pattern names


@lru_cache(maxsize=4096)
def ascii_char(c: str) -> str:
    """The ASCII stand-in of a non-ASCII character (same class for \\w, \\s and \\d)."""
    if c in _FOLDS:
        return _FOLDS[c]
    if c in _PUNCT:
        return _PUNCT[c]
    if c.isspace():
        return " "
    if c.isdecimal():
        return "0"
    if c.isalnum() or c == "_":
        return "x"
    return _OTHER


def ascii_view(low: str) -> bytes:
    """`low` (lower-cased text) as ASCII bytes, one byte per character."""
    if low.isascii():
        return low.encode("ascii")
    return _NON_ASCII.sub(lambda m: ascii_char(m.group()), low).encode("ascii")


@dataclass(frozen=True)
class _Spec:
    pattern: object  # held, so that its id stays its own
    index: int
    expressions: tuple[bytes, ...]
    exact: bool  # word list: starts are exact; else only ends are known
    caseless: bool


# by id(pattern): hashing a compiled pattern hashes all its code, every time
_REGISTRY: dict[int, _Spec] = {}


def register(
    pattern,
    phrases: Iterable[str] | None = None,
    joiner: str = r"\s+",
    bounded: bool = True,
    trailing: bool | None = None,
    extra: Iterable[str] = (),
    suffix: str = "",
):
    """Add `pattern` to the automaton and return it unchanged.

    With `phrases` (the word list it was built from, see `toolkit.alternation`) every match
    of `pattern` must start where one of them starts, or where one of the `extra`
    expressions does; `bounded` says that a match starts a word, `trailing` (the same by
    default) that the phrase ends one, after an optional `suffix` (an expression) that the
    pattern allows. Without phrases, any pattern is accepted.
    """
    if id(pattern) in _REGISTRY:
        return pattern
    caseless = bool(pattern.flags & re.IGNORECASE)
    if phrases is not None:
        trailing = bounded if trailing is None else trailing
        expressions = [_phrase_expression(p, joiner, bounded, trailing, suffix) for p in phrases]
        expressions = tuple(e for e in expressions if e) + tuple(x.encode() for x in extra)
        spec = _Spec(pattern, len(_REGISTRY), expressions, True, caseless)
    else:
        spec = _Spec(pattern, len(_REGISTRY), (_widened(pattern.pattern),), False, caseless)
    # a pattern registered after the automaton was built runs in Python's engine
    _REGISTRY[id(pattern)] = spec
    return pattern


def _ascii_pattern(text: str) -> str:
    """Pattern source with its non-ASCII characters replaced as `ascii_view` replaces them."""
    return _NON_ASCII.sub(lambda m: f"\\x{ord(ascii_char(m.group())):02x}", text)


def _phrase_expression(
    phrase: str, joiner: str, bounded: bool, trailing: bool, suffix: str = ""
) -> bytes:
    words = phrase.lower().split()
    if not words:
        return b""
    stem = words[-1].endswith("*")
    if stem:
        words[-1] = words[-1].rstrip("*")
    body = _ascii_pattern(joiner).join(_ascii_pattern(re.escape(w)) for w in words if w)
    if stem:
        body += r"\w*"
    lead = r"\b" if bounded and re.match(r"\w", words[0]) else ""
    tail = r"\b" if trailing and (stem or re.search(r"\w$", words[-1])) else ""
    return (lead + body + suffix + tail).encode("ascii")


def _widened(source: str) -> bytes:
    """`source` without look-arounds, word boundaries and group names: it matches a superset."""
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            if source[i + 1] in "bB":
                i += 2
                continue
            out.append(source[i : i + 2])
            i += 2
        elif c == "[":
            j = _class_end(source, i)
            out.append(source[i:j])
            i = j
        elif source.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _group_end(source, i)
        elif c in "^$":  # an anchor: a slice of the body has ends of its own
            i += 1
        elif source.startswith("(?P<", i):
            out.append("(?:")
            i = source.index(">", i) + 1
        else:
            out.append(c)
            i += 1
    return _ascii_pattern("".join(out)).encode("ascii")


def _class_end(source: str, i: int) -> int:
    """Index after the character class opening at source[i]."""
    j = i + 1
    if j < len(source) and source[j] == "^":
        j += 1
    if j < len(source) and source[j] == "]":
        j += 1
    while source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1


def _group_end(source: str, i: int) -> int:
    """Index after the group opening at source[i]."""
    depth, j = 0, i
    while j < len(source):
        c = source[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(source, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError(f"unbalanced group in {source!r}")


# Called before the automaton is built, so that every pattern has been registered.
_WARMERS: list[Callable[[], object]] = []


def warm_with(function: Callable[[], object]) -> Callable[[], object]:
    """Run `function` (a pattern factory) before the automaton is built."""
    _WARMERS.append(function)
    return function


@dataclass(frozen=True)
class _Database:
    exact: object | None
    widened: object | None
    size: int
    specs: dict
    owner: tuple[int, ...]  # expression id -> index of its pattern


@lru_cache(maxsize=1)
def _database() -> _Database | None:
    if hyperscan is None or os.environ.get("TOOLKIT_NO_HYPERSCAN"):
        return None
    for warm in list(_WARMERS):
        warm()
    specs = dict(_REGISTRY)
    try:
        return _built(specs)
    except hyperscan.error:
        # a pattern the automaton cannot take (a cue word of a user's, say) is left to
        # Python's engine, and the others still share the one pass
        usable = {key: spec for key, spec in specs.items() if _compiles(spec)}
        try:
            return _built(usable)
        except hyperscan.error:
            return None


def _built(specs: dict[int, _Spec]) -> _Database:
    # one id per expression: the automaton reports one match per id and end, so phrases
    # sharing an id would hide each other's starts
    exact = [(s, e) for s in specs.values() if s.exact for e in s.expressions]
    widened = [(s, e) for s in specs.values() if not s.exact for e in s.expressions]
    entries = exact + widened
    return _Database(
        _compiled(exact, hyperscan.HS_FLAG_SOM_LEFTMOST, 0),
        _compiled(widened, 0, len(exact)),
        len(_REGISTRY),
        specs,
        tuple(s.index for s, _ in entries),
    )


def _compiles(spec: _Spec) -> bool:
    """Whether the automaton takes every expression of one pattern."""
    flag = hyperscan.HS_FLAG_SOM_LEFTMOST if spec.exact else 0
    try:
        _compiled([(spec, e) for e in spec.expressions], flag, 0, cache=False)
    except hyperscan.error:
        return False
    return True


def _compiled(entries: list[tuple[_Spec, bytes]], flag: int, first_id: int, cache: bool = True):
    if not entries:
        return None
    flags = [flag | (hyperscan.HS_FLAG_CASELESS if s.caseless else 0) for s, _ in entries]
    expressions = [e for _, e in entries]
    ids = list(range(first_id, first_id + len(entries)))
    key = hashlib.sha256(repr((expressions, ids, flags, hyperscan.__version__)).encode())
    cached = _cache_dir() / f"scan-{key.hexdigest()[:24]}.hs"
    if cache and cached.is_file():
        try:
            db = hyperscan.loadb(cached.read_bytes(), hyperscan.HS_MODE_BLOCK)
            db.scratch = hyperscan.Scratch(db)
            return db
        except hyperscan.error:  # another version's file: compile afresh
            pass
    db = hyperscan.Database()
    db.compile(expressions=expressions, ids=ids, elements=len(ids), flags=flags)
    if cache:
        _store(cached, hyperscan.dumpb(db))
    return db


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "toolkit"


def _store(path: Path, data: bytes) -> None:
    """Keep the compiled automaton for the next process; a cache that cannot be written is
    only slower, never wrong."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass


class Hits:
    """Where each registered pattern may match in one report (offsets into its body)."""

    def __init__(self, db: _Database, buckets: list[list[int]]) -> None:
        self._db = db
        self._buckets = buckets
        self._sorted: dict[int, list[int]] = {}
        self._spans: dict[tuple[int, int], int] = {}
        self._span_starts: list[int] = []
        self._in_spans: dict[int, set[int]] = {}

    def know_sentences(self, spans: list[tuple[int, int]]) -> None:
        """The report's sentences: a query over one of them is answered from a set."""
        self._spans = {span: i for i, span in enumerate(spans)}
        self._span_starts = [start for start, _ in spans]
        self._in_spans = {}

    def _sentences_with(self, spec: _Spec) -> set[int]:
        # the sentences holding a position (a start, or the end of a match) of the pattern
        known = self._in_spans.get(spec.index)
        if known is None:
            shift = 0 if spec.exact else 1
            starts = self._span_starts
            known = self._in_spans[spec.index] = {
                bisect.bisect_right(starts, p - shift) - 1 for p in self._positions(spec.index)
            }
        return known

    @classmethod
    def of(cls, low: str) -> Hits | None:
        """The hits in `low`, a lower-cased report body; None without the accelerator."""
        db = _database()
        if db is None:
            return None
        buckets: list[list[int]] = [[] for _ in range(db.size)]
        data = ascii_view(low)
        owner = db.owner

        def on_start(expression: int, start: int, end: int, flags: int, context) -> None:
            buckets[owner[expression]].append(start)

        def on_end(expression: int, start: int, end: int, flags: int, context) -> None:
            buckets[owner[expression]].append(end)

        if db.exact is not None:
            db.exact.scan(data, match_event_handler=on_start)
        if db.widened is not None:
            db.widened.scan(data, match_event_handler=on_end)
        return cls(db, buckets)

    def _positions(self, index: int) -> list[int]:
        known = self._sorted.get(index)
        if known is None:
            known = self._sorted[index] = sorted(set(self._buckets[index]))
        return known

    def finditer(self, pattern, text: str, pos: int = 0, endpos: int | None = None, offset=0):
        """`pattern.finditer(text, pos, endpos)`, where text[0] is body[offset]."""
        end = len(text) if endpos is None else min(endpos, len(text))
        spec = self._db.specs.get(id(pattern))
        if spec is None:
            return pattern.finditer(text, pos, end)
        sentence = self._spans.get((offset + pos, offset + end))
        if sentence is not None and sentence not in self._sentences_with(spec):
            return iter(())
        positions = self._positions(spec.index)
        if spec.exact:
            return _at_starts(pattern, text, positions, pos, end, offset)
        first = bisect.bisect_right(positions, offset + pos)
        if first < len(positions) and positions[first] <= offset + end:
            return pattern.finditer(text, pos, end)
        return iter(())

    def search(self, pattern, text: str, pos: int = 0, endpos: int | None = None, offset=0):
        """`pattern.search(text, pos, endpos)`, where text[0] is body[offset]."""
        return next(self.finditer(pattern, text, pos, endpos, offset), None)


def _at_starts(pattern, text: str, starts: list[int], pos: int, end: int, offset: int) -> Iterator:
    """`pattern.finditer` tried only at `starts`, which hold every place a match can begin."""
    i = bisect.bisect_left(starts, offset + pos)
    last = pos
    for start in starts[i:]:
        s = start - offset
        if s >= end:
            return
        if s < last:
            continue
        m = pattern.match(text, s, end)
        if m:
            yield m
            last = m.end() if m.end() > s else s + 1


@lru_cache(maxsize=4)
def hits_of(low: str) -> Hits | None:
    """The hits of a lower-cased report body, worked out once per report."""
    return Hits.of(low)


def finditer(hits: Hits | None, pattern, text: str, pos: int = 0, endpos=None, offset: int = 0):
    """`pattern.finditer(text, pos, endpos)`, through `hits` when there are any."""
    if hits is None:
        return pattern.finditer(text, pos, len(text) if endpos is None else endpos)
    return hits.finditer(pattern, text, pos, endpos, offset)


def search(hits: Hits | None, pattern, text: str, pos: int = 0, endpos=None, offset: int = 0):
    """`pattern.search(text, pos, endpos)`, through `hits` when there are any."""
    if hits is None:
        return pattern.search(text, pos, len(text) if endpos is None else endpos)
    return hits.search(pattern, text, pos, endpos, offset)
