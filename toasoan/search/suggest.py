"""Suggestions as a reader types (topics, sections, the newest titles) and "did you mean".

Both read a small vocabulary kept in this worker's memory for one content generation: the
names of topics and sections, the newest TITLES stories' titles, and how often each accented
spelling of a word or word pair occurs in them. Matching is on folded words, from the first
letter of any word, so "cu l" finds "Cù Lao Chàm" and "ho" finds "Hội An".
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from wagtail.models import Page

from toasoan.core.changes import remembered
from toasoan.core.text import fold
from toasoan.newsroom.models import ArticleTopic, SectionPage, Topic, story_path

from .folding import folded_line, has_marks, nfc, words
from .models import SearchEntry

TITLES = 5_000  # newest titles offered (and counted for "did you mean")
MAX_SUGGESTIONS = 8
MAX_NAMES = 3  # topics and sections first, then titles
FAR_MORE = 0.8  # an accented spelling "far more common": this share of its folded form


@dataclass(frozen=True)
class Entry:
    label: str
    kind: str  # "Chủ đề", "Chuyên mục", "Bài viết"
    url: str
    line: str  # folded, ` w1 w2 `
    weight: int = 0


@dataclass(frozen=True)
class Lexicon:
    names: list[Entry]
    titles: list[Entry]
    spellings: dict[str, Counter]  # folded word or pair → accented spellings counted
    vocabulary: frozenset[str]  # folded words of the titles and names


def _relative(url_path: str, root_url_path: str) -> str:
    return "/" + url_path[len(root_url_path) :] if url_path.startswith(root_url_path) else ""


def _build(root_id: int) -> Lexicon:
    root = Page.objects.get(pk=root_id)
    counts = dict(
        Counter(
            ArticleTopic.objects.filter(content_object__path__startswith=root.path)
            .values_list("tag_id", flat=True)
            .iterator()
        )
    )
    home_path = root.url_path
    base = "" if root.depth <= 2 else "/" + root.slug
    names = [
        Entry(t.name, "Chủ đề", f"{base}/chu-de/{t.slug}/", folded_line(t.name), counts[t.pk])
        for t in Topic.objects.filter(pk__in=counts).only("name", "slug")
    ]
    for section in SectionPage.objects.live().descendant_of(root).only("title", "url_path"):
        url = _relative(section.url_path, home_path)
        if url:
            names.append(Entry(section.title, "Chuyên mục", base + url, folded_line(section.title)))
    names.sort(key=lambda e: -e.weight)
    rows = (
        SearchEntry.objects.filter(path__startswith=root.path)
        .order_by("-seq")
        .values_list("title", "page__url_path", "page__slug", "page_id")[:TITLES]
    )
    titles, spellings = [], defaultdict(Counter)
    for title, url_path, slug, pk in rows:
        url = _relative(story_path(url_path, slug, pk), home_path)
        titles.append(Entry(title, "Bài viết", base + url, folded_line(title)))
    for text in [e.label for e in names] + [e.label for e in titles]:
        found = words(text)
        for i, word in enumerate(found):
            spellings[fold(word)][nfc(word.casefold())] += 1
            if i + 1 < len(found):
                pair = f"{word} {found[i + 1]}".casefold()
                spellings[fold(pair)][nfc(pair)] += 1
    vocabulary = frozenset(w for key in spellings for w in key.split())
    return Lexicon(names, titles, dict(spellings), vocabulary)


def lexicon(root: Page) -> Lexicon:
    return remembered(f"search:lexicon:{root.pk}", lambda: _build(root.pk))


def suggestions(text: str, root: Page) -> list[dict]:
    """Up to MAX_SUGGESTIONS for what is typed so far (at least one letter or digit)."""
    typed = " ".join(fold(w) for w in words(text))
    if not typed:
        return []
    needle, lex = " " + typed, lexicon(root)
    found: list[Entry] = []
    for pool, room in ((lex.names, MAX_NAMES), (lex.titles, MAX_SUGGESTIONS)):
        starts = [e for e in pool if e.line.startswith(needle)]
        inside = [e for e in pool if needle in e.line and not e.line.startswith(needle)]
        found += (starts + inside)[: min(room, MAX_SUGGESTIONS - len(found))]
    return [{"label": e.label, "kind": e.kind, "url": e.url} for e in found]


def _edits(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def did_you_mean(text: str, root: Page) -> str:
    """A better spelling of a query typed without marks, or "" when none is clearly better:
    the far more common accented spelling of its words ("cu lao cham" → "cù lao chàm"), and
    near-misses mended from the paper's own words ("quang nma" → "quảng nam")."""
    typed = words(text)
    if not typed or has_marks(text) or len(typed) > 8:
        return ""
    lex = lexicon(root)
    folded = [fold(w) for w in typed]
    mended = False
    for i, word in enumerate(folded):
        if word not in lex.vocabulary and len(word) >= 3 and not word.isdigit():
            near = [w for w in _edits(word) if w in lex.vocabulary]
            if near:
                folded[i] = max(near, key=lambda w: sum(lex.spellings[w].values()))
                mended = True
    out, i = [], 0
    while i < len(folded):
        pair = " ".join(folded[i : i + 2]) if i + 1 < len(folded) else ""
        for key in (pair, folded[i]):
            counted = lex.spellings.get(key) if key else None
            if counted:
                best, n = counted.most_common(1)[0]
                if n >= FAR_MORE * sum(counted.values()) and best != key:
                    out.append(best)
                    i += len(key.split())
                    break
        else:  # the pair with the word before ("lao cham" → "lao chàm")
            before = lex.spellings.get(f"{folded[i - 1]} {folded[i]}") if i else None
            best, n = before.most_common(1)[0] if before else ("", 0)
            good = before and n >= FAR_MORE * sum(before.values())
            out.append(best.split()[-1] if good else folded[i])
            i += 1
    better = " ".join(out)
    return better if mended or has_marks(better) else ""
