"""The admin as the newsroom's own workspace: nothing from other hosts, help and screens in
Vietnamese, each report for the roles that use it, readers' 404 in Vietnamese even in DEBUG."""

import importlib
import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from wagtail.models import Locale

from tests.factories import ArticlePageFactory, UserFactory
from toasoan.newsroom.roles import ensure_roles

pytestmark = pytest.mark.django_db

TRANSLATIONS_REPORT = "/admin/localize/reports/translations/"


def sidebar_submenu(client, name: str) -> dict[str, str]:
    """{url: label} of one of the admin sidebar's submenus, as the signed-in user sees it."""
    html = client.get("/admin/").content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    found = {}

    def walk(node, inside=False):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type") == "wagtail.sidebar.SubMenuItem":
                walk(args[1], args[0]["name"] == name)
                return
            if node.get("_type") == "wagtail.sidebar.LinkMenuItem" and inside:
                found[args[0]["url"]] = args[0]["label"]
            for value in node.values():
                walk(value, inside)
        elif isinstance(node, list):
            for value in node:
                walk(value, inside)

    walk(json.loads(props.group(1)))
    return found


@pytest.fixture
def staff_client(home):
    def _client(role: str, **names):
        user = UserFactory(**names)
        user.groups.add(ensure_roles(home)[role])
        client = Client()
        client.force_login(user)
        return client, user

    return _client


@pytest.fixture
def admin_client(home, settings):
    settings.TWO_FACTOR_REQUIRED = False  # these tests look at screens, not at signing in
    client = Client()
    client.force_login(UserFactory(username="quantri", is_superuser=True))
    return client


def test_no_avatar_or_anything_else_from_gravatar(staff_client):
    client, reporter = staff_client("Phóng viên", first_name="Nguyễn Văn", last_name="Quang")
    for path in ("/admin/", "/admin/account/", "/admin/pages/"):
        html = client.get(path, follow=True).content.decode()
        assert "gravatar" not in html
        assert f"/admin/anh-dai-dien/{reporter.pk}.svg" in html


def test_avatar_is_the_initials_from_our_server(staff_client):
    client, reporter = staff_client("Phóng viên", first_name="Đông Thị", last_name="Hà")
    response = client.get(f"/admin/anh-dai-dien/{reporter.pk}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert ">ĐH</text>" in response.content.decode()
    # Not for the public: an avatar names a staff member.
    assert Client().get(f"/admin/anh-dai-dien/{reporter.pk}.svg").status_code == 302


def test_a_staff_member_uploads_a_photo_in_place_of_the_initials(staff_client):
    # The whole name in one field, in Vietnamese order, as the demo's staff have it.
    client, reporter = staff_client("Phóng viên", first_name="Đông Thị Hà", last_name="")
    jpeg = io.BytesIO()
    Image.new("RGB", (200, 200), (40, 120, 90)).save(jpeg, "JPEG")
    saved = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Đông Thị Hà",
            "name_email-last_name": "",
            "name_email-email": reporter.email,
            "avatar-avatar": SimpleUploadedFile("chan-dung.jpg", jpeg.getvalue(), "image/jpeg"),
            "locale-preferred_language": "vi",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )
    assert saved.status_code == 302
    html = client.get("/admin/").content.decode()
    assert re.search(r'<img src="/media/avatar_images/[^"]*chan-dung[^"]*\.jpg"', html)
    assert "gravatar" not in html


def test_help_points_at_our_vietnamese_guide(staff_client):
    client, _ = staff_client("Phóng viên")
    dashboard = client.get("/admin/").content.decode()
    assert "guide.wagtail.org" not in dashboard
    assert 'href="/admin/huong-dan/"' in dashboard  # beside the avatar
    help_menu = sidebar_submenu(client, "help")
    assert help_menu["/admin/huong-dan/"] == "Hướng dẫn biên tập"
    assert not [url for url in help_menu if "wagtail.org" in url]

    guide = client.get("/admin/huong-dan/")
    html = guide.content.decode()
    assert guide.status_code == 200
    assert "<h2>1. Vai trò và quyền</h2>" in html
    pictures = re.findall(r'<img src="(/admin/huong-dan/anh/[^"]+)"', html)
    assert len(pictures) >= 5
    picture = client.get(pictures[0])
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("name", ["..%2F..%2Fmanage.py", "khong-co.jpg", "huong-dan-bien-tap.md"])
def test_the_guide_serves_its_screenshots_and_nothing_else(staff_client, name):
    client, _ = staff_client("Phóng viên")
    response = client.get(f"/admin/huong-dan/anh/{name}", follow=True)
    assert response.status_code == 404
    assert b"DJANGO_SETTINGS_MODULE" not in response.content


