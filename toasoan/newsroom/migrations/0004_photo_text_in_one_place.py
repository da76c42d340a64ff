"""A photo's caption and credit live on the photo only.

Stories could give their cover and body photos their own caption and credit, asked again after
the upload had asked for them. Those per-story texts move onto the photo here: kept as the
photo's own when it had none (or the same), and when the photo already said something else and
another story shows it, this story gets its own copy of the photo (file included) carrying its
text, so no story changes what it shows. The stories' latest drafts are handled like the
published rows.
"""

import json
import os

import wagtail.fields
from django.core.files.base import ContentFile
from django.db import migrations, models

TEXT_FIELDS = (("caption", "cover_caption"), ("credit", "cover_credit"))


def _photo_blocks(stream):
    for block in stream or []:
        if isinstance(block, dict) and block.get("type") == "photo":
            value = block.get("value")
            if isinstance(value, dict) and value.get("image"):
                yield value


def _uses(snapshot):
    """(photo id, {"caption": …, "credit": …}, where to repoint) for each photo of a story."""
    if snapshot["cover_image"]:
        texts = {field: snapshot.get(old) or "" for field, old in TEXT_FIELDS}
        yield snapshot["cover_image"], texts, ("cover", None)
    for value in _photo_blocks(snapshot["body"]):
        texts = {field: value.get(field) or "" for field, _ in TEXT_FIELDS}
        yield value["image"], texts, ("block", value)


class _Mover:
    def __init__(self, apps):
        self.Photo = apps.get_model("newsroom", "Photo")
        self.users = {}  # photo id → ids of the stories showing it
        self.copies = {}  # (photo id, story id) → the story's own copy

    def count(self, story_id, snapshot):
        for photo_id, _, _ in _uses(snapshot):
            self.users.setdefault(photo_id, set()).add(story_id)

    def move(self, story_id, snapshot) -> bool:
        changed = False
        for photo_id, texts, (where, block) in _uses(snapshot):
            photo = self.Photo.objects.filter(pk=photo_id).first()
            if photo is None:
                continue
            wanted = {f: t.strip() for f, t in texts.items() if t.strip()}
            clash = any(getattr(photo, f) and getattr(photo, f) != t for f, t in wanted.items())
            if clash and self.users.get(photo_id, set()) - {story_id}:
                photo = self._copy_for(photo, story_id)
                if where == "cover":
                    snapshot["cover_image"] = photo.pk
                else:
                    block["image"] = photo.pk
                changed = True
            updates = {f: t for f, t in wanted.items() if getattr(photo, f) != t}
            if updates:
                self.Photo.objects.filter(pk=photo.pk).update(**updates)
        return changed

    def _copy_for(self, photo, story_id):
        key = (photo.pk, story_id)
        if key not in self.copies:
            copy = self.Photo.objects.get(pk=photo.pk)
            copy.pk = copy.id = None
            storage = photo.file.storage
            try:
                with storage.open(photo.file.name, "rb") as original:
                    name = storage.save(
                        f"original_images/{os.path.basename(photo.file.name)}",
                        ContentFile(original.read()),
                    )
            except OSError:
                name = photo.file.name  # the file is missing anyway: nothing to copy
            copy.file.name = name
            copy.save()
            self.copies[key] = copy
        return self.copies[key]


def move_story_photo_texts(apps, schema_editor):
    ArticlePage = apps.get_model("newsroom", "ArticlePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    mover = _Mover(apps)
    stories = []
    for page in ArticlePage.objects.all():
        row = {
            "cover_image": page.cover_image_id,
            "cover_caption": page.cover_caption,
            "cover_credit": page.cover_credit,
            "body": list(page.body.raw_data),
        }
        draft = None
        if page.latest_revision_id and page.latest_revision_id != page.live_revision_id:
            draft = Revision.objects.filter(pk=page.latest_revision_id).first()
        content = draft.content if draft else None
        if content is not None:
            body = content.get("body")
            content["body"] = json.loads(body) if isinstance(body, str) and body else body
        stories.append((page, row, draft, content))
        mover.count(page.pk, row)
        if content is not None:
            mover.count(page.pk, content)
    for page, row, draft, content in stories:
        if mover.move(page.pk, row):
            page.cover_image_id = row["cover_image"]
            page.body = row["body"]
            page.save(update_fields=["cover_image", "body"])
        if content is not None and mover.move(page.pk, content):
            content["body"] = json.dumps(content["body"])
            Revision.objects.filter(pk=draft.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0003_pen_names_in_vietnamese_order"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(move_story_photo_texts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="photo",
            name="caption",
            field=models.CharField(
                blank=True,
                help_text="Hiện dưới ảnh trong mọi bài dùng ảnh này.",
                max_length=500,
                verbose_name="Chú thích",
            ),
        ),
        migrations.AlterField(
            model_name="photo",
            name="credit",
            field=models.CharField(
                blank=True,
                help_text="Bút danh, hiện thành “Ảnh: …”.",
                max_length=120,
                verbose_name="Tác giả ảnh",
            ),
        ),
        migrations.RemoveField(model_name="articlepage", name="cover_caption"),
        migrations.RemoveField(model_name="articlepage", name="cover_credit"),
        migrations.AlterField(
            model_name="articlepage",
            name="body",
            field=wagtail.fields.StreamField(
                [("paragraph", 0), ("photo", 3), ("quote", 6), ("table", 7), ("video", 12)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                *("bold", "italic", "link", "h2", "h3", "ol", "ul"),
                                "superscript",
                            ],
                            "label": "Đoạn văn",
                        },
                    ),
                    1: (
                        "wagtail.images.blocks.ImageChooserBlock",
                        (),
                        {
                            "help_text": "Chú thích và tác giả ảnh đi theo ảnh: nhập khi tải "
                            "lên, sửa ở “Sửa ảnh này”.",
                            "label": "Ảnh",
                        },
                    ),
                    2: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "Ảnh tràn khổ", "required": False},
                    ),
                    3: ("wagtail.blocks.StructBlock", [[("image", 1), ("wide", 2)]], {}),
                    4: ("wagtail.blocks.TextBlock", (), {"label": "Trích dẫn"}),
                    5: ("wagtail.blocks.CharBlock", (), {"label": "Người nói", "required": False}),
                    6: ("wagtail.blocks.StructBlock", [[("text", 4), ("attribution", 5)]], {}),
                    7: (
                        "wagtail.contrib.table_block.blocks.TableBlock",
                        (),
                        {"label": "Bảng", "template": "newsroom/blocks/table.html"},
                    ),
                    8: (
                        "wagtail.blocks.URLBlock",
                        (),
                        {
                            "help_text": "YouTube, hoặc tệp .mp4 của tòa soạn.",
                            "label": "Địa chỉ video",
                        },
                    ),
                    9: ("wagtail.blocks.CharBlock", (), {"label": "Tiêu đề video"}),
                    10: ("wagtail.blocks.CharBlock", (), {"label": "Chú thích", "required": False}),
                    11: (
                        "wagtail.images.blocks.ImageChooserBlock",
                        (),
                        {"label": "Ảnh đại diện", "required": False},
                    ),
                    12: (
                        "wagtail.blocks.StructBlock",
                        [[("url", 8), ("title", 9), ("caption", 10), ("poster", 11)]],
                        {},
                    ),
                },
                verbose_name="Nội dung",
            ),
        ),
    ]
