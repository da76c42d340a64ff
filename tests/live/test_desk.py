"""The live desk: entries reviewed before they show (or the trusted lane), edits, deletions,
the pinned entry and key events reaching the update feed; the page complete without script."""

import json

import pytest
from django.core.cache import cache

from tests.staff import client_for
from toasoan.live import desk, reading
from toasoan.live.models import EntryStatus, LiveEntry

pytestmark = pytest.mark.django_db


def feed(client, blog) -> dict:
    response = client.get(f"/truc-tiep/{blog.pk}/{reading.bucket_now()}.json")
    assert response.status_code == 200
    return json.loads(response.content)


def fresh(client, blog) -> dict:
    cache.clear()  # the page cache keeps a bucket's answer; each step asks anew
    from toasoan.delivery.pagecache import forget_worker_copies

    forget_worker_copies()
    blog.refresh_from_db()
    return feed(client, blog)


def test_reporter_entry_waits_for_an_editor(client, blog, reporter, editor):
    entry = desk.write(blog, reporter, text="Gió giật cấp 12 ở Hội An.")
    assert entry.status == EntryStatus.PENDING
    assert "Gió giật cấp 12" not in client.get(blog.url).content.decode()
    assert fresh(client, blog)["entries"] == []
    with pytest.raises(desk.NotAllowed):
        desk.approve(entry, reporter)

    response = client_for(editor).post(f"/admin/truc-tiep/muc/{entry.pk}/approve/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.approved_by == editor
    data = fresh(client, blog)
    assert [e["id"] for e in data["entries"]] == [entry.pk]
    assert "Gió giật cấp 12" in data["entries"][0]["html"]
    assert "Gió giật cấp 12" in client.get(blog.url).content.decode()


def test_trusted_lane_publishes_at_once(blog, chief):
    entry = desk.write(blog, chief, text="Tâm bão đã vào đất liền.")
    assert entry.status == EntryStatus.PUBLISHED and entry.version == 1


def test_edit_delete_pin_and_key_events_reach_the_feed(client, blog, chief, editor):
    first = desk.write(blog, chief, text="Mục thứ nhất.")
    second = desk.write(blog, chief, text="Mục thứ hai.", title="Bão đổ bộ")
    desk.edit(first, editor, text="Mục thứ nhất, đã sửa.")
    data = fresh(client, blog)
    item = next(e for e in data["entries"] if e["id"] == first.pk)
    assert "đã sửa" in item["html"] and "Sửa lúc" in item["html"]

    desk.pin(first, editor)
    desk.mark_key_event(second, editor)
    data = fresh(client, blog)
    assert data["pinned"] == first.pk
    assert "Bão đổ bộ" in data["keys"]
    page = client.get(blog.url).content.decode()
    assert page.index(f'id="muc-{first.pk}"') < page.index(f'id="muc-{second.pk}"')
    assert page.count(f'id="muc-{first.pk}"') == 1  # pinned: shown once, first

    desk.delete(first, editor)
    data = fresh(client, blog)
    gone = next(e for e in data["entries"] if e["id"] == first.pk)
    assert gone["gone"] and "html" not in gone and data["pinned"] is None
    assert "Mục thứ nhất" not in client.get(blog.url).content.decode()
    desk.restore(first, editor)
    assert LiveEntry.objects.get(pk=first.pk).status == EntryStatus.PUBLISHED


def test_versions_only_grow(blog, chief, editor):
    entries = [desk.write(blog, chief, text=f"Mục {n}") for n in range(3)]
    desk.edit(entries[0], editor, text="Sửa")
    versions = [LiveEntry.objects.get(pk=e.pk).version for e in entries]
    assert versions == [4, 2, 3]
    blog.refresh_from_db()
    assert blog.version == 4


def test_pages_without_script(client, blog, chief):
    for n in range(reading.PAGE_SIZE + 5):
        desk.write(blog, chief, text=f"Cập nhật số {n:02d}.")
    first = client.get(blog.url).content.decode()
    assert "<p>Cập nhật số 24.</p>" in first and "<p>Cập nhật số 04.</p>" not in first
    assert 'href="?page=2"' in first and "live/live.js" in first
    second = client.get(blog.url + "?page=2").content.decode()
    assert "<p>Cập nhật số 04.</p>" in second and "<p>Cập nhật số 24.</p>" not in second
    assert "live/live.js" not in second  # older pages do not poll


def test_closing_stops_polling_and_sets_the_end(client, blog, editor):
    desk.end(blog, editor)
    blog.refresh_from_db()
    assert blog.coverage_end is not None and blog.state() == "ended"
    page = client.get(blog.url).content.decode()
    assert "live/live.js" not in page and "Đã kết thúc" in page
    assert fresh(client, blog)["state"] == "ended"
    # a later publish of the page's draft keeps the end
    blog.save_revision().publish()
    blog.refresh_from_db()
    assert blog.coverage_end is not None


def test_bucket_rules(client, blog):
    now = reading.bucket_now()
    response = client.get(f"/truc-tiep/{blog.pk}/{now}.json")
    assert 1 <= int(response["X-Accel-Expires"]) <= 2 * reading.BUCKET_SECONDS
    assert [reading.keep_seconds(t) for t in (1000.0, 1003.2, 1004.5, 1004.99)] == [5, 2, 6, 6]
    assert "s-maxage" in response["Cache-Control"]
    for bucket in (now + 2, now - reading.PAST_BUCKETS - 2):
        refused = client.get(f"/truc-tiep/{blog.pk}/{bucket}.json")
        assert refused.status_code == 404 and refused["Cache-Control"] == "no-store"
    assert client.get(f"/truc-tiep/999999/{now}.json").status_code == 404


def test_nginx_keys_every_bucket_of_a_blog_on_one_copy(blog):
    """deploy/nginx/toasoan.conf's location for the feed matches the app's update URL."""
    import re
    from pathlib import Path

    from django.urls import reverse

    conf = (Path(__file__).parents[2] / "deploy" / "nginx" / "toasoan.conf").read_text()
    pattern = re.search(r'location ~ "(\^/[^"]*truc-tiep[^"]*)"', conf).group(1)
    pattern = pattern.replace("?<toasoan_live_blog>", "?P<blog>")
    for bucket in (0, reading.bucket_now()):
        match = re.match(pattern, reverse("live:updates", args=[blog.pk, bucket]))
        assert match and match["blog"] == str(blog.pk)


def test_unpublished_blog_has_no_feed(client, blog):
    blog.unpublish()
    assert client.get(f"/truc-tiep/{blog.pk}/{reading.bucket_now()}.json").status_code == 404


def test_desk_screen(editor_client, blog, reporter):
    desk.write(blog, reporter, text="Chờ duyệt nhé")
    response = editor_client.get(f"/admin/truc-tiep/{blog.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Chờ duyệt nhé" in content and "Duyệt và đăng" in content
    response = editor_client.post(
        f"/admin/truc-tiep/{blog.pk}/", {"kind": "text", "text": "Mục của biên tập viên"}
    )
    assert response.status_code == 302
    assert LiveEntry.objects.get(text="Mục của biên tập viên").status == EntryStatus.PENDING


def test_photo_entry_is_posted_from_the_desk(editor_client, blog):
    from tests.factories import PhotoFactory

    photo = PhotoFactory(caption="Nước lũ ở phố cổ", credit="V.A")
    response = editor_client.post(
        f"/admin/truc-tiep/{blog.pk}/", {"kind": "photo", "text": "Phố cổ ngập", "photo": photo.pk}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LiveEntry.objects.get(text="Phố cổ ngập")
    assert entry.photo == photo


def test_entry_becomes_a_story_draft(blog, chief, editor):
    from wagtail.models import WorkflowState

    entry = desk.write(blog, chief, text="Đoạn một <b>đậm</b>.\n\nĐoạn hai.", title="Bão vào bờ")
    response = client_for(editor).post(f"/admin/truc-tiep/muc/{entry.pk}/thanh-bai/")
    assert response.status_code == 302
    from toasoan.newsroom.models import ArticlePage

    story = ArticlePage.objects.get(title="Bão vào bờ")
    assert not story.live and story.get_parent().pk == blog.get_parent().pk
    body = str(story.get_latest_revision_as_object().body.render_as_block())
    assert "&lt;b&gt;đậm&lt;/b&gt;" in body and "Đoạn hai." in body
    assert WorkflowState.objects.filter(
        object_id=str(story.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()


def test_a_reporter_adding_to_a_section_is_not_offered_a_live_blog(section, reporter, chief):
    add = f"/admin/pages/add/live/liveblogpage/{section.pk}/"
    response = client_for(reporter).get(add)
    assert response.status_code == 302 and response["Location"].endswith(f"/{section.pk}/")
    chooser = client_for(reporter).get(f"/admin/pages/{section.pk}/add_subpage/")
    assert chooser.status_code == 302 and "/add/newsroom/articlepage/" in chooser["Location"]
    assert client_for(chief).get(add).status_code == 200  # the desks that run one open it
