# Toà Soạn — `make run` serves the demo paper, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: install run demo test lint e2e clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo
	@echo "Trang báo:   http://$(HOST):$(PORT)/"
	@echo "Quản trị:    http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The whole suite, browser tests included (they need Debian's chromium: /usr/bin/chromium).
# With DATABASE_URL / REDIS_URL set it runs on PostgreSQL + Redis.
test: install lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

e2e: install
	$(VENV)/bin/pytest -m e2e

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
