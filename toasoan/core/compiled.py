"""A queryset whose SQL is built once per worker and database, run with a new value each time.

Django compiles a queryset's SQL on every evaluation: for a story page's own query (Wagtail's
page columns, the story's and its cover's: ~60 columns, a filter and an order) that took
longer than the database took to answer it. The SQL of such a query depends on the code
alone, never on the content, so it is kept for the worker's life: built from the queryset
with a marker in place of the one value that changes, which each call swaps for its own.
The rows become model instances as Django's own iterable makes them (with what
`select_related` joined)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# No row has it: marks the changing value's place among the statement's parameters.
MARKER = -7_340_293_001


class _Statement:
    def __init__(self, queryset: QuerySet, using: str):
        self.using = using
        self.compiler = queryset.query.get_compiler(using=using)
        sql, params = self.compiler.as_sql()
        places = [n for n, value in enumerate(params) if value == MARKER]
        if len(places) != 1:
            raise ValueError("the queryset must hold the marker exactly once")
        self.sql, self.params, self.place = sql, list(params), places[0]
        select, klass_info = self.compiler.select, self.compiler.klass_info
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.model = klass_info["model"]
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.related = get_related_populators(klass_info, select, using)

    def run(self, value: Any) -> list[Model]:
        params = list(self.params)
        params[self.place] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in self.compiler.results_iter(results=[rows]):
            instance = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.related:
                populator.populate(row, instance)
            found.append(instance)
        return found


class Compiled:
    """`Compiled(lambda value: Story.objects.filter(pk=value)...)(42)`: the instances the
    queryset would give for 42. `make` is called once per database, with MARKER."""

    def __init__(self, model: type[Model], make: Callable[[Any], QuerySet]):
        self.model = model
        self.make = make
        self._statements: dict[str, _Statement] = {}
        self._lock = threading.Lock()

    def __call__(self, value: Any) -> list[Model]:
        using = router.db_for_read(self.model) or "default"
        statement = self._statements.get(using)
        if statement is None:
            with self._lock:
                statement = self._statements.get(using) or _Statement(self.make(MARKER), using)
                self._statements[using] = statement
        return statement.run(value)
