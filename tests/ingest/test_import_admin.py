"""The upload screen: administrators import an archive and read what came in and what did not."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import UserFactory
from tests.ingest.conftest import fixture_file
from toasoan.ingest.models import ImportRun
from toasoan.newsroom.models import ArticlePage
from toasoan.newsroom.roles import ADMINISTRATOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(settings):
    settings.TWO_FACTOR_REQUIRED = False
    group = Group.objects.create(name=ADMINISTRATOR)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(username="quantri")
    user.groups.add(group)
    return user


def upload(client, home, name: str, content: bytes, **fields):
    data = {"target": home.pk, "featured": "on", "comments": "on", **fields}
    data["file"] = io.BytesIO(content)
    data["file"].name = name
    return client.post("/admin/nhap-lieu/nhap-kho/", data)


def test_administrator_imports_an_export_and_reads_the_summary(client, home, administrator):
    client.force_login(administrator)
    assert client.get("/admin/nhap-lieu/nhap-kho/").status_code == 200

    response = upload(client, home, "export.xml", fixture_file("small-export").read_bytes())

    run = ImportRun.objects.get()
    assert response["Location"] == f"/admin/nhap-lieu/nhap-kho/{run.pk}/"
    assert run.status == "done" and (run.done, run.total) == (11, 11)
    page = client.get(response["Location"]).content.decode()
    assert 'value="100"' in page  # the progress bar, full
    assert "đã nhập 6 bài" in page
    assert "Bài đã đăng</th><td>5" in page and "Bài nháp (chưa đăng)</th><td>1" in page
    assert "Trang tĩnh (page)" in page and "#2 Sample Page" in page
    state = json.loads(client.get(f"/admin/nhap-lieu/nhap-kho/{run.pk}/tien-do.json").content)
    assert state | {"label": None} == {
        "status": "done",
        "label": None,
        "text": "11/11 mục",
        "done": 11,
        "total": 11,
        "percent": 100,
        "finished": True,
        "stale": False,
    }
    assert ArticlePage.objects.count() == 6


def test_a_malformed_upload_is_refused_with_line_and_column(client, home, administrator):
    client.force_login(administrator)

    response = upload(client, home, "hong.xml", fixture_file("malformed").read_bytes())

    page = client.get(response["Location"]).content.decode()
    assert "Bị từ chối" in page and "dòng 27, cột 1" in page
    assert ArticlePage.objects.count() == 0


def test_running_the_same_file_again_adds_nothing(client, home, administrator):
    client.force_login(administrator)
    first = upload(client, home, "export.xml", fixture_file("small-export").read_bytes())

    again = client.post(first["Location"], {"action": "again"})

    page = client.get(again["Location"]).content.decode()
    assert "đã nhập 0 bài" in page and "Đã nhập ở lần trước" in page
    assert ArticlePage.objects.count() == 6


def test_the_uploaded_file_can_be_deleted_once_imported(client, home, administrator):
    client.force_login(administrator)
    first = upload(client, home, "export.xml", fixture_file("small-export").read_bytes())
    stored = Path(ImportRun.objects.get().stored_path)
    assert stored.is_file()

    client.post(first["Location"], {"action": "delete_file"})

    assert not stored.exists() and not stored.parent.exists()
    assert ImportRun.objects.get().stored_path == ""
    assert "Tệp tải lên đã được xoá" in client.get(first["Location"]).content.decode()


def test_a_zip_of_ninjs_files_merges_into_a_section(client, home, section, administrator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(3):
            item = {"uri": f"urn:baocu:{n}", "headline": f"Tin cũ số {n}", "body_html": "<p>x</p>"}
            archive.writestr(f"../../thu-muc/{n}.json", json.dumps(item))  # paths are ignored
    client.force_login(administrator)

    response = upload(client, home, "baocu.zip", buffer.getvalue(), target=section.pk)

    assert "đã nhập 3 bài" in client.get(response["Location"]).content.decode()
    assert ArticlePage.objects.child_of(section).count() == 3


def test_only_xml_or_zip_files_are_accepted(client, home, administrator):
    client.force_login(administrator)

    response = upload(client, home, "anh.jpg", b"\xff\xd8\xff")

    assert response.status_code == 200
    assert "Chỉ nhận tệp .xml" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_editors_cannot_open_the_import_screen(client, settings, section):
    settings.TWO_FACTOR_REQUIRED = False
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    assert client.get("/admin/nhap-lieu/nhap-kho/").status_code == 302
    assert client.get("/admin/nguon-tin/").status_code == 302


def test_administrator_manages_wire_sources(client, administrator):
    client.force_login(administrator)

    response = client.post(
        "/admin/nguon-tin/new/",
        {
            "name": "TTXVN",
            "credit": "TTXVN",
            "kind": "feed",
            "url": "https://ttxvn.test/rss",
            "interval_minutes": 10,
            "timeout_seconds": 20,
            "active": "on",
        },
    )

    assert response.status_code == 302
    assert "TTXVN" in client.get("/admin/nguon-tin/").content.decode()
