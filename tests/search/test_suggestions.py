"""Suggestions as a reader types, "did you mean", and the synonym list's admin rules."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ArticlePageFactory
from toasoan.search.indexing import rebuild
from toasoan.search.models import SearchSynonym

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(section):
    for title in (
        "Cù Lao Chàm những ngày biển lặng",
        "Cù Lao Chàm đón khách trở lại",
        "Hội An ra mắt tour đêm",
    ):
        page = ArticlePageFactory(parent=section, title=title, sapo="Tin vắn.")
        page.topics.add("Cù Lao Chàm")
        page.save()
    rebuild()


def test_two_letters_without_marks_suggest_topics_then_titles(client, stories):
    data = client.get("/search/suggest/", {"q": "cu"}).json()
    labels = [(s["kind"], s["label"]) for s in data["suggestions"]]
    assert labels[0] == ("Chủ đề", "Cù Lao Chàm")
    assert ("Bài viết", "Cù Lao Chàm đón khách trở lại") in labels
    story = next(s for s in data["suggestions"] if s["kind"] == "Bài viết")
    assert client.get(story["url"]).status_code == 200  # the story itself, not a search


def test_suggestions_match_any_word_from_its_first_letters(client, stories):
    labels = [
        s["label"] for s in client.get("/search/suggest/", {"q": "tour d"}).json()["suggestions"]
    ]
    assert labels == ["Hội An ra mắt tour đêm"]
    assert client.get("/search/suggest/", {"q": "  ,,  "}).json()["suggestions"] == []


def test_did_you_mean_offers_the_accented_spelling_and_mends_near_misses(client, stories):
    page = client.get("/search/", {"q": "cu lao cham"}).content.decode()
    assert "Có phải bạn muốn tìm" in page and "cù lao chàm" in page
    page = client.get("/search/", {"q": "cu lao chma"}).content.decode()
    assert "cù lao chàm" in page
    page = client.get("/search/", {"q": "Cù Lao Chàm"}).content.decode()
    assert "Có phải bạn muốn tìm" not in page  # typed with marks: nothing to mend


def test_a_synonym_needs_two_spellings_with_letters():
    with pytest.raises(ValidationError):
        SearchSynonym(terms="UBND").full_clean()
    with pytest.raises(ValidationError):
        SearchSynonym(terms="UBND\n…").full_clean()
    entry = SearchSynonym(terms=" UBND ,  Ủy ban nhân dân\nubnd")
    entry.full_clean()
    assert entry.variants() == ["UBND", "Ủy ban nhân dân"]


def test_the_default_list_is_loaded_by_the_migration():
    assert SearchSynonym.objects.filter(terms__startswith="TP.HCM").exists()
    assert SearchSynonym.objects.filter(terms__contains="Q.Nam").exists()


def test_staff_edit_the_list_in_the_admin(admin_user):
    from tests.staff import client_for

    response = client_for(admin_user).get("/admin/snippets/search/searchsynonym/")
    assert response.status_code == 200
    assert "Từ đồng nghĩa khi tìm kiếm" in response.content.decode()
