"""The public search index: one row per live story, kept in step with publishing.

The view never trusts this table alone: every query joins the page and asks `live`, and the
page of results is read back through `ArticlePage.objects.published()`.

Vendor-specific parts are added by the migrations: on SQLite an FTS5 table over the folded
and exact shadow columns (kept in step by triggers; its rowid is `seq`); on PostgreSQL two
`tsvector` columns, `vector` (the `vi_unaccent` configuration: folded, GIN-indexed) and
`exact` (`simple`: accented words as written, used only to rank exact matches first).
"""

from django.db import models


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # Publication order as one integer (see `publication_seq`): the newest matches of a
    # query are then read straight off the index, newest first, without sorting them all.
    seq = models.BigIntegerField(unique=True)
    # The page's tree path, so section filters need not read the page table for every match
    # (kept in step when pages move; the page itself is still checked for every result).
    path = models.CharField(max_length=255, blank=True, default="")
    title = models.TextField("Tiêu đề")
    text = models.TextField("Nội dung", help_text="Sapo và nội dung, văn bản thuần (NFC).")
    # The shadow texts SQLite's FTS5 index matches against (left empty on PostgreSQL).
    folded_title = models.TextField(blank=True, default="")
    folded_text = models.TextField(blank=True, default="")
    exact_title = models.TextField(blank=True, default="")
    exact_text = models.TextField(blank=True, default="")
    # What ranking reads (ranking.rank_text): title, sapo and the start of the body, folded
    # and as exact codes, prepared here so that a search folds nothing (both databases).
    # Null on entries indexed before it existed: ranking then prepares them from the texts.
    rank_text = models.TextField(null=True, blank=True)  # noqa: DJ001 - null: not prepared
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mục chỉ mục tìm kiếm"
        indexes = [
            # A section's entries in publication order (PostgreSQL: LIKE 'path%' prefix
            # scans), ANDed with the words' matches when a search is filtered by section.
            models.Index(
                fields=["path", "seq"],
                name="search_entry_section_seq",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]
        verbose_name_plural = "chỉ mục tìm kiếm"

    def __str__(self) -> str:
        return self.title


SEQ_ID_BITS = 26  # room for 67 million pages published within the same second


def publication_seq(published_at, page_id: int) -> int:
    """Seconds since 1970, then the page id: ordered by publication, unique per page."""
    seconds = int(published_at.timestamp()) if published_at else 0
    return (seconds << SEQ_ID_BITS) + page_id % (1 << SEQ_ID_BITS)


def split_variants(text: str) -> list[str]:
    """One spelling a line (or between commas), trimmed, blanks and repeats left out."""
    seen: dict[str, str] = {}
    for part in (text or "").replace(",", "\n").splitlines():
        part = " ".join(part.split())
        if part and part.casefold() not in seen:
            seen[part.casefold()] = part
    return list(seen.values())


class SearchSynonym(models.Model):
    """Spellings a reader may use for one thing ("UBND", "Ủy ban nhân dân"): a search for any
    of them finds stories holding any other. Applied when searching, so an edit takes effect
    on the next search, with no re-indexing."""

    terms = models.TextField(
        "Các cách viết",
        help_text=(
            "Mỗi dòng (hoặc giữa hai dấu phẩy) một cách viết cùng chỉ một thứ, ví dụ: "
            "TP.HCM, TPHCM, Thành phố Hồ Chí Minh, Sài Gòn. Có dấu hay không dấu đều được."
        ),
    )
    note = models.CharField("Ghi chú", max_length=200, blank=True)
    enabled = models.BooleanField("Đang dùng", default=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    class Meta:
        verbose_name = "từ đồng nghĩa khi tìm kiếm"
        verbose_name_plural = "từ đồng nghĩa khi tìm kiếm"
        ordering = ["terms"]

    def __str__(self) -> str:
        return " = ".join(self.variants())

    def variants(self) -> list[str]:
        return split_variants(self.terms)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .folding import words

        variants = self.variants()
        if any(not words(v) for v in variants):
            raise ValidationError(
                {"terms": "Mỗi cách viết phải có ít nhất một chữ cái hoặc chữ số."}
            )
        if len(variants) < 2:
            raise ValidationError(
                {"terms": "Cần ít nhất hai cách viết khác nhau, mỗi dòng một cách."}
            )
        self.terms = "\n".join(variants)