@pytest.mark.parametrize("role", ["Kế toán", "Kiểm duyệt bình luận", "Cộng tác viên"])
def test_translations_report_is_not_for_roles_that_do_not_translate(staff_client, role):
    client, _ = staff_client(role)
    assert TRANSLATIONS_REPORT not in sidebar_submenu(client, "reports")
    assert client.get(TRANSLATIONS_REPORT).status_code in (302, 403)
    assert client.get(TRANSLATIONS_REPORT + "results/").status_code in (302, 403)


@pytest.mark.parametrize("role", ["Biên dịch viên", "Tổng biên tập"])
def test_translations_report_is_for_those_who_translate(staff_client, role):
    client, _ = staff_client(role)
    assert sidebar_submenu(client, "reports")[TRANSLATIONS_REPORT] == "Bản dịch"
    report = client.get(TRANSLATIONS_REPORT).content.decode()
    for english in ("Content type", "Source title", "Source locale", "Target locale", "Target"):
        assert f">{english}<" not in report and f"> {english} <" not in report
    assert "Loại nội dung" in report and "Ngôn ngữ bản dịch" in report


def test_administrators_see_settings_in_vietnamese(admin_client, home):
    Locale.objects.get_or_create(language_code="en")
    sites = admin_client.get("/admin/sites/").content.decode()
    for english, vietnamese in (("Port", "Cổng"), ("Site name", "Tên trang web")):
        assert english not in sites and vietnamese in sites
    assert "Root page" not in sites and "Trang gốc" in sites
    locales = admin_client.get("/admin/locales/").content.decode()
    assert re.search(r"\d+ trang", locales) and not re.search(r"\d+ pages", locales)
    assert TRANSLATIONS_REPORT in sidebar_submenu(admin_client, "reports")


def test_story_editor_explains_tags_in_vietnamese(admin_client, section):
    story = ArticlePageFactory(parent=section, title="Mưa lớn ở Tam Kỳ")
    html = admin_client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "A comma-separated list of tags." not in html
    assert "cách nhau bằng dấu phẩy." in html


@pytest.mark.parametrize("path", ["/khong-co-bai-nay/", "/wp-login.php", "/en/no-such-page/"])
def test_readers_get_the_papers_404_even_in_debug(home, settings, path):
    settings.DEBUG = True
    response = Client().get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert "DEBUG = True" not in html and "URLconf" not in html
    assert '<html lang="vi"' in html or '<html lang="en"' in html
    if not path.startswith("/en/"):
        assert "Không tìm thấy trang" in html


def test_staff_keep_the_technical_404_in_debug(staff_client, settings):
    settings.DEBUG = True
    client, _ = staff_client("Phóng viên")
    assert "DEBUG = True" in client.get("/wp-login.php").content.decode()


def test_what_screen_readers_say_on_the_dashboard_and_listings_is_vietnamese(staff_client, home):
    """Wagtail writes the dashboard's search button and the header's action bar in English
    whatever the language; a screen reader says both aloud."""
    client, _ = staff_client("Thư ký tòa soạn")
    dashboard = client.get("/admin/").content.decode()
    assert 'value="Search"' not in dashboard and 'value="Tìm kiếm"' in dashboard
    listing = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert 'aria-label="Actions"' not in listing and 'aria-label="Thao tác"' in listing


def test_a_new_user_is_given_only_the_newsrooms_roles(admin_client, home):
    """Wagtail's own "Moderators" and "Editors" groups are gone from every install."""
    ensure_roles(home)
    form = admin_client.get("/admin/users/new/").content.decode()
    assert "Phóng viên" in form and "Thư ký tòa soạn" in form
    assert "Moderators" not in form and "Editors" not in form


def test_a_wagtail_group_someone_is_in_stays(home):
    """An install whose staff were put in "Editors" before keeps it: their rights stay."""
    from django.apps import apps

    drop = importlib.import_module(
        "toasoan.newsroom.migrations.0005_no_wagtail_default_groups"
    ).drop_unused_default_groups
    editors = Group.objects.create(name="Editors")
    editors.user_set.add(UserFactory())
    Group.objects.create(name="Moderators")
    drop(apps, None)
    assert list(Group.objects.filter(name__in=["Editors", "Moderators"])) == [editors]
