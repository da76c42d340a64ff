"""Pre-rendering photo sizes ahead of the request that shows them.

- A newly uploaded photo's admin thumbnail (ADMIN_RENDITIONS): queued when the upload is
  saved, in the worker where one is configured, else made inline before the upload answers.
  The image library and chooser then only read existing renditions: listing twenty 40-MP
  photos never decodes one.

- A published story's photos in every size readers are shown, in the task worker only: the
  cover in the card and lead sizes of home, section and search pages and in the story's own,
  the body's photos in the story's. Made by the worker right after publishing (one decode
  per photo, within the worker's memory bound: deploy/systemd/toasoan-worker.service), the
  first readers of a new story or listing do not wait for the resizing and no web worker
  decodes a large original. In the embedded setup (tasks run inline) nothing is queued: the
  sizes are made on first view as before, so publishing stays quick.

- A size a reader's page finds missing (a photo published before, a size added to a
  layout): queued by the page (newsroom.sizes), which shows what exists meanwhile.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task
from wagtail.signals import page_published

from toasoan.core.tasks import runs_in_worker


@task()
def render_public_sizes(photo_id: int, use: str) -> int:
    """Make the sizes readers see of one photo used as a story's "cover" or a body "photo";
    returns how many exist afterwards (0 when the photo is gone)."""
    from .models import Photo
    from .pictures import COVER_RENDITIONS, LISTING_RENDITIONS, PHOTO_SPECS

    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    specs = LISTING_RENDITIONS + COVER_RENDITIONS if use == "cover" else PHOTO_SPECS
    return len(photo.get_renditions(*dict.fromkeys(specs)))


@task()
def render_sizes(photo_id: int, specs: list[str]) -> int:
    """Make `specs` of one photo that a reader's page asked for and found missing
    (newsroom.sizes): the page used what existed meanwhile. 0 when the photo is gone."""
    from .models import Photo

    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    return len(photo.get_renditions(*dict.fromkeys(specs)))


@task()
def render_story_sizes(cover_id: int | None, photo_ids: list[int]) -> int:
    """`render_public_sizes` of one published story's cover and body photos: one task (one
    row written while the editor waits) instead of one per photo."""
    made = render_public_sizes.call(cover_id, "cover") if cover_id else 0
    for photo_id in photo_ids:
        made += render_public_sizes.call(photo_id, "photo")
    return made


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

    if not isinstance(instance, ArticlePage) or not runs_in_worker():
        return
    # The body's photo ids as stored: reading `instance.body` would fetch every photo.
    in_body = {
        block["value"].get("image")
        for block in instance.body.raw_data
        if block.get("type") == "photo" and isinstance(block.get("value"), dict)
    }
    photos = sorted(pk for pk in in_body - {instance.cover_image_id, None} if isinstance(pk, int))
    if instance.cover_image_id or photos:
        render_story_sizes.enqueue(instance.cover_image_id, photos)


def connect() -> None:
    from . import photo_budget
    from .models import Photo

    page_published.connect(_published, dispatch_uid="newsroom-listing-renditions")
    post_save.connect(_photo_saved, sender=Photo, dispatch_uid="newsroom-admin-renditions")
    photo_budget.connect()
