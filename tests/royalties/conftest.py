"""A small newsroom with a regulation, departments and one person per royalty role."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ArticlePageFactory, PenNameFactory, UserFactory
from toasoan.newsroom.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    CHIEF_EDITOR,
    CONTRIBUTOR,
    REPORTER,
    ensure_roles,
)
from toasoan.royalties.models import Department, DepartmentMember, Genre, Multiplier, Regulation

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int = 3, year: int = 2025, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=VN)


@pytest.fixture
def regulation(db) -> Regulation:
    regulation = Regulation(
        name="Quy chế thử", valid_from=date(2020, 1, 1), point_value=100_000, is_example=True
    )
    for order, (name, kind, low, high) in enumerate(
        [("Tin", "tin", 1, 5), ("Bài", "bai", 3, 12), ("Ảnh", "anh", 1, 6)]
    ):
        regulation.genres.add(
            Genre(
                name=name,
                article_kind=kind,
                min_points=Decimal(low),
                max_points=Decimal(high),
                sort_order=order,
            )
        )
    regulation.multipliers.add(Multiplier(name="Độc quyền", factor=Decimal("1.2"), sort_order=0))
    regulation.multipliers.add(Multiplier(name="Vùng sâu", factor=Decimal("1.3"), sort_order=1))
    regulation.save()
    return regulation


@pytest.fixture
def newsroom(home, regulation):
    """People by role, their pen names, two departments (one head) and an outside contributor."""
    groups = ensure_roles(home)

    def person(username, full_name, *roles, **extra):
        user = UserFactory(username=username, first_name=full_name, last_name="", **extra)
        user.groups.add(*[groups[role] for role in roles])
        return user

    people = {
        "tbt": person("tbt", "Nguyễn Văn Quang", CHIEF_EDITOR),
        "ketoan": person("ketoan", "Trương Thị Kế", ACCOUNTANT),
        "pv": person("pv", "Võ Văn An", REPORTER),
        "pv2": person("pv2", "Hoàng Thị Liên", REPORTER),
        "truongphong": person("truongphong", "Nguyễn Minh Hải", REPORTER),
        "ctv": person("ctv", "Lê Thị Trâm", CONTRIBUTOR),
        "quantri": person("quantri", "Quản Trị Viên", ADMINISTRATOR),
        "kiemduyet": person("kiemduyet", "Phạm Văn Duyệt", "Kiểm duyệt bình luận"),
    }
    pens = {
        "V.A": PenNameFactory(name="V.A", staff_member=people["pv"]),
        "HOÀNG LIÊN": PenNameFactory(name="HOÀNG LIÊN", staff_member=people["pv2"]),
        "MINH HẢI": PenNameFactory(name="MINH HẢI", staff_member=people["truongphong"]),
        "LÊ TRÂM": PenNameFactory(name="LÊ TRÂM", staff_member=people["ctv"]),
        "LÃO NÔNG": PenNameFactory(
            name="LÃO NÔNG", staff_member=None, outside_contributor="Trần Văn Nông"
        ),
    }
    politics = Department.objects.create(name="Phòng Thời sự")
    economy = Department.objects.create(name="Phòng Kinh tế")
    DepartmentMember.objects.create(department=politics, user=people["truongphong"], is_head=True)
    DepartmentMember.objects.create(department=politics, user=people["pv"])
    DepartmentMember.objects.create(department=economy, user=people["pv2"])
    return {
        "people": people,
        "pens": pens,
        "departments": {"politics": politics, "economy": economy},
        "regulation": regulation,
    }


@pytest.fixture
def make_story(section):
    def _make(title: str, pens: list, when: datetime, kind: str = "bai", **kwargs):
        return ArticlePageFactory(
            parent=section,
            title=title,
            pen_names=pens,
            first_published_at=when,
            kind=kind,
            **kwargs,
        )

    return _make
