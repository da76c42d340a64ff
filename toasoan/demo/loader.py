"""Demo content for `make run`: a provincial daily's sections, staff, stories and photos.

Idempotent: every object is looked up by a stable key first, so a second run adds nothing.
"""

import hashlib
import html
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from toasoan.comments.demo import load_demo_comments
from toasoan.editions.homes import ROOT_COLLECTION_NAME, TREE_ROOT_TITLE, edition_homes
from toasoan.frontpage.listing import featured, section_blocks
from toasoan.frontpage.models import FeaturedSlot, HomePage
from toasoan.live.demo import load_demo_live
from toasoan.newsroom.models import (
    ArticleByline,
    ArticlePage,
    PenName,
    Photo,
    SectionPage,
)
from toasoan.newsroom.pictures import CARD_SPECS, LEAD_SPECS, PHOTO_SPECS
from toasoan.newsroom.workflow import setup_newsroom
from toasoan.planning.demo import load_demo_planning
from toasoan.polls.demo import load_demo_poll
from toasoan.printing.demo import load_demo_print
from toasoan.readership.demo import load_demo_views
from toasoan.royalties.demo import load_demo_royalties

from . import demo_password_hash
from .editions import load_demo_editions
from .photos import landscape_jpeg

DATA = Path(__file__).parent / "data"

SECTIONS = [
    ("thoi-su", "Thời sự", []),
    ("chinh-tri", "Chính trị", [("xay-dung-dang", "Xây dựng Đảng")]),
    ("kinh-te", "Kinh tế", [("nong-nghiep", "Nông nghiệp"), ("dau-tu", "Đầu tư")]),
    ("xa-hoi", "Xã hội", [("giao-duc", "Giáo dục"), ("y-te", "Y tế")]),
    ("van-hoa-du-lich", "Văn hóa – Du lịch", []),
    ("the-thao", "Thể thao", []),
    ("phap-luat", "Pháp luật", []),
]


@dataclass(frozen=True)
class StaffAccount:
    username: str
    full_name: str
    role: str  # a group name from newsroom.roles
    pen_names: tuple[str, ...] = ()
    desks: tuple[str, ...] = ()  # section editors: the sections they edit and approve


STAFF = [
    StaffAccount("ctv", "Lê Thị Trâm", "Cộng tác viên", ("LÊ TRÂM",)),
    StaffAccount("phongvien", "Võ Văn An", "Phóng viên", ("V.A", "VĨNH AN")),
    StaffAccount("phongvien2", "Hoàng Thị Liên", "Phóng viên", ("HOÀNG LIÊN",)),
    StaffAccount("phongvienanh", "Phạm Quốc Tuấn", "Phóng viên", ("QUỐC TUẤN",)),  # ảnh
    StaffAccount("phongvienanh2", "Trần Minh Nhật", "Phóng viên", ("MINH NHẬT",)),  # ảnh
    StaffAccount(
        "bientap",
        "Nguyễn Minh Hải",
        "Biên tập viên",
        ("MINH HẢI",),
        ("Thời sự", "Chính trị", "Kinh tế"),
    ),
    StaffAccount(
        "bientap2",
        "Lê Văn Bình",
        "Biên tập viên",
        (),
        ("Xã hội", "Văn hóa – Du lịch", "Thể thao", "Pháp luật"),
    ),
    StaffAccount("thuky", "Trần Thu Hà", "Thư ký tòa soạn", ("THU HÀ",)),
    StaffAccount("tongbientap", "Nguyễn Văn Quang", "Tổng biên tập", ("NGUYỄN QUANG",)),
    StaffAccount("photongbientap", "Phan Thế Vinh", "Tổng biên tập", ("PHAN VINH",)),
    StaffAccount("biendich", "Đông Thị Hà", "Biên dịch viên", ("ĐÔNG HÀ",)),
    StaffAccount("kiemduyet", "Phạm Văn Duyệt", "Kiểm duyệt bình luận"),
    StaffAccount("quantri", "Quản trị hệ thống", "Quản trị"),
    StaffAccount("ketoan", "Trương Thị Kế", "Kế toán"),
]


