"""Wire ingest against feeds served by a local HTTP server (never the network)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission

from tests.factories import UserFactory
from toasoan.ingest.models import WireItem, WireSource
from toasoan.ingest.tasks import poll_wires
from toasoan.ingest.wires import make_draft, poll_due, poll_source
from toasoan.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db


def rss(*items: tuple[str, str, str], title: str = "TTXVN") -> bytes:
    """An RSS 2.0 feed of (guid, title, text) items."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{head}</title>"
        f"<link>https://ttxvn.test/tin/{guid}.html</link>"
        f"<description><![CDATA[<p>{text}</p>]]></description>"
        f"<author>phongvien@ttxvn.test (Minh Anh)</author>"
        f"<pubDate>Mon, 06 Jan 2025 03:15:00 +0000</pubDate>"
        '<media:content url="https://ttxvn.test/anh/1.jpg" medium="image"/>'
        "</item>"
        for guid, head, text in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>{title}</title><link>https://ttxvn.test/</link><description>Tin</description>"
        f"{entries}</channel></rss>"
    ).encode()


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Báo đối tác</title><id>urn:doitac</id>
<updated>2025-01-06T08:00:00+07:00</updated>
<entry><id>urn:doitac:1</id><title>Hội An đón khách quốc tế trở lại</title>
<link href="https://doitac.test/hoi-an-1.html"/><updated>2025-01-06T08:00:00+07:00</updated>
<author><name>Lê Trâm</name></author>
<content type="html">&lt;p&gt;Phố cổ &lt;b&gt;Hội An&lt;/b&gt; đông vui.&lt;/p&gt;
&lt;script&gt;alert(1)&lt;/script&gt;</content>
</entry></feed>""".encode()

THREE = rss(
    ("a1", "Quốc hội khai mạc kỳ họp", "Sáng nay, Quốc hội khai mạc kỳ họp bất thường."),
    ("a2", "Giá xăng giảm nhẹ", "Liên bộ điều chỉnh giá xăng dầu từ 15 giờ."),
    ("a3", "Mưa lớn ở miền Trung", "Các tỉnh miền Trung có mưa to đến rất to."),
)


def source(name: str, url: str, **kwargs) -> WireSource:
    kwargs.setdefault("credit", name)
    return WireSource.objects.create(name=name, url=url, **kwargs)


def test_new_feed_items_land_in_the_queue(local_server):
    agency = source("TTXVN", local_server.serve("/ttxvn.rss", body=THREE))
    partner = source("Đối tác", local_server.serve("/doitac.atom", body=ATOM))

    results = {r.source: r for r in poll_due()}

    assert (results["TTXVN"].new, results["Đối tác"].new) == (3, 1)
    item = WireItem.objects.get(guid="a2")
    assert item.source == agency and item.title == "Giá xăng giảm nhẹ"
    assert item.url == "https://ttxvn.test/tin/a2.html"
    assert item.published_at.isoformat() == "2025-01-06T03:15:00+00:00"
    assert item.image_urls == ["https://ttxvn.test/anh/1.jpg"]
    atom = WireItem.objects.get(source=partner)
    assert "<b>Hội An</b>" in atom.body_html and "script" not in atom.body_html
    assert atom.byline == "Lê Trâm"


def test_duplicates_by_guid_address_or_content_are_dropped(local_server):
    source("TTXVN", local_server.serve("/ttxvn.rss", body=THREE))
    poll_due()
    # The same feed again, and a partner re-running one story with another guid and address,
    # and another story at the very same address.
    copy = rss(("khac-1", "Giá xăng giảm nhẹ", "Liên bộ điều chỉnh giá xăng dầu từ 15 giờ."))
    same_url = rss(("a3", "Tiêu đề khác hẳn", "Nội dung khác hẳn."))
    source("Báo bạn", local_server.serve("/copy.rss", body=copy))
    source("Báo bạn 2", local_server.serve("/url.rss", body=same_url))

    results = {r.source: r for r in poll_due(force=True)}

    assert (results["TTXVN"].new, results["TTXVN"].duplicates) == (0, 3)
    assert (results["Báo bạn"].new, results["Báo bạn"].duplicates) == (0, 1)
    assert (results["Báo bạn 2"].new, results["Báo bạn 2"].duplicates) == (0, 1)
    assert WireItem.objects.count() == 3


def test_a_feed_cut_off_mid_way_is_retried_and_never_stops_the_others(local_server):
    broken = source("Đứt giữa chừng", local_server.serve("/cut.rss", body=THREE, cut_after=300))
    good = source("TTXVN", local_server.serve("/ttxvn.rss", body=THREE))

    now = timezone.now()
    results = {r.source: r for r in poll_due(now=now)}

    assert results["TTXVN"].new == 3
    assert "ngắt giữa chừng" in results["Đứt giữa chừng"].error
    broken.refresh_from_db()
    assert broken.failures == 1 and broken.items.count() == 0
    assert broken.next_check_at == now + timedelta(minutes=2 * broken.interval_minutes)
    good.refresh_from_db()
    assert good.failures == 0 and good.last_ok_at == now


def test_a_source_that_times_out_is_logged_and_skipped(local_server, caplog):
    slow = source("Chậm", local_server.serve("/slow.rss", body=THREE, delay=3), timeout_seconds=1)
    source("TTXVN", local_server.serve("/ttxvn.rss", body=THREE))

    results = {r.source: r for r in poll_due()}

    assert "quá 1 giây" in results["Chậm"].error
    assert results["TTXVN"].new == 3
    assert "Chậm" in caplog.text
    slow.refresh_from_db()
    assert slow.failures == 1 and "quá 1 giây" in slow.health


@pytest.mark.parametrize(
    "route, message",
    [
        (
            {"body": "<html><body>Trang chủ</body></html>".encode(), "content_type": "text/html"},
            "RSS",
        ),
        ({"body": THREE[:-40]}, "không đọc được RSS/Atom"),  # whole response, broken XML
        ({"body": b"oops", "status": 500}, "HTTP 500"),
    ],
)
def test_broken_sources_are_recorded_with_a_reason(local_server, route, message):
    broken = source("Hỏng", local_server.serve("/x", **route))

    result = poll_source(broken)

    assert message in result.error
    assert WireItem.objects.count() == 0


def test_unreachable_source_backs_off_longer_each_time_then_recovers(local_server):
    url = local_server.url("/chua-co.rss")  # 404 until the route exists
    failing = source("Sắp có", url, interval_minutes=10)
    now = timezone.now()

    poll_source(failing, now)
    poll_source(failing, now)
    assert failing.failures == 2
    assert failing.next_check_at == now + timedelta(minutes=40)
    assert poll_due(now=now + timedelta(minutes=30)) == []  # not due yet: no request made

    local_server.serve("/chua-co.rss", body=THREE)
    recovered = poll_due(now=now + timedelta(minutes=41))

    assert recovered[0].new == 3
    failing.refresh_from_db()
    assert failing.failures == 0 and failing.last_error == ""


def test_file_feeds_and_ninjs_folders(tmp_path):
    feed = tmp_path / "tin.rss"
    feed.write_bytes(THREE)
    folder = tmp_path / "ninjs"
    folder.mkdir()
    (folder / "a.json").write_text(
        json.dumps(
            {
                "uri": "urn:vna:1",
                "type": "text",
                "headlines": [{"role": "main", "value": "Đà Nẵng khai trương cảng mới"}],
                "bodies": [{"contentType": "text/html", "value": "<p>Cảng mới đã mở.</p>"}],
                "by": "Thanh Hà",
                "versionCreated": "2025-01-06T09:00:00+07:00",
            }
        )
    )
    (folder / "hong.json").write_text('{"uri": "urn:vna:2", "headline": ')  # cut mid-way
    source("Tệp", feed.as_uri())
    source("VNA ninjs", str(folder), kind=WireSource.Kind.NINJS)

    results = {r.source: r for r in poll_due()}

    assert results["Tệp"].new == 3
    assert results["VNA ninjs"].new == 1 and not results["VNA ninjs"].error
    item = WireItem.objects.get(guid="urn:vna:1")
    assert (item.title, item.byline) == ("Đà Nẵng khai trương cảng mới", "Thanh Hà")


def test_command_and_task_poll_the_sources(local_server, capsys):
    source("TTXVN", local_server.serve("/ttxvn.rss", body=THREE))
    source("Hỏng", local_server.url("/khong-co.rss"))

    call_command("ingest_wires")
    out = capsys.readouterr().out
    assert "TTXVN: 3 tin mới" in out and "Hỏng: lỗi" in out

    assert poll_wires.enqueue().return_value == {}  # polled a moment ago: nothing due yet
    WireSource.objects.filter(name="TTXVN").update(next_check_at=timezone.now())
    assert poll_wires.enqueue().return_value == {"TTXVN": {"new": 0, "duplicates": 3, "error": ""}}


# --- the queue in the admin --------------------------------------------------------------------
@pytest.fixture
def editor(section, settings):
    settings.TWO_FACTOR_REQUIRED = False
    desk = Group.objects.create(name="Ban Thời sự")
    desk.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=desk, page=section, permission_type="add")
    GroupPagePermission.objects.create(group=desk, page=section, permission_type="change")
    user = UserFactory(username="bientap")
    user.groups.add(desk)
    return user


@pytest.fixture
def queued(local_server):
    source("TTXVN", local_server.serve("/ttxvn.rss", body=THREE), credit="TTXVN")
    poll_due()
    return WireItem.objects.get(guid="a1")


def test_editor_turns_a_wire_story_into_a_credited_draft(client, editor, section, queued):
    client.force_login(editor)
    assert "Quốc hội khai mạc kỳ họp" in client.get("/admin/nhap-lieu/tin-nguon/").content.decode()

    response = client.post(
        f"/admin/nhap-lieu/tin-nguon/{queued.pk}/",
        {"action": "draft", "section": section.pk, "kind": "tin"},
    )

    story = ArticlePage.objects.get(title="Quốc hội khai mạc kỳ họp")
    assert response["Location"] == f"/admin/pages/{story.pk}/edit/"
    assert not story.live and story.get_parent().pk == section.pk and story.owner == editor
    assert story.lead_prefix == "(TTXVN)"
    assert story.sapo == "Sáng nay, Quốc hội khai mạc kỳ họp bất thường."
    assert [p.name for p in story.pen_names()] == ["TTXVN"]
    assert 'Theo <a href="https://ttxvn.test/tin/a1.html"' in str(story.body)
    queued.refresh_from_db()
    assert (queued.status, queued.story_id, queued.handled_by) == ("used", story.pk, editor)
    assert client.get(f"/admin/pages/{story.pk}/edit/").status_code == 200
    # Using it again opens the same draft instead of making a second one.
    again = client.post(
        f"/admin/nhap-lieu/tin-nguon/{queued.pk}/",
        {"action": "draft", "section": section.pk, "kind": "tin"},
    )
    assert again["Location"] == f"/admin/pages/{story.pk}/edit/"
    assert ArticlePage.objects.filter(title=story.title).count() == 1


def test_editor_can_discard_a_wire_story(client, editor, queued):
    client.force_login(editor)
    client.post(f"/admin/nhap-lieu/tin-nguon/{queued.pk}/", {"action": "discard"})

    queued.refresh_from_db()
    assert queued.status == "discarded"
    listing = client.get("/admin/nhap-lieu/tin-nguon/").content.decode()
    assert f"/tin-nguon/{queued.pk}/" not in listing  # gone from the "Mới" list


def test_editor_cannot_draft_into_a_section_of_another_desk(client, editor, home, queued):
    from tests.factories import SectionPageFactory

    other = SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    client.force_login(editor)

    response = client.post(
        f"/admin/nhap-lieu/tin-nguon/{queued.pk}/",
        {"action": "draft", "section": other.pk, "kind": "tin"},
    )

    assert response.status_code == 200  # the form says the section is not a choice
    assert not ArticlePage.objects.filter(title=queued.title).exists()


def test_staff_without_a_desk_do_not_see_the_queue(client, settings, queued):
    settings.TWO_FACTOR_REQUIRED = False
    accountant = UserFactory()
    accountant.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(accountant)

    assert client.get("/admin/nhap-lieu/tin-nguon/").status_code == 302  # refused
    assert "tin-nguon" not in client.get("/admin/").content.decode()


def test_make_draft_credits_the_source_even_without_a_link(section, queued, editor):
    queued.url = ""
    queued.save()

    story = make_draft(queued, section, editor)

    body = str(story.body)
    assert "<p>Theo TTXVN. Ảnh gốc của nguồn" in body and "/tin/a1.html" not in body
    assert 'href="https://ttxvn.test/anh/1.jpg"' in body  # the photo is linked, not fetched
