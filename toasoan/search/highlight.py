"""Highlighted titles and snippets: the words a reader searched for, however they typed them.

Matching is word by word. A query typed without diacritics marks every folded match ("da
nang" marks "Đà Nẵng" and "đã nâng"); a query typed with them marks only the exact words
when the text has them (so "đà nẵng" does not light up every "đa" and "nâng"). Everything
else is escaped.
"""

import re
from collections import Counter

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .folding import fold_word
from .query import Query

_WORD = re.compile(r"[^\W_]+")


def _matcher(text: str, query: Query):
    """A test `word -> bool` for this text: exact words if the query has marks and the text
    contains one of them, folded words otherwise."""
    if query.has_marks:
        exact = {w.casefold() for w in query.all_words()}
        if any(m.group().casefold() in exact for m in _WORD.finditer(text)):
            return lambda word: word.casefold() in exact
    return lambda word: fold_word(word) in query.folded_words


def _marked(text: str, hit) -> str:
    out, last = [], 0
    for match in _WORD.finditer(text):
        if hit(match.group()):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return "".join(out).replace("</mark> <mark>", " ")  # "Đà Nẵng" is one mark


def highlight(text: str, query: Query) -> SafeString:
    """The whole text, escaped, with the searched words in <mark>."""
    return mark_safe(_marked(text, _matcher(text, query)))  # noqa: S308 - escaped parts


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


def snippet(text: str, query: Query, size: int = 40) -> SafeString:
    """About `size` words where the searched words are densest (the start if none)."""
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return mark_safe("")
    hit = _matcher(text, query)
    words = [text[s:e] for s, e in spans]
    hits = [i for i, w in enumerate(words) if hit(w)]
    first = _densest(hits, [words[i].casefold() for i in hits], size // 2)
    start = max(0, first - size // 4)
    end = min(len(spans), start + size)
    start = max(0, end - size)
    begin = spans[start][0] if start else 0
    finish = spans[end - 1][1] if end < len(spans) else len(text)
    body = _marked(" ".join(text[begin:finish].split()), hit)
    return mark_safe(  # noqa: S308 - built from escaped parts
        ("… " if begin else "") + body + (" …" if finish < len(text) else "")
    )
