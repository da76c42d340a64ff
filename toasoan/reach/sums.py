"""Sums of the rollups over a period, read from the daily tables for its loose days and
from the monthly ones for the calendar months wholly inside it (readership.models.spans):
shared by the dashboard (stats.py) and the report (report.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from toasoan.readership.models import (
    DayBreakdown,
    MonthBreakdown,
    StoryDay,
    StoryMonth,
    next_month,
    spans,
)

# engaged_seconds is a bigint: PostgreSQL sums bigints as numeric, several times slower
# than integers (summed as bigint). One story's seconds of one day or month fit an integer.
STORY_COLUMNS = (
    "article_id, views, visitors, CAST(engaged_seconds AS integer) AS seconds,"
    " engaged_views AS engaged, read_through AS read, abroad_views AS abroad"
)


def story_parts(
    sections: list[int] | None,
    start: date,
    end: date,
    only: list[int] | None = None,
    edition: str | None = None,
):
    """SQL for the story rows of a period (daily rows for its loose days, monthly ones for
    its whole months) and its parameters."""
    days, months = spans(start, end)
    parts = [(StoryDay._meta.db_table, "day", lo, hi) for lo, hi in days]
    if months:
        parts.append((StoryMonth._meta.db_table, "month", *months))
    selects, params = [], []
    for table, column, lo, hi in parts:
        sql = f"SELECT {STORY_COLUMNS} FROM {table} WHERE {column} >= %s AND {column} <= %s"
        params += [lo, hi]
        selects.append(_narrowed(sql, params, sections, edition, only))
    return " UNION ALL ".join(selects), params


def _narrowed(sql: str, params: list, sections, edition: str | None, only=None) -> str:
    """`sql` (… WHERE …) narrowed to these sections, edition and stories (None: all)."""
    for name, values in (
        ("section_id", sections),
        ("article_id", only),
        ("edition", None if edition is None else [edition]),
    ):
        if values is not None:
            sql += f" AND {name} IN ({', '.join(['%s'] * len(values)) or 'NULL'})"
            params += values
    return sql


SUMS = (
    "SUM(views) AS views, SUM(visitors) AS visitors, SUM(seconds) AS seconds,"
    " SUM(engaged) AS engaged, SUM(read) AS read, SUM(abroad) AS abroad"
)


def story_sums(
    sections: list[int] | None,
    start: date,
    end: date,
    only=None,
    edition: str | None = None,
    order: str = "",
    limit: int = 0,
) -> list[tuple]:
    """Each story's sums over a period, rows (article_id, views, visitors, seconds, engaged,
    read, abroad): of the stories `only` (None: every story read), or the first `limit` in
    `order` (SQL)."""
    parts, params = story_parts(sections, start, end, only, edition)
    sql = f"SELECT article_id, {SUMS} FROM ({parts}) AS parts GROUP BY article_id"
    if order:
        sql = f"SELECT * FROM ({sql}) AS sums ORDER BY {order} LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(int(v) if isinstance(v, Decimal) else v for v in r) for r in cursor]


def summed(parts) -> list[tuple]:
    """Rows (key, amounts) of several parts, the amounts of one key added up."""
    rows: dict[tuple, list] = {}
    for part in parts:
        for key, amounts in part:
            found = rows.setdefault(key, [0] * len(amounts))
            for i, amount in enumerate(amounts):
                found[i] += amount or 0
    return list(rows.items())


def over(query, start: date, end: date) -> list[tuple]:
    """`query(model, date field, first, last)` rows (key, amounts) summed over a period:
    DayBreakdown for its loose days, MonthBreakdown for its whole months."""
    days, months = spans(start, end)
    parts = [query(DayBreakdown, "day", lo, hi) for lo, hi in days]
    if months:
        parts.append(query(MonthBreakdown, "month", *months))
    return parts[0] if len(parts) == 1 else summed(parts)


@dataclass(frozen=True)
class Order:
    """How a top list ranks rows of story sums: by the amount at `at` (summed from the
    stored `column`), ties as `key` (and `sql`) break them; `positive`: only rows with
    some of that amount are listed."""

    column: str
    at: int
    key: Callable[[tuple], tuple]
    sql: str
    positive: bool = False


BY_VIEWS = Order("views", 1, lambda r: (-r[1], -r[0]), "views DESC, article_id DESC")
BY_TIME = Order("engaged_seconds", 3, lambda r: (-r[3], -r[0]), "seconds DESC, article_id DESC")
BY_ABROAD = Order(
    "abroad_views",
    6,
    lambda r: (-r[6], -r[1], r[0]),
    "abroad DESC, views DESC, article_id",
    positive=True,
)
READ_FIRST = (3, 12)  # rows read first from each day and month, times the list's length
MOST_CANDIDATES = 5000  # stories summed exactly at most; beyond, every story is summed


def parts_of(start: date, end: date) -> list[tuple[str, str, date]]:
    """(table, date column, date) of each loose day and each whole month of a period."""
    days, months = spans(start, end)
    found = []
    for lo, hi in days:
        table = StoryDay._meta.db_table
        found += [(table, "day", lo + timedelta(days=n)) for n in range((hi - lo).days + 1)]
    if months:
        month = months[0]
        while month <= months[1]:
            found.append((StoryMonth._meta.db_table, "month", month))
            month = next_month(month)
    return found


def tops(
    sections: list[int] | None,
    start: date,
    end: date,
    orders: dict[str, Order],
    limit: int,
    edition: str | None = None,
) -> dict[str, list[tuple]]:
    """The first `limit` rows of story sums over a period in each order, exactly those of
    ranking every story read (`story_sums`), without summing every story: each loose day's
    and whole month's first rows in that order (an index) name the candidates; a story
    named by none has at most the sum of the last amounts read from the days and months
    whose lists were cut, so once the list's last candidate has more, nobody else can
    enter it. Only the candidates that could still reach the list are summed. When the
    bound does not prove it, more rows are read, then every story is summed."""
    parts = parts_of(start, end)
    for times in READ_FIRST:
        found = _from_candidates(sections, start, end, parts, orders, limit, limit * times, edition)
        if found is not None:
            return found
    found = {}
    for name, order in orders.items():
        rows = story_sums(sections, start, end, edition=edition, order=order.sql, limit=limit)
        found[name] = [r for r in rows if r[order.at] > 0 or not order.positive]
    return found


def _from_candidates(sections, start, end, parts, orders, limit, depth, edition):
    """`tops` from the first `depth` rows of each part, or None if they do not prove it."""
    selects, params = [], []
    for n, (table, column, when) in enumerate(parts):
        for name, order in orders.items():
            sql = f"SELECT article_id, {order.column} AS amount FROM {table} WHERE {column} = %s"
            params.append(when)
            sql = _narrowed(sql, params, sections, edition)
            if order.positive:
                sql += f" AND {order.column} > 0"
            sql += f" ORDER BY {order.column} DESC LIMIT {int(depth)}"
            selects.append(
                f"SELECT {n}, '{name}', article_id, amount FROM ({sql}) AS p{len(selects)}"
            )
    lists: dict[str, dict[int, list]] = {name: {} for name in orders}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for part, name, article, amount in cursor.fetchall():
            lists[name].setdefault(part, []).append((article, amount))
    wanted: set[int] = set()
    bounds = {}
    for name, by_part in lists.items():
        cut = {part: rows[-1][1] for part, rows in by_part.items() if len(rows) >= depth}
        bound = sum(cut.values())  # at most what a story named by no list has
        known: dict[int, int] = {}
        cut_in: dict[int, int] = {}
        for part, rows in by_part.items():
            for article, amount in rows:
                known[article] = known.get(article, 0) + amount
                if part in cut:
                    cut_in[article] = cut_in.get(article, 0) + cut[part]
        most = {a: k + bound - cut_in.get(a, 0) for a, k in known.items()}  # at most
        if cut and (len(most) < limit or sorted(most.values())[-limit] <= bound):
            return None  # the list's last place cannot be shown to beat every other story
        last = sorted(known.values())[-limit] if len(known) >= limit else 0
        wanted |= {a for a, m in most.items() if m >= last}
        bounds[name] = bound if cut else None
    if len(wanted) > MOST_CANDIDATES:
        return None
    rows = story_sums(sections, start, end, sorted(wanted), edition) if wanted else []
    found = {}
    for name, order in orders.items():
        ranked = sorted((r for r in rows if r[order.at] > 0 or not order.positive), key=order.key)
        ranked = ranked[:limit]
        bound = bounds[name]
        if bound is not None and (len(ranked) < limit or ranked[-1][order.at] <= bound):
            return None
        found[name] = ranked
    return found
