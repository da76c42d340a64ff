"""Pre-rendering photo sizes ahead of the request that shows them.

- A newly uploaded photo's admin thumbnail (ADMIN_RENDITIONS): queued when the upload is
  saved, in the worker where one is configured, else made inline before the upload answers.
  The image library and chooser then only read existing renditions: listing twenty 40-MP
  photos never decodes one.

- A published story's cover in the listing sizes, in the task worker only: story cards on
  home, section and search pages need CARD_SPECS of every cover; made by the worker right
  after publishing, the first reader of a new listing page does not wait for the image
  resizing. In the embedded setup (tasks run inline) nothing is queued: the sizes are made
  on first view as before, so publishing stays quick.
"""

from django.db import transaction
from django.db.models.signals import post_save
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


@task()
def render_admin_sizes(photo_id: int) -> int:
    """Make the admin thumbnail of one photo; 0 when it is gone or no decode slot was free
    (it is then made the first time the library shows it)."""
    from .models import Photo
    from .photo_budget import DecodeBusy
    from .pictures import ADMIN_RENDITIONS

    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    try:
        return len(photo.get_renditions(*ADMIN_RENDITIONS))
    except DecodeBusy:
        return 0


def make_admin_sizes_soon(photo) -> None:
    """Once the saving transaction commits: queue (or, without a worker, run) the thumbnail."""
    photo_id = photo.pk
    transaction.on_commit(lambda: render_admin_sizes.enqueue(photo_id))


def _photo_saved(sender, instance, **kwargs) -> None:
    # PhotoForm marks an upload it saved with commit=False (the multiple-upload view saves it).
    if instance.__dict__.pop("_admin_sizes_on_save", False):
        make_admin_sizes_soon(instance)


def _published(sender, instance, **kwargs) -> None:
    from .models import ArticlePage

    if isinstance(instance, ArticlePage) and instance.cover_image_id and runs_in_worker():
        render_listing_sizes.enqueue(instance.cover_image_id)


def connect() -> None:
    from . import photo_budget
    from .models import Photo

    page_published.connect(_published, dispatch_uid="newsroom-listing-renditions")
    post_save.connect(_photo_saved, sender=Photo, dispatch_uid="newsroom-admin-renditions")
    photo_budget.connect()
