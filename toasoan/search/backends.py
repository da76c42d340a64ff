"""Wagtail's own search backend (the admin's page, image and snippet search), set for Vietnamese.

`WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "toasoan.search.backends"}}` picks Wagtail's
database backend for the database in use. On PostgreSQL it uses the `vi_unaccent`
text-search configuration created by this app's migrations, for search *and* autocomplete
(Wagtail hard-codes `simple` for autocomplete, which would not fold "da nang" to "Đà Nẵng").
Never the `english` configuration: it stems Vietnamese syllables into nonsense.

The public search (/search/) uses the app's own index (see engine.py); an OpenSearch or
Elasticsearch backend configured here serves it instead when SEARCH_ENGINE=wagtail
(docs/operators-search.md).
"""

from functools import cache

from django.db import connection
from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend

VIETNAMESE_CONFIG = "vi_unaccent"


@cache
def _postgres_backend_class():
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    class VietnamesePostgresSearchBackend(PostgresSearchBackend):
        def __init__(self, params):
            super().__init__({"SEARCH_CONFIG": VIETNAMESE_CONFIG, **params})
            self.autocomplete_config = self.config

    return VietnamesePostgresSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    if connection.vendor == "postgresql":
        return _postgres_backend_class()(params)
    return DatabaseSearchBackend(params)
