# Toà Soạn — `make run` serves the demo paper, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# The public address of what `make run` serves: canonical links, Open Graph, feeds, sitemaps,
# the API and e-mails all use it (toasoan.core.addresses).
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run demo test lint e2e walks browser bench bench-peer clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

demo run: export BASE_URL := $(BASE_URL)
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo
	@echo "Trang báo:   $(BASE_URL)/"
	@echo "Quản trị:    $(BASE_URL)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# ruff, and the floors: import-linter's contracts in pyproject.toml (docs/architecture.md).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# Browser tests use Debian's Chromium, the delivery tests nginx with its cache purge module,
# the e-paper poppler-utils; as root we install them, otherwise we say how.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && [ -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx-light libnginx-mod-http-cache-purge poppler-utils fonts-noto-core >/dev/null; \
	  else echo "Tests need Debian's chromium, nginx-light, libnginx-mod-http-cache-purge, poppler-utils and fonts-noto-core: sudo apt-get install them" >&2; exit 1; fi; }

# The whole suite, browser tests included. With DATABASE_URL / REDIS_URL set it runs on
# PostgreSQL + Redis.
# Tests run on every core (pytest-xdist; a test file stays on one worker): TEST_WORKERS=0 for one.
# The tests that end with a flush of the database (live server, real transactions) run apart,
# after the others: the flush takes the rows migrations made, and Django's rule that such
# tests come last does not hold across the files an xdist worker is handed.
TEST_WORKERS ?= auto
# In this order: the race tests set up the newsroom's roles, whose permissions include one a
# migration made (wagtail_localize's submit_translation) that no flush gives back.
FLUSHING_TESTS = tests/live/test_pin_race.py tests/printing/test_version_race.py \
	tests/api/test_schemathesis.py tests/operations/test_replica.py \
	tests/delivery/test_two_instances.py
# The test database is migrated once per run and copied to each process (tests/migrated.py).
test: install lint browser
	$(PY) manage.py makemigrations --check --dry-run
	templates=$$(mktemp -d) && trap 'rm -rf "$$templates"' EXIT && \
	  TOASOAN_TEST_TEMPLATES=$$templates $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
	    $(addprefix --ignore=,$(FLUSHING_TESTS)) $(PYTEST_ARGS) && \
	  TOASOAN_TEST_TEMPLATES=$$templates $(VENV)/bin/pytest $(PYTEST_ARGS) $(FLUSHING_TESTS)

e2e: install browser
	$(VENV)/bin/pytest -m e2e

# Each role's working day in Chromium, checked as a person sees it (tests/e2e/test_walks.py).
walks: install browser
	$(VENV)/bin/pytest -p no:cacheprovider tests/e2e/test_walks.py

# The benchmark: a generated archive (BENCH_STORIES, default 200,000) on PostgreSQL + Redis
# (render, feeds/sitemaps, search, API, gunicorn/nginx/wrk throughput, publish-to-visible,
# worker memory) and on SQLite (search, API); writes bench/report.md and bench/report.json
# (committed); then search relevance on the demo paper (bench/relevance.md, both databases). Needs nginx and wrk (Debian packages). Starts the local services if stopped.
# BENCH_STORIES other than 200,000 (the targets' size) writes bench/report-1m.md… instead.
# BENCH_DATABASE_URL / BENCH_REDIS_URL: another database and Redis for the run.
BENCH_STORIES ?= 200000
BENCH_ROUNDS ?= 5
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/toasoan_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
bench: install
	@command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light libnginx-mod-http-cache-purge >/dev/null; \
	  else echo "The bench needs wrk and nginx: sudo apt-get install wrk nginx-light libnginx-mod-http-cache-purge" >&2; exit 1; fi; }
	pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start
	redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
	  $(PY) -m bench.run --stories $(BENCH_STORIES) --rounds $(BENCH_ROUNDS)
	RELEVANCE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/toasoan_relevance $(PY) -m bench.relevance

# The peer: Debian's WordPress (php-fpm, the MariaDB running on BENCH_WP_MYSQL, database
# BENCH_WP_DB) beside our app, both uncached, on the bench archive: the seed story and home
# per request and in throughput, same run (bench/measures/peer.py). BENCH_PORTS=8620-8629
# keeps every server on given ports. As root the Debian packages are installed if missing.
bench-peer: install
	@command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 && ls /usr/sbin/php-fpm* >/dev/null 2>&1 && [ -e /usr/share/wordpress/wp-settings.php ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk nginx-light libnginx-mod-http-cache-purge wordpress wordpress-theme-twentytwentythree php-fpm php-mysql php-cli >/dev/null; \
	  else echo "The peer needs: sudo apt-get install wrk nginx-light wordpress wordpress-theme-twentytwentythree php-fpm php-mysql php-cli" >&2; exit 1; fi; }
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
	  $(PY) -m bench.run --stories $(BENCH_STORIES) --rounds $(BENCH_ROUNDS) --targets postgresql --measures peer

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
