"""Forms of the planning desk: an idea, the desk's decisions on it, a coverage, an import."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from toasoan.newsroom.models import SectionPage

from .access import plan_sections
from .models import Coverage, Event, Idea, Platform


def staff_choices():
    """Who may be given a coverage: active staff with admin access, by name."""
    users = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
    return users.order_by("first_name", "username")


def desk_choices():
    return Group.objects.filter(name__startswith="Ban ").order_by("name")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class IdeaForm(forms.ModelForm):
    platforms = forms.MultipleChoiceField(
        label="Nền tảng",
        choices=Platform.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Chọn ít nhất một nền tảng."},
    )

    class Meta:
        model = Idea
        fields = [
            "title",
            "angle",
            "genre",
            "platforms",
            "length",
            "section",
            "place",
            "plan_date",
            "deadline",
            "sources",
            "events",
        ]
        widgets = {
            "angle": forms.Textarea(attrs={"rows": 4}),
            "sources": forms.Textarea(attrs={"rows": 2}),
            "plan_date": AdminDateInput(),
            "deadline": AdminDateTimeInput(),
            "events": forms.SelectMultiple(attrs={"size": 4}),
        }
        help_texts = {
            "plan_date": "Ngày đề tài lên kế hoạch (thường là ngày đăng dự kiến).",
            "angle": "Vấn đề, góc nhìn, câu hỏi chính bài viết trả lời.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan_sections()
        self.fields["section"].empty_label = "— Chọn chuyên mục —"
        soon = timezone.now() - timedelta(days=1)
        self.fields["events"].queryset = Event.objects.filter(start__gte=soon) | (
            Event.objects.exclude(rrule="")
        )
        self.fields["events"].required = False
        if not self.instance.pk:
            tomorrow = timezone.localdate() + timedelta(days=1)
            self.initial.setdefault("plan_date", tomorrow)

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="Ghi chú cho người đề xuất",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Ghi rõ cần sửa gì: người đề xuất sẽ đọc ghi chú này."},
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label="Gộp vào đề tài", queryset=Idea.objects.none())

    def __init__(self, *args, idea: Idea, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates.exclude(pk=idea.pk).exclude(
            state__in=[Idea.State.MERGED, Idea.State.CANCELLED, Idea.State.PUBLISHED]
        )


class CoverageForm(forms.Form):
    """A coverage given at approval or later; nobody chosen leaves it unassigned."""

    kind = forms.ChoiceField(label="Phần việc", choices=Coverage.Kind.choices)
    assignee = StaffChoiceField(
        label="Người thực hiện", queryset=get_user_model().objects.none(), required=False
    )
    desk = forms.ModelChoiceField(label="Hoặc ban", queryset=Group.objects.none(), required=False)
    deadline = forms.DateTimeField(label="Hạn", widget=AdminDateTimeInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_choices()
        self.fields["desk"].queryset = desk_choices()

    def clean(self):
        data = super().clean()
        if data.get("assignee") and data.get("desk"):
            self.add_error("desk", "Giao cho một người hoặc một ban, không cả hai.")
        return data


class ApproveForm(forms.Form):
    """Approval, optionally with one more coverage (photo, video, graphics) assigned."""

    kind = forms.ChoiceField(
        label="Thêm phân công",
        choices=[("", "— Không —"), *[c for c in Coverage.Kind.choices if c[0] != "chu"]],
        required=False,
    )
    assignee = StaffChoiceField(
        label="Người thực hiện", queryset=get_user_model().objects.none(), required=False
    )
    deadline = forms.DateTimeField(label="Hạn", widget=AdminDateTimeInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_choices()

    def clean(self):
        data = super().clean()
        if data.get("kind") and not data.get("deadline"):
            self.add_error("deadline", "Ghi hạn cho phần việc được giao.")
        return data

    def coverages(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("kind"):
            return []
        return [{"kind": data["kind"], "assignee": data["assignee"], "deadline": data["deadline"]}]


class ReassignForm(forms.Form):
    assignee = StaffChoiceField(
        label="Giao cho", queryset=get_user_model().objects.none(), required=False
    )
    desk = forms.ModelChoiceField(label="Hoặc ban", queryset=Group.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_choices()
        self.fields["desk"].queryset = desk_choices()

    def clean(self):
        data = super().clean()
        if bool(data.get("assignee")) == bool(data.get("desk")):
            raise forms.ValidationError("Chọn một người hoặc một ban.")
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Lý do từ chối",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Ghi lý do từ chối để người phân công sắp xếp người khác."},
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp lịch (.ics)")
    section = forms.ModelChoiceField(
        label="Chuyên mục",
        queryset=SectionPage.objects.none(),
        required=False,
        empty_label="Sự kiện chung của tòa soạn",
    )

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan_sections()
        if sections is not None:
            self.fields["section"].queryset = plan_sections().filter(
                pk__in=[s.pk for s in sections]
            )
