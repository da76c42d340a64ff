"""Approved demo comments for `manage.py load_demo` (idempotent)."""

from datetime import timedelta

from toasoan.editions.paper import paper_name
from toasoan.newsroom.models import ArticlePage

from .models import Comment, Status

# (story index in the demo's stories.json, name, email, text, hours after publication)
DEMO_COMMENTS = [
    (
        0,
        "Trần Văn Hùng",
        "hung.tv@example.vn",
        "Mong bà con vùng trũng di dời sớm, an toàn là trên hết. Cảm ơn các lực lượng đang hỗ trợ.",
        2,
    ),
    (
        0,
        "Nguyễn Thị Lan",
        "lan.nt@example.vn",
        "Thôn tôi ở Đại Lộc nước đã lên nhanh từ chiều, ai cần giúp xin liên hệ xã.",
        3,
    ),
    (
        1,
        "Lê Minh Tuấn",
        "tuan.lm@example.vn",
        "Đường đẹp và rộng hơn nhiều, đi từ Điện Bàn ra Hội An chỉ còn 20 phút.",
        5,
    ),
    (
        1,
        "Phạm Thu",
        "thu.p@example.vn",
        "Đề nghị lắp thêm đèn chiếu sáng đoạn qua cầu, buổi tối hơi tối.",
        8,
    ),
]
STAFF_REPLY = (1, 3, "Tòa soạn đã chuyển ý kiến của bạn đến Sở Giao thông vận tải. Cảm ơn bạn đọc.")


def load_demo_comments(stories: list[ArticlePage]) -> int:
    if Comment.objects.filter(email__endswith="@example.vn").exists():
        return 0
    made = []
    for index, name, email, text, hours in DEMO_COMMENTS:
        story = stories[index]
        made.append(
            Comment.objects.create(
                article=story,
                name=name,
                email=email,
                text=text,
                status=Status.APPROVED,
                created_at=story.first_published_at + timedelta(hours=hours),
            )
        )
    index, parent_no, text = STAFF_REPLY
    parent = made[parent_no]
    Comment.objects.create(
        article=stories[index],
        parent=parent,
        name=paper_name(),
        email="toasoan@localhost",
        text=text,
        status=Status.APPROVED,
        is_staff_reply=True,
        created_at=parent.created_at + timedelta(hours=1),
    )
    return len(made) + 1
