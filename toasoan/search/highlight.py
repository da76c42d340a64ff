"""Highlighted titles and snippets: the words a reader searched for, however they typed them.

Matching is word by word. A query typed without diacritics marks every folded match ("da
nang" marks "Đà Nẵng" and "đã nâng"); a query typed with them marks only the exact words
when the text has them (so "đà nẵng" does not light up every "đa" and "nâng"). Everything
else is escaped.

A snippet never walks a story's text word by word in Python: the text is split into words
by `str.translate` and `str.split` (the same words as the index's `[^\\W_]+`), each
different word is tested once, and only the snippet's window is marked.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from itertools import compress, count

from django.utils.safestring import SafeString, mark_safe

from .folding import fold_word, has_marks
from .query import Query


class _Spaces(dict):
    """A `str.translate` table turning every character that is not part of a word (the
    index's words: letters and digits, `[^\\W_]`) into a space; filled as characters come."""

    def __missing__(self, code: int) -> int:
        value = code if chr(code).isalnum() else 32
        self[code] = value
        return value


_SPACES = _Spaces()
_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of a text (as `folding.words` finds them, without normalising)."""
    return text.translate(_SPACES).split()


@dataclass(frozen=True)
class _Searched:
    marks: bool  # typed with diacritics
    exact: frozenset[str]  # the words as typed, casefolded
    folded: frozenset[str]


@lru_cache(maxsize=64)
def _prepared(typed: tuple[str, ...], folded: frozenset[str]) -> _Searched:
    return _Searched(any(map(has_marks, typed)), frozenset(w.casefold() for w in typed), folded)


def _searched(query: Query) -> _Searched:
    """What matching needs of the query, worked out once (a page marks twenty texts)."""
    return _prepared(tuple(query.all_words()), query.folded_words)


def _hit_words(found: set[str], query: Query) -> frozenset[str]:
    """Which of these words (as written in the text) are searched for: the exact words if the
    query has marks and the text contains one of them, the folded matches otherwise."""
    searched = _searched(query)
    if searched.marks:
        exact = frozenset(w for w in found if w.casefold() in searched.exact)
        if exact:
            return exact
    folded = searched.folded
    return frozenset(w for w, f in zip(found, map(fold_word, found), strict=True) if f in folded)


def _marked(text: str, hits: frozenset[str]) -> str:
    """The text, escaped, with the words in `hits` in <mark> (read with a regular expression:
    a title, or a snippet's window, is short)."""
    out, last = [], 0
    for match in _WORD.finditer(text):
        if match.group() in hits:
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return "".join(out).replace("</mark> <mark>", " ")  # "Đà Nẵng" is one mark


def highlight(text: str, query: Query) -> SafeString:
    """The whole text, escaped, with the searched words in <mark>."""
    return mark_safe(_marked(text, _hit_words(set(words_of(text)), query)))  # noqa: S308


def _densest(hits: list[int], keys: list[str], window: int) -> int:
    """The first hit starting the `window` of words with the most different searched words:
    one pass over the hits (a common word can be hit hundreds of times in a long story)."""
    best, first, right = 0, 0, 0
    inside: Counter[str] = Counter()
    for left, start in enumerate(hits):
        while right < len(hits) and hits[right] < start + window:
            inside[keys[right]] += 1
            right += 1
        if len(inside) > best:
            best, first = len(inside), start
        inside[keys[left]] -= 1
        if not inside[keys[left]]:
            del inside[keys[left]]
    return first


def has_hit(text: str, query: Query) -> bool:
    """Whether the text holds any of the searched words (as `snippet` would mark them)."""
    return bool(_hit_words(set(words_of(text)), query))


def snippet(text: str, query: Query, size: int = 40) -> SafeString:
    """About `size` words where the searched words are densest (the start if none)."""
    spaced = text.translate(_SPACES)
    found = spaced.split()
    if not found:
        return mark_safe("")
    hits = _hit_words(set(found), query)
    numbers = list(compress(count(), map(hits.__contains__, found)))
    first = _densest(numbers, [found[i].casefold() for i in numbers], size // 2)
    start = max(0, first - size // 4)
    end = min(len(found), start + size)
    start = max(0, end - size)

    def at(number: int) -> int:  # where the word `number` begins in the text
        return len(spaced) - len(spaced.split(None, number)[-1]) if number else 0

    begin = at(start)
    finish = at(end - 1) + len(found[end - 1]) if end < len(found) else len(text)
    body = _marked(" ".join(text[begin:finish].split()), hits)
    return mark_safe(  # noqa: S308 - built from escaped parts
        ("… " if begin else "") + body + (" …" if finish < len(text) else "")
    )
