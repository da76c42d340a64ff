"""Staff screens of the translation desk (under /admin/an-ban/): the termbase hints beside the
translation editor, saving and sending a translation to its desk, and the desk's report."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import Page
from wagtail_localize.models import Translation
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from toasoan.newsroom.roles import VIEW_TERMS

from . import desk, outdated, termbase


def _translation_for(request, translation_id: int) -> tuple[Translation, Page]:
    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale"), pk=translation_id
    )
    try:
        page = desk.target_page(translation)
    except Page.DoesNotExist as missing:
        raise PermissionDenied from missing
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return translation, page


def _edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def terms_json(request, translation_id: int):
    """Per segment: the official terms it contains and whether the translation uses them;
    and how many segments are translated (the desk's counter follows the translator)."""
    translation, _ = _translation_for(request, translation_id)
    report = termbase.segment_terms(translation)
    total, done = translation.get_progress()
    return JsonResponse(
        {
            "segments": [seg.as_json() for seg in report],
            "missing": sum(len(seg.missing) for seg in report),
            "done": done,
            "total": total,
        }
    )


def _warn_about_terms(request, translation: Translation) -> None:
    for text in termbase.warning_messages(translation):
        messages.warning(request, text)


def _desk_action(request, translation_id: int, action, done: str):
    """Run a desk action on a translation; say what happened, or why nothing changed."""
    translation, page = _translation_for(request, translation_id)
    try:
        action(translation, request.user)
    except desk.DeskError as problem:
        messages.error(request, f"{problem} Không có gì thay đổi.")
    else:
        messages.success(request, done)
        _warn_about_terms(request, translation)
    return redirect(_edit_url(page))


@require_POST
def save_draft(request, translation_id: int):
    return _desk_action(request, translation_id, desk.save_draft, "Đã lưu bản nháp bản dịch.")


@require_POST
def submit(request, translation_id: int):
    return _desk_action(
        request, translation_id, desk.submit, "Đã gửi bản dịch tới bàn duyệt của ấn bản."
    )


@permission_required(VIEW_TERMS, raise_exception=True)
def report(request):
    """Translations whose source changed since, and translations that skip approved terms."""
    stale = []
    for translation in outdated.possibly_out_of_date()[:100]:
        found = outdated.source_changes(translation.source)
        if found:
            stale.append({"translation": translation, "changes": found})
    recent = Translation.objects.filter(enabled=True).select_related("source", "target_locale")
    skipped = []
    for translation in recent.order_by("-translations_last_updated_at", "-pk")[:100]:
        found = termbase.warnings(translation)
        if found:
            skipped.append({"translation": translation, "warnings": found})
    for row in stale + skipped:
        try:
            row["page"] = desk.target_page(row["translation"])
        except Page.DoesNotExist:
            row["page"] = None
    return render(request, "editions/admin/report.html", {"stale": stale, "skipped": skipped})


class DeskUpdateTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "sync translations", except that publishing the synced versions
    needs the right to publish them: otherwise they stay drafts for their desk."""

    def form_valid(self, form):
        if form.cleaned_data.get("publish_translations"):
            for translation in self.object.translations.filter(enabled=True):
                try:
                    page = translation.get_target_instance()
                except Page.DoesNotExist:
                    continue
                if (
                    isinstance(page, Page)
                    and not page.permissions_for_user(self.request.user).can_publish()
                ):
                    form.cleaned_data["publish_translations"] = False
                    messages.warning(
                        self.request,
                        "Bản dịch được đồng bộ thành bản nháp: xuất bản do bàn duyệt của ấn bản.",
                    )
                    break
        return super().form_valid(form)


class DeskSubmitPageTranslationView(SubmitPageTranslationView):
    """wagtail-localize's "Translate this page", returning an editor who cannot edit the new
    version (it belongs to another edition's desk) to the original instead of a refusal."""

    def get_default_success_url(self, translated_page=None):
        if (
            translated_page is not None
            and not translated_page.permissions_for_user(self.request.user).can_edit()
        ):
            messages.info(
                self.request,
                "Bản dịch đã được tạo và chờ biên dịch viên (mục “Bản dịch đang làm”).",
            )
            return reverse("wagtailadmin_pages:edit", args=[self.object.pk])
        return super().get_default_success_url(translated_page)