@dataclass
class SeedArticle:
    title: str
    pen_name: str
    published_at: datetime
    prefix: str
    sapo: str
    blocks: list[tuple[str, str, str]]  # ("paragraph", text, "") or ("photo", caption, credit)


def parse_seed(text: str) -> SeedArticle:
    """Read the real article page kept in demo data (title, byline+dateline, lead, body)."""
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text.strip()) if c.strip()]
    title, byline, lead = chunks[0], chunks[1], chunks[2]
    match = re.fullmatch(r"(?P<pen>.+?)\s+(?P<when>\d{2}/\d{2}/\d{4} \d{2}:\d{2})", byline)
    if not match:
        raise ValueError(f"Seed byline not understood: {byline!r}")
    when = timezone.make_aware(datetime.strptime(match["when"], "%d/%m/%Y %H:%M"))
    prefix, _, sapo = lead.partition(" - ")
    blocks = []
    for chunk in chunks[3:]:
        if re.match(r"\(\d+\) Bình luận", chunk):  # the page's furniture starts here
            break
        photo = re.fullmatch(r"(?P<caption>.+?)\s+Ảnh:\s*(?P<credit>.+)", chunk, re.S)
        if photo:
            blocks.append(("photo", photo["caption"].strip(), photo["credit"].strip()))
        else:
            blocks.append(("paragraph", chunk, ""))
    return SeedArticle(title, match["pen"], when, prefix, sapo, blocks)


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = 0
        self.staff = {}

    # --- structure ---------------------------------------------------------------
    def home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            home = self._tree_root().add_child(
                instance=HomePage(title="Trang chủ", slug="trang-chu")
            )
            self.created += 1
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                root_page=home,
                is_default_site=True,
                site_name="Báo Quảng Nam",
            )
        elif site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page, site.site_name = home, "Báo Quảng Nam"
            site.save()
            if old_root.specific_class is Page and not old_root.get_children().exists():
                old_root.delete()  # Wagtail's "Welcome" placeholder
        self._site_address(site)
        return home

    @staticmethod
    def _site_address(site: Site) -> None:
        """The site on the address `make run` serves (BASE_URL), so the admin's "live" links
        lead to the demo paper and not to http://localhost/."""
        if not settings.BASE_URL:
            return
        address = urlsplit(settings.BASE_URL)
        port = address.port or (443 if address.scheme == "https" else 80)
        if (site.hostname, site.port) != (address.hostname, port):
            site.hostname, site.port = address.hostname, port
            site.save()

    @staticmethod
    def _tree_root() -> Page:
        """Wagtail's migrations make the default locale, the page tree's root and the root
        collection; `manage.py flush` empties them with the rest: made again if missing."""
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Collection.get_first_root_node() or Collection.add_root(name=ROOT_COLLECTION_NAME)
        return Page.get_first_root_node() or Page.add_root(
            instance=Page(title=TREE_ROOT_TITLE, slug="root", locale=locale)
        )

    def sections(self, home: HomePage) -> dict[str, SectionPage]:
        found = {s.slug: s for s in SectionPage.objects.all()}
        for slug, title, children in SECTIONS:
            parent = self._section(home, slug, title, found)
            for child_slug, child_title in children:
                self._section(parent, child_slug, child_title, found)
        return found

    def _section(self, parent, slug, title, found) -> SectionPage:
        if slug not in found:
            section = SectionPage(title=title, slug=slug, show_in_menus=True)
            parent.add_child(instance=section)
            section.save_revision().publish()
            found[slug] = section
            self.created += 1
        return found[slug]

    # --- people ----------------------------------------------------------------
    def people(self, home: HomePage) -> dict[str, PenName]:
        groups = setup_newsroom(home)
        user_model = get_user_model()
        pen_names = {}
        for account in STAFF:
            user = user_model.objects.filter(username=account.username).first()
            if user is None:
                user = user_model.objects.create(
                    username=account.username,
                    email=f"{account.username}@toasoan.local",
                    password=demo_password_hash(),
                    first_name=account.full_name,  # Vietnamese order: "Nguyễn Minh Hải"
                    is_superuser=account.role == "Quản trị",
                    is_staff=account.role == "Quản trị",
                )
                self.created += 1
            user.groups.add(groups[account.role], *[groups[f"Ban {d}"] for d in account.desks])
            self.staff[account.username] = user
            for name in account.pen_names:
                pen_names[name], made = PenName.objects.get_or_create(
                    name=name, defaults={"staff_member": user}
                )
                self.created += made
        return pen_names

    # --- photos and stories -----------------------------------------------------
    def photo(self, key: str, caption: str, credit: str, title: str = "") -> Photo:
        title = title or caption[:200]
        photo = Photo.objects.filter(title=title).first()
        if photo is None:
            name = f"demo-{hashlib.sha1(key.encode()).hexdigest()[:10]}.jpg"
            photo = Photo(
                title=title,
                caption=caption,
                credit=credit,
                file=ImageFile(io.BytesIO(landscape_jpeg(key)), name=name),
            )
            photo.save()
            self.created += 1
        return photo

    def article(
        self,
        section: SectionPage,
        *,
        title: str,
        kind: str,
        prefix: str,
        sapo: str,
        body: list,
        cover: Photo | None,
        pen_names: list[PenName],
        topics: list[str],
        published_at: datetime,
    ) -> ArticlePage:
        existing = ArticlePage.objects.child_of(section).filter(title=title).first()
        if existing:
            return existing
        page = ArticlePage(
            title=title,
            kind=kind,
            lead_prefix=prefix,
            sapo=sapo,
            body=body,
            cover_image=cover,
            first_published_at=published_at,
        )
        for order, pen_name in enumerate(pen_names):
            page.bylines.add(ArticleByline(pen_name=pen_name, sort_order=order))
        page.topics.add(*topics)
        section.add_child(instance=page)
        page.save_revision(user=self.staff.get("tongbientap")).publish(
            user=self.staff.get("tongbientap"), log_action=True
        )
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=published_at,
            last_published_at=published_at,
            latest_revision_created_at=published_at,
        )
        self.created += 1
        return page

    def seed_article(self, sections, pen_names) -> ArticlePage:
        seed = parse_seed((DATA / "seed_article.txt").read_text(encoding="utf-8"))
        body = []
        cover = None
        for i, (kind, text, credit) in enumerate(seed.blocks):
            if kind == "photo":
                photo = self.photo(f"seed-{i}", text, credit)
                cover = cover or photo
                body.append(("photo", {"image": photo}))  # its caption and credit are its own
            else:
                body.append(("paragraph", RichText(f"<p>{html.escape(text, quote=False)}</p>")))
        return self.article(
            sections["chinh-tri"],
            title=seed.title,
            kind="bai",
            prefix=seed.prefix,
            sapo=seed.sapo,
            body=body,
            cover=cover,
            pen_names=[pen_names[seed.pen_name]],
            topics=["Thông tin đối ngoại", "Quảng Nam"],
            published_at=seed.published_at,
        )

    def stories(self, sections, pen_names) -> list[tuple[ArticlePage, bool]]:
        stories = json.loads((DATA / "stories.json").read_text(encoding="utf-8"))
        now = timezone.localtime()
        made = []
        for n, story in enumerate(stories):
            hour, minute = (int(x) for x in story["time"].split(":"))
            published = (now - timedelta(days=story["days_ago"])).replace(
                hour=hour, minute=minute, second=0, microsecond=0
            )
            if published > now:
                published -= timedelta(days=1)
            photos = [
                self.photo(f"story-{n}-{i}", p["caption"], p["credit"])
                for i, p in enumerate(story["photos"])
            ]
            body = []
            for i, paragraph in enumerate(story["paragraphs"]):
                body.append(
                    ("paragraph", RichText(f"<p>{html.escape(paragraph, quote=False)}</p>"))
                )
                if i == 1 and story.get("quote"):
                    body.append(("quote", {"text": story["quote"], "attribution": ""}))
                if i < len(photos) - 1:
                    photo = photos[i + 1]
                    body.append(("photo", {"image": photo}))
            for photo in photos[len(story["paragraphs"]) + 1 :]:
                body.append(("photo", {"image": photo}))
            page = self.article(
                sections[story["section"]],
                title=story["title"],
                kind=story["kind"],
                prefix=story["prefix"],
                sapo=story["sapo"],
                body=body,
                cover=photos[0] if photos else None,
                pen_names=[pen_names[p] for p in story["pen_names"]],
                topics=story["topics"],
                published_at=published,
            )
            made.append((page, story.get("featured", False)))
        return made

    def featured(self, home: HomePage, pages: list[ArticlePage]) -> None:
        if home.featured_slots.exists():
            return
        for order, page in enumerate(pages):
            FeaturedSlot.objects.create(home=home, article=page, sort_order=order)
            self.created += 1

    @transaction.atomic
    def run(self) -> int:
        home = self.home()
        sections = self.sections(home)
        pen_names = self.people(home)
        stories = self.stories(sections, pen_names)
        seed = self.seed_article(sections, pen_names)
        self.featured(home, [page for page, featured in stories if featured] + [seed])
        # Readers: a few approved comments and a poll (never on the seed, which has none).
        pages = [page for page, _ in stories]
        self.created += load_demo_comments(pages) + load_demo_poll(pages[1])
        self.created += load_demo_royalties(pages, self.staff)  # nhuận bút: a ledger to see
        self.created += load_demo_print([seed, *pages], self.staff)  # báo in, e-paper
        self.created += load_demo_live(sections, self.staff, demo_password_hash())  # storm, Q&A
        self.created += load_demo_planning(self.staff)  # kế hoạch đề tài: a week of ideas
        # The English edition: its sections, the seed article's English version, its stories.
        self.created += load_demo_editions(self, home, seed)
        # Readership history of every story of both editions (dashboard, report, "Đọc nhiều").
        self.created += load_demo_views(list(ArticlePage.objects.live().order_by("pk")))
        return self.created


