"""Merging another paper's archive: a folder of ninjs files (1.x, 2.x, 3.x) into a section."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from tests.ingest.conftest import jpeg
from toasoan.ingest.archive import ALREADY, Options
from toasoan.ingest.models import LegacyURL
from toasoan.ingest.ninjs import NinjsError
from toasoan.ingest.ninjs_import import import_ninjs
from toasoan.newsroom.models import ArticlePage, Photo

pytestmark = pytest.mark.django_db

NINJS_1 = {
    "uri": "https://baocu.test/thoi-su/cau-moi-100.html",
    "type": "text",
    "headline": "Khánh thành cầu mới qua sông Thu Bồn",
    "byline": "THANH HÀ",
    "versioncreated": "2019-05-04T08:30:00+07:00",
    "description_text": "Cây cầu nối hai bờ sông sau 20 tháng thi công.",
    "body_html": "<p>Sáng nay, cầu mới đã thông xe.</p>",
    "subject": [{"name": "Giao thông"}],
    "associations": {
        "featureimage": {
            "type": "picture",
            "headline": "Cầu mới",
            "description_text": "Cầu nhìn từ bờ bắc.",
            "byline": "Q.T",
            "renditions": {"original": {"href": "anh/cau-moi.jpg", "width": 1200}},
        }
    },
}
NINJS_2 = {
    "uri": "urn:baocu:200",
    "type": "text",
    "headlines": [{"role": "main", "value": "Mùa lúa bội thu ở Đại Lộc"}],
    "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Đoạn một.\n\nĐoạn hai."}],
    "by": "MINH ANH",
    "firstcreated": "2020-10-01T01:00:00Z",
    "versioncreated": "2020-10-02T01:00:00Z",
    "altids": [{"role": "url", "value": "https://baocu.test/kinh-te/lua-200.html"}],
    "pubstatus": "usable",
}
NINJS_3 = {
    "uri": "urn:baocu:300",
    "type": "text",
    "headlines": [{"value": "Bản tin bị rút"}],
    "pubStatus": "withheld",
    "versionCreated": "2021-01-01T00:00:00Z",
    "bodies": [{"contentType": "text/html", "value": "<p>Chưa đăng.</p>"}],
    "associations": [
        {
            "name": "anh",
            "uri": "urn:anh:1",
            "type": "picture",
            "renditions": [{"href": "https://cdn.baocu.test/anh/xa.jpg", "width": 800}],
        }
    ],
}


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "baocu"
    (folder / "2019").mkdir(parents=True)
    (folder / "2019" / "100.json").write_text(json.dumps(NINJS_1, ensure_ascii=False))
    (folder / "200.json").write_text(json.dumps(NINJS_2, ensure_ascii=False))
    (folder / "300.json").write_text(json.dumps(NINJS_3, ensure_ascii=False))
    jpeg(folder / "anh" / "cau-moi.jpg")
    return folder


def test_a_ninjs_archive_merges_into_a_section_keeping_bylines_dates_images(home, section, archive):
    summary = import_ninjs(archive, Options(target=section, media_dir=archive))

    assert (summary.counts["stories_live"], summary.counts["stories_draft"]) == (2, 1)
    bridge = ArticlePage.objects.get(title="Khánh thành cầu mới qua sông Thu Bồn")
    assert bridge.get_parent().pk == section.pk
    assert [p.name for p in bridge.pen_names()] == ["THANH HÀ"]
    assert bridge.first_published_at == datetime(2019, 5, 4, 1, 30, tzinfo=UTC)
    assert bridge.sapo == "Cây cầu nối hai bờ sông sau 20 tháng thi công."
    assert (bridge.cover_image.caption, bridge.cover_image.credit) == ("Cầu nhìn từ bờ bắc.", "Q.T")
    assert list(bridge.topics.names()) == ["Giao thông"]
    rice = ArticlePage.objects.get(title="Mùa lúa bội thu ở Đại Lộc")
    assert rice.sapo == "Đoạn một." and "Đoạn hai." in str(rice.body)
    assert rice.last_published_at == datetime(2020, 10, 2, 1, 0, tzinfo=UTC)
    withheld = ArticlePage.objects.get(title="Bản tin bị rút")
    assert not withheld.live
    assert 'src="https://cdn.baocu.test/anh/xa.jpg"' in str(withheld.body)  # not downloaded
    assert Photo.objects.count() == 1


def test_old_addresses_on_the_old_domain_lead_to_the_merged_stories(
    client, settings, home, section, archive
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "baocu.test"]
    import_ninjs(archive, Options(target=section, old_domain="baocu.test"))
    bridge = ArticlePage.objects.get(title="Khánh thành cầu mới qua sông Thu Bồn")
    rice = ArticlePage.objects.get(title="Mùa lúa bội thu ở Đại Lộc")

    moved = client.get("/thoi-su/cau-moi-100.html", HTTP_HOST="baocu.test")
    assert (moved.status_code, moved["Location"]) == (301, bridge.full_url)
    assert client.get("/kinh-te/lua-200.html", HTTP_HOST="baocu.test")["Location"] == rice.full_url
    assert LegacyURL.objects.filter(host="baocu.test").count() == 2


def test_two_merged_papers_keep_their_own_old_addresses(client, settings, home, section, tmp_path):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "baoa.test", "baob.test"]
    made = {}
    for paper in ("baoa", "baob"):
        folder = tmp_path / paper
        folder.mkdir()
        item = {
            "uri": f"urn:{paper}:1",
            "headline": f"Tin của {paper}",
            "altids": [{"role": "url", "value": "/tin/1.html"}],  # the same path on both
        }
        (folder / "1.json").write_text(json.dumps(item))
        import_ninjs(folder, Options(target=section, old_domain=f"{paper}.test"))
        made[paper] = ArticlePage.objects.get(title=f"Tin của {paper}")

    for paper, story in made.items():
        response = client.get("/tin/1.html", HTTP_HOST=f"{paper}.test")
        assert response["Location"] == story.full_url


def test_running_the_merge_again_adds_nothing(home, section, archive):
    import_ninjs(archive, Options(target=section))
    again = import_ninjs(archive, Options(target=section))

    assert again.imported == 0 and again.skipped[ALREADY] == 3
    assert ArticlePage.objects.count() == 3


def test_a_broken_file_stops_the_merge_before_anything_is_written(home, section, archive):
    (archive / "zz-hong.json").write_text('{\n  "uri": "urn:x",\n  "headline": "Cắt\n')

    with pytest.raises(NinjsError) as refused:
        import_ninjs(archive, Options(target=section))

    assert "zz-hong.json, dòng 3, cột" in str(refused.value)
    assert ArticlePage.objects.count() == 0


def test_json_that_is_not_ninjs_is_refused(home, section, tmp_path):
    (tmp_path / "a.json").write_text('{"title": "không có uri"}')
    with pytest.raises(NinjsError, match="thiếu “uri”"):
        import_ninjs(tmp_path, Options(target=section))


def test_the_command_merges_into_a_section_by_path(home, section, archive, capsys):
    call_command("import_ninjs", str(archive), "--into", "thoi-su", "--old-domain", "baocu.test")

    assert "Đã nhập 3 bài." in capsys.readouterr().out
    assert ArticlePage.objects.child_of(section).count() == 3
    with pytest.raises(CommandError, match="khong-co"):
        call_command("import_ninjs", str(archive), "--into", "khong-co")


def test_wxr_merge_by_command_into_an_edition_section(home, section, tmp_path, capsys):
    from toasoan.ingest.sample import write_wxr

    path = write_wxr(tmp_path / "baocu.xml", posts=6)
    call_command(
        "import_wxr",
        str(path),
        "--into",
        "thoi-su",
        "--old-domain",
        "baocu.test",
        "--section-map",
        "kinh-te=-",  # and so its subcategory nong-nghiep too
        "--no-featured",
    )

    out = capsys.readouterr().out
    assert "Đã nhập 3 bài." in out and "Thuộc chuyên mục bị loại theo --section-map: 3" in out
    assert ArticlePage.objects.descendant_of(section).count() == 3
