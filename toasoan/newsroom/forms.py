"""The newsroom's admin forms: a story's bylines, a reviewer's return note (photos: photo_forms)."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .models import ArticleByline, PenName
from .roles import is_only_contributor

NOT_YOUR_PEN_NAME = "Cộng tác viên chỉ ký bài bằng bút danh của mình."
NO_BYLINE = "Chọn ít nhất một bút danh trước khi gửi duyệt hoặc xuất bản."


# --- bylines --------------------------------------------------------------------------------
def own_pen_names(user):
    return PenName.objects.filter(staff_member=user) if user and user.pk else PenName.objects.none()


def preferred_pen_name(user):
    """The pen name a writer signs with by default: the one on their latest story, else their
    first in alphabetical order."""
    latest = (
        ArticleByline.objects.filter(pen_name__staff_member=user, page__owner=user)
        .order_by("-page__latest_revision_created_at", "-pk")
        .select_related("pen_name")
        .first()
    )
    return latest.pen_name if latest else own_pen_names(user).first()


class BylineForm(WagtailAdminModelForm):
    """One byline row. A contributor may add only their own pen names (pen names already on
    the story stay). While a draft is saved (or autosaved) an empty row is dropped instead of
    refused: a pen name is needed to submit or publish, not to keep typing."""

    def clean(self):
        data = super().clean()
        pen_name = data.get("pen_name")
        if pen_name is None:
            if self.is_deferred_validation and "pen_name" not in self.errors:
                data["DELETE"] = True
            return data
        user = self.for_user
        if (
            user is not None
            and is_only_contributor(user)
            and pen_name.staff_member_id != user.pk
            and pen_name.pk != self.instance.pen_name_id
        ):
            self.add_error("pen_name", NOT_YOUR_PEN_NAME)
        return data


class ArticlePageForm(WagtailAdminPageForm):
    """A story's form: a new story opens already signed with its writer's own pen name."""

    def __init__(self, data=None, files=None, *args, **kwargs):
        instance, user = kwargs.get("instance"), kwargs.get("for_user")
        if data is None and instance is not None and user is not None:
            self._sign_with_own_pen_name(instance, user)
        super().__init__(data, files, *args, **kwargs)

    @staticmethod
    def _sign_with_own_pen_name(story, user) -> None:
        if story.owner_id not in (None, user.pk) or list(story.bylines.all()):
            return
        pen_name = preferred_pen_name(user)
        if pen_name is not None:
            story.bylines = [ArticleByline(pen_name=pen_name, role="viet")]

    def clean(self):
        data = super().clean()
        bylines = self.formsets.get("bylines")
        if bylines is not None and not self.is_deferred_validation and bylines.is_valid():
            signed = [
                form
                for form in bylines.forms
                if form.cleaned_data.get("pen_name") and not form.cleaned_data.get("DELETE")
            ]
            if not signed:
                self.add_error(None, NO_BYLINE)
        return data


# --- reviewing ------------------------------------------------------------------------------
class ReturnNoteForm(forms.Form):
    """ "Yêu cầu sửa": the note is what the writer will work from, so it is required."""

    comment = forms.CharField(
        label="Ghi chú cho người viết (bắt buộc)",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Ghi rõ cần sửa gì: người viết sẽ đọc ghi chú này."},
    )
