import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from toasoan.demo.loader import DATA, STAFF, parse_seed
from toasoan.frontpage.models import FeaturedSlot
from toasoan.newsroom.models import ArticlePage, Photo, PhotoRendition, SectionPage
from toasoan.newsroom.roles import ROLES

pytestmark = pytest.mark.django_db

SEED_TITLE = "Hoạt động thông tin đối ngoại có vai trò quan trọng thúc đẩy phát triển kinh tế"


def counts():
    return (
        ArticlePage.objects.count(),
        SectionPage.objects.count(),
        Photo.objects.count(),
        FeaturedSlot.objects.count(),
        get_user_model().objects.count(),
    )


def test_demo_loads_a_newspaper_once(capsys):
    call_command("load_demo", no_renditions=True)
    first = counts()
    output = capsys.readouterr().out
    call_command("load_demo", no_renditions=True)
    assert counts() == first, "a second run must add nothing"
    stories, sections, photos, featured, users = first
    assert stories >= 31 and sections >= 7 and featured >= 6
    assert {"Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Văn hóa – Du lịch", "Thể thao"} <= set(
        SectionPage.objects.values_list("title", flat=True)
    )
    days = {a.first_published_at.date() for a in ArticlePage.objects.live()}
    assert len(days) >= 14, "stories spread over several weeks"
    assert all(p.caption and p.credit for p in Photo.objects.all())
    for account in STAFF:
        assert account.username in output
        user = get_user_model().objects.get(username=account.username)
        assert user.groups.filter(name=account.role).exists()
    assert {role.group for role in ROLES} <= set(Group.objects.values_list("name", flat=True))


def test_demo_home_is_made_after_a_flush():
    """`manage.py flush` empties what Wagtail's migrations made (locale, tree root, root
    collection) with the rest; loading the demo after it still builds the paper's home."""
    from wagtail.models import Collection, Locale, Page, Site

    from toasoan.demo.loader import DemoLoader

    call_command("flush", interactive=False, verbosity=0)
    assert not Page.objects.exists() and not Locale.objects.exists()
    home = DemoLoader(log=lambda *a: None).home()
    assert home.get_parent().is_root() and home.locale.language_code == "vi"
    assert Collection.get_first_root_node() is not None
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


def test_seed_article_is_exact_and_first_views_resize_no_photo(client):
    """The demo as `make run` loads it: the seed article reproduced exactly, and its first
    reader does not wait for photos to be resized: load_demo made every size the home page,
    a section and the seed article show (they took 18 s and 5 s). One test: a load costs
    ~20 s of CPU."""
    call_command("load_demo", stdout=io.StringIO())
    made = PhotoRendition.objects.count()
    _seed_article_is_reproduced_exactly(client)
    seed = ArticlePage.objects.get(title=SEED_TITLE, locale__language_code="vi")
    for path in ("/", "/kinh-te/", "/the-thao/", seed.url, "/en/"):
        html = client.get(path).content.decode()
        assert "<picture>" in html, path
    assert PhotoRendition.objects.count() == made


def _seed_article_is_reproduced_exactly(client):
    seed_text = (DATA / "seed_article.txt").read_text(encoding="utf-8")
    seed = parse_seed(seed_text)
    story = ArticlePage.objects.get(title=SEED_TITLE)
    assert story.url.startswith(
        "/chinh-tri/hoat-dong-thong-tin-doi-ngoai-co-vai-tro-quan-trong-thuc-day-phat-trien-kinh-te-"
    )
    html = client.get(story.url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert f'<h1 id="story-title" class="story__title">{SEED_TITLE}</h1>' in html
    assert ">V.A</a>" in html and ">22/12/2021 10:01</time>" in html
    assert "(QNO) - Sáng nay 22.12, Phó Chủ tịch UBND tỉnh Hồ Quang Bửu" in html
    paragraphs = [b[1] for b in seed.blocks if b[0] == "paragraph"]
    assert len(paragraphs) == 3
    for paragraph in paragraphs:
        assert paragraph in html
    captions = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    ]
    assert captions == [
        "Phó Chủ tịch UBND tỉnh Hồ Quang Bửu phát biểu khai mạc hội nghị. Ảnh: V.A",
        "Quang cảnh hội nghị tại điểm cầu UBND tỉnh. Ảnh: V.A",
    ]
    assert "(0) Bình luận" in text and "Nổi bật" in text and "Mới nhất" in text
    # The body follows the seed's order: photo, two paragraphs, photo, paragraph.
    assert [b.block_type for b in story.body] == [
        "photo",
        "paragraph",
        "paragraph",
        "photo",
        "paragraph",
    ]
