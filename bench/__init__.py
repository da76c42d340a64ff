"""Toà Soạn benchmarks: `make bench` generates a realistic archive and measures it.

- `python -m bench.generate` fills a database (the one DATABASE_URL names) with stories,
  in bulk, through `toasoan.newsroom.bulk.bulk_add_stories`.
- `python -m bench.run` generates (if needed) and measures on PostgreSQL + Redis and on
  SQLite, then writes bench/report.md and bench/report.json.
- Measurements live in `bench/measures/`, one module per concern, registered with
  `@measurement("name")`; add render times or throughput there as new functions.
"""
