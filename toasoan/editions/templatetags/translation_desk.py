"""The translation desk panel shown above wagtail-localize's side-by-side editor."""

from django import template
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation

from .. import desk, outdated, termbase
from ..memory import MEMORY_TOOL

register = template.Library()


@register.inclusion_tag("editions/admin/translation_desk.html", takes_context=True)
def translation_desk(context, translation, instance):
    request = context["request"]
    user = request.user
    if not isinstance(instance, Page):
        return {"show": False}
    page = instance.specific
    total, done = translation.get_progress()
    from_memory = StringTranslation.objects.filter(
        locale_id=translation.target_locale_id,
        tool_name=MEMORY_TOOL,
        context__in=StringSegment.objects.filter(source_id=translation.source_id).values(
            "context_id"
        ),
    ).count()
    state = page.current_workflow_state
    task_state = page.current_workflow_task_state
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    actions = [
        {
            "name": name,
            "label": label,
            "url": reverse(
                "wagtailadmin_pages:workflow_action", args=[page.pk, name, task_state.pk]
            )
            + f"?next={edit_url}",
        }
        for name, label in desk.review_actions(page, user)
    ]
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "translation": translation,
        "page": page,
        "total": total,
        "done": done,
        "from_memory": from_memory,
        "changes": outdated.source_changes(translation.source),
        "can_sync": user.has_perm("wagtail_localize.submit_translation"),
        "sync_url": reverse("wagtail_localize:update_translations", args=[translation.source_id])
        + f"?next={edit_url}",
        "terms": termbase.segment_terms(translation),
        "terms_url": reverse("editions_terms", args=[translation.pk]),
        "save_url": reverse("editions_save", args=[translation.pk]),
        "submit_url": reverse("editions_submit", args=[translation.pk]),
        "workflow": page.get_workflow(),
        "state": state,
        "task_state": task_state,
        "actions": actions,
        "preview_url": reverse(
            "wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id]
        )
        if task_state
        else None,
        "can_edit": page.permissions_for_user(user).can_edit(),
    }
