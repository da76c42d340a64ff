"""An idea's life: filed, returned with a note, refiled, approved (the draft story is created),
a photo coverage declined, reassigned and accepted, the draft through PV → BTV → TKTS → TBT,
the idea "đã đăng"; merging; the meeting screen's filters; the dashboards."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import WorkflowState

from tests.newsroom.helpers import act, submit
from tests.planning.conftest import file_idea
from tests.staff import client_for
from toasoan.newsroom.models import ArticlePage
from toasoan.planning import ideas
from toasoan.planning.models import Coverage, Idea, PlanningLog

pytestmark = pytest.mark.django_db


def test_the_whole_life_of_an_idea(newsroom, people, django_capture_on_commit_callbacks):
    politics, _ = newsroom["sections"]
    pv, btv = people["pv"], people["btv"]
    idea = file_idea(pv, politics)
    btv_client = client_for(btv)
    btv_client.post(f"/admin/ke-hoach/de-tai/{idea.pk}/tra-lai/", {f"r{idea.pk}-note": ""})
    idea.refresh_from_db()
    assert idea.state == Idea.State.PROPOSED  # a return needs its note
    btv_client.post(
        f"/admin/ke-hoach/de-tai/{idea.pk}/tra-lai/",
        {f"r{idea.pk}-note": "Thêm ý kiến của người dân ven biển."},
    )
    idea.refresh_from_db()
    assert idea.state == Idea.State.RETURNED and "người dân" in idea.note
    assert "Thêm ý kiến của người dân" in client_for(pv).get("/admin/").content.decode()

    response = client_for(pv).post(
        f"/admin/ke-hoach/de-tai/{idea.pk}/sua/",
        {
            "title": idea.title,
            "angle": "Kinh phí, tiến độ và ý kiến người dân ven biển Tam Thanh.",
            "genre": "phong-su",
            "platforms": ["web"],
            "section": politics.pk,
            "plan_date": idea.plan_date.strftime("%d/%m/%Y"),
            "deadline": (timezone.localtime(idea.deadline)).strftime("%d/%m/%Y %H:%M"),
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.state == Idea.State.PROPOSED and idea.genre == "phong-su"

    mail.outbox.clear()
    deadline = timezone.localtime(timezone.now() + timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        btv_client.post(
            f"/admin/ke-hoach/de-tai/{idea.pk}/duyet/",
            {
                f"a{idea.pk}-kind": "anh",
                f"a{idea.pk}-assignee": people["anh"].pk,
                f"a{idea.pk}-deadline": deadline.strftime("%d/%m/%Y %H:%M"),
            },
        )
    idea.refresh_from_db()
    assert idea.state == Idea.State.APPROVED
    draft = ArticlePage.objects.get(pk=idea.article_id)
    assert (draft.title, draft.owner, draft.kind, draft.live) == (idea.title, pv, "phong-su", False)
    assert draft.get_parent().pk == politics.pk
    assert [b.pen_name.name for b in draft.bylines.all()] == ["V.A"]
    # The story shows which idea it serves.
    edit = client_for(pv).get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert f"/admin/ke-hoach/de-tai/{idea.pk}/" in edit
    photo = Coverage.objects.get(idea=idea, kind="anh")
    assert photo.status == Coverage.Status.WAITING
    told = [m for m in mail.outbox if people["anh"].email in m.to]
    assert told and f"/admin/ke-hoach/phan-cong/{photo.pk}/" in told[0].body

    # Only the assignee answers; a decline needs its reason.
    client_for(people["anh2"]).post(f"/admin/ke-hoach/phan-cong/{photo.pk}/nhan/")
    photo.refresh_from_db()
    assert photo.status == Coverage.Status.WAITING
    anh = client_for(people["anh"])
    anh.post(f"/admin/ke-hoach/phan-cong/{photo.pk}/tu-choi/", {"reason": ""})
    photo.refresh_from_db()
    assert photo.status == Coverage.Status.WAITING
    anh.post(f"/admin/ke-hoach/phan-cong/{photo.pk}/tu-choi/", {"reason": "Trùng lịch họp HĐND."})
    photo.refresh_from_db()
    assert photo.status == Coverage.Status.DECLINED
    chase = client_for(people["tkts"]).get("/admin/").content.decode()
    assert "Đề tài đã duyệt còn thiếu người" in chase and idea.title in chase

    btv_client.post(
        f"/admin/ke-hoach/phan-cong/{photo.pk}/giao-lai/", {"assignee": people["anh2"].pk}
    )
    client_for(people["anh2"]).post(f"/admin/ke-hoach/phan-cong/{photo.pk}/nhan/")
    photo.refresh_from_db()
    assert (photo.assignee, photo.status) == (people["anh2"], Coverage.Status.ACCEPTED)
    history = list(PlanningLog.objects.filter(coverage=photo).values_list("action", flat=True))
    assert history == [
        f"Phân công ảnh cho {people['anh'].get_full_name()}",
        "Từ chối phần ảnh",
        f"Phân công lại ảnh: {people['anh'].get_full_name()} → {people['anh2'].get_full_name()}",
        "Nhận phần ảnh",
    ]
    idea.refresh_from_db()
    assert idea.state == Idea.State.IN_PROGRESS

    submit(draft, pv)
    idea.refresh_from_db()
    assert idea.state == Idea.State.FILED
    for role in ("btv", "tkts", "tbt"):
        act(client_for(people[role]), draft, "approve")
    assert ArticlePage.objects.get(pk=draft.pk).live
    idea.refresh_from_db()
    assert idea.state == Idea.State.PUBLISHED
    page = client_for(pv).get(f"/admin/ke-hoach/de-tai/{idea.pk}/").content.decode()
    assert "hệ thống: Bài đã đăng" in page
    assert not WorkflowState.objects.filter(
        object_id=str(draft.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()


def test_merge_keeps_the_events_and_tells_the_writer(
    newsroom, people, django_capture_on_commit_callbacks
):
    politics, _ = newsroom["sections"]
    kept = file_idea(people["pv"], politics, title="Đề tài chính")
    extra = file_idea(people["pv2"], politics, title="Đề tài trùng")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ideas.merge(extra, kept, people["btv"])
    extra.refresh_from_db()
    assert (extra.state, extra.merged_into) == (Idea.State.MERGED, kept)
    assert any("được gộp" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ideas.PlanningError):
        ideas.merge(kept, extra, people["btv"])  # into a closed idea
    assert mail.outbox == []  # nothing happened, so no one is told


def test_meeting_filters(newsroom, people):
    politics, economy = newsroom["sections"]
    late = file_idea(people["pv"], politics, title="Đề tài quá hạn")
    late.deadline = timezone.now() - timedelta(hours=2)
    late.save()
    free = file_idea(people["pv2"], economy, title="Đề tài chưa có người")
    ideas.approve(free, people["tkts"], [])
    free.coverages.update(assignee=None, status=Coverage.Status.UNASSIGNED)
    file_idea(people["pv2"], economy, title="Đề tài bình thường")
    client = client_for(people["tkts"])
    day = late.plan_date.strftime("%d/%m/%Y")

    def titles(which):
        html = client.get(f"/admin/ke-hoach/?ngay={day}&loc={which}").content.decode()
        html = html.split('id="h-chase"')[0]  # the plan, not the "to chase" list below it
        return {t for t in ("quá hạn", "chưa có người", "bình thường") if f"Đề tài {t}</a>" in html}

    assert titles("") == {"quá hạn", "chưa có người", "bình thường"}
    assert titles("qua-han") == {"quá hạn"}
    assert titles("chua-phan-cong") == {"chưa có người"}
    assert (
        client_for(people["pv"]).get(f"/admin/ke-hoach/?ngay={day}&loc=cua-toi").status_code == 200
    )
    html = client.get(f"/admin/ke-hoach/?ngay={day}").content.decode()
    assert "Thời sự" in html and "1 đề tài" in html and "Báo in" in html
    printed = client.get(f"/admin/ke-hoach/in/?ngay={day}").content.decode()
    assert f"Kế hoạch đề tài ngày {day}" in printed and "Đề tài quá hạn" in printed


def test_my_assignments_come_first_on_the_dashboard(newsroom, people):
    politics, _ = newsroom["sections"]
    idea = file_idea(people["pv2"], politics)
    ideas.approve(idea, people["btv"], [])
    ideas.add_coverage(
        idea, people["btv"], kind="anh", deadline=idea.deadline, assignee=people["pv"]
    )
    html = client_for(people["pv"]).get("/admin/").content.decode()
    assert "Việc được giao cho bạn" in html
    first_panel = re.search(r'<section[^>]+class="w-panel[^"]*"[^>]*>', html)
    assert first_panel and "my-assignments" in first_panel.group(0)
