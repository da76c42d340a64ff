"""The e-mailed plan: a real message through a local SMTP server (aiosmtpd), its Vietnamese
subject encoded as RFC 2047, a plain-text part beside the HTML one; sent once a day."""

import email
import socket
from datetime import datetime, time, timedelta
from email.header import decode_header, make_header
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from tests.planning.conftest import file_idea
from toasoan.planning import ideas
from toasoan.planning.mailing import mailing, send_if_due, send_plan

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def test_the_plan_arrives_through_smtp(newsroom, people, smtp):
    politics, economy = newsroom["sections"]
    idea = file_idea(people["pv"], politics, title="Đê biển Tam Thanh trước mùa bão")
    ideas.approve(idea, people["btv"], [{"kind": "anh", "deadline": idea.deadline}])
    file_idea(people["pv2"], economy, title="Giá sầu riêng Quế Sơn giảm mạnh")
    day = idea.plan_date
    smtp.messages.clear()  # the approval's note to the writer
    assert send_plan(day, ["thuky@toasoan.test", "tbt@toasoan.test"]) == 1
    assert len(smtp.messages) == 1
    recipients, raw = smtp.messages[0]
    assert sorted(recipients) == ["tbt@toasoan.test", "thuky@toasoan.test"]
    raw_subject = next(line for line in raw.split(b"\r\n") if line.lower().startswith(b"subject:"))
    assert raw_subject.isascii() and b"=?utf-8?" in raw_subject.lower()
    message = email.message_from_bytes(raw, policy=default)
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == f"Kế hoạch đề tài ngày {day:%d/%m/%Y}"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    assert "Đê biển Tam Thanh trước mùa bão" in text and "Giá sầu riêng Quế Sơn" in text
    assert "== Thời sự: 1 đề tài, 1 đã duyệt ==" in text
    assert "Ảnh: chưa có người (chưa phân công)" in text  # the photo nobody has yet
    assert "Thiếu người: Đê biển Tam Thanh" in text  # the daily digest's chasing
    assert "<strong>Đê biển Tam Thanh trước mùa bão</strong>" in html.get_content()


def test_sent_once_a_day_at_its_hour(newsroom, people, smtp):
    row = mailing()
    row.send_at, row.recipients = time(16, 0), "thuky@toasoan.test\n"
    row.save()
    today = timezone.localdate()
    at = timezone.make_aware(datetime.combine(today, time(15, 59)))
    assert not send_if_due(at)
    assert send_if_due(at + timedelta(minutes=2))
    assert not send_if_due(at + timedelta(minutes=30))
    assert len(smtp.messages) == 1
    message = email.message_from_bytes(smtp.messages[0][1], policy=default)
    tomorrow = today + timedelta(days=1)
    assert str(make_header(decode_header(message["Subject"]))).endswith(f"{tomorrow:%d/%m/%Y}")
    call_command("send_daily_plan", ngay=tomorrow.strftime("%d/%m/%Y"))
    assert len(smtp.messages) == 2
