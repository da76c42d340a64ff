"""Editor panels of a story: the title without a slug to sync, the reviewer's return note on
top, the bylines' own rules."""

from wagtail.admin.panels import HelpPanel, InlinePanel, TitleFieldPanel
from wagtail.admin.panels.base import get_form_for_model

from .forms import BylineForm
from .workflow import latest_return_note


class ReturnNotePanel(HelpPanel):
    """The latest "Yêu cầu sửa" note (or the reason the review was cancelled), shown at the top
    of the story while the writer works on it, so it need not be looked up on the dashboard."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "newsroom/admin/return_note_panel.html")
        kwargs.setdefault("heading", "Ghi chú của người duyệt")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.note = latest_return_note(self.instance) if self.instance.pk else None

        def is_shown(self):
            return self.note is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["note"] = self.note
            return context


class BylinesPanel(InlinePanel):
    """The bylines, each row checked by `BylineForm` (which knows who is signing)."""

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        child_options = self.child_edit_handler.get_form_options()
        formset["form"] = get_form_for_model(
            self.db_field.related_model,
            form_class=BylineForm,
            fields=child_options.get("fields", []),
            widgets=child_options.get("widgets", {}),
            defer_required_on_fields=child_options.get("defer_required_on_fields", []),
        )
        formset["inherit_kwargs"] = ["for_user"]
        return options


class StoryTitlePanel(TitleFieldPanel):
    """The big title field without Wagtail's title → slug sync when the form has no slug field.

    A story's slug is made from its title when it is saved (its address carries the id), so
    the form has no slug to fill; Wagtail's sync then has an empty target and its script
    throws an error in the console at every focus and key press in the title."""

    class BoundPanel(TitleFieldPanel.BoundPanel):
        def get_attrs(self):
            attrs = super().get_attrs()
            if attrs.get("data-w-sync-target-value"):
                return attrs
            return {"placeholder": attrs["placeholder"]} if attrs.get("placeholder") else {}
