"""factory_boy factories for the newsroom's content; pages are added under their parent."""

import io
from datetime import timedelta

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from toasoan.editions.homes import ROOT_COLLECTION_NAME, TREE_ROOT_TITLE
from toasoan.frontpage.models import FeaturedSlot, HomePage
from toasoan.newsroom.models import ArticleByline, ArticlePage, PenName, Photo, SectionPage


def image_file(name: str = "anh.jpg", size=(400, 250), color=(30, 90, 160)) -> ImageFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return ImageFile(buffer, name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nhanvien{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@toasoan.test")
    first_name = "Văn An"
    last_name = "Võ"
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PenNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PenName
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"BÚT DANH {n}")
    staff_member = factory.SubFactory(UserFactory)


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    title = factory.Sequence(lambda n: f"Ảnh {n}")
    caption = "Quang cảnh hội nghị tại điểm cầu UBND tỉnh."
    credit = "V.A"
    file = factory.LazyFunction(image_file)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The root collection comes from Wagtail's migrations: gone after a flush (tests on
        # a live server run in transactions that end with one).
        Collection.get_first_root_node() or Collection.add_root(name=ROOT_COLLECTION_NAME)
        return super()._create(model_class, *args, **kwargs)


class PageFactory(factory.Factory):
    """Builds the page, then adds it under `parent` (and publishes it unless live=False)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, parent=None, live=True, pen_names=(), topics=(), **kwargs):
        page = model_class(**kwargs)
        for order, pen_name in enumerate(pen_names):  # stories only
            page.bylines.add(ArticleByline(pen_name=pen_name, sort_order=order))
        if topics:
            page.topics.add(*topics)
        parent.add_child(instance=page)
        if live:
            page.save_revision().publish()
            if kwargs.get("first_published_at"):
                model_class.objects.filter(pk=page.pk).update(
                    first_published_at=kwargs["first_published_at"]
                )
                page.refresh_from_db()
        else:
            page.live = False
            page.save_revision()
            model_class.objects.filter(pk=page.pk).update(live=False)
            page.refresh_from_db()
        return page


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "Trang chủ"

    @classmethod
    def _create(cls, model_class, parent=None, **kwargs):
        # Wagtail's migrations make the locale and tree root; a flushed or migration-less
        # test database has neither.
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title=TREE_ROOT_TITLE, slug="root", locale=locale)
        )
        Collection.get_first_root_node() or Collection.add_root(name=ROOT_COLLECTION_NAME)
        home = super()._create(model_class, parent=root, **kwargs)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "site_name": "Báo thử"},
        )
        Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
        return home


class SectionPageFactory(PageFactory):
    class Meta:
        model = SectionPage

    title = factory.Sequence(lambda n: f"Chuyên mục {n}")
    show_in_menus = True


class ArticlePageFactory(PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Đà Nẵng và Quảng Nam hợp tác phát triển du lịch số {n}")
    sapo = "Sáng nay 22.12, hai địa phương ký kết chương trình hợp tác giai đoạn mới."
    lead_prefix = "(QNO)"
    kind = "tin"
    body = factory.LazyFunction(
        lambda: [("paragraph", RichText("<p>Nội dung bài viết về đường sá, đê điều.</p>"))]
    )
    first_published_at = factory.Sequence(lambda n: timezone.now() - timedelta(minutes=n + 1))


class FeaturedSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeaturedSlot

    sort_order = factory.Sequence(lambda n: n)
