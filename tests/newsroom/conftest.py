"""The newsroom of the workflow tests: two sections, their desks, one person per role."""

import pytest

from tests.factories import SectionPageFactory, UserFactory
from toasoan.newsroom.roles import (
    ADMINISTRATOR,
    CHIEF_EDITOR,
    CONTRIBUTOR,
    MANAGING_EDITOR,
    REPORTER,
    SECTION_EDITOR,
)
from toasoan.newsroom.workflow import setup_newsroom


@pytest.fixture
def newsroom(home):
    """Two sections, their desks and workflows, and one person per role."""
    politics = SectionPageFactory(parent=home, title="Thời sự", slug="thoi-su")
    economy = SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te")
    groups = setup_newsroom(home)

    def person(username, *group_names, **extra):
        user = UserFactory(username=username, **extra)
        user.groups.add(*[groups[name] for name in group_names])
        return user

    people = {
        "ctv": person("ctv", CONTRIBUTOR),
        "pv": person("pv", REPORTER),
        "pv2": person("pv2", REPORTER),
        "btv": person("btv", SECTION_EDITOR, "Ban Thời sự"),
        "btv_kt": person("btv_kt", SECTION_EDITOR, "Ban Kinh tế"),
        "tkts": person("tkts", MANAGING_EDITOR),
        "tbt": person("tbt", CHIEF_EDITOR),
        "dich": person("dich", "Biên dịch viên"),
        "kd": person("kd", "Kiểm duyệt bình luận"),
        "admin": person("admin", ADMINISTRATOR, is_superuser=True),
    }
    return {"sections": (politics, economy), "people": people, "groups": groups}
