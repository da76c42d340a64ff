"""What every archive import shares: options, the summary, and the `Context` of one run.

A run knows where stories go (an edition's home page or a section), finds or makes the
sections, pen names, topics and photos it needs, and records every old address. The formats
are read elsewhere: `wordpress.py` (WXR) and `ninjs_import.py` (folders of ninjs files).
Every source object is recorded in `ImportedItem`, so running an import again adds only
what is missing.
"""

import hashlib
import logging
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db.models import Max
from PIL import Image
from wagtail.models import Collection, Page, Site
from wagtail.utils.file import hash_filelike

from toasoan.core.changes import content_changed
from toasoan.core.text import vi_slug
from toasoan.frontpage.models import FeaturedSlot, HomePage
from toasoan.newsroom.bulk import StoryWriter
from toasoan.newsroom.models import ArticlePage, PenName, Photo, SectionPage, Topic

from . import comments as comment_import
from .models import ImportedItem, LegacyURL
from .text import WP_QUERY, clean_text, host_of, normalise_path, plain_text

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # phase (“checking”, “writing”), done, total

# Why an item was not imported, as the summary says it.
ALREADY = "Đã nhập ở lần trước (không nhập lại)"
NOT_IMAGE = "Tệp đính kèm không phải ảnh"
BROKEN_IMAGE = "Ảnh hỏng hoặc không đọc được"
SKIPPED_SECTION = "Thuộc chuyên mục bị loại theo --section-map"
URL_TAKEN = "Địa chỉ cũ đã chuyển hướng tới trang khác (dùng --old-domain để tách)"

# Human labels of the counters, in the order the summary lists them.
LABELS = {
    "stories_live": "Bài đã đăng",
    "stories_draft": "Bài nháp (chưa đăng)",
    "sections": "Chuyên mục mới",
    "topics": "Chủ đề mới",
    "pen_names": "Bút danh mới",
    "photos": "Ảnh nhập từ tệp",
    "images_remote": "Ảnh giữ địa chỉ gốc (không có tệp)",
    "comments_approved": "Bình luận đã duyệt",
    "comments_pending": "Bình luận chờ duyệt",
    "comments_spam": "Bình luận spam",
    "comments_rejected": "Bình luận bị từ chối",
    "redirects": "Địa chỉ cũ chuyển hướng 301",
    "featured": "Bài ghim → Nổi bật",
}


class ImportRefused(Exception):
    """The import cannot start (bad options); nothing has been written."""


@dataclass
class Options:
    target: Page | None = None  # an edition's home page or a section; default: the site's home
    media_dir: Path | None = None
    section_map: dict[str, str] = field(default_factory=dict)  # source slug → section path
    old_domain: str = ""  # old addresses answer only on this host; "" = on every host
    origin: str = ""  # the source's name in ImportedItem; default: from the file
    flatten: bool = False  # every story straight into the target section
    featured: bool = True  # sticky posts → "Nổi bật" slots
    comments: bool = True
    time_zone: str = ""  # for dates without a GMT form; default: settings.TIME_ZONE
    batch: int = 500
    user: object | None = None
    progress: Progress | None = None


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    origin: str = ""
    seconds: float = 0.0

    def skip(self, reason: str, example: str = "") -> None:
        self.skipped[reason] += 1
        if example and len(self.examples[reason]) < 5:
            self.examples[reason].append(example[:120])

    @property
    def imported(self) -> int:
        return self.counts["stories_live"] + self.counts["stories_draft"]

    def as_dict(self) -> dict:
        return {
            "origin": self.origin,
            "seconds": round(self.seconds, 1),
            "counts": dict(self.counts),
            "skipped": dict(self.skipped),
            "examples": {k: v for k, v in self.examples.items() if v},
        }

    def lines(self) -> list[str]:
        out = [f"Đã nhập {self.imported} bài."]
        out += [
            f"  {label}: {self.counts[key]}" for key, label in LABELS.items() if self.counts[key]
        ]
        total = sum(self.skipped.values())
        out.append(f"Bỏ qua {total} mục." if total else "Không bỏ qua mục nào.")
        for reason, count in self.skipped.most_common():
            examples = "; ".join(self.examples.get(reason, []))
            out.append(f"  {reason}: {count}" + (f" (ví dụ: {examples})" if examples else ""))
        return out


