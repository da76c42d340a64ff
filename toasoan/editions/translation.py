"""How wagtail-localize treats a story's fields when it is translated into another edition.

Its defaults translate every text field and copy the rest (photos, kind, bylines, topics,
related stories). One exception: the slug is neither translated nor copied, because
`ArticlePage` derives it from the title, so an English title gets an English slug by itself
(`/en/politics/external-information-…-42.html`).
"""

from wagtail_localize.fields import BaseTranslatableField


class DerivedField(BaseTranslatableField):
    """Neither translated nor copied: each version computes its own value."""


def configure_article_fields() -> None:
    from toasoan.newsroom.models import ArticlePage

    ArticlePage.override_translatable_fields = [DerivedField("slug")]
