"""Word lists as fast case-blind regular expressions.

Two things keep the scanners fast on large corpora. A prefix tree ("k(?:ill(?:ed)?)")
instead of a flat alternation ("killed|kill|...") means the engine tries only the words
that share the character in front of it. And matching lower-case patterns against
lower-cased text, rather than asking the engine to ignore case, lets it skip quickly to
the characters that can start a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_GAP = "\x00"  # stands for the space between two words while the tree is built
_STEM = "\x01"  # stands for a final "*": the phrase may go on with more letters


def alternation(phrases: Iterable[str], joiner: str = r"\s+") -> str:
    """A regular expression (no group captures) matching any of `phrases`, longest first.

    Phrases are lower-cased: match against `lowered` text (or compile with IGNORECASE). Any
    run of spaces inside a phrase matches `joiner`, so "tens of  thousands" still matches.
    A phrase ending in "*" is a stem: "evacuat*" matches "evacuated" and "evacuation".
    """
    tree: dict = {}
    for phrase in phrases:
        key = _GAP.join(phrase.lower().split())
        if key.endswith("*"):
            key = key.rstrip("*") + _STEM
        if not key:
            continue
        node = tree
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}  # the end of a phrase
    if not tree:
        return "(?!)"  # an empty list matches nothing
    return _emit(tree, joiner)


_SPECIAL = {_STEM: r"\w*"}


def _emit(node: dict, joiner: str) -> str:
    branches = [
        _SPECIAL.get(ch, joiner if ch == _GAP else re.escape(ch)) + _emit(child, joiner)
        for ch, child in sorted(node.items())
        if ch
    ]
    ends_here = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # greedy: the longer phrase is tried first, the shorter one only when it fails
    return f"(?:{body})?" if ends_here else body


def words_pattern(phrases: Iterable[str], joiner: str = r"\s+") -> str:
    """`alternation` wrapped so it matches whole words only ("kill" not in "skill")."""
    return rf"(?<!\w)(?:{alternation(phrases, joiner)})(?!\w)"


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """text in lower case, character for character, so offsets still point into text."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few letters grow when lowered ("İ" becomes two characters): keep those as they are
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
