"""While the database cannot be reached, readers get a Vietnamese 503 with Retry-After, not a
500, and the log gets one line for the outage rather than a traceback per request."""

import logging

import pytest
from django.db import OperationalError
from wagtail.models import Site

from toasoan.core import breaker


@pytest.mark.django_db
def test_database_unreachable_is_a_503_with_retry_after_and_one_log_line(
    client, story, monkeypatch, caplog, settings
):
    settings.DEBUG = False
    client.raise_request_exception = False
    caplog.set_level(logging.WARNING)

    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(Site, "find_for_request", refused)
    responses = [client.get(url) for url in ("/", story.url, "/", story.url)]

    assert [r.status_code for r in responses] == [503] * 4
    page = responses[0].content.decode()
    assert responses[0]["Retry-After"] == "10"
    assert "Báo tạm thời gián đoạn" in page and "thử lại sau 10 giây" in page
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1, lines  # neither Django's "Service Unavailable" nor a traceback
    assert lines[0].startswith("PostgreSQL không dùng được")

    monkeypatch.undo()
    breaker.database_connected()  # a new connection succeeded
    assert client.get("/").status_code == 200
    assert caplog.records[-1].getMessage().startswith("PostgreSQL đã trở lại")


@pytest.mark.django_db
def test_a_programming_error_stays_a_500(client, story, monkeypatch, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(Site, "find_for_request", broken)
    assert client.get("/").status_code == 500
