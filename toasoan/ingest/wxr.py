"""Reading a WordPress export (WXR 1.0–1.2) as a stream, one `<item>` at a time.

The file goes through expat in 64 KB chunks; only the element being read (one item, one
author, one category) is ever held in memory, so a 100,000-item export reads in a few
megabytes. Errors carry the line and column where expat or the WXR checks stopped.
Namespaces are recognised by pattern: `http://` and `https://wordpress.org/export/1.x/`.
"""

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

CHUNK = 64 * 1024
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")

_WP = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/?$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/?$")
_KNOWN = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
CHANNEL_FIELDS = {
    "title",
    "link",
    "description",
    "language",
    "wp:wxr_version",
    "wp:base_site_url",
    "wp:base_blog_url",
}
CAPTURED = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}

# expat's messages, in the newsroom's language.
_REASONS = {
    expat.errors.XML_ERROR_TAG_MISMATCH: "thẻ đóng không khớp với thẻ đang mở",
    expat.errors.XML_ERROR_SYNTAX: "sai cú pháp XML",
    expat.errors.XML_ERROR_INVALID_TOKEN: "có ký tự hoặc thẻ không hợp lệ",
    expat.errors.XML_ERROR_NO_ELEMENTS: "tệp trống hoặc kết thúc giữa chừng",
    expat.errors.XML_ERROR_UNCLOSED_TOKEN: "thẻ chưa được đóng",
    expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION: "khối CDATA chưa được đóng",
    expat.errors.XML_ERROR_UNDEFINED_ENTITY: "thực thể (&…;) không xác định",
    expat.errors.XML_ERROR_UNBOUND_PREFIX: "tiền tố không gian tên chưa khai báo",
    expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "còn nội dung sau thẻ gốc",
    expat.errors.XML_ERROR_UNKNOWN_ENCODING: "bảng mã không hỗ trợ (hãy xuất lại bằng UTF-8)",
    expat.errors.XML_ERROR_INCORRECT_ENCODING: "bảng mã khai báo không đúng với nội dung",
    expat.errors.XML_ERROR_BAD_CHAR_REF: "tham chiếu ký tự (&#…;) không hợp lệ",
    expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE: "thuộc tính lặp lại",
    expat.errors.XML_ERROR_PARTIAL_CHAR: "ký tự bị cắt dở",
}


