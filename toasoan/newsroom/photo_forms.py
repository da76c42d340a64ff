"""The photo upload and edit form (WAGTAILIMAGES_IMAGE_FORM_BASE): a photo is titled by its
caption, not by the camera's file name. Kept apart from forms.py: Wagtail's image forms module
reads the database when imported, so models must not import it."""

from pathlib import PurePath

from django.utils import timezone
from django.utils.text import Truncator
from wagtail.images.forms import BaseImageForm

from .photo_files import PhotoFileField
from .tasks import make_admin_sizes_soon

AUTOMATIC_PHOTO_TITLE = "Ảnh chưa có chú thích"


def photo_title(title: str, caption: str, file_name: str) -> str:
    """A photo's title as the library lists it: the one typed, else its caption, else
    "Ảnh chưa có chú thích (dd/mm/yyyy HH:MM)" — never the camera's file name.

    A title left as the file name (the multiple-upload page sends it) or as the placeholder
    counts as not typed, so the caption, once written, names the photo."""
    title = (title or "").strip()
    path = PurePath(file_name or "")
    typed = (
        title
        and title not in (path.name, path.stem)
        and not title.startswith(AUTOMATIC_PHOTO_TITLE)
    )
    if typed:
        return title
    if caption and caption.strip():
        return Truncator(caption.strip()).chars(255)
    if title.startswith(AUTOMATIC_PHOTO_TITLE):
        return title
    return f"{AUTOMATIC_PHOTO_TITLE} ({timezone.localtime():%d/%m/%Y %H:%M})"


class PhotoForm(BaseImageForm):
    """Wagtail's image form, with the title taken from the caption instead of the file name,
    and the file checked and cleaned by photo_files.py."""

    file = PhotoFileField(label="Tệp ảnh")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:  # Wagtail's script would copy the file name into the title
            attrs = self.fields["file"].widget.attrs
            for name in [n for n in attrs if n.startswith("data-w-sync")]:
                del attrs[name]  # all of them: the controller fails on a missing target
            if attrs.get("data-controller") == "w-sync":
                del attrs["data-controller"]
            if "w-sync#" in attrs.get("data-action", ""):
                del attrs["data-action"]
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = "Để trống: lấy theo chú thích."

    def clean(self):
        data = super().clean()
        if "title" in self.fields:
            upload = data.get("file")
            file_name = (
                getattr(upload, "original_name", None)
                or getattr(upload, "name", "")
                or self.instance.file.name
                or ""
            )
            caption = data.get("caption", self.instance.caption)
            data["title"] = photo_title(data.get("title", ""), caption, file_name)
        return data

    def save(self, commit=True):
        """Wagtail's; a new file gets its library thumbnail made now (newsroom.tasks)."""
        file_changed = "file" in self.changed_data
        photo = super().save(commit=commit)
        if file_changed:
            if commit:  # after Wagtail dropped the old file's renditions
                make_admin_sizes_soon(photo)
            else:
                photo._admin_sizes_on_save = True
        return photo
