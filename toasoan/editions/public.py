"""Public-site text that lives in code, marked for the editions' catalogue: labels the pages
show from newsroom data (kinds of story), which newsroom keeps in Vietnamese for staff."""

from django.utils.translation import pgettext_lazy

# ArticleKind labels as readers see them (the staff admin shows newsroom's own labels).
KIND_LABELS = {
    "phong-su": pgettext_lazy("story kind", "Feature"),
    "phong-van": pgettext_lazy("story kind", "Interview"),
    "binh-luan": pgettext_lazy("story kind", "Commentary"),
    "anh": pgettext_lazy("story kind", "Photo story"),
    "video": pgettext_lazy("story kind", "Video"),
    "infographic": pgettext_lazy("story kind", "Infographic"),
    "podcast": pgettext_lazy("story kind", "Podcast"),
    "tin": pgettext_lazy("story kind", "News"),
    "bai": pgettext_lazy("story kind", "Article"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