class WxrError(Exception):
    """The file cannot be imported; nothing has been written."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None):
        self.reason, self.line, self.column = reason, line, column
        where = f"dòng {line}, cột {column}: " if line is not None else ""
        super().__init__(f"Tệp WXR không hợp lệ — {where}{reason}. Chưa có gì được ghi.")


class Node:
    """A small element: tag (with wp:/dc:/content: prefixes), attributes, text, children."""

    __slots__ = ("tag", "attrs", "parts", "children", "line")

    def __init__(self, tag: str, attrs: dict, line: int):
        self.tag, self.attrs, self.line = tag, attrs, line
        self.parts: list[str] = []
        self.children: list[Node] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> "Node | None":
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list["Node"]:
        return [c for c in self.children if c.tag == tag]

    def get(self, tag: str, default: str = "") -> str:
        child = self.find(tag)
        return child.text.strip() if child is not None else default

    def raw(self, tag: str) -> str:
        child = self.find(tag)
        return child.text if child is not None else ""


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wp_namespace: str = ""


@dataclass
class Comment:
    comment_id: str
    author: str
    email: str
    url: str
    ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: str


@dataclass
class Item:
    line: int
    title: str
    link: str
    guid: str
    pub_date: str
    creator: str
    content: str
    excerpt: str
    post_id: str
    post_date: str
    post_date_gmt: str
    post_modified_gmt: str
    post_name: str
    status: str
    parent: str
    post_type: str
    password: str
    is_sticky: bool
    comment_status: str
    attachment_url: str
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


def read_item(node: Node) -> Item:
    meta = {}
    for entry in node.findall("wp:postmeta"):
        key = entry.get("wp:meta_key")
        if key and key not in meta:
            meta[key] = entry.raw("wp:meta_value")
    return Item(
        line=node.line,
        title=node.raw("title"),
        link=node.get("link"),
        guid=node.get("guid"),
        pub_date=node.get("pubDate"),
        creator=node.get("dc:creator"),
        content=node.raw("content:encoded"),
        excerpt=node.raw("excerpt:encoded"),
        post_id=node.get("wp:post_id"),
        post_date=node.get("wp:post_date"),
        post_date_gmt=node.get("wp:post_date_gmt"),
        post_modified_gmt=node.get("wp:post_modified_gmt"),
        post_name=node.get("wp:post_name"),
        status=node.get("wp:status"),
        parent=node.get("wp:post_parent", "0"),
        post_type=node.get("wp:post_type"),
        password=node.get("wp:post_password"),
        is_sticky=node.get("wp:is_sticky") == "1",
        comment_status=node.get("wp:comment_status"),
        attachment_url=node.get("wp:attachment_url"),
        categories=[
            (c.attrs.get("domain", "category"), c.attrs.get("nicename", ""), c.text.strip())
            for c in node.findall("category")
        ],
        meta=meta,
        comments=[
            Comment(
                comment_id=c.get("wp:comment_id"),
                author=c.raw("wp:comment_author"),
                email=c.get("wp:comment_author_email"),
                url=c.get("wp:comment_author_url"),
                ip=c.get("wp:comment_author_IP"),
                date=c.get("wp:comment_date"),
                date_gmt=c.get("wp:comment_date_gmt"),
                content=c.raw("wp:comment_content"),
                approved=c.get("wp:comment_approved"),
                type=c.get("wp:comment_type"),
                parent=c.get("wp:comment_parent", "0"),
            )
            for c in node.findall("wp:comment")
        ],
    )


class Reader:
    """Streams `(tag, Node)` pairs for each author, category, tag, term and item.

    `channel` fills in as the file is read; iterate to the end before trusting it.
    Raises `WxrError` (line, column) on malformed XML or a file that is not WXR.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.channel = Channel()
        self._ready: deque[tuple[str, Node]] = deque()
        self._stack: list[str] = []
        self._building: list[Node] = []
        self._field: list[str] | None = None
        self._channel_at: tuple[int, int] | None = None
        self._version_at: tuple[int, int] | None = None
        self._prefixes: dict[str, str] = {}

    # --- names -----------------------------------------------------------------------
    def _name(self, expat_name: str) -> str:
        uri, _, local = expat_name.rpartition("}")
        if not uri:
            return local
        prefix = self._prefixes.get(uri)
        if prefix is None:
            if _WP.match(uri):
                prefix = "wp"
                self.channel.wp_namespace = self.channel.wp_namespace or uri
            elif _EXCERPT.match(uri):
                prefix = "excerpt"
            else:
                prefix = _KNOWN.get(uri.replace("https://", "http://"), uri)
            self._prefixes[uri] = prefix
        return f"{prefix}:{local}"

    # --- expat callbacks ---------------------------------------------------------------
    def _where(self) -> tuple[int, int]:
        return self._parser.CurrentLineNumber, self._parser.CurrentColumnNumber + 1

    def _start(self, raw_name: str, attrs: dict) -> None:
        name = self._name(raw_name)
        depth = len(self._stack)
        self._stack.append(name)
        if self._building:
            node = Node(name, attrs, self._parser.CurrentLineNumber)
            self._building[-1].children.append(node)
            self._building.append(node)
            return
        if depth == 0 and name != "rss":
            line, column = self._where()
            raise WxrError(
                f"không phải tệp xuất của WordPress: thẻ gốc là <{name}>, cần <rss>", line, column
            )
        if depth == 1:
            if name != "channel":
                line, column = self._where()
                raise WxrError(f"trong <rss> cần thẻ <channel>, gặp <{name}>", line, column)
            self._channel_at = self._where()
        elif depth == 2 and name in CAPTURED:
            if self.channel.wxr_version == "":
                line, column = self._where()
                raise WxrError(
                    "không phải tệp WXR: thiếu <wp:wxr_version> trước nội dung đầu tiên",
                    line,
                    column,
                )
            node = Node(name, attrs, self._parser.CurrentLineNumber)
            self._building.append(node)
        elif depth == 2 and name in CHANNEL_FIELDS:
            self._field = []
            if name == "wp:wxr_version":
                self._version_at = self._where()

    def _end(self, raw_name: str) -> None:
        name = self._stack.pop()
        if self._building:
            node = self._building.pop()
            if not self._building:
                self._ready.append((node.tag, node))
            return
        if self._field is not None and len(self._stack) == 2:
            value = "".join(self._field).strip()
            self._field = None
            attr = name.removeprefix("wp:")
            setattr(self.channel, attr, value)
            if name == "wp:wxr_version" and value not in SUPPORTED_VERSIONS:
                line, column = self._version_at or self._where()
                raise WxrError(
                    f"phiên bản WXR “{value[:20]}” không được hỗ trợ (cần 1.0, 1.1 hoặc 1.2)",
                    line,
                    column,
                )

    def _text(self, data: str) -> None:
        if self._building:
            self._building[-1].parts.append(data)
        elif self._field is not None:
            self._field.append(data)

    def _doctype(self, *args) -> None:
        line, column = self._where()
        raise WxrError("tệp có khai báo DOCTYPE/ENTITY — WXR không dùng, bị từ chối", line, column)

    # --- reading -----------------------------------------------------------------------
    def __iter__(self) -> Iterator[tuple[str, Node]]:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        self._parser = parser
        try:
            with self.path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    parser.Parse(chunk, False)
                    while self._ready:
                        yield self._ready.popleft()
                parser.Parse(b"", True)
                while self._ready:
                    yield self._ready.popleft()
        except expat.ExpatError as error:
            reason = _REASONS.get(expat.errors.messages[error.code])
            reason = reason or expat.errors.messages[error.code]
            raise WxrError(reason, error.lineno, error.offset + 1) from None
        if self._channel_at is None:
            raise WxrError("không phải tệp WXR: thiếu thẻ <channel>", 1, 1)
        if not self.channel.wxr_version:
            line, column = self._channel_at
            raise WxrError(
                "không phải tệp WXR: <channel> không có <wp:wxr_version> "
                f"(thẻ <channel> ở dòng {line}, cột {column})",
                line,
                column,
            )

    def items(self) -> Iterator[Item]:
        for tag, node in self:
            if tag == "item":
                yield read_item(node)
