"""The demo's live coverage for `manage.py load_demo` (idempotent): a storm night covered
live and closed, and a finished online Q&A whose guest account is `khachmoi`."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from toasoan.core.text import vi_slug
from toasoan.newsroom.models import SectionPage

from .models import EntryStatus, Kind, LiveBlogPage, LiveEntry, Mode, Question, QuestionStatus
from .roles import grant_live_roles

STORM_TITLE = "Trực tiếp: Bão số 13 đổ bộ Quảng Nam – Quảng Ngãi"
QA_TITLE = "Giao lưu trực tuyến: Phòng chống sạt lở đất ở miền núi mùa mưa bão"
GUEST = "khachmoi"

# (minutes after the start, title of a key event or "", text, kind, attribution)
STORM = [
    (
        0,
        "Bắt đầu tường thuật",
        "Tòa soạn bắt đầu tường thuật trực tiếp diễn biến bão số 13. "
        "Tâm bão cách bờ biển Quảng Nam khoảng 120 km, gió mạnh cấp 12, giật cấp 15.",
        "text",
        "",
    ),
    (
        25,
        "",
        "Tại TP. Hội An, lực lượng vũ trang đã hoàn thành di dời 1.850 hộ dân vùng trũng "
        "thấp ven sông Thu Bồn đến nơi an toàn trước 19 giờ.",
        "text",
        "",
    ),
    (
        50,
        "",
        "Mọi người dân tuyệt đối không ra khỏi nhà từ 20 giờ tối nay cho đến khi có thông báo mới.",
        "quote",
        "Phó Chủ tịch UBND tỉnh, Trưởng ban Chỉ huy phòng thủ dân sự",
    ),
    (
        80,
        "Gió giật mạnh ở vùng ven biển",
        "Gió bắt đầu giật mạnh ở Điện Bàn, Duy Xuyên, Thăng "
        "Bình; nhiều cây xanh trên đường Hùng Vương (Tam Kỳ) bị ngã đổ.",
        "text",
        "",
    ),
    (
        125,
        "",
        "Điện lực Quảng Nam cho biết khoảng 35.000 khách hàng tại 6 huyện ven biển đã bị "
        "mất điện do sự cố lưới trung thế.",
        "text",
        "",
    ),
    (
        170,
        "Bão đổ bộ vào đất liền",
        "Khoảng 22 giờ 30, tâm bão đi vào đất liền khu vực phía "
        "nam Quảng Nam – bắc Quảng Ngãi, sức gió mạnh nhất cấp 11.",
        "text",
        "",
    ),
    (
        215,
        "",
        "Mưa rất to ở các huyện miền núi Nam Trà My, Bắc Trà My; lượng mưa đo được tại "
        "Trà Mai đến 23 giờ là 185 mm.",
        "text",
        "",
    ),
    (
        280,
        "",
        "Lực lượng cứu hộ đang tiếp cận một điểm sạt lở taluy dương trên tuyến ĐT 616, "
        "chưa ghi nhận thiệt hại về người.",
        "text",
        "",
    ),
    (
        360,
        "Bão suy yếu thành áp thấp nhiệt đới",
        "Đến 2 giờ sáng, bão đã suy yếu thành áp "
        "thấp nhiệt đới. Gió trên đất liền giảm dần, mưa còn kéo dài ở miền núi.",
        "text",
        "",
    ),
    (
        420,
        "Kết thúc tường thuật",
        "Tường thuật trực tiếp kết thúc. Tòa soạn tiếp tục cập nhật "
        "thiệt hại và công tác khắc phục hậu quả trong các bài viết sáng nay.",
        "text",
        "",
    ),
]

QUESTIONS = [
    # (name, contact, text, status, answer)
    (
        "Trần Thị Hoa",
        "hoa.tran@example.vn",
        "Nhà tôi ở chân đồi tại xã Trà Leng, dấu hiệu nào "
        "cho thấy sắp có sạt lở để gia đình kịp sơ tán?",
        "answered",
        "Khi thấy vết nứt mới trên sườn đồi hoặc trên nền nhà, nước suối đột ngột đục hoặc cạn, "
        "cây nghiêng, nghe tiếng động lạ từ trong núi: cần rời khỏi nhà ngay và báo chính quyền.",
    ),
    (
        "Nguyễn Văn Bình",
        "",
        "Khi nào thì xã được hỗ trợ kinh phí di dời các hộ ở vùng nguy cơ "
        "cao ra khỏi khu vực sạt lở?",
        "answered",
        "Tỉnh đã phân bổ kinh phí năm nay cho 1.200 hộ ưu tiên; các xã lập danh sách trước 30/6, "
        "mỗi hộ được hỗ trợ tối đa 60 triệu đồng để làm nhà ở nơi mới.",
    ),
    ("Lê Minh", "0905 000 111", "Xin hỏi dấu hiệu nhận biết sạt lở đất là gì?", "merged", ""),
    ("Ẩn danh", "", "Quảng cáo vay tiền nhanh, liên hệ ngay!", "rejected", ""),
    (
        "Phạm Thị Lan",
        "",
        "Trường học ở vùng núi có phương án cho học sinh nghỉ khi mưa lớn kéo dài không?",
        "answered",
        "Sở Giáo dục cho phép hiệu trưởng chủ động cho học sinh nghỉ học khi có cảnh báo mưa lớn "
        "cấp độ 2 trở lên, không chờ văn bản của cấp trên.",
    ),
]


def _storm(section: SectionPage, staff: dict) -> int:
    reporter, editor = staff.get("phongvien"), staff.get("bientap")
    start = (timezone.now() - timedelta(days=3)).replace(hour=18, minute=0, second=0)
    blog = LiveBlogPage(
        title=STORM_TITLE,
        slug=vi_slug(STORM_TITLE, max_length=80),
        summary="Diễn biến đêm bão số 13 đổ bộ: sơ tán dân, mất điện, mưa lớn ở miền núi.",
        coverage_start=start,
        coverage_end=start + timedelta(minutes=430),
    )
    section.add_child(instance=blog)
    blog.save_revision(user=editor).publish()
    for n, (minutes, title, text, kind, attribution) in enumerate(STORM, start=1):
        at = start + timedelta(minutes=minutes)
        LiveEntry.objects.create(
            blog=blog,
            kind=kind,
            title=title,
            text=text,
            attribution=attribution,
            author=reporter if n % 3 else editor,
            approved_by=editor,
            status=EntryStatus.PUBLISHED,
            is_key_event=bool(title),
            is_pinned=minutes == 420,
            created_at=at,
            published_at=at,
            version=n,
        )
    LiveBlogPage.objects.filter(pk=blog.pk).update(version=len(STORM))
    return 1 + len(STORM)


def _guest(password_hash: str):
    user_model = get_user_model()
    user = user_model.objects.filter(username=GUEST).first()
    if user is None:
        user = user_model.objects.create(
            username=GUEST, password=password_hash, first_name="Hồ Văn Sơn"
        )
    return user


def _qa(section: SectionPage, staff: dict, password_hash: str) -> int:
    editor = staff.get("bientap")
    guest = _guest(password_hash)
    start = (timezone.now() - timedelta(days=1)).replace(hour=9, minute=0, second=0)
    session = LiveBlogPage(
        title=QA_TITLE,
        slug=vi_slug(QA_TITLE, max_length=80),
        mode=Mode.QA,
        summary="Chuyên gia địa chất và lãnh đạo ngành trả lời câu hỏi của bạn đọc về phòng "
        "chống sạt lở đất ở các huyện miền núi.",
        guest_names="TS. Hồ Văn Sơn, Viện Địa chất",
        coverage_start=start,
        coverage_end=start + timedelta(minutes=90),
    )
    section.add_child(instance=session)
    session.guests.add(guest)  # saved with the page's revision, as the page editor does
    session.save_revision(user=editor).publish()
    first = None
    version = 0
    for n, (name, contact, text, status, answer) in enumerate(QUESTIONS):
        at = start - timedelta(hours=2) + timedelta(minutes=7 * n)
        question = Question.objects.create(
            session=session,
            name=name,
            contact=contact,
            text=text,
            created_at=at,
            status=status,
            merged_into=first if status == QuestionStatus.MERGED else None,
            answer=answer,
            answered_by=guest if answer else None,
            answered_at=start + timedelta(minutes=15 * (n + 1)) if answer else None,
            forwarded_at=start if answer else None,
        )
        first = first or question
        if answer:
            version += 1
            LiveEntry.objects.create(
                blog=session,
                kind=Kind.ANSWER,
                question=question,
                text=answer,
                author=guest,
                approved_by=guest,
                status=EntryStatus.PUBLISHED,
                created_at=question.answered_at,
                published_at=question.answered_at,
                version=version,
            )
    LiveBlogPage.objects.filter(pk=session.pk).update(version=version)
    return 1 + len(QUESTIONS) + version


def load_demo_live(sections: dict[str, SectionPage], staff: dict, password_hash: str) -> int:
    """The demo's live coverage; the guest signs in with the demo password (given hashed)."""
    grant_live_roles()
    section = sections.get("thoi-su") or next(iter(sections.values()))
    created = 0
    if not LiveBlogPage.objects.filter(title=STORM_TITLE).exists():
        created += _storm(section, staff)
    if not LiveBlogPage.objects.filter(title=QA_TITLE).exists():
        created += _qa(section, staff, password_hash)
    return created