def labelled(summary: dict) -> dict:
    """A stored summary (ImportRun.summary) with human labels, for the admin screen."""
    counts, examples = summary.get("counts", {}), summary.get("examples", {})
    skipped = sorted(summary.get("skipped", {}).items(), key=lambda kv: -kv[1])
    return {
        "counts": [(label, counts[key]) for key, label in LABELS.items() if counts.get(key)],
        "skipped": [(reason, n, examples.get(reason, [])) for reason, n in skipped],
        "imported": counts.get("stories_live", 0) + counts.get("stories_draft", 0),
        "seconds": summary.get("seconds"),
    }


def batched(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def short_key(value: str) -> str:
    return value if len(value) <= 255 else "sha1:" + hashlib.sha1(value.encode()).hexdigest()


@dataclass
class Category:
    slug: str
    name: str
    parent: str = ""
    term_id: str = ""


# --- one run: sections, people, topics, photos, addresses -------------------------
SKIP = object()


class Context:
    """What one import run knows and has made so far, shared by every batch."""

    def __init__(self, options: Options, origin: str, summary: Summary):
        self.options, self.origin, self.summary = options, origin, summary
        self.zone = zoneinfo.ZoneInfo(options.time_zone or settings.TIME_ZONE)
        self.target = (options.target or default_root()).specific
        self.home = home_of(self.target)
        self.host = host_of(options.old_domain) if options.old_domain else ""
        self.media_dir = Path(options.media_dir).resolve() if options.media_dir else None
        self.writer = StoryWriter()
        self.sections: dict[str, object] = {}
        self.category_sections: dict[str, SectionPage] = {}
        self.pen_names: dict[str, int] = {}
        self.owners: dict[int, int | None] = {}
        self.topics: dict[str, int] = {}
        self.photos: dict[tuple[str, str], int | None] = {}
        self.collection = Collection.get_first_root_node()
        self.user_id = getattr(options.user, "pk", None)
        self.touched_articles: set[int] = set()
        self.mapped = {
            slug: self._mapped_section(path) for slug, path in options.section_map.items()
        }

    # --- sections -----------------------------------------------------------------------
    def _mapped_section(self, path: str):
        path = path.strip().strip("/")
        if path in ("", "-"):
            return SKIP
        page = self.target
        for slug in path.split("/"):
            child = Page.objects.child_of(page).type(SectionPage).filter(slug=slug).first()
            if child is None:
                raise ImportRefused(
                    f"--section-map: không có chuyên mục “{path}” dưới “{self.target.title}”."
                )
            page = child
        return page.specific

    def default_section(self):
        if isinstance(self.target, SectionPage):
            return self.target
        return self.child_section(self.target, "chua-phan-loai", "Chưa phân loại")

    def child_section(self, parent: Page, slug: str, title: str) -> SectionPage:
        key = f"{parent.pk}/{slug}"
        section = self.sections.get(key)
        if section is None:
            section = Page.objects.child_of(parent).type(SectionPage).filter(slug=slug).first()
            if section is None:
                section = SectionPage(
                    title=plain_text(title, 255) or slug, slug=slug, show_in_menus=False
                )
                parent.add_child(instance=section)
                section.save_revision(user=self.options.user, log_action=False).publish(
                    log_action=False
                )
                self.summary.counts["sections"] += 1
            else:
                section = section.specific
            self.sections[key] = section
        return section

    def section_for_category(self, slug: str, categories: dict, seen: tuple = ()):
        if slug in self.mapped:
            return self.mapped[slug]
        if self.options.flatten:
            return self.target if isinstance(self.target, SectionPage) else self.default_section()
        if slug in self.category_sections:
            return self.category_sections[slug]
        category = categories.get(slug) or Category(slug, slug)
        parent = self.target
        if category.parent and category.parent not in seen and category.parent in categories:
            parent = self.section_for_category(category.parent, categories, (*seen, slug))
            if parent is SKIP:
                return SKIP
        our_slug = vi_slug(unquote(slug), max_length=60) or vi_slug(plain_text(category.name), 60)
        section = self.child_section(parent, our_slug or "chuyen-muc", category.name)
        self.category_sections[slug] = section
        return section

    # --- people and topics ----------------------------------------------------------------
    def pen_name(self, key: str, name: str, email: str = "", real_name: str = "") -> int:
        """The pen name of an author of the source, made once per author.

        An existing pen name of the same name is reused only when it is plausibly the same
        person: an outside contributor's, or a staff member's with the author's email. Else
        the byline is told apart (“V.A (baocu.vn)”), so another paper's “V.A” never takes
        one of our reporters' stories, royalties or author page.
        """
        if key in self.pen_names:
            return self.pen_names[key]
        name = plain_text(name, 120) or plain_text(key, 120) or "Không rõ tác giả"
        staff = None
        if email:
            staff = get_user_model().objects.filter(email__iexact=email.strip()).first()
        pen = PenName.objects.filter(name=name).select_related("staff_member").first()
        if (
            pen is not None
            and pen.staff_member_id
            and pen.staff_member_id != getattr(staff, "pk", None)
        ):
            name = clean_text(f"{name} ({self.origin_label})", 120)
            pen = PenName.objects.filter(name=name).first()
        if pen is None:
            slug = base = vi_slug(name, max_length=130) or "but-danh"
            n = 1
            while PenName.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            pen = PenName(name=name, slug=slug, staff_member=staff)
            if staff is None:
                pen.outside_contributor = clean_text(
                    f"{real_name or name} (nhập từ {self.origin}: {key})", 200
                )
            pen.save()
            self.summary.counts["pen_names"] += 1
        self.pen_names[key] = pen.pk
        return pen.pk

    @property
    def origin_label(self) -> str:
        return self.host or self.origin.split(":", 1)[-1].split("/")[0] or self.origin

    def owner_for(self, pen_name_ids: list[int]) -> int | None:
        """The staff member behind the first pen name owns the story; else the importer."""
        if not pen_name_ids:
            return self.user_id
        first = pen_name_ids[0]
        if first not in self.owners:
            self.owners[first] = (
                PenName.objects.filter(pk=first).values_list("staff_member_id", flat=True).first()
            )
        return self.owners[first] or self.user_id

    def topic(self, name: str) -> int | None:
        name = plain_text(name, 100)
        if not name:
            return None
        if name not in self.topics:
            topic = Topic.objects.filter(name=name).first()
            if topic is None:
                topic = Topic(name=name)
                topic.save()
                self.summary.counts["topics"] += 1
            self.topics[name] = topic.pk
        return self.topics[name]

    # --- photos -----------------------------------------------------------------------------
    def local_file(self, *candidates: str) -> Path | None:
        """The first candidate (a path or URL) found inside --media-dir, never outside it."""
        if self.media_dir is None:
            return None
        for candidate in candidates:
            if not candidate:
                continue
            path = unquote(urlsplit(candidate).path) if "://" in candidate else candidate
            options = [path]
            if "/uploads/" in path:
                options.insert(0, path.split("/uploads/", 1)[1])
            options.append(Path(path).name)
            for option in options:
                file = (self.media_dir / option.lstrip("/")).resolve()
                if file.is_relative_to(self.media_dir) and file.is_file():
                    return file
        return None

    def photo(
        self,
        kind: str,
        key: str,
        file: Path | None,
        title: str,
        caption: str = "",
        alt: str = "",
        credit: str = "",
    ) -> int | None:
        """A Photo for a local file, made once per source key (re-runs find the first one)."""
        cache_key = (kind, key)
        if cache_key in self.photos:
            return self.photos[cache_key]
        source_id = short_key(key)
        known = ImportedItem.objects.filter(
            origin=self.origin, kind=kind, source_id=source_id
        ).first()
        if known is not None and Photo.objects.filter(pk=known.target_id).exists():
            self.photos[cache_key] = known.target_id
            return known.target_id
        if known is not None:  # the photo was deleted from the library since: make it again
            known.delete()
        photo_id = None
        if file is not None:
            photo_id = self._make_photo(file, title, caption, alt, credit)
            if photo_id:
                ImportedItem.objects.create(
                    origin=self.origin, kind=kind, source_id=source_id, target_id=photo_id
                )
        self.photos[cache_key] = photo_id
        return photo_id

    def _make_photo(
        self, file: Path, title: str, caption: str, alt: str, credit: str = ""
    ) -> int | None:
        extension = file.suffix.lower().lstrip(".")
        if extension not in settings.WAGTAILIMAGES_EXTENSIONS:
            self.summary.skip(NOT_IMAGE, file.name)
            return None
        try:
            with Image.open(file) as image:
                image.verify()
        except Exception:
            self.summary.skip(BROKEN_IMAGE, file.name)
            return None
        with file.open("rb") as handle:
            digest = hash_filelike(handle)
        same = Photo.objects.filter(file_hash=digest).values_list("pk", flat=True).first()
        if same:  # the same picture already in the library (another key, a hand upload)
            return same
        photo = Photo(
            title=plain_text(title, 255) or file.stem,
            caption=clean_text(caption, 500),
            credit=plain_text(credit, 120),
            description=plain_text(alt, 255),
            collection=self.collection,
        )
        with file.open("rb") as handle:
            photo.file.save(file.name, File(handle), save=False)
        photo._set_image_file_metadata()
        photo.save()
        self.summary.counts["photos"] += 1
        return photo.pk

    # --- old addresses --------------------------------------------------------------------
    def legacy_urls(self, rows: list[tuple[str, int | None, str]]) -> None:
        """(old address, page id, new path) rows; an address already taken is reported."""
        wanted = {}
        for url, page_id, target in rows:
            path = normalise_path(url, WP_QUERY)[:1000]
            if path != "/" and path not in wanted:
                wanted[path] = (page_id, target)
        if not wanted:
            return
        taken = dict(
            LegacyURL.objects.filter(host=self.host, path__in=list(wanted)).values_list(
                "path", "page_id"
            )
        )
        new = []
        for path, (page_id, target) in wanted.items():
            if path in taken:
                if taken[path] != page_id:
                    self.summary.skip(URL_TAKEN, path)
                continue
            new.append(
                LegacyURL(
                    host=self.host,
                    path=path,
                    page_id=page_id,
                    target_path=target,
                    origin=self.origin,
                )
            )
        LegacyURL.objects.bulk_create(new, ignore_conflicts=True)
        self.summary.counts["redirects"] += len(new)

    # --- after the stories are written -----------------------------------------------------
    def feature(self, story_ids: list[int]) -> None:
        if not (story_ids and self.options.featured and self.home is not None):
            return
        start = FeaturedSlot.objects.filter(home=self.home).aggregate(m=Max("sort_order"))["m"]
        start = -1 if start is None else start
        FeaturedSlot.objects.bulk_create(
            [
                FeaturedSlot(home_id=self.home.pk, article_id=story_id, sort_order=start + n + 1)
                for n, story_id in enumerate(story_ids)
            ]
        )
        self.summary.counts["featured"] += len(story_ids)

    def index(self, stories: list[ArticlePage], topic_names: dict[int, list[str]]) -> None:
        """Put newly published stories in the public search index (no signals on bulk adds)."""
        if not apps.is_installed("toasoan.search"):
            return
        from toasoan.search.indexing import entry_for
        from toasoan.search.models import SearchEntry

        entries = [entry_for(s, topic_names.get(s.pk, [])) for s in stories if s.live]
        SearchEntry.objects.bulk_create(entries, ignore_conflicts=True)

    def finish(self) -> None:
        """Menus, feeds and sitemaps learn about the new stories and sections (bulk adds send
        no signals)."""
        content_changed(frame=True)
        if self.touched_articles:
            comment_import.forget_threads(self.touched_articles)


def default_root() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ImportRefused("Chưa có trang chủ (Site mặc định): hãy chạy migrate/load_demo trước.")
    return site.root_page


def home_of(page: Page) -> HomePage | None:
    if isinstance(page.specific, HomePage):
        return page.specific
    home = page.get_ancestors().type(HomePage).last()
    return home.specific if home else None


def resolve_target(value: str | None) -> Page:
    """`--into`: a page id, or a section path such as `thoi-su/quoc-te` under the site's home."""
    root = default_root()
    if not value:
        return root
    value = value.strip().strip("/")
    if value.isdigit():
        page = Page.objects.filter(pk=int(value)).first()
    else:
        page = root
        for slug in value.split("/"):
            page = page and Page.objects.child_of(page).filter(slug=slug).first()
    if page is None or not isinstance(page.specific, SectionPage | HomePage):
        raise ImportRefused(f"--into: không thấy chuyên mục hay trang chủ “{value}”.")
    return page.specific


def parse_section_map(values: Iterable[str]) -> dict[str, str]:
    """`cu=moi`, comma- or line-separated; `cu=-` drops the category's stories."""
    mapping = {}
    for value in values:
        for pair in value.replace("\n", ",").split(","):
            if not pair.strip():
                continue
            source, sep, target = pair.partition("=")
            if not sep or not source.strip():
                raise ImportRefused(f"--section-map: “{pair.strip()}” cần dạng cũ=mới.")
            mapping[source.strip()] = target.strip()
    return mapping
