"""Editions in the admin: the termbase, edition mastheads, the desk's screens and report."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_localize.models import Translation
from wagtail_localize.views.report import TranslationsReportFilterSet, TranslationsReportView

from toasoan.core.menus import shown_to
from toasoan.newsroom.roles import VIEW_TERMS

from . import views
from .models import EditionMasthead, Term


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "doc-full"
    menu_label = "Thuật ngữ"
    menu_name = "thuat-ngu"
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["source", "target", "locale", "kind", "approved"]
    list_filter = ["locale", "kind", "approved"]
    search_fields = ["source", "target"]


class EditionMastheadViewSet(SnippetViewSet):
    model = EditionMasthead
    icon = "site"
    menu_label = "Thông tin ấn bản"
    list_display = ["name", "locale"]


register_snippet(TermViewSet)
register_snippet(EditionMastheadViewSet)


@hooks.register("register_admin_urls")
def editions_admin_urls():
    return [
        # These shadow wagtail-localize's own views (this app's hooks load first).
        path("localize/reports/translations/", DeskTranslationsReport.as_view()),
        path(
            "localize/reports/translations/results/",
            DeskTranslationsReport.as_view(results_only=True),
        ),
        path(
            "localize/submit/page/<int:page_id>/",
            views.DeskSubmitPageTranslationView.as_view(),
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            views.DeskUpdateTranslationsView.as_view(),
        ),
        path(
            "an-ban/ban-dich/<int:translation_id>/thuat-ngu.json",
            views.terms_json,
            name="editions_terms",
        ),
        path("an-ban/ban-dich/<int:translation_id>/luu/", views.save_draft, name="editions_save"),
        path(
            "an-ban/ban-dich/<int:translation_id>/gui-duyet/", views.submit, name="editions_submit"
        ),
        path("an-ban/bao-cao/", views.report, name="editions_report"),
    ]


def works_on_translations(user) -> bool:
    """Translators, the edition desks and the editors who ask for translations (all hold the
    termbase's view right), and administrators. Not accountants, moderators, contributors."""
    return user.has_perm(VIEW_TERMS) or user.has_perm("auth.change_group")


class TranslationsPaginator(WagtailPaginator):
    verbose_name = verbose_name_plural = "bản dịch"  # the model's is English ("1 translation")


class TranslationsFilters(TranslationsReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labelled from their field names in English ("Source locale").
        self.filters["source_locale"].label = "Ngôn ngữ bản gốc"
        self.filters["target_locale"].label = "Ngôn ngữ bản dịch"


class DeskTranslationsReport(TranslationsReportView):
    """wagtail-localize's report of every translation, for those who work on translations."""

    paginator_class = TranslationsPaginator
    filterset_class = TranslationsFilters

    def dispatch(self, request, *args, **kwargs):
        if not works_on_translations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")  # newest first, stable pages


@hooks.register("construct_reports_menu")
def translations_report_for_translators(request, menu_items):
    if not works_on_translations(request.user):
        everyone_report = reverse("wagtail_localize:translations_report")
        menu_items[:] = [item for item in menu_items if item.url != everyone_report]


@hooks.register("register_reports_menu_item")
def editions_report_menu_item():
    return shown_to(VIEW_TERMS)(
        "Bản dịch cần kiểm tra", reverse("editions_report"), icon_name="warning", order=9010
    )


class TranslationsToDoPanel(Component):
    """Dashboard: stories waiting for a translation, or in its desk's workflow."""

    name = "translations_to_do"
    template_name = "editions/admin/translations_to_do.html"
    order = 206

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        rows = []
        for translation in (
            Translation.objects.filter(enabled=True)
            .select_related("source", "target_locale")
            .order_by("-created_at")[:40]
        ):
            try:
                page = translation.get_target_instance()
            except Page.DoesNotExist:
                continue
            if page.live and not page.has_unpublished_changes:
                continue
            if not page.permissions_for_user(self.user).can_edit():
                continue
            total, done = translation.get_progress()
            rows.append(
                {
                    "page": page,
                    "locale": translation.target_locale,
                    "done": done,
                    "total": total,
                    "state": page.current_workflow_state,
                    "task": page.current_workflow_task,
                }
            )
        return {"rows": rows[:15]}


@hooks.register("construct_homepage_panels")
def add_translations_panel(request, panels):
    if request.user.has_perm(VIEW_TERMS):
        panels.append(TranslationsToDoPanel(request.user))
