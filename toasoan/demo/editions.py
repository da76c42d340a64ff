"""The demo paper's English edition: its home, sections, desk account, termbase, an English
version of the seed article (a real wagtail-localize translation, linked to the original)
and twelve stories written for the English edition, with their own featured slots.

Idempotent like the rest of the demo: everything is looked up before it is made.
"""

import html
import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object
from wagtail_localize.strings import StringValue

from toasoan.demo import demo_password_hash
from toasoan.editions.models import EditionMasthead, Term
from toasoan.editions.setup import setup_editions
from toasoan.editions.termbase import plain
from toasoan.frontpage.models import FeaturedSlot, HomePage
from toasoan.newsroom.models import ArticlePage, PenName, SectionPage

DATA = Path(__file__).parent / "data"
DESK_ACCOUNT = ("bientapanh", "Trần Minh Anh", "MINH ANH")


def _json(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_demo_editions(loader, home: HomePage, seed: ArticlePage) -> int:
    """`loader` is the demo's DemoLoader (its accounts, photo and article helpers)."""
    made = 0
    en_home = setup_editions(home, {"en": "Home"})["en"]
    # Fresh user objects: Wagtail caches page permissions on each, from before the English desk.
    loader.staff = {
        name: get_user_model().objects.get(pk=user.pk) for name, user in loader.staff.items()
    }
    locale = Locale.objects.get(language_code="en")
    _, created = EditionMasthead.objects.get_or_create(
        locale=locale,
        defaults={
            "name": "Quang Nam Online",
            "tagline": "News from Quang Nam Province, Viet Nam",
            "licence": "Online newspaper licence No. 000/GP-BTTTT (demo). "
            "Editor-in-chief: Nguyen Van Demo.",
            "address": "00 Tran Hung Dao, Tam Ky, Quang Nam, Viet Nam · Tel: +84 235 000 000",
        },
    )
    made += created
    made += _terms(locale)
    sections = _sections(en_home, locale)
    made += _desk_account(loader)
    translation = _translate_seed(
        seed, locale, loader.staff.get("biendich"), loader.staff.get("tongbientap")
    )
    stories = _stories(loader, sections)
    if not en_home.featured_slots.exists():
        featured = [page for page, is_featured in stories if is_featured]
        if translation is not None:
            featured.insert(1, translation)
        for order, page in enumerate(featured):
            FeaturedSlot.objects.create(home=en_home, article=page, sort_order=order)
            made += 1
    return made + len(stories)


def _terms(locale: Locale) -> int:
    made = 0
    for source, target, kind, alternatives, note in _json("terms.json"):
        _, created = Term.objects.get_or_create(
            source=source,
            locale=locale,
            defaults={"target": target, "kind": kind, "alternatives": alternatives, "note": note},
        )
        made += created
    return made


def _sections(en_home: HomePage, locale: Locale) -> dict[str, SectionPage]:
    """English sections: translations of the Vietnamese ones, with English titles and slugs."""
    names = _json("en_sections.json")
    found = {}
    for vi_section in SectionPage.objects.filter(locale__language_code="vi").order_by("path"):
        if vi_section.slug not in names:
            continue
        slug, title = names[vi_section.slug]
        section = vi_section.get_translation_or_none(locale)
        if section is None:
            section = vi_section.copy_for_translation(locale).specific
            section.title, section.slug = title, slug
            section.save_revision().publish()
            section = SectionPage.objects.get(pk=section.pk)  # its new url_path, for children
        found[slug] = section
    return found


def _desk_account(loader) -> int:
    username, full_name, pen_name = DESK_ACCOUNT
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    made = 0
    if user is None:
        user = user_model.objects.create(
            username=username,
            email=f"{username}@toasoan.local",
            password=demo_password_hash(),
            first_name=full_name,
        )
        made += 1
    user.groups.add(
        Group.objects.get(name="Biên tập viên"), Group.objects.get(name="Ban Tiếng Anh")
    )
    loader.staff[username] = user
    PenName.objects.get_or_create(name=pen_name, defaults={"staff_member": user})
    return made


def _translate_seed(seed: ArticlePage, locale: Locale, translator, chief) -> ArticlePage | None:
    """The seed article's English version: translated by the translator, published by the
    editor-in-chief (as if the English desk's workflow had run)."""
    existing = seed.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translate_object(seed, [locale], user=translator)
    translation = Translation.objects.get(
        source__object_id=seed.translation_key, target_locale=locale
    )
    english = {plain(vi): en for vi, en in _json("en_seed.json").items()}
    for segment in StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    ):
        text = english.get(plain(segment.string.data))
        if text is None:
            raise ValueError(f"No English for seed segment {segment.string.data!r}")
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": StringValue.from_plaintext(text).data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": translator,
            },
        )
    translation.save_target(user=translator, publish=False)
    page = translation.get_target_instance().specific
    page.get_latest_revision().publish(user=chief)
    published = seed.first_published_at + timedelta(hours=3)
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=published, last_published_at=published
    )
    page.refresh_from_db()
    return page


def _stories(loader, sections: dict[str, SectionPage]) -> list[tuple[ArticlePage, bool]]:
    pen_names = [
        PenName.objects.get(name=DESK_ACCOUNT[2]),
        PenName.objects.filter(name="ĐÔNG HÀ").first(),
    ]
    now = timezone.localtime()
    made = []
    for n, story in enumerate(_json("en_stories.json")):
        hour, minute = (int(x) for x in story["time"].split(":"))
        published = (now - timedelta(days=story["days_ago"])).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
        if published > now:
            published -= timedelta(days=1)
        # Titled in Vietnamese in the newsroom's photo library; the English caption is the story's.
        photo = loader.photo(f"en-story-{n}", story["photo"], "QNO", title=story["photo_title"])
        body = [
            ("paragraph", RichText(f"<p>{html.escape(p, quote=False)}</p>"))
            for p in story["paragraphs"]
        ]
        page = loader.article(
            sections[story["section"]],
            title=story["title"],
            kind=story["kind"],
            prefix="(QNO)",
            sapo=story["sapo"],
            body=body,
            cover=photo,
            pen_names=[p for p in pen_names[: 1 + n % 2] if p],
            topics=story["topics"],
            published_at=published,
        )
        made.append((page, story["featured"]))
    return made
