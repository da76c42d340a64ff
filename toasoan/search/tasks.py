"""Search indexing as a task: with the database queue it leaves the publish request and is
written in the same transaction as the publish, so a crash or restart never loses it."""

from django_tasks import task


@task()
def index_published(page_id: int) -> bool:
    """Index the story as it is when the task runs (a story unpublished since loses its entry)."""
    from toasoan.newsroom.models import ArticlePage

    from .indexing import index_story, remove_story

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is None:
        remove_story(page_id)
        return False
    index_story(page)
    return page.live
