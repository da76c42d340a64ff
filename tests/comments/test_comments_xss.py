"""A corpus of published XSS payloads, posted as comment name and text, stays inert:
shown as the reader typed it on the public page and in the moderation screens."""

import html
import re
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import UserFactory
from toasoan.comments import moderation
from toasoan.comments.models import Comment, Status
from toasoan.newsroom.roles import ensure_roles

pytestmark = pytest.mark.django_db

PAYLOADS = [
    line
    for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]
EXECUTABLE = re.compile(r"alert|prompt|confirm|print|eval|xss\.example|atob", re.I)
URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "srcdoc",
    "poster",
    "xlink:href",
    "dynsrc",
    "lowsrc",
    "content",
    "style",
}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "keygen",
    "isindex",
}


class Page(HTMLParser):
    """Every tag, attribute and inline script of a page, and the text of chosen elements."""

    def __init__(self, text_classes=("comment__name", "comment__text")):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.texts = [], [], {c: [] for c in text_classes}
        self._open = []  # [class, depth, parts] for elements whose text we collect
        self._in_script = False
        self.text_classes = text_classes

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if tag in VOID:
            return
        for entry in self._open:
            entry[1] += 1
        classes = (dict(attrs).get("class") or "").split()
        for wanted in self.text_classes:
            if wanted in classes:
                self._open.append([wanted, 1, []])

    def handle_endtag(self, tag):
        self._in_script = False
        if tag in VOID:
            return
        for entry in list(self._open):
            entry[1] -= 1
            if entry[1] == 0:
                self.texts[entry[0]].append("".join(entry[2]))
                self._open.remove(entry)

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        for entry in self._open:
            entry[2].append(data)


FOREIGN_ELEMENTS = {
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "base",
    "math",
    "svg",
    "xmp",
    "isindex",
    "keygen",
    "marquee",
    "bgsound",
    "template",
}


def assert_inert(page: Page, public: bool = True, own: Counter | None = None) -> None:
    """No payload runs or loads anything; on a public page, no element a comment must never
    bring (`own`: those the page's own template has, e.g. its icons)."""
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            value = html.unescape(value or "")
            if name.startswith("on"):
                assert not EXECUTABLE.search(value), (tag, name, value)
            if name in URL_ATTRS:
                cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not cleaned.startswith(("javascript:", "vbscript:", "data:")), (tag, attrs)
                if "xss.example" in cleaned:  # only as a reader's link, never loaded
                    assert (
                        tag == "a"
                        and name == "href"
                        and attrs.get("rel") == ("nofollow ugc noopener")
                    ), (tag, attrs)
    if public:
        found = Counter(tag for tag, _ in page.tags if tag in FOREIGN_ELEMENTS)
        extra = found - (own or Counter())
        assert not extra, f"elements from comments made it into the page: {dict(extra)}"
    for script in page.scripts:
        assert not EXECUTABLE.search(script), script[:200]


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def payload_comments(client, story, settings):
    settings.TOASOAN = {
        **settings.TOASOAN,
        "COMMENT_RATE_LIMITS": {"ip": (10_000, 60), "email": (10_000, 60)},
        "COMMENT_MAX_LINKS": 100,
    }
    assert len(PAYLOADS) >= 100
    for n, payload in enumerate(PAYLOADS):
        response = client.post(
            f"/binh-luan/gui/{story.pk}/",
            {
                "name": payload[:80],
                "email": f"xss{n}@example.vn",
                "text": payload,
                "ts": moderation.form_token(time.time() - 30),
            },
            HTTP_ACCEPT="application/json",
            REMOTE_ADDR=f"10.0.{n // 250}.{n % 250 + 1}",  # folded duplicates are allowed
        )
        assert response.status_code == 200, (payload, response.content)
    comments = list(Comment.objects.order_by("pk"))
    assert len(comments) == len(PAYLOADS)
    return comments


def test_payloads_are_escaped_on_the_public_page(client, story, payload_comments):
    before = Page()
    before.feed(client.get(story.url).content.decode())  # the comments are still held
    own = Counter(tag for tag, _ in before.tags if tag in FOREIGN_ELEMENTS)
    moderation.moderate(payload_comments, Status.APPROVED)
    response = client.get(story.url)
    assert response.status_code == 200
    page = Page()
    page.feed(response.content.decode())
    assert_inert(page, own=own)
    assert f"({len(PAYLOADS)}) Bình luận" in response.content.decode()
    # Every payload is shown as typed (escaped, not dropped or rewritten).
    shown_names = sorted(squash(t) for t in page.texts["comment__name"])
    shown_texts = sorted(squash(t) for t in page.texts["comment__text"])
    assert shown_names == sorted(squash(c.name) for c in payload_comments)
    assert shown_texts == sorted(squash(c.text) for c in payload_comments)


def test_payloads_are_escaped_in_the_moderation_queue(client, home, payload_comments):
    moderator = UserFactory()
    moderator.groups.add(ensure_roles(home)["Kiểm duyệt bình luận"])
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    listing = client.get("/admin/snippets/comments/comment/?status=pending")
    assert listing.status_code == 200
    content = listing.content.decode()
    page = Page(text_classes=())
    page.feed(content)
    assert_inert(page, public=False)
    shown = squash(html.unescape(re.sub(r"<[^>]+>", " ", content)))
    newest = payload_comments[-50:]
    for comment in newest:
        assert squash(comment.excerpt) in shown or squash(comment.excerpt)[:60] in shown

    # The payloads add no element at all: the same queue with harmless text has the same tags.
    Comment.objects.update(name="Bạn đọc", text="Bình luận bình thường")
    harmless = Page(text_classes=())
    harmless.feed(client.get("/admin/snippets/comments/comment/?status=pending").content.decode())
    assert Counter(t for t, _ in page.tags) == Counter(t for t, _ in harmless.tags)
    Comment.objects.filter(pk__in=[c.pk for c in payload_comments]).delete()
    Comment.objects.bulk_create(payload_comments)

    ids = "&".join(f"id={c.pk}" for c in payload_comments)
    confirm = client.get(f"/admin/bulk/comments/comment/approve/?{ids}&next=/admin/")
    assert confirm.status_code == 200
    page = Page(text_classes=())
    page.feed(confirm.content.decode())
    assert_inert(page, public=False)

    for comment in payload_comments[::10]:
        for view in ("inspect", "edit"):
            response = client.get(f"/admin/snippets/comments/comment/{view}/{comment.pk}/")
            assert response.status_code == 200, view
            page = Page(text_classes=())
            page.feed(response.content.decode())
            assert_inert(page, public=False)


def test_payloads_are_inert_in_the_json_api(client, story, payload_comments):
    moderation.moderate(payload_comments, Status.APPROVED)
    response = client.get(f"/binh-luan/bai/{story.pk}.json")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    assert data["count"] == len(PAYLOADS)
    by_id = {c.pk: c for c in payload_comments}
    for item in data["comments"]:
        assert item["text"] == by_id[item["id"]].text and "email" not in item
        page = Page(text_classes=())
        page.feed(item["html"])
        for tag, attrs in page.tags:
            assert tag in {"p", "br", "a"}, (tag, item["html"])
            if tag == "a":
                assert set(attrs) == {"href", "rel"} and attrs["rel"] == "nofollow ugc noopener"
                assert attrs["href"].startswith(("http://", "https://"))
    assert "example.vn" not in response.content.decode()  # no email address, ever
