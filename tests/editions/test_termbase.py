"""The termbase: terms found per segment, suggested to translators, and a warning (on save,
on submit and in a report) when a translation skips the approved wording."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.editions.conftest import request_translation, translate_segments, user_in
from tests.factories import ArticlePageFactory
from toasoan.editions import termbase
from toasoan.editions.machine import MemoryTranslator
from toasoan.editions.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def term_story(section, pen_name):
    return ArticlePageFactory(
        parent=section,
        title="Hội nghị thông tin đối ngoại",
        sapo="Sáng nay 22.12, UBND tỉnh họp với các sở tại Hội An.",
        pen_names=[pen_name],
    )


@pytest.fixture
def terms(en_locale):
    return [
        Term.objects.create(
            source="UBND tỉnh",
            target="Provincial People's Committee",
            alternatives="PPC",
            locale=en_locale,
        ),
        Term.objects.create(source="Hội An", target="Hoi An", locale=en_locale, kind="dia-danh"),
        Term.objects.create(
            source="Sở Y tế", target="Department of Health", locale=en_locale, approved=False
        ),
    ]


def test_terms_match_whole_words_any_case_through_html(terms):
    ubnd, hoi_an, _ = terms
    assert termbase.terms_in("Chủ tịch <b>ubnd   tỉnh</b> Quảng Nam", terms) == [ubnd]
    assert termbase.terms_in("UBND tỉnhx", terms) == []
    assert termbase.terms_in("Phố cổ Hội An", terms) == [hoi_an]
    assert termbase.terms_in("Hội Anh em", terms) == []
    assert termbase.uses("the provincial people’s committee", ubnd)  # curly apostrophe
    assert termbase.uses("the PPC said", ubnd)
    assert not termbase.uses("the provincial government", ubnd)


def test_translator_sees_terms_per_segment_and_missing_ones(
    client, desks, term_story, terms, en_locale
):
    translation = request_translation(term_story, en_locale)
    translator = user_in("Biên dịch viên")
    client.force_login(translator)
    url = reverse("editions_terms", args=[translation.pk])
    data = json.loads(client.get(url).content)
    sapo = next(s for s in data["segments"] if s["source"].startswith("Sáng nay"))
    assert [t["source"] for t in sapo["terms"]] == ["UBND tỉnh", "Hội An"]
    assert sapo["terms"][0]["target"] == "Provincial People's Committee"
    assert not sapo["translated"] and data["missing"] == 0
    assert data["done"] == 0 and data["total"] > 1  # the desk's counter follows the saves
    # Unapproved terms are neither suggested nor checked.
    assert "Sở Y tế" not in json.dumps(data, ensure_ascii=False)

    translate_segments(
        translation, lambda text: "The province's committee met." if "UBND" in text else None
    )
    data = json.loads(client.get(url).content)
    assert data["missing"] == 2  # neither "Provincial People's Committee" nor "Hoi An"
    assert data["done"] == 1
    page = client.get(
        reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])
    )
    assert "data-term-missing" in page.content.decode()


def test_saving_warns_about_unused_terms_and_the_report_lists_them(
    client, desks, term_story, terms, en_locale
):
    translation = request_translation(term_story, en_locale)
    translate_segments(
        translation,
        lambda text: "The province's committee met." if "UBND" in text else f"EN {text}",
    )
    translator = user_in("Biên dịch viên")
    client.force_login(translator)
    response = client.post(reverse("editions_save", args=[translation.pk]))
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Provincial People's Committee" in w for w in warnings), warnings

    chief = user_in("Tổng biên tập")
    client.force_login(chief)
    report = client.get(reverse("editions_report")).content.decode()
    assert "data-term-warning" in report and "UBND tỉnh" in report

    translate_segments(
        translation,
        lambda text: "The Provincial People's Committee met in Hoi An." if "UBND" in text else None,
    )
    assert termbase.warnings(translation) == []


def test_editors_keep_the_termbase_translators_read_it(client, desks, terms):
    translator = user_in("Biên dịch viên")
    editor = user_in("Biên tập viên")
    assert translator.has_perm("editions.view_term")
    assert not translator.has_perm("editions.change_term")
    assert editor.has_perm("editions.change_term") and editor.has_perm("editions.add_term")
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_editions_term:list")).content.decode()
    assert "UBND tỉnh" in listing


def test_offline_termbase_translator_fills_whole_term_segments(terms, en_locale):
    from wagtail.models import Locale
    from wagtail_localize.strings import StringValue

    vi = Locale.objects.get(language_code="vi")
    strings = [StringValue.from_plaintext("Hội An"), StringValue.from_plaintext("Phố cổ Hội An")]
    result = MemoryTranslator({}).translate(vi, en_locale, strings)
    assert {s.data: v.data for s, v in result.items()} == {"Hội An": "Hoi An"}
