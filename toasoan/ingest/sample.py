"""Generated WordPress exports for tests and the import benchmark (written as a stream).

`write_wxr(path, posts=100_000)` writes a realistic WXR 1.2 file without holding it in
memory: Vietnamese titles, nested categories, tags, authors, drafts, sticky posts,
attachments, inline images and comments in every approval state.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = [
    "Quảng",
    "Nam",
    "đẩy",
    "mạnh",
    "chuyển",
    "đổi",
    "số",
    "phát",
    "triển",
    "du",
    "lịch",
    "Hội",
    "An",
    "Đà",
    "Nẵng",
    "nông",
    "thôn",
    "mới",
    "đường",
    "sá",
    "đê",
    "điều",
    "học",
    "sinh",
    "bệnh",
    "viện",
    "đầu",
    "tư",
    "hạ",
    "tầng",
    "miền",
    "núi",
    "biển",
    "đảo",
    "thông",
    "tin",
    "đối",
    "ngoại",
]
CATEGORIES = [
    ("thoi-su", "Thời sự", ""),
    ("kinh-te", "Kinh tế", ""),
    ("nong-nghiep", "Nông nghiệp", "kinh-te"),
    ("xa-hoi", "Xã hội", ""),
    ("giao-duc", "Giáo dục", "xa-hoi"),
]
AUTHORS = [
    ("vana", "V.A", "an@baocu.test", "Văn An", "Võ"),
    ("hoanglien", "HOÀNG LIÊN", "lien@baocu.test", "Liên", "Hoàng"),
]


@dataclass
class Shape:
    """How the generated posts vary: every nth post is a draft, sticky, has comments…"""

    draft_every: int = 10
    sticky_every: int = 2500
    comment_every: int = 4
    image_every: int = 5
    attachment_every: int = 20


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _title(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + f" {n}"


def write_wxr(
    path: str | Path,
    posts: int = 1000,
    site: str = "https://baocu.test",
    https_namespace: bool = False,
    shape: Shape | None = None,
    seed: int = 9,
) -> Path:
    """Write a WXR file of `posts` posts (plus attachments); returns its path."""
    shape = shape or Shape()
    rng = random.Random(seed)
    scheme = "https" if https_namespace else "http"
    path = Path(path)
    start = datetime(2015, 1, 1, 1, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n')
        out.write(
            '<rss version="2.0"\n'
            f'  xmlns:excerpt="{scheme}://wordpress.org/export/1.2/excerpt/"\n'
            '  xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '  xmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '  xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'  xmlns:wp="{scheme}://wordpress.org/export/1.2/">\n<channel>\n'
        )
        out.write(
            f"<title>Báo cũ</title><link>{site}</link><language>vi</language>\n"
            f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{site}</wp:base_site_url>"
            f"<wp:base_blog_url>{site}</wp:base_blog_url>\n"
        )
        for n, (login, display, email, first, last) in enumerate(AUTHORS, start=1):
            out.write(
                f"<wp:author><wp:author_id>{n}</wp:author_id>"
                f"<wp:author_login>{login}</wp:author_login>"
                f"<wp:author_email>{email}</wp:author_email>"
                f"<wp:author_display_name>{_cdata(display)}</wp:author_display_name>"
                f"<wp:author_first_name>{_cdata(first)}</wp:author_first_name>"
                f"<wp:author_last_name>{_cdata(last)}</wp:author_last_name></wp:author>\n"
            )
        for n, (slug, name, parent) in enumerate(CATEGORIES, start=1):
            out.write(
                f"<wp:category><wp:term_id>{n}</wp:term_id>"
                f"<wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>{_cdata(name)}</wp:cat_name></wp:category>\n"
            )
        out.write(
            "<wp:tag><wp:term_id>50</wp:term_id><wp:tag_slug>chuyen-doi-so</wp:tag_slug>"
            f"<wp:tag_name>{_cdata('Chuyển đổi số')}</wp:tag_name></wp:tag>\n"
        )
        post_id, comment_id = 100, 1
        for n in range(1, posts + 1):
            post_id += 1
            moment = start + timedelta(minutes=37 * n)
            title = _title(rng, n)
            slug = f"bai-{n}"
            category = CATEGORIES[n % len(CATEGORIES)]
            login = AUTHORS[n % len(AUTHORS)][0]
            draft = shape.draft_every and n % shape.draft_every == 0
            attachment_id = None
            body = (
                f"<p>Sáng {moment:%d/%m}, {escape(title.lower())}.</p>\n\n<p>Nội dung bài {n}.</p>"
            )
            if shape.image_every and n % shape.image_every == 0:
                body += (
                    f'\n<p><img src="{site}/wp-content/uploads/2015/01/anh-{n}-300x200.jpg"></p>'
                )
            if shape.attachment_every and n % shape.attachment_every == 0:
                attachment_id = post_id + 1  # written after the post, as WordPress often does
            gmt = "0000-00-00 00:00:00" if draft else f"{moment:%Y-%m-%d %H:%M:%S}"
            local = moment + timedelta(hours=7)
            out.write(
                "<item>"
                f"<title>{escape(title)}</title>"
                f"<link>{site}/{moment:%Y/%m}/{slug}/</link>"
                f"<pubDate>{moment:%a, %d %b %Y %H:%M:%S} +0000</pubDate>"
                f"<dc:creator>{login}</dc:creator>"
                f'<guid isPermaLink="false">{site}/?p={post_id}</guid>'
                f"<content:encoded>{_cdata(body)}</content:encoded>"
                f"<excerpt:encoded>{_cdata('')}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>{local:%Y-%m-%d %H:%M:%S}</wp:post_date>"
                f"<wp:post_date_gmt>{gmt}</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name>"
                f"<wp:status>{'draft' if draft else 'publish'}</wp:status>"
                "<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
                f"<wp:is_sticky>{1 if shape.sticky_every and n % shape.sticky_every == 0 else 0}"
                "</wp:is_sticky>"
                f'<category domain="category" nicename="{category[0]}">{_cdata(category[1])}'
                "</category>"
                '<category domain="post_tag" nicename="chuyen-doi-so">'
                f"{_cdata('Chuyển đổi số')}</category>"
            )
            if attachment_id:
                out.write(
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{_cdata(str(attachment_id))}</wp:meta_value></wp:postmeta>"
                )
            if shape.comment_every and n % shape.comment_every == 0 and not draft:
                for approved in ("1", "0", "spam"):
                    out.write(
                        "<wp:comment>"
                        f"<wp:comment_id>{comment_id}</wp:comment_id>"
                        f"<wp:comment_author>{_cdata('Bạn đọc ' + str(comment_id))}"
                        "</wp:comment_author>"
                        f"<wp:comment_author_email>doc{comment_id}@example.test"
                        "</wp:comment_author_email>"
                        "<wp:comment_author_IP>203.0.113.9</wp:comment_author_IP>"
                        f"<wp:comment_date_gmt>{moment:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>"
                        f"<wp:comment_content>{_cdata('Bài viết hay, cảm ơn báo.')}"
                        "</wp:comment_content>"
                        f"<wp:comment_approved>{approved}</wp:comment_approved>"
                        "<wp:comment_type>comment</wp:comment_type>"
                        "<wp:comment_parent>0</wp:comment_parent>"
                        "</wp:comment>"
                    )
                    comment_id += 1
            out.write("</item>\n")
            if attachment_id:
                post_id = attachment_id
                _write_attachment(out, attachment_id, post_id - 1, n, site, moment)
        out.write("</channel>\n</rss>\n")
    return path


def _write_attachment(out, attachment_id: int, parent: int, n: int, site: str, moment) -> None:
    out.write(
        "<item>"
        f"<title>Ảnh {n}</title>"
        f"<link>{site}/?attachment_id={attachment_id}</link>"
        f'<guid isPermaLink="false">{site}/wp-content/uploads/2015/01/anh-{n}.jpg</guid>'
        f"<excerpt:encoded>{_cdata(f'Chú thích ảnh {n}')}</excerpt:encoded>"
        f"<wp:post_id>{attachment_id}</wp:post_id>"
        f"<wp:post_date_gmt>{moment:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
        "<wp:status>inherit</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>{site}/wp-content/uploads/2015/01/anh-{n}.jpg</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        f"<wp:meta_value>{_cdata(f'2015/01/anh-{n}.jpg')}</wp:meta_value></wp:postmeta>"
        "</item>\n"
    )
