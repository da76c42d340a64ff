"""The planning desk's newsroom: the workflow tests' two sections and people, a photographer,
and helpers to file ideas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PenNameFactory, UserFactory
from tests.newsroom.conftest import newsroom  # noqa: F401 - the shared newsroom fixture
from toasoan.newsroom.roles import REPORTER
from toasoan.planning import ideas
from toasoan.planning.models import Idea


@pytest.fixture
def people(newsroom):  # noqa: F811
    people = dict(newsroom["people"])
    for name in ("anh", "anh2"):
        people[name] = UserFactory(username=name, first_name=f"Nhiếp ảnh {name}", last_name="")
        people[name].groups.add(newsroom["groups"][REPORTER])
    PenNameFactory(name="V.A", staff_member=people["pv"])
    return people


def file_idea(user, section, title="Đê biển Tam Thanh trước mùa bão", **extra) -> Idea:
    now = timezone.now()
    fields = {
        "title": title,
        "angle": "Kinh phí gia cố, tiến độ, ý kiến người dân xã Tam Thanh.",
        "genre": "bai",
        "platforms": ["web", "in"],
        "section": section,
        "place": "Núi Thành",
        "plan_date": timezone.localdate() + timedelta(days=1),
        "deadline": now + timedelta(days=1),
        **extra,
    }
    return ideas.file_idea(Idea(**fields), user)
