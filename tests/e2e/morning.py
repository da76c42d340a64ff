"""The newsroom as a working day begins: stories waiting at each desk, comments in the queue.

The demo paper has only published stories; each role's walk (test_walks.py) needs work on
its desk. `manage.py shell -c "from tests.e2e.morning import main; main()"` run on the demo
server's database puts it there through Wagtail's own workflow calls, as the people before
them in the chain would have, and prints the ids as JSON. Run once per demo server.
"""

import json

from django.contrib.auth import get_user_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from toasoan.comments.models import Comment, Status
from toasoan.newsroom.models import ArticleByline, ArticlePage, PenName, SectionPage

# (key, title, sapo, how far up the chain it has gone)
STORIES = [
    (
        "returned",
        "Ngư dân Tam Hải vươn khơi sau bão",
        "Sáng nay, hơn 40 tàu cá của xã Tam Hải đã ra khơi trở lại sau cơn bão số 5.",
        "returned",
    ),
    (
        "to_return",
        "Chợ Hội An chuyển sang thanh toán không tiền mặt",
        "Từ tháng này, tiểu thương chợ Hội An nhận tiền hàng qua mã QR của ngân hàng.",
        "desk",
    ),
    (
        "to_forward",
        "Tam Kỳ mở thêm ba tuyến xe buýt nội thành",
        "Ba tuyến xe buýt mới nối trung tâm Tam Kỳ với các phường ven đô từ ngày 1 tới.",
        "desk",
    ),
    (
        "at_managing",
        "Điện Bàn khởi công cầu Vĩnh Điện mới",
        "Cây cầu dài 420 m thay thế cầu Vĩnh Điện cũ đã xuống cấp sau 30 năm sử dụng.",
        "managing",
    ),
    (
        "at_chief",
        "Quảng Nam đón 1 triệu lượt khách trong quý I",
        "Lượng khách đến Hội An và Mỹ Sơn trong ba tháng đầu năm tăng 18% so với cùng kỳ.",
        "chief",
    ),
]
RETURN_NOTE = "Bổ sung ý kiến của ngư dân."
PENDING_COMMENTS = [
    ("Trần Văn Lộc", "loc.tran@example.vn", "Mong tỉnh sớm mở rộng mô hình này ra các huyện."),
    ("Khuyến mãi", "ban-hang@example.vn", "Mua hàng giá rẻ tại đây, giảm 90% hôm nay!"),
]


def _approve(page: ArticlePage, user, action: str = "approve", comment: str = "") -> None:
    state = ArticlePage.objects.get(pk=page.pk).current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)


def prepare() -> dict:
    """The day's work on each desk; returns the ids the walks open (and English titles)."""
    people = {u.username: u for u in get_user_model().objects.all()}
    reporter = people["phongvien"]
    section = SectionPage.objects.get(slug="thoi-su")
    pen_name = PenName.objects.get(name="V.A")
    ids = {}
    for key, title, sapo, reached in STORIES:
        story = ArticlePage(
            title=title,
            lead_prefix="(QNO)",
            sapo=sapo,
            body=[("paragraph", RichText(f"<p>{sapo}</p>"))],
            owner=reporter,
            live=False,
        )
        story.bylines.add(ArticleByline(pen_name=pen_name, sort_order=0))
        section.add_child(instance=story)
        story.save_revision(user=reporter)
        story.get_workflow().start(story, reporter)
        if reached == "returned":
            _approve(story, people["bientap"], "reject", RETURN_NOTE)
        if reached in ("managing", "chief"):
            _approve(story, people["bientap"])
        if reached == "chief":
            _approve(story, people["thuky"])
        ids[key] = story.pk
    commented = ArticlePage.objects.live().filter(reader_comments__status=Status.APPROVED).first()
    for name, email, text in PENDING_COMMENTS:
        Comment.objects.create(
            article=commented, name=name, email=email, text=text, status=Status.PENDING
        )
    ids["commented"] = commented.pk
    ids["home"] = Page.objects.get(depth=2, locale__language_code="vi").pk
    # The English edition's own pages: their titles are English in the staff's lists too.
    english = Page.objects.filter(locale__language_code="en")
    ids["english_titles"] = sorted(set(english.values_list("title", flat=True)))
    return ids


def main() -> None:
    print("MORNING " + json.dumps(prepare()))  # the last line: e-mails print before it
