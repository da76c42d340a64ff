import time

import pytest
from django.utils import timezone

from tests.factories import SectionPageFactory, UserFactory
from tests.staff import client_for
from toasoan.live.models import LiveBlogPage, Mode
from toasoan.live.roles import grant_live_roles
from toasoan.newsroom.roles import CHIEF_EDITOR, REPORTER, SECTION_EDITOR
from toasoan.newsroom.workflow import desk_name, setup_newsroom


@pytest.fixture
def other_section(home):
    return SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te")


@pytest.fixture
def roles(home, section, other_section):
    """The newsroom's roles and a desk per section ("Ban Thời sự", "Ban Kinh tế")."""
    groups = setup_newsroom(home)
    grant_live_roles()
    return groups


def _member(groups, *names, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(*(groups[name] for name in names))
    return user


@pytest.fixture
def reporter(roles):
    return _member(roles, REPORTER, first_name="Phóng viên", last_name="Một")


@pytest.fixture
def editor(roles, section):
    """An editor of the blogs' own section (Thời sự)."""
    return _member(
        roles, SECTION_EDITOR, desk_name(section), first_name="Biên tập", last_name="Viên"
    )


@pytest.fixture
def other_editor(roles, other_section):
    """An editor of another section's desk (Kinh tế)."""
    return _member(
        roles, SECTION_EDITOR, desk_name(other_section), first_name="Biên tập", last_name="Kinh tế"
    )


@pytest.fixture
def chief(roles):
    return _member(roles, CHIEF_EDITOR, first_name="Tổng", last_name="Biên tập")


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


def add_live_page(section, **kwargs) -> LiveBlogPage:
    page = LiveBlogPage(
        title=kwargs.pop("title", "Trực tiếp: bão số 13"),
        summary=kwargs.pop("summary", "Diễn biến bão."),
        coverage_start=kwargs.pop("coverage_start", timezone.now()),
        **kwargs,
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def blog(section, roles):
    return add_live_page(section)


@pytest.fixture
def qa_session(section, roles):
    return add_live_page(
        section,
        title="Giao lưu trực tuyến: phòng chống sạt lở",
        mode=Mode.QA,
        guest_names="TS. Hồ Văn Sơn",
    )


def token() -> str:
    from toasoan.comments.moderation import form_token

    return form_token(time.time() - 30)
