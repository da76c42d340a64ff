"""How big each photo is shown on the public site, and the renditions made for it.

One list for everything that makes or reads renditions: the `{% photo_picture %}` tag of the
templates, the listings' prefetch, the worker that renders new covers and the demo loader.
Each kind's `sizes` follows site.css (frontpage); its widths are chosen so that the browser's
pick is never narrower than the photo is shown at 1× and 2× screens, and never much wider:

- content column: min(100vw, 1200px) - 32px; home's top grid 2fr 1fr (gap 24px) from 900px;
  section blocks 2fr 1fr 1fr (gap 16px) from 900px; article column 760px from 1000px;
- phones (< 600px): story lists are rows with a 120px thumbnail on the left.
"""

from dataclasses import dataclass

from toasoan.core.worker_copies import MB, WorkerCopies

CARD_FORMATS = ("webp", "jpeg")
PHOTO_FORMATS = ("avif", "webp", "jpeg")


def _fill(*widths: int) -> tuple[str, ...]:
    """Cropped to the cards' 8:5 around the focal point."""
    return tuple(f"fill-{w}x{w * 5 // 8}|format-{f}" for w in widths for f in CARD_FORMATS)


def _width(*widths: int) -> tuple[str, ...]:
    """The whole photo, as the story shows it."""
    return tuple(f"width-{w}|format-{f}" for w in widths for f in PHOTO_FORMATS)


CARD_SPECS = _fill(240, 480, 640)  # thumbnails and grid cards: 120–284px wide
LEAD_SPECS = _fill(480, 800, 1200, 1600)  # the home's lead and section leads: 343–763px
PHOTO_SPECS = _width(480, 800, 1200, 1600)  # a story's photos: 343–760px


@dataclass(frozen=True)
class Shown:
    """A place where a photo is shown: the renditions offered and how wide it is there."""

    specs: tuple[str, ...]
    sizes: str


SHOWN = {
    "lead": Shown(
        LEAD_SPECS,
        "(min-width: 1200px) 763px, (min-width: 900px) calc((100vw - 56px) * 2 / 3), "
        "calc(100vw - 32px)",
    ),
    "medium": Shown(
        LEAD_SPECS,
        "(min-width: 1200px) 568px, (min-width: 900px) calc((100vw - 64px) / 2), "
        "calc(100vw - 32px)",
    ),
    # Grid cards: the home's "Nổi bật" row and related stories (auto-fill, 150–190px).
    "small": Shown(CARD_SPECS, "(min-width: 600px) 190px, 120px"),
    # The home's section blocks: a quarter of the content column from 900px.
    "tile": Shown(
        CARD_SPECS,
        "(min-width: 1200px) 284px, (min-width: 900px) calc((100vw - 64px) / 4), "
        "(min-width: 600px) 190px, 120px",
    ),
    "row": Shown(CARD_SPECS, "(min-width: 600px) 240px, 120px"),  # section, topic, search
    "latest": Shown(CARD_SPECS, "120px"),  # "Mới nhất"
    "photo": Shown(PHOTO_SPECS, "(min-width: 1000px) 760px, calc(100vw - 32px)"),
}

# What story listings prefetch with their covers (every card kind), and what the worker makes
# for every new cover (the small sizes every listing shows; leads are made on first view).
LISTING_RENDITIONS = tuple(dict.fromkeys(CARD_SPECS + LEAD_SPECS))
COVER_RENDITIONS = PHOTO_SPECS  # the story page's own cover


# The <picture> of each photo as each place shows it, kept in this worker's memory
# (templatetags/pictures.py): a story with ten photos otherwise asks Redis for 12 renditions
# of each, and Wagtail writes all 12 back (pickled) on every render.
pictures = WorkerCopies(max_bytes=1 * MB)  # ~1.5 kB each: ~700, the photos of the pages read now
PICTURE_SECONDS = 10 * 60
PENDING_SECONDS = 30  # a <picture> made while some of its sizes are still being made


def identity(photo) -> tuple:
    """All a photo's renditions depend on: a new file or crop gives new ones."""
    return (
        photo.pk,
        photo.file.name,
        photo.focal_point_x,
        photo.focal_point_y,
        photo.focal_point_width,
        photo.focal_point_height,
    )


def recently_shown(photo) -> bool:
    """Whether this worker holds a <picture> of `photo`: listings then need not fetch its
    renditions (most cards and pictures are kept between two publishes)."""
    return pictures.get(("shown", identity(photo))) is not None


# The admin's own thumbnail: Wagtail's image library, chooser and chooser widget all show
# `max-165x165` (wagtailimages templates, views/images.py, widgets.py). Made when a photo is
# uploaded (newsroom.tasks), so listing the library never decodes an original.
ADMIN_RENDITIONS = ("max-165x165",)