def renditions_to_make() -> dict[int, set[str]]:
    """What the demo's first readers will ask for, by photo: every story's cover in the card
    sizes (home, sections, search), the leads of each edition's home in the lead sizes, and
    the photos of the seed article and of each home's lead story in the story sizes."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for cover_id in (
        ArticlePage.objects.published()
        .exclude(cover_image=None)
        .values_list("cover_image_id", flat=True)
    ):
        wanted[cover_id].update(CARD_SPECS)
    stories_shown_whole = list(ArticlePage.objects.live().filter(title=parse_seed_title()))
    for home in HomePage.objects.live().filter(pk__in=edition_homes().values()):
        top = list(featured(home.pk)[:1])
        leads = top + [stories[0] for _, stories in section_blocks(home)]
        for story in leads:
            if story.cover_image_id:
                wanted[story.cover_image_id].update(LEAD_SPECS)
        stories_shown_whole += top
    for story in stories_shown_whole:
        photos = [b.value["image"] for b in story.specific.body if b.block_type == "photo"]
        for photo in [story.cover_image, *photos]:
            if photo is not None:
                wanted[photo.pk].update(PHOTO_SPECS)
    return wanted


def parse_seed_title() -> str:
    return parse_seed((DATA / "seed_article.txt").read_text(encoding="utf-8")).title


def make_renditions() -> int:
    """Make the renditions the demo's public pages show (newsroom.pictures), so the first
    home page and the seed article after `make run` do not wait for image resizing. One call
    per photo: Wagtail reads the original once for all its sizes. Returns how many exist."""
    made = 0
    for photo in Photo.objects.filter(pk__in=(wanted := renditions_to_make())):
        made += len(photo.get_renditions(*sorted(wanted[photo.pk])))
    return made
