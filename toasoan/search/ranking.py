"""How the stories a query matched are ordered: one set of rules, in Python, for every database.

The database finds the matching stories (folded words, synonyms) and hands over the best few
hundred by its own cheap rank; this module then reads their title, sapo and body and scores
each with the same rules on SQLite and PostgreSQL:

1. **Coverage**: more of the query's groups found (only matters when no story has them all).
2. **Adjacency**: the query's words found next to each other and in order ("Cửa Đại") outrank
   the same syllables scattered through the text ("đại biểu … cửa hàng").
3. **Field**: a match in the title outranks one in the sapo, which outranks one in the body.
4. **Exact accents**: a query typed with marks ranks stories with those exact accented words
   first, either tone placement counting as the same spelling (thủy = thuỷ, hòa = hoà).
5. **Names**: a topic or pen name recognised in the query lifts the stories tagged or signed
   with it.
6. **Recency**: a gentle decay (half-life RECENCY_HALF_LIFE_DAYS) that decides near-ties,
   never a hard date sort ("Mới nhất" is the reader's own choice of order).
"""

from dataclasses import dataclass
from datetime import datetime

from .folding import exact_line, folded_line, has_marks, tone_variants
from .query import Group

FIELD_WEIGHTS = {"title": 3.0, "sapo": 1.5, "body": 0.5}
COVERAGE_WEIGHT = 10.0  # per share of the query found anywhere
ADJACENCY_WEIGHT = 6.0  # per share of the query's neighbouring words found neighbouring
EXACT_WEIGHT = 1.0  # per share of accented words found exactly (times the field weight)
NAME_WEIGHT = 4.0  # a recognised topic or pen name of the story
RECENCY_WEIGHT = 0.8
RECENCY_HALF_LIFE_DAYS = 90.0
BODY_CHARS = 2_500  # of the body read for ranking: the start of a story says what it is about


@dataclass
class Story:
    pk: int
    published: datetime | None
    title: str
    sapo: str
    body: str
    named: bool = False  # tagged with / signed by a name recognised in the query


def _contains(line: str, spelling: tuple[str, ...]) -> bool:
    return " " + " ".join(spelling) + " " in line


def _found(line: str, group: Group) -> bool:
    return any(_contains(line, spelling) for spelling in group.spellings)


def _pairs(groups: tuple[Group, ...]) -> list[set[tuple[str, str]]]:
    """For each two neighbouring groups, the word pairs that would show them side by side."""
    pairs = []
    for left, right in zip(groups, groups[1:], strict=False):
        if left.quoted or right.quoted:
            continue
        pairs.append({(a[-1], b[0]) for a in left.spellings for b in right.spellings})
    return pairs


def _adjacent(line: str, options: set[tuple[str, str]]) -> bool:
    return any(f" {a} {b} " in line for a, b in options)


def _exact_found(line: str, word: str) -> bool:
    return any(f" {variant} " in line for variant in tone_variants(word))


class Scorer:
    """The query's part of the rules, prepared once; `score(story)` for each candidate."""

    def __init__(self, groups: tuple[Group, ...], now: datetime, names=frozenset()):
        unique: dict[tuple, Group] = {}
        for group in groups:
            if not group.optional:
                unique.setdefault(group.spellings, group)
        self.groups = list(unique.values()) or list({g.spellings: g for g in groups}.values())
        # Groups that are a recognised topic or pen name: a story tagged or signed with it
        # holds them, whether or not its text does ("Lê Trâm" signs, never appears).
        self.named_groups = {
            g.spellings for g in self.groups if all(w in names for s in g.spellings for w in s)
        }
        named_pairs = [all(a in names and b in names for a, b in o) for o in _pairs(groups)]
        self.named_pairs = named_pairs
        self.pairs = _pairs(groups)
        # Accented words typed outside synonym groups (a synonym's other spellings are not
        # what the reader typed, so they are not asked to match exactly).
        self.accented = [
            w for g in self.groups if len(g.spellings) == 1 for w in g.typed if has_marks(w)
        ]
        self.now = now

    def features(self, story: Story) -> dict[str, float]:
        fields = {
            "title": story.title,
            "sapo": story.sapo,
            "body": story.body[:BODY_CHARS],
        }
        folded = {name: folded_line(text) for name, text in fields.items()}
        n_groups = len(self.groups) or 1
        found_anywhere = sum(
            (story.named and g.spellings in self.named_groups)
            or any(_found(line, g) for line in folded.values())
            for g in self.groups
        )
        out = {"coverage": found_anywhere / n_groups, "adjacency": 0.0, "field": 0.0}
        if self.pairs:
            out["adjacency"] = sum(
                (story.named and by_name)
                or any(_adjacent(line, options) for line in folded.values())
                for options, by_name in zip(self.pairs, self.named_pairs, strict=True)
            ) / len(self.pairs)
        for name, line in folded.items():
            share = sum(_found(line, g) for g in self.groups) / n_groups
            if self.pairs:
                share = (share + sum(_adjacent(line, o) for o in self.pairs) / len(self.pairs)) / 2
            out["field"] += FIELD_WEIGHTS[name] * share
        out["exact"] = 0.0
        if self.accented:
            for name, text in fields.items():
                line = exact_line(text)
                share = sum(_exact_found(line, w) for w in self.accented) / len(self.accented)
                out["exact"] += FIELD_WEIGHTS[name] * share
        age_days = 0.0
        if story.published is not None:
            age_days = max((self.now - story.published).total_seconds() / 86400, 0.0)
        out["recency"] = 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        out["named"] = float(story.named)
        return out

    def score(self, story: Story) -> float:
        f = self.features(story)
        return (
            COVERAGE_WEIGHT * f["coverage"]
            + ADJACENCY_WEIGHT * f["adjacency"]
            + f["field"]
            + EXACT_WEIGHT * f["exact"]
            + NAME_WEIGHT * f["named"]
            + RECENCY_WEIGHT * f["recency"]
        )
