"""A live blog is run by its own section's desk: an editor of another section's desk may
write to it (the entry waits for review) but approves, edits, deletes, pins, closes and
moderates nothing there — a 403, and nothing changes."""

import pytest

from tests.factories import UserFactory
from tests.staff import client_for
from toasoan.live import desk, questions
from toasoan.live.models import EntryStatus, LiveEntry, Question, QuestionStatus

from .conftest import add_live_page

pytestmark = pytest.mark.django_db


def snapshot(blog):
    blog.refresh_from_db()
    entries = LiveEntry.objects.filter(blog=blog).order_by("pk")
    return (
        blog.version,
        blog.coverage_end,
        [(e.status, e.is_pinned, e.is_key_event, e.text, e.version) for e in entries],
    )


def test_another_sections_editor_gets_403_and_nothing_changes(blog, reporter, chief, other_editor):
    waiting = desk.write(blog, reporter, text="Mưa lớn ở Tam Kỳ.")
    shown = desk.write(blog, chief, text="Bão vào bờ.", title="Bão đổ bộ")
    before = snapshot(blog)
    outsider = client_for(other_editor)
    posts = [
        f"/admin/truc-tiep/muc/{waiting.pk}/approve/",
        f"/admin/truc-tiep/muc/{shown.pk}/pin/",
        f"/admin/truc-tiep/muc/{shown.pk}/unkey/",
        f"/admin/truc-tiep/muc/{shown.pk}/key/",
        f"/admin/truc-tiep/muc/{shown.pk}/go/",
        f"/admin/truc-tiep/muc/{shown.pk}/thanh-bai/",
        f"/admin/truc-tiep/{blog.pk}/trang-thai/end/",
    ]
    for path in posts:
        assert outsider.post(path).status_code == 403, path
    edit = f"/admin/truc-tiep/muc/{shown.pk}/sua/"
    assert outsider.get(edit).status_code == 403
    assert outsider.post(edit, {"kind": "text", "text": "Sửa bậy"}).status_code == 403
    assert snapshot(blog) == before
    with pytest.raises(desk.NotAllowed):
        desk.approve(waiting, other_editor)

    screen = outsider.get(f"/admin/truc-tiep/{blog.pk}/").content.decode()
    assert "Mưa lớn ở Tam Kỳ." in screen  # they may read the desk and write to it…
    assert "Duyệt và đăng" not in screen and "Kết thúc tường thuật" not in screen  # …no more
    written = outsider.post(f"/admin/truc-tiep/{blog.pk}/", {"kind": "text", "text": "Tin thêm"})
    assert written.status_code == 302
    assert LiveEntry.objects.get(text="Tin thêm").status == EntryStatus.PENDING


def test_the_blogs_own_desk_runs_it(blog, reporter, editor, other_editor, other_section):
    waiting = desk.write(blog, reporter, text="Mưa lớn ở Tam Kỳ.")
    own = client_for(editor)
    assert "Duyệt và đăng" in own.get(f"/admin/truc-tiep/{blog.pk}/").content.decode()
    assert own.post(f"/admin/truc-tiep/muc/{waiting.pk}/approve/").status_code == 302
    assert own.post(f"/admin/truc-tiep/muc/{waiting.pk}/pin/").status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.PUBLISHED and waiting.is_pinned
    # …and the other desk runs its own section's blog, not this one
    theirs = add_live_page(other_section, title="Trực tiếp: hội chợ")
    entry = desk.write(theirs, reporter, text="Khai mạc.")
    assert own.post(f"/admin/truc-tiep/muc/{entry.pk}/approve/").status_code == 403
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING
    approve = client_for(other_editor).post(f"/admin/truc-tiep/muc/{entry.pk}/approve/")
    assert approve.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED


def test_qa_moderation_is_the_sessions_desks(client, qa_session, editor, other_editor, roles):
    question = Question.objects.create(
        session=qa_session, name="Hoa", contact="hoa@example.vn", text="Khi nào sơ tán?"
    )
    other = Question.objects.create(session=qa_session, name="Minh", text="Sơ tán khi nào?")
    outsider = client_for(other_editor)
    for action, data in [
        ("forward", {}),
        ("reject", {}),
        ("merge", {"into": other.pk}),
        ("answer", {"text": "Ngay bây giờ."}),
    ]:
        path = f"/admin/truc-tiep/cau-hoi/{question.pk}/{action}/"
        assert outsider.post(path, data).status_code == 403, action
    assert (
        outsider.post(f"/admin/truc-tiep/cau-hoi/{question.pk}/sua/", {"text": "x"}).status_code
        == 403
    )
    assert outsider.post(f"/admin/truc-tiep/{qa_session.pk}/bien-ban/").status_code == 403
    question.refresh_from_db()
    assert (question.status, question.text, question.merged_into) == (
        QuestionStatus.NEW,
        "Khi nào sơ tán?",
        None,
    )
    screen = outsider.get(f"/admin/truc-tiep/{qa_session.pk}/").content.decode()
    assert "hoa@example.vn" not in screen and "Khi nào sơ tán?" not in screen

    own = client_for(editor)
    assert "hoa@example.vn" in own.get(f"/admin/truc-tiep/{qa_session.pk}/").content.decode()
    assert own.post(f"/admin/truc-tiep/cau-hoi/{question.pk}/forward/").status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.FORWARDED

    # the readers' moderators moderate every session's questions, as every section's comments
    moderator = UserFactory()
    moderator.groups.add(roles["Kiểm duyệt bình luận"])
    questions.reject(other, moderator)
    other.refresh_from_db()
    assert other.status == QuestionStatus.REJECTED
