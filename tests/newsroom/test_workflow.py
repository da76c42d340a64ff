"""The approval chain PV → BTV → TKTS → TBT, its refusals, scheduling and unpublishing."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from tests.factories import ArticlePageFactory, SectionPageFactory
from tests.newsroom.helpers import act, draft_by, submit
from tests.staff import client_for
from toasoan.core.scheduler import is_serving_process, publish_due
from toasoan.newsroom.models import ArticlePage
from toasoan.newsroom.workflow import BREAKING_LANE, setup_newsroom

pytestmark = pytest.mark.django_db


# --- the permission matrix ---------------------------------------------------------------
EXPECTED = {
    #         create, edit own, edit others', other section, publish, unpublish, delete pub.
    "ctv": (True, True, False, False, False, False, False),
    "pv": (True, True, False, False, False, False, False),
    "btv": (True, True, True, False, False, False, False),
    "tkts": (True, True, True, True, False, False, False),
    "tbt": (True, True, True, True, True, True, True),
    "dich": (True, True, False, False, False, False, False),
    "kd": (False, False, False, False, False, False, False),
    "admin": (True, True, True, True, True, True, True),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_permission_matrix(newsroom, role):
    politics, economy = newsroom["sections"]
    user = newsroom["people"][role]
    others = ArticlePageFactory(parent=politics, owner=newsroom["people"]["pv2"], live=False)
    published = ArticlePageFactory(parent=politics, owner=newsroom["people"]["pv2"])
    other_section = ArticlePageFactory(parent=economy, owner=newsroom["people"]["pv2"])
    client = client_for(user)
    create = client.get(f"/admin/pages/add/newsroom/articlepage/{politics.pk}/")
    can_create = create.status_code == 200
    own = draft_by(user, politics) if can_create else None
    observed = (
        can_create,
        bool(own) and client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200,
        client.get(f"/admin/pages/{others.pk}/edit/").status_code == 200,
        client.get(f"/admin/pages/{other_section.pk}/edit/").status_code == 200,
        published.permissions_for_user(user).can_publish(),
        client.get(f"/admin/pages/{published.pk}/unpublish/").status_code == 200,
        client.get(f"/admin/pages/{published.pk}/delete/").status_code == 200,
    )
    assert observed == EXPECTED[role]
    # Every refusal is a clean "no": a 403 or a redirect with a message, never a 500.
    for url in (
        f"/admin/pages/add/newsroom/articlepage/{politics.pk}/",
        f"/admin/pages/{others.pk}/edit/",
        f"/admin/pages/{published.pk}/unpublish/",
        f"/admin/pages/{published.pk}/delete/",
        "/admin/users/",
        "/admin/groups/",
    ):
        assert client.get(url).status_code in (200, 302, 403), url


@pytest.mark.parametrize("role,allowed", [("admin", True), ("tbt", False), ("pv", False)])
def test_only_administrators_manage_users(newsroom, role, allowed):
    client = client_for(newsroom["people"][role])
    assert (client.get("/admin/users/").status_code == 200) is allowed


def test_contributor_sees_only_own_stories(newsroom):
    politics, _ = newsroom["sections"]
    ctv = newsroom["people"]["ctv"]
    mine = draft_by(ctv, politics, title="Bài của cộng tác viên")
    ArticlePageFactory(parent=politics, owner=newsroom["people"]["pv"], title="Bài người khác")
    html = client_for(ctv).get(f"/admin/pages/{politics.pk}/").content.decode()
    assert mine.title in html and "Bài người khác" not in html


# --- the approval chain ----------------------------------------------------------------------
def test_story_goes_through_every_desk_and_is_published(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = draft_by(p["pv"], politics, title="Tin qua đủ bốn bước")
    submit(story, p["pv"])
    steps = []
    for role in ("btv", "tkts", "tbt"):
        current = ArticlePage.objects.get(pk=story.pk).current_workflow_task
        steps.append(current.name)
        # Nobody outside this step's group can act on it.
        for outsider in ("pv", "btv_kt", "kd"):
            act(client_for(p[outsider]), story, "approve")
            assert ArticlePage.objects.get(pk=story.pk).current_workflow_task == current
        act(client_for(p[role]), story, "approve")
    assert steps == ["Biên tập viên Thời sự duyệt", "Thư ký tòa soạn duyệt", "Tổng biên tập duyệt"]
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.live
    actions = list(
        PageLogEntry.objects.filter(page=story).order_by("timestamp").values_list("action", "user")
    )
    assert ("wagtail.workflow.start", p["pv"].pk) in actions
    assert ("wagtail.publish", p["tbt"].pk) in actions
    assert sum(1 for a, _ in actions if a == "wagtail.workflow.approve") == 3


def test_returned_story_comes_back_with_the_note_and_can_be_resubmitted(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = draft_by(p["pv"], politics, title="Tin cần sửa")
    submit(story, p["pv"])
    act(
        client_for(p["btv"]),
        story,
        "reject",
        comment="Thiếu nguồn tin, bổ sung tên người phát biểu.",
    )
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    dashboard = client_for(p["pv"]).get("/admin/").content.decode()
    assert "Bị trả lại cho bạn" in dashboard and "Thiếu nguồn tin" in dashboard
    story = ArticlePage.objects.get(pk=story.pk)
    story.sapo = "Sapo đã bổ sung nguồn."
    story.save_revision(user=p["pv"])
    state.resume(user=p["pv"])
    assert ArticlePage.objects.get(pk=story.pk).current_workflow_task.name == (
        "Biên tập viên Thời sự duyệt"
    )


def test_waiting_for_me_and_i_sent_on_the_dashboard(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = draft_by(p["pv"], politics, title="Tin chờ biên tập")
    submit(story, p["pv"])
    assert "Tin chờ biên tập" in client_for(p["btv"]).get("/admin/").content.decode()
    assert "Tin chờ biên tập" in client_for(p["pv"]).get("/admin/").content.decode()
    assert "Tin chờ biên tập" not in client_for(p["btv_kt"]).get("/admin/").content.decode()


def test_breaking_news_lane_publishes_after_one_approval(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = draft_by(p["pv"], politics, title="Bão đổ bộ", is_breaking=True)
    workflow = ArticlePage.objects.get(pk=story.pk).get_workflow()
    assert workflow.name == BREAKING_LANE
    submit(story, p["pv"])
    act(client_for(p["btv"]), story, "approve")  # not the lane's group: nothing happens
    assert not ArticlePage.objects.get(pk=story.pk).live
    act(client_for(p["tkts"]), story, "approve")
    assert ArticlePage.objects.get(pk=story.pk).live
    assert PageLogEntry.objects.filter(page=story, action="toasoan.breaking_news").exists()


def test_forged_and_replayed_approvals_change_nothing(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = draft_by(p["pv"], politics, title="Tin thử giả mạo")
    submit(story, p["pv"])
    first_step = ArticlePage.objects.get(pk=story.pk).current_workflow_task_state
    act(client_for(p["btv"]), story, "approve")
    # Replaying the BTV approval of a finished step, aimed at the TKTS step's page:
    client_for(p["btv"]).post(
        f"/admin/pages/workflow/action/{story.pk}/approve/{first_step.pk}/", follow=True
    )
    assert (
        ArticlePage.objects.get(pk=story.pk).current_workflow_task.name == "Thư ký tòa soạn duyệt"
    )
    # Missing CSRF token: refused.
    csrf_client = client_for(p["tkts"], enforce_csrf_checks=True)
    state = ArticlePage.objects.get(pk=story.pk).current_workflow_task_state
    response = csrf_client.post(f"/admin/pages/workflow/action/{story.pk}/approve/{state.pk}/")
    assert response.status_code == 403
    # Stale: the story changed after reaching this step; approving would publish unseen text.
    edited = ArticlePage.objects.get(pk=story.pk)
    edited.sapo = "Sửa sau khi gửi."
    edited.save_revision(user=p["tkts"])
    response = act(client_for(p["tkts"]), story, "approve")
    assert "Không có gì thay đổi" in response.content.decode()
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_second_editor_cannot_silently_overwrite_the_first(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = ArticlePageFactory(parent=politics, owner=p["pv"], title="Bài hai người cùng sửa")
    first, second = client_for(p["btv"]), client_for(p["tkts"])
    loaded = ArticlePage.objects.get(pk=story.pk).latest_revision_id
    # The first editor saves a change.
    newer = ArticlePage.objects.get(pk=story.pk)
    newer.sapo = "Bản sửa của người thứ nhất."
    newer.save_revision(user=p["btv"])
    # The second editor, who loaded the older version, saves: refused, nothing lost.
    response = second.post(
        f"/admin/pages/{story.pk}/edit/",
        {"title": "Bản của người thứ hai", "loaded_revision_id": str(loaded)},
        follow=True,
    )
    assert "đã lưu một phiên bản mới hơn" in response.content.decode()
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert latest.sapo == "Bản sửa của người thứ nhất."
    assert first.get(f"/admin/pages/{story.pk}/history/").status_code == 200


# --- scheduling, unpublishing, corrections, audit ------------------------------------------------
def test_scheduled_story_appears_once_its_time_comes(newsroom, client):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = draft_by(p["pv"], politics, title="Tin hẹn giờ xuất bản")
    submit(story, p["pv"])
    for role in ("btv", "tkts"):
        act(client_for(p[role]), story, "approve")
    # In the editor, the editor-in-chief sets the publish-at time and approves the last step
    # (the edit view saves the revision, then acts on the task, as here).
    scheduled = ArticlePage.objects.get(pk=story.pk)
    scheduled.go_live_at = timezone.now() + timedelta(minutes=5)
    scheduled.save_revision(user=p["tbt"])
    scheduled.current_workflow_task.on_action(
        scheduled.current_workflow_task_state, p["tbt"], "approve"
    )
    assert not ArticlePage.objects.get(pk=story.pk).live
    assert "Tin hẹn giờ xuất bản" not in client.get("/").content.decode()
    publish_due()  # not yet
    assert not ArticlePage.objects.get(pk=story.pk).live
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=30)):
        publish_due()
    assert ArticlePage.objects.get(pk=story.pk).live
    assert "Tin hẹn giờ xuất bản" in client.get("/").content.decode()
    assert "Tin hẹn giờ xuất bản" in client.get("/thoi-su/").content.decode()


def test_in_process_scheduler_runs_only_in_the_serving_process(monkeypatch):
    monkeypatch.setenv("RUN_MAIN", "true")
    assert is_serving_process(["manage.py", "runserver", "127.0.0.1:8000"])
    assert is_serving_process(["manage.py", "runserver", "--noreload"])
    assert not is_serving_process(["pytest"])
    assert not is_serving_process(["manage.py", "migrate"])
    monkeypatch.delenv("RUN_MAIN")
    assert not is_serving_process(["manage.py", "runserver"])  # the autoreloader's watcher


def test_unpublishing_needs_a_reason_and_keeps_it(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = ArticlePageFactory(parent=politics, owner=p["pv"], title="Tin sẽ bị gỡ")
    tbt = client_for(p["tbt"])
    response = tbt.post(
        f"/admin/pages/{story.pk}/unpublish/", {"unpublish_reason": " "}, follow=True
    )
    assert "Gỡ bài cần ghi lý do" in response.content.decode()
    assert ArticlePage.objects.get(pk=story.pk).live
    refused = client_for(p["tkts"]).post(
        f"/admin/pages/{story.pk}/unpublish/", {"unpublish_reason": "Sai"}, follow=True
    )
    assert "không có quyền" in refused.content.decode()
    assert ArticlePage.objects.get(pk=story.pk).live
    tbt.post(
        f"/admin/pages/{story.pk}/unpublish/", {"unpublish_reason": "Thông tin chưa kiểm chứng"}
    )
    assert not ArticlePage.objects.get(pk=story.pk).live
    entry = PageLogEntry.objects.get(page=story, action="toasoan.unpublish_reason")
    assert entry.data["reason"] == "Thông tin chưa kiểm chứng" and entry.user == p["tbt"]
    history = tbt.get(f"/admin/pages/{story.pk}/history/").content.decode()
    assert "Thông tin chưa kiểm chứng" in history


def test_correction_is_shown_with_its_time(newsroom, client):
    politics, _ = newsroom["sections"]
    story = ArticlePageFactory(
        parent=politics,
        title="Tin có đính chính",
        corrections=[
            (
                "correction",
                {
                    "corrected_at": timezone.make_aware(timezone.datetime(2021, 12, 23, 8, 30)),
                    "text": "Tên đúng của đại biểu là Hồ Quang Bửu.",
                },
            )
        ],
    )
    html = client.get(story.url).content.decode()
    assert "Đính chính" in html and ">23/12/2021 08:30</time>: Tên đúng" in html


@pytest.mark.parametrize(
    "role,allowed", [("tbt", True), ("admin", True), ("tkts", False), ("pv", False)]
)
def test_audit_log_is_for_the_editor_in_chief_and_administrators(newsroom, role, allowed):
    client = client_for(newsroom["people"][role])
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == (200 if allowed else 403)
    assert ("/admin/reports/site-history/" in client.get("/admin/").content.decode()) is allowed


def test_desks_are_created_for_new_sections(newsroom, home):
    SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    groups = setup_newsroom(home)
    assert "Ban Thể thao" in groups
    assert Group.objects.filter(name="Ban Thể thao").count() == 1
    setup_newsroom(home)  # idempotent
    assert Group.objects.filter(name__startswith="Ban ").count() == 3


def test_reviewers_are_emailed_when_a_story_reaches_their_step(newsroom, mailoutbox):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    p["btv"].email = "btv@toasoan.test"
    p["btv"].save()
    story = draft_by(p["pv"], politics, title="Tin báo cho biên tập viên")
    submit(story, p["pv"])
    recipients = {address for message in mailoutbox for address in message.to}
    assert "btv@toasoan.test" in recipients
    assert p["btv_kt"].email not in recipients  # another desk is not bothered


def test_any_two_versions_can_be_compared_and_an_old_one_restored(newsroom):
    politics, _ = newsroom["sections"]
    p = newsroom["people"]
    story = ArticlePageFactory(parent=politics, owner=p["pv"], title="Tin có nhiều phiên bản")
    first = ArticlePage.objects.get(pk=story.pk).latest_revision_id
    edited = ArticlePage.objects.get(pk=story.pk)
    edited.sapo = "Sapo phiên bản hai, đã sửa số liệu."
    second = edited.save_revision(user=p["tbt"]).pk
    client = client_for(p["tbt"])
    diff = client.get(f"/admin/pages/{story.pk}/revisions/compare/{first}...{second}/")
    assert diff.status_code == 200 and "phiên bản hai" in diff.content.decode()
    restore = client.get(f"/admin/pages/{story.pk}/revisions/{first}/revert/")
    assert restore.status_code == 200
    assert "Sapo phiên bản hai" not in restore.content.decode()  # the old text is loaded
