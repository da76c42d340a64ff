"""Pre-rendering a published story's cover in the listing sizes, in the task worker.

Story cards on home, section and search pages need CARD_SPECS of every cover; made
by the worker right after publishing, the first reader of a new listing page does not wait
for the image resizing. In the embedded setup (tasks run inline) nothing is queued: the sizes
are made on first view as before, so publishing stays quick.
"""

from django_tasks import task
from wagtail.signals import page_published

from toasoan.core.tasks import runs_in_worker


@task()
def render_listing_sizes(photo_id: int) -> int:
    """Make the listing renditions of one photo; returns how many exist afterwards."""
    from .models import Photo
    from .pictures import CARD_SPECS

    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    return len(photo.get_renditions(*CARD_SPECS))


def _published(sender, instance, **kwargs) -> None:
    from .models import ArticlePage

    if isinstance(instance, ArticlePage) and instance.cover_image_id and runs_in_worker():
        render_listing_sizes.enqueue(instance.cover_image_id)


def connect() -> None:
    page_published.connect(_published, dispatch_uid="newsroom-listing-renditions")
