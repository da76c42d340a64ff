"""Editions fixtures: the English edition beside the Vietnamese one, and translation helpers."""

import pytest
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object
from wagtail_localize.strings import StringValue

from tests.factories import ArticlePageFactory, UserFactory
from toasoan.editions.setup import setup_editions
from toasoan.editions.termbase import plain
from toasoan.newsroom.models import SectionPage
from toasoan.newsroom.workflow import setup_newsroom


@pytest.fixture
def en_home(home):
    return setup_editions(home)["en"]


@pytest.fixture
def en_locale(en_home):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def en_section(section, en_home, en_locale):
    english = section.copy_for_translation(en_locale).specific
    english.title, english.slug = "News", "news"
    english.save_revision().publish()
    return SectionPage.objects.get(pk=english.pk)


@pytest.fixture
def en_story(en_section, pen_name):
    return ArticlePageFactory(
        parent=en_section,
        title="Quang Nam opens a one-stop desk for foreign investors",
        lead_prefix="(QNO)",
        sapo="Foreign investors can now file their paperwork at a single desk in Tam Ky.",
        body=[("paragraph", RichText("<p>The desk brings together several departments.</p>"))],
        pen_names=[pen_name],
    )


@pytest.fixture
def desks(home, section, en_home):
    """Roles, desks and workflows of both editions (the demo's setup, without the demo)."""
    groups = setup_newsroom(home)
    setup_editions(home)
    return groups


def user_in(*group_names, **kwargs):
    from django.contrib.auth.models import Group

    user = UserFactory(**kwargs)
    user.groups.add(*[Group.objects.get(name=name) for name in group_names])
    return user


def request_translation(page, locale, user=None) -> Translation:
    translate_object(page, [locale], user=user)
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def translate_segments(translation: Translation, english, user=None) -> int:
    """Translate every (or some) segment: `english(plain_source) -> str | None`."""
    done = 0
    for segment in StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    ):
        text = english(plain(segment.string.data))
        if text is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={
                "data": StringValue.from_plaintext(text).data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )
        done += 1
    return done
