"""A small newsroom for the API tests: sections with a subsection, pen names, topics, photos,
published stories at known times — and stories no partner may ever see."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from tests.factories import (
    ArticlePageFactory,
    PenNameFactory,
    PhotoFactory,
    SectionPageFactory,
    UserFactory,
    image_file,
)
from toasoan.newsroom.models import Topic

SECRET_TITLE = "Bài nháp tuyệt mật chưa được duyệt"


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in December 2021, in the paper's time zone."""
    return timezone.make_aware(datetime(2021, 12, day, hour, minute))


@dataclass
class Newsroom:
    thoi_su: object
    giao_thong: object
    kinh_te: object
    writer: object
    photographer: object
    da_nang: object
    du_lich: object
    published: list = field(default_factory=list)  # newest first
    hidden: dict = field(default_factory=dict)  # why → story


@pytest.fixture
def newsroom(home, settings) -> Newsroom:
    settings.API_ANON_RATE = 0  # these tests are about content; the limit has its own tests
    thoi_su = SectionPageFactory(parent=home, title="Thời sự", slug="thoi-su")
    giao_thong = SectionPageFactory(parent=thoi_su, title="Giao thông", slug="giao-thong")
    kinh_te = SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te")
    writer = PenNameFactory(
        name="VĨNH AN",
        staff_member=UserFactory(username="phongvien-that", email="phongvien.that@toasoan.test"),
        bio="Phóng viên thường trú tại Tam Kỳ.",
    )
    photographer = PenNameFactory(
        name="MINH HẢI", staff_member=None, outside_contributor="Trần Văn Thật Danh"
    )
    da_nang = Topic.objects.create(name="Đà Nẵng")
    du_lich = Topic.objects.create(name="Du lịch")
    photo = PhotoFactory(
        caption="Cầu Cửa Đại nhìn từ trên cao.",
        credit="MINH HẢI",
        file=image_file("cau-cua-dai.jpg", size=(1600, 1000)),
    )

    room = Newsroom(thoi_su, giao_thong, kinh_te, writer, photographer, da_nang, du_lich)
    room.published = [
        ArticlePageFactory(
            parent=kinh_te,
            title="Quảng Nam thu hút đầu tư vào khu kinh tế mở Chu Lai",
            first_published_at=at(22, 10, 1),
            pen_names=[writer],
            kind="bai",
        ),
        ArticlePageFactory(
            parent=giao_thong,
            title="Thông xe cầu Cửa Đại sau ba năm thi công",
            first_published_at=at(21, 8),
            pen_names=[writer, photographer],
            topics=[du_lich],
            cover_image=photo,
            body=[
                (
                    "paragraph",
                    RichText('<p>Cầu dài <b>1.481 m</b>, xem <a href="/thoi-su/">Thời sự</a>.</p>'),
                ),
                ("photo", {"image": photo, "caption": "", "credit": "", "wide": False}),
                ("quote", {"text": "Cầu mở ra cơ hội mới.", "attribution": "Ông Lê Văn Dũng"}),
            ],
        ),
        ArticlePageFactory(
            parent=thoi_su,
            title="Đà Nẵng và Quảng Nam ký kết hợp tác phát triển du lịch",
            first_published_at=at(20, 15),
            pen_names=[writer],
            topics=[da_nang, du_lich],
        ),
        ArticlePageFactory(
            parent=thoi_su,
            title="Hội nghị thông tin đối ngoại năm 2021",
            first_published_at=at(19, 7),
            pen_names=[writer],
        ),
    ]

    secret_pen_name = PenNameFactory(name="BÚT DANH CHƯA DÙNG")
    secret_topic = Topic.objects.create(name="Vụ án chưa công bố")
    room.hidden["draft"] = ArticlePageFactory(
        parent=thoi_su,
        live=False,
        title=SECRET_TITLE,
        pen_names=[secret_pen_name],
        topics=[secret_topic],
    )
    scheduled = ArticlePageFactory(parent=thoi_su, live=False, title="Bài hẹn giờ đăng ngày mai")
    scheduled.go_live_at = timezone.now() + timedelta(days=1)
    scheduled.save_revision().publish()  # Wagtail keeps it unpublished until go_live_at
    scheduled.refresh_from_db()
    room.hidden["scheduled"] = scheduled
    unpublished = ArticlePageFactory(parent=thoi_su, title="Bài đã gỡ theo yêu cầu")
    unpublished.unpublish()
    room.hidden["unpublished"] = unpublished
    expired = ArticlePageFactory(parent=thoi_su, title="Bài đã hết hạn hiển thị")
    type(expired).objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(1))
    room.hidden["expired"] = expired
    private_section = SectionPageFactory(parent=home, title="Nội bộ", slug="noi-bo")
    PageViewRestriction.objects.create(
        page=private_section, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )
    room.hidden["private"] = ArticlePageFactory(
        parent=private_section, title="Thông báo nội bộ của tòa soạn"
    )
    # A live story with a newer draft: partners get the published words only.
    live_with_draft = room.published[3]
    live_with_draft.title = "Tiêu đề nháp chưa duyệt của bài đã đăng"
    live_with_draft.save_revision()
    return room


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]
