"""The permission matrix of the planning desk: every role × file, see, approve, assign, merge,
export, on an idea of its own desk's section (Thời sự) and of another (Kinh tế). A refusal is
a 403 page saying why (or a form sent back with a message), never a 500."""

import pytest

from tests.planning.conftest import file_idea
from tests.staff import client_for
from toasoan.planning.models import Coverage, Idea

pytestmark = pytest.mark.django_db

ACTIONS = ("file", "see", "approve", "assign", "merge", "export")
# Per role: (on Thời sự, on Kinh tế), each a tuple over ACTIONS. "btv" is the Thời sự desk.
EXPECTED = {
    "ctv": ((True, False, False, False, False, False), (True, False, False, False, False, False)),
    "pv": ((True, False, False, False, False, False), (True, False, False, False, False, False)),
    "btv": ((True, True, True, True, True, True), (True, False, False, False, False, False)),
    "tkts": ((True, True, True, True, True, True), (True, True, True, True, True, True)),
    "tbt": ((True, True, True, True, True, True), (True, True, True, True, True, True)),
    "dich": (
        (False, False, False, False, False, False),
        (False, False, False, False, False, False),
    ),
    "kd": ((False, False, False, False, False, False), (False, False, False, False, False, False)),
    "admin": ((True, True, True, True, True, True), (True, True, True, True, True, True)),
}


def _observe(client, section, people) -> tuple[bool, ...]:
    """Each action tried through the admin's screens, as the person would."""
    pv2 = people["pv2"]
    # file: the form opens and a posted idea in this section is saved.
    before = Idea.objects.count()
    form = client.get("/admin/ke-hoach/de-tai/moi/")
    assert form.status_code in (200, 403)
    posted = client.post(
        "/admin/ke-hoach/de-tai/moi/",
        {
            "title": "Đề tài thử quyền",
            "angle": "Hướng khai thác.",
            "genre": "tin",
            "platforms": ["web"],
            "section": section.pk,
            "plan_date": "08/12/2026",
            "deadline": "08/12/2026 17:00",
        },
    )
    assert posted.status_code in (302, 403)
    filed = Idea.objects.count() == before + 1 and posted.status_code == 302

    other = file_idea(pv2, section, title="Đề tài của người khác")
    target = file_idea(pv2, section, title="Đề tài để gộp vào")
    seen = client.get(f"/admin/ke-hoach/de-tai/{other.pk}/")
    assert seen.status_code in (200, 403)
    see = seen.status_code == 200 and other.title in seen.content.decode()

    merged = client.post(
        f"/admin/ke-hoach/de-tai/{target.pk}/gop/", {f"m{target.pk}-into": other.pk}
    )
    assert merged.status_code in (302, 403)
    target.refresh_from_db()
    merge = target.state == Idea.State.MERGED

    approved = client.post(f"/admin/ke-hoach/de-tai/{other.pk}/duyet/", {})
    assert approved.status_code in (302, 403)
    other.refresh_from_db()
    approve = other.state == Idea.State.APPROVED and other.article_id is not None
    if not approve:  # assigning needs an approved idea: the desk approves it
        client_for(people["tkts"]).post(f"/admin/ke-hoach/de-tai/{other.pk}/duyet/", {})
    assigned = client.post(
        f"/admin/ke-hoach/de-tai/{other.pk}/phan-cong/",
        {"kind": "anh", "assignee": people["pv2"].pk, "deadline": "08/12/2026 15:00"},
    )
    assert assigned.status_code in (302, 403)
    assign = Coverage.objects.filter(idea=other, kind="anh").exists()

    printed = client.get(f"/admin/ke-hoach/in/?ngay=08/12/2026&chuyen-muc={section.pk}")
    exported = client.get(f"/admin/ke-hoach/su-kien/xuat.ics?chuyen-muc={section.pk}")
    assert printed.status_code in (200, 403) and exported.status_code == printed.status_code
    export = printed.status_code == 200
    if not export:
        assert "quyền" in printed.content.decode()
    return (filed, see, approve, assign, merge, export)


@pytest.mark.parametrize("role", EXPECTED)
def test_planning_permission_matrix(newsroom, people, role):
    politics, economy = newsroom["sections"]
    client = client_for(people[role])
    observed = (_observe(client, politics, people), _observe(client, economy, people))
    assert observed == EXPECTED[role]
    # The screens every member of staff may open answer, and never with a 500.
    for url in (
        "/admin/ke-hoach/",
        "/admin/ke-hoach/su-kien/",
        "/admin/ke-hoach/gui-thu/",
        "/admin/",
    ):
        assert client.get(url).status_code in (200, 302, 403), url


def test_refusals_say_why(newsroom, people):
    politics, economy = newsroom["sections"]
    idea = file_idea(people["pv2"], economy)
    response = client_for(people["btv"]).post(f"/admin/ke-hoach/de-tai/{idea.pk}/duyet/", {})
    assert response.status_code == 403
    assert "Chỉ trưởng ban của chuyên mục" in response.content.decode()
    idea.refresh_from_db()
    assert idea.state == Idea.State.PROPOSED and idea.article_id is None
    response = client_for(people["kd"]).get("/admin/ke-hoach/de-tai/moi/")
    assert response.status_code == 403 and "không có quyền đề xuất" in response.content.decode()


def test_writers_see_their_own_ideas_and_section_editors_their_sections(newsroom, people):
    politics, economy = newsroom["sections"]
    mine = file_idea(people["pv"], economy, title="Đề tài của tôi")
    file_idea(people["pv2"], politics, title="Đề tài Thời sự của người khác")
    file_idea(people["pv2"], economy, title="Đề tài Kinh tế của người khác")
    day = mine.plan_date.strftime("%d/%m/%Y")
    page = client_for(people["pv"]).get(f"/admin/ke-hoach/?ngay={day}").content.decode()
    assert "Đề tài của tôi" in page and "của người khác" not in page
    page = client_for(people["btv"]).get(f"/admin/ke-hoach/?ngay={day}").content.decode()
    assert "Đề tài Thời sự của người khác" in page and "Kinh tế của người khác" not in page
    page = client_for(people["tkts"]).get(f"/admin/ke-hoach/?ngay={day}").content.decode()
    assert page.count("của người khác") >= 2 and "Đề tài của tôi" in page
