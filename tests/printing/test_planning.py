"""Issues and pages: the permission matrix, placing stories, page states, print versions."""

import pytest

from tests.staff import client_for
from toasoan.newsroom.models import ArticlePage
from toasoan.printing.models import PageSlot, PageState, PrintIssue, PrintUse, PrintVersion
from toasoan.printing.planning import place_story

pytestmark = pytest.mark.django_db

# --- the permission matrix for issues and pages ------------------------------------------------
EXPECTED = {
    #        see, create issue, place story, page→morat, TBT duyệt, gửi in, upload PDF, bản in
    "ctv": (False, False, False, False, False, False, False, False),
    "pv": (False, False, False, False, False, False, False, False),
    "btv": (True, False, False, False, False, False, False, True),
    "tkts": (True, True, True, True, False, True, True, True),
    "tbt": (True, True, True, True, True, True, True, True),
    "dich": (False, False, False, False, False, False, False, False),
    "kd": (False, False, False, False, False, False, False, False),
    "admin": (True, True, True, True, True, True, True, True),
}


def _state(issue, number):
    return issue.pages.get(number=number).state


@pytest.mark.parametrize("role", EXPECTED)
def test_permission_matrix(newsroom, stories, issue, role):
    user = newsroom["people"][role]
    client = client_for(user)
    base = f"/admin/bao-in/so/{issue.pk}/"
    see = client.get(base).status_code == 200
    created = client.post(
        "/admin/bao-in/tao/",
        {
            "date": "2026-12-20",
            "number": 1300,
            "page_count": 8,
            "page_width_mm": 330,
            "page_height_mm": 480,
        },
    )
    create = PrintIssue.objects.filter(number=1300).exists()
    assert created.status_code in (302, 403)
    client.post(f"{base}dat-bai/", {"story": stories[0].pk, "page": 1, "planned_chars": 2000})
    place = PageSlot.objects.filter(page__issue=issue, story=stories[0]).exists()

    # Each step tried on a page already at the step before it (set by the chief).
    chief = newsroom["people"]["tbt"]
    issue.pages.filter(number=2).update(state=PageState.LAID_OUT)
    client.post(f"{base}trang/2/buoc/", {"state": PageState.PROOF})
    to_proof = _state(issue, 2) == PageState.PROOF
    issue.pages.filter(number=3).update(state=PageState.PROOF)
    client.post(f"{base}trang/3/buoc/", {"state": PageState.APPROVED})
    approve = _state(issue, 3) == PageState.APPROVED
    issue.pages.filter(number=4).update(state=PageState.APPROVED)
    client.post(f"{base}trang/4/buoc/", {"state": PageState.SENT})
    send = _state(issue, 4) == PageState.SENT
    issue.pages.update(state=PageState.APPROVED)
    from tests.printing.conftest import sample_pdf

    client.post(f"{base}pdf/", {"pdfs": [_upload(sample_pdf(1), "trang-01.pdf")]})
    upload = issue.pages.get(number=1).pdf.name != ""
    answer = client.get(f"/admin/bao-in/ban-in/{stories[1].pk}/")
    cut = answer.status_code == 200
    observed = (see, create, place, to_proof, approve, send, upload, cut)
    assert observed == EXPECTED[role]
    assert chief  # the chief set the stage; every refusal above was a clean 302/403
    for url in (base, f"/admin/bao-in/ban-in/{stories[1].pk}/", "/admin/bao-in/"):
        assert client.get(url).status_code in (200, 302, 403), url


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_pages_move_one_step_at_a_time_and_sent_pages_record_print_use(newsroom, stories, issue):
    tkts, tbt = newsroom["people"]["tkts"], newsroom["people"]["tbt"]
    page = issue.pages.get(number=1)
    place_story(page, stories[0])
    base = f"/admin/bao-in/so/{issue.pk}/trang/1/buoc/"
    # No skipping: straight to "TBT duyệt" is refused.
    client_for(tbt).post(base, {"state": PageState.APPROVED})
    assert _state(issue, 1) == PageState.PLANNED
    for who, state in (
        (tkts, PageState.LAID_OUT),
        (tkts, PageState.PROOF),
        (tbt, PageState.APPROVED),
        (tkts, PageState.SENT),
    ):
        answer = client_for(who).post(base, {"state": state}, follow=True)
        assert answer.status_code == 200
        assert _state(issue, 1) == state
    use = PrintUse.objects.get(issue=issue, page_number=1)
    assert use.story_id == stories[0].pk and use.web_revision_id == stories[0].live_revision_id
    # A page sent to the printer takes no more stories.
    answer = client_for(tkts).post(
        f"/admin/bao-in/so/{issue.pk}/dat-bai/", {"story": stories[1].pk, "page": 1}, follow=True
    )
    assert "Đã gửi in" in answer.content.decode()
    assert not PageSlot.objects.filter(story=stories[1]).exists()


