"""Where sections and stories may stand in the page tree, and who draws them: the newsroom
names no page type of the public site, yet editors still add sections only under an edition
home or another section."""

from wagtail.models import Page

from toasoan.frontpage.models import HomePage
from toasoan.newsroom.models import ArticlePage, SectionPage


def test_sections_go_under_an_edition_home_or_a_section_never_the_bare_root(home, section):
    assert SectionPage.can_create_at(home)
    assert SectionPage.can_create_at(section)
    assert not SectionPage.can_create_at(Page.get_first_root_node())
    assert set(SectionPage.allowed_parent_page_models()) >= {HomePage, SectionPage}
    assert ArticlePage.can_create_at(section) and not ArticlePage.can_create_at(home)


def test_the_public_site_draws_the_newsrooms_pages(client, story, section):
    page = client.get(story.url)
    assert page.status_code == 200
    assert "frontpage/base.html" not in {t.name for t in page.templates}
    assert {"base.html", "newsroom/article_page.html"} <= {t.name for t in page.templates}
    listing = client.get(section.url)
    assert "newsroom/section_page.html" in {t.name for t in listing.templates}
