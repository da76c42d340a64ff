"""How the stories a query matched are ordered: one set of rules, in Python, for every database.

The database finds the matching stories (folded words, synonyms) and hands over the best
hundred by its own cheap rank; this module then reads what indexing prepared of each (`rank_text`:
the title, sapo and start of the body as folded words and as exact codes, so nothing is folded
while a reader waits) and scores each with the same rules on SQLite and PostgreSQL:

1. **Coverage**: a story holding every group of the query (in its text, or as a name it is
   tagged or signed with) outranks any holding only some; among those, more is better.
2. **Adjacency**: the query's words found next to each other and in order ("Cửa Đại") outrank
   the same syllables scattered through the text ("đại biểu … cửa hàng"); side by side in the
   title or sapo counts more than deep in the body.
3. **Field**: a match in the title outranks one in the sapo, which outranks one in the body.
4. **Exact accents**: a query typed with marks ranks stories with those exact accented words
   first, either tone placement counting as the same spelling (thủy = thuỷ, hòa = hoà); the
   same letters with other marks are another word ("đã nâng" for "Đà Nẵng") and count for
   little in the field and adjacency rules.
5. **Names**: a topic or pen name recognised in the query lifts the stories tagged or signed
   with it.
6. **The database's own rank** (how often the words occur) decides what the rules above leave
   level.
7. **Recency**: a gentle decay (half-life RECENCY_HALF_LIFE_DAYS) that decides near-ties,
   never a hard date sort ("Mới nhất" is the reader's own choice of order).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from .folding import exact_code, exact_text, folded_text, has_marks
from .query import Group

FIELDS = ("title", "sapo", "body")
FIELD_WEIGHTS = {"title": 3.0, "sapo": 1.5, "body": 0.5}
# How much words side by side count in each field, against the same in the title.
ADJACENCY_REACH = {"title": 1.0, "sapo": 0.9, "body": 0.75}
# Two neighbouring query words a few words apart, in order ("lụa truyền thống Mã Châu"):
# this share of side by side, in the field rule only.
NEAR = 0.5
NEAR_WORDS = 3  # at most this many words between them
COVERAGE_WEIGHT = 10.0  # per share of the query found anywhere
ADJACENCY_WEIGHT = 6.0  # per share of the query's neighbouring words found neighbouring
EXACT_WEIGHT = 1.0  # per share of accented words found exactly (times the field weight)
# An accented word found only with other marks ("đã nâng" for "Đà Nẵng"): its share of the
# field and adjacency rules (a different word, most of the time).
OTHER_MARKS = 0.25
NAME_WEIGHT = 4.0  # a recognised topic or pen name of the story
DATABASE_WEIGHT = 1.0  # the database's own rank, as a share of the best candidate's
RECENCY_WEIGHT = 0.8
RECENCY_HALF_LIFE_DAYS = 90.0
BODY_CHARS = 2_500  # of the body kept for ranking: the start of a story says what it is about


def rank_text(title: str, sapo: str, body: str) -> str:
    """What ranking reads of a story, prepared when it is indexed: six lines, the title, sapo
    and start of the body as folded words, then the same as exact codes (placement-free)."""
    fields = (title or "", sapo or "", (body or "")[:BODY_CHARS])
    return "\n".join([*map(folded_text, fields), *map(exact_text, fields)])


@dataclass
class Story:
    pk: int
    published: datetime | None
    folded: dict[str, str]  # field → " w1 w2 … " (folded words, a space at each end)
    exact: dict[str, str]  # field → the same as exact codes
    named: bool = False  # tagged with / signed by a name recognised in the query
    database: float = 0.0  # the database's rank, as a share of the best candidate's

    @classmethod
    def prepared(cls, pk: int, published: datetime | None, text: str) -> "Story":
        """From `rank_text` as stored in the index."""
        lines = (text.split("\n") + [""] * 6)[:6]
        padded = [f" {line} " for line in lines]
        folded = dict(zip(FIELDS, padded[:3], strict=True))
        return cls(pk, published, folded, dict(zip(FIELDS, padded[3:], strict=True)))

    @classmethod
    def of(cls, pk: int, published: datetime | None, title: str, sapo: str, body: str):
        """From the texts themselves (an entry indexed before `rank_text` was stored)."""
        return cls.prepared(pk, published, rank_text(title, sapo, body))


def _pairs(groups: tuple[Group, ...]) -> list[tuple[int, int, set[tuple[str, str]]]]:
    """For each two neighbouring groups (by index), the word pairs that would show them side
    by side."""
    pairs = []
    for i, (left, right) in enumerate(zip(groups, groups[1:], strict=False)):
        if left.quoted or right.quoted:
            continue
        pairs.append((i, i + 1, {(a[-1], b[0]) for a in left.spellings for b in right.spellings}))
    return pairs


def _near_pattern(options: set[tuple[str, str]]) -> re.Pattern:
    lefts = "|".join(sorted({re.escape(a) for a, _ in options}))
    rights = "|".join(sorted({re.escape(b) for _, b in options}))
    return re.compile(rf" (?:{lefts}) (?:\S+ ){{1,{NEAR_WORDS}}}(?:{rights}) ")


def _needles(runs) -> frozenset[str]:
    """Each run of words as it stands in a line: ` w1 w2 `."""
    return frozenset(" " + " ".join(run) + " " for run in runs)


def _accented_codes(group: Group) -> tuple[str, ...]:
    """Exact codes of the accented words typed for a group (none for a synonym's spellings,
    which are not what the reader typed)."""
    if len(group.spellings) != 1:
        return ()
    return tuple(exact_code(w) for w in group.typed if has_marks(w))


class Scorer:
    """The query's part of the rules, prepared once; `score(story)` for each candidate.

    Everything a story is searched for (each spelling, word pair and exact code as
    ` w1 w2 `) is written out here, once per query: `features` looks for each in the story's
    lines once (a hundred stories per search) and applies the rules to what it found."""

    def __init__(self, groups: tuple[Group, ...], now: datetime, names=frozenset()):
        groups = tuple(groups)
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
        self.pairs = _pairs(groups)
        self.near = [_near_pattern(options) for _, _, options in self.pairs]
        self.named_pairs = [
            all(a in names and b in names for a, b in options) for _, _, options in self.pairs
        ]
        self.codes = [_accented_codes(g) for g in self.groups]
        self.all_codes = [_accented_codes(g) for g in groups]
        self.accented = [code for codes in self.codes for code in codes]
        self.now = now
        # The same, as the strings looked for in a story's lines (` w1 w2 `): each line is
        # searched once for every one of them, then the rules only compare sets.
        self._spellings = [_needles(g.spellings) for g in self.groups]
        self._named = [g.spellings in self.named_groups for g in self.groups]
        self._codes = [_needles((c,) for c in codes) for codes in self.codes]
        self._side_by_side = [_needles(options) for _, _, options in self.pairs]
        # A near pair needs its left and its right word in the line: looked for first.
        self._lefts = [_needles((a,) for a, _ in options) for _, _, options in self.pairs]
        self._rights = [_needles((b,) for _, b in options) for _, _, options in self.pairs]
        self._pair_codes = [
            _needles((c,) for c in self.all_codes[i] + self.all_codes[j]) for i, j, _ in self.pairs
        ]
        self._accented = [f" {c} " for c in self.accented]
        self._folded = frozenset().union(
            *self._spellings, *self._side_by_side, *self._lefts, *self._rights
        )
        self._exact = frozenset().union(*self._codes, *self._pair_codes, self._accented)

    def features(self, story: Story) -> dict[str, float]:
        folded, exact = story.folded, story.exact
        n_groups = len(self.groups) or 1
        wanted, wanted_exact = self._folded, self._exact
        present = {f: frozenset(n for n in wanted if n in line) for f, line in folded.items()}
        present_exact = {
            f: frozenset(n for n in wanted_exact if n in line) for f, line in exact.items()
        }
        found = {
            field: [not needles.isdisjoint(here) for needles in self._spellings]
            for field, here in present.items()
        }
        found_anywhere = sum(
            (story.named and named) or any(found[field][k] for field in folded)
            for k, named in enumerate(self._named)
        )
        out = {"coverage": found_anywhere / n_groups, "adjacency": 0.0, "field": 0.0}

        def marks(needles: frozenset[str], field: str) -> float:
            """1 when the accented words are in the field as typed, else OTHER_MARKS."""
            return 1.0 if needles <= present_exact[field] else OTHER_MARKS

        adjacency = [0.0] * len(self.pairs)
        for field in FIELDS:
            here = present[field]
            share = (
                sum(
                    marks(codes, field) if codes else 1.0
                    for codes, hit in zip(self._codes, found[field], strict=True)
                    if hit
                )
                / n_groups
            )
            if self.pairs:
                sides = 0.0
                for k, side_by_side in enumerate(self._side_by_side):
                    if not side_by_side.isdisjoint(here):
                        closeness = 1.0
                    elif (
                        not self._lefts[k].isdisjoint(here)
                        and not self._rights[k].isdisjoint(here)
                        and self.near[k].search(folded[field])
                    ):
                        closeness = NEAR
                    else:
                        continue
                    codes = self._pair_codes[k]
                    credit = closeness * (marks(codes, field) if codes else 1.0)
                    sides += credit
                    if closeness == 1.0:  # near is not side by side ("cửa … đại")
                        adjacency[k] = max(adjacency[k], ADJACENCY_REACH[field] * credit)
                share = (share + sides / len(self.pairs)) / 2
            out["field"] += FIELD_WEIGHTS[field] * share
        if self.pairs:
            out["adjacency"] = sum(
                1.0 if story.named and by_name else reach
                for reach, by_name in zip(adjacency, self.named_pairs, strict=True)
            ) / len(self.pairs)
        out["exact"] = 0.0
        if self._accented:
            for field in FIELDS:
                here = present_exact[field]
                share = sum(n in here for n in self._accented) / len(self._accented)
                out["exact"] += FIELD_WEIGHTS[field] * share
        age_days = 0.0
        if story.published is not None:
            age_days = max((self.now - story.published).total_seconds() / 86400, 0.0)
        out["recency"] = 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        out["named"] = float(story.named)
        out["database"] = story.database
        return out

    def ranked(self, story: Story) -> tuple[bool, float]:
        """The sort key: stories holding every group first (rule 1), then by score."""
        f = self.features(story)
        return f["coverage"] >= 1.0, self._total(f)

    def score(self, story: Story) -> float:
        return self._total(self.features(story))

    @staticmethod
    def _total(f: dict[str, float]) -> float:
        return (
            COVERAGE_WEIGHT * f["coverage"]
            + ADJACENCY_WEIGHT * f["adjacency"]
            + f["field"]
            + EXACT_WEIGHT * f["exact"]
            + NAME_WEIGHT * f["named"]
            + DATABASE_WEIGHT * f["database"]
            + RECENCY_WEIGHT * f["recency"]
        )
