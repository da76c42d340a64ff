"""A desk action makes only its blog's page fresh: readers see the entry at once on the
blog (every page of it), while the rest of the site stays cached (no new content
generation) and only the blog's address is purged from the front caches."""

import pytest
from wagtail import hooks

from toasoan.core import changes
from toasoan.live import desk, reading

pytestmark = pytest.mark.django_db


class Front:
    def __init__(self):
        self.purged: list[str] = []

    def enabled(self) -> bool:
        return True

    def enqueue(self, urls) -> None:
        self.purged += urls


def test_a_desk_action_refreshes_its_blog_and_nothing_else(
    client, blog, story, reporter, editor, chief, django_capture_on_commit_callbacks
):
    for n in range(reading.PAGE_SIZE + 1):
        desk.write(blog, chief, text=f"Cập nhật số {n:02d}.")
    waiting = desk.write(blog, reporter, text="Lũ lên nhanh ở Hội An.")
    pages = [blog.url, blog.url + "?page=2", story.url, "/"]
    for url in pages:
        assert client.get(url).status_code == 200
    assert all(client.get(url)["X-Cache"] == "HIT" for url in pages)
    generation = changes.generation()

    front = Front()
    with (
        hooks.register_temporarily(changes.FRONT_CACHE_HOOK, front),
        django_capture_on_commit_callbacks(execute=True),
    ):
        desk.approve(waiting, editor)

    first = client.get(blog.url)
    assert first["X-Cache"] == "MISS" and "Lũ lên nhanh ở Hội An." in first.content.decode()
    assert client.get(blog.url + "?page=2")["X-Cache"] == "MISS"
    assert client.get(story.url)["X-Cache"] == "HIT"  # the rest of the site: still cached
    assert client.get("/")["X-Cache"] == "HIT"
    assert changes.generation() == generation
    assert {url.split("://", 1)[-1].split("/", 1)[-1] for url in front.purged} == {
        blog.url.lstrip("/")
    }
