"""The story editor: its panels and form, set on ArticlePage when the app is ready.

They live here, not in models.py, because they use the admin forms (which look up pen names
and bylines) and the workflow (the return note), and both of those use the models."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultipleChooserPanel

from .forms import ArticlePageForm
from .models import PHOTO_TEXT_HELP, ArticlePage
from .panels import BylinesPanel, ReturnNotePanel, StoryTitlePanel


def configure_story_editor() -> None:
    ArticlePage.content_panels = [
        ReturnNotePanel(),
        StoryTitlePanel("title"),  # no slug field to sync (Page.content_panels would)
        FieldRowPanel([FieldPanel("kind"), FieldPanel("lead_prefix"), FieldPanel("is_breaking")]),
        FieldPanel("sapo"),
        FieldPanel("cover_image", help_text=PHOTO_TEXT_HELP),
        FieldPanel("body"),
        BylinesPanel("bylines", label="Bút danh", min_num=1),
        FieldPanel("topics", help_text="Các chủ đề cách nhau bằng dấu phẩy."),
        MultipleChooserPanel(
            "related_links", chooser_field_name="article", label="Tin liên quan", max_num=6
        ),
        FieldPanel("corrections"),
    ]
    ArticlePage.base_form_class = ArticlePageForm