def test_a_print_version_never_changes_the_web_story(newsroom, stories):
    story = stories[0]
    web_before = ArticlePage.objects.get(pk=story.pk)
    revisions_before = web_before.revisions.count()
    client = client_for(newsroom["people"]["btv"])
    url = f"/admin/bao-in/ban-in/{story.pk}/"
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {"title": "Tít bản in ngắn", "sapo": "Sapo in.", "body": "Đoạn một.\n\n\nĐoạn hai."},
        follow=True,
    )
    assert "Đã lưu bản in" in answer.content.decode()
    version = PrintVersion.objects.get(story=story)
    assert (version.title, version.body) == ("Tít bản in ngắn", "Đoạn một.\n\nĐoạn hai.")
    assert version.revisions.count() == 2  # the copy of the web text, then the cut
    web_after = ArticlePage.objects.get(pk=story.pk)
    assert (web_after.title, web_after.sapo, list(web_after.body.raw_data)) == (
        web_before.title,
        web_before.sapo,
        list(web_before.body.raw_data),
    )
    assert web_after.revisions.count() == revisions_before
    # An earlier revision comes back as a new one.
    first = version.revisions.get(number=1)
    client.post(f"{url}khoi-phuc/{first.pk}/")
    version.refresh_from_db()
    assert version.title == story.title and version.revisions.count() == 3


def test_character_counts_against_the_slot(newsroom, stories, issue):
    page = issue.pages.get(number=1)
    slot = place_story(page, stories[0], planned_chars=10)
    html = (
        client_for(newsroom["people"]["tkts"]).get(f"/admin/bao-in/so/{issue.pk}/").content.decode()
    )
    assert "/ 10 ký tự (thừa" in html
    assert slot.pk


def test_opening_a_print_version_writes_nothing(newsroom, stories):
    client = client_for(newsroom["people"]["btv"])
    page = client.get(f"/admin/bao-in/ban-in/{stories[0].pk}/").content.decode()
    assert "Chưa có bản in" in page and stories[0].title in page
    assert not PrintVersion.objects.exists()


def test_two_editors_cutting_at_once_never_overwrite_each_other(newsroom, stories):
    story = stories[0]
    url = f"/admin/bao-in/ban-in/{story.pk}/"
    first, second = client_for(newsroom["people"]["btv"]), client_for(newsroom["people"]["tkts"])
    # Both open the story before either has saved: both forms start from nothing saved.
    assert 'name="base" value="0"' in first.get(url).content.decode()
    assert 'name="base" value="0"' in second.get(url).content.decode()
    cut = {"title": "Tít của BTV", "sapo": "", "body": "Bản cắt của BTV.", "base": "0"}
    assert "Đã lưu bản in" in first.post(url, cut, follow=True).content.decode()
    late = {"title": "Tít của TKTS", "sapo": "", "body": "Bản cắt của TKTS.", "base": "0"}
    answer = second.post(url, late).content.decode()
    assert "người khác đã lưu bản in (phiên bản 2)" in answer
    version = PrintVersion.objects.get(story=story)
    assert version.title == "Tít của BTV" and version.revisions.count() == 2
    # Reopened, the second editor saves over the latest one.
    assert 'name="base" value="2"' in second.get(url).content.decode()
    second.post(url, {**late, "base": "2"})
    version.refresh_from_db()
    assert version.title == "Tít của TKTS" and version.revisions.count() == 3
