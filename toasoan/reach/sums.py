"""Sums of the rollups over a period, read from the daily tables for its loose days and
from the monthly ones for the calendar months wholly inside it (readership.models.spans):
shared by the dashboard (stats.py) and the report (report.py)."""

from __future__ import annotations

from datetime import date

from toasoan.readership.models import DayBreakdown, MonthBreakdown, StoryDay, StoryMonth, spans

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
        for name, values in (
            ("section_id", sections),
            ("article_id", only),
            ("edition", None if edition is None else [edition]),
        ):
            if values is not None:
                sql += f" AND {name} IN ({', '.join(['%s'] * len(values)) or 'NULL'})"
                params += values
        selects.append(sql)
    return " UNION ALL ".join(selects), params


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
