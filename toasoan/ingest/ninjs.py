"""IPTC ninjs (News in JSON) items, versions 1.x, 2.x and 3.x, read into one shape.

ninjs 1.x says `headline`, `body_html`, `byline`; 2.x `headlines[]`, `bodies[]`, `by`;
3.x the same in camelCase. Keys are lower-cased before reading, so all three read alike.
Used by the wire queue (agency folders) and by archive merges (a folder of a paper's items).
"""

import html
import json
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

from .text import clean_text, html_to_text, plain_text


class NinjsError(Exception):
    """A file that is not ninjs; the message names the file, line and column."""

    def __init__(self, file: Path, reason: str, line: int | None = None, column: int | None = None):
        self.file, self.reason, self.line, self.column = file, reason, line, column
        where = f", dòng {line}, cột {column}" if line is not None else ""
        super().__init__(
            f"Tệp ninjs không hợp lệ — {file.name}{where}: {reason}. Chưa có gì được ghi."
        )


@dataclass
class Picture:
    href: str
    title: str = ""
    caption: str = ""
    credit: str = ""
    alt: str = ""


@dataclass
class NewsItem:
    uri: str
    title: str
    sapo: str = ""
    body_html: str = ""
    byline: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    status: str = "usable"
    kind: str = "text"
    subjects: list[str] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    source_file: str = ""


def _lower(value):
    if isinstance(value, dict):
        return {str(k).lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _first(entries, roles: tuple[str, ...] = ()) -> dict:
    """The entry of a headlines/bodies/descriptions list with a preferred role, else the first."""
    if not isinstance(entries, list):
        return {}
    entries = [e for e in entries if isinstance(e, dict) and e.get("value")]
    for role in roles:
        for entry in entries:
            if str(entry.get("role", "")).lower() == role:
                return entry
    return entries[0] if entries else {}


def parse_date(value, zone=None) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return moment


def _text_body(value: str) -> str:
    paragraphs = [p.strip() for p in value.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _renditions(obj: dict) -> list[dict]:
    renditions = obj.get("renditions") or []
    if isinstance(renditions, dict):  # ninjs 1.x: {"name": {...}}
        renditions = [{"name": k, **v} for k, v in renditions.items() if isinstance(v, dict)]
    return [r for r in renditions if isinstance(r, dict) and r.get("href")]


def _best_href(obj: dict) -> str:
    renditions = _renditions(obj)
    for name in ("original", "baseimage", "base", "highres", "web"):
        for rendition in renditions:
            if str(rendition.get("name", "")).lower() == name:
                return rendition["href"]
    if renditions:
        return max(renditions, key=lambda r: int(r.get("width") or 0))["href"]
    return ""


def _pictures(data: dict) -> list[Picture]:
    associations = data.get("associations") or []
    if isinstance(associations, dict):  # ninjs 1.x: {"featureimage": {...}}
        associations = list(associations.values())
    out = []
    for association in associations:
        if not isinstance(association, dict):
            continue
        if str(association.get("type", "picture")).lower() not in ("picture", "image", "graphic"):
            continue
        href = _best_href(association)
        if not href:
            continue
        description = _first(association.get("descriptions"), ("caption", "summary"))
        out.append(
            Picture(
                href=href,
                title=plain_text(
                    association.get("headline")
                    or _first(association.get("headlines")).get("value")
                    or association.get("title"),
                    255,
                ),
                caption=clean_text(
                    association.get("description_text")
                    or html_to_text(description.get("value", "")),
                    500,
                ),
                credit=plain_text(association.get("by") or association.get("byline"), 120),
                alt=plain_text(association.get("alt") or association.get("title"), 255),
            )
        )
    return out


def read_item(raw: dict, zone=None, source_file: str = "") -> NewsItem:
    data = _lower(raw)
    headline = data.get("headline") or _first(data.get("headlines"), ("main", "")).get("value")
    body = data.get("body_html") or ""
    if not body:
        entry = _first(data.get("bodies"), ("main", "body"))
        value = entry.get("value", "")
        if "html" in str(entry.get("contenttype", "text/html")).lower():
            body = value
        else:
            body = _text_body(value)
    if not body and data.get("body_text"):
        body = _text_body(data["body_text"])
    description = data.get("description_text") or html_to_text(
        data.get("description_html")
        or _first(data.get("descriptions"), ("summary", "abstract", "lead")).get("value", "")
    )
    subjects = [
        plain_text(s.get("name"), 100)
        for s in (data.get("subjects") or data.get("subject") or [])
        if isinstance(s, dict) and s.get("name")
    ]
    urls = [data["uri"]] if str(data.get("uri", "")).startswith(("http://", "https://")) else []
    for alt in data.get("altids") or []:
        value = alt.get("value") if isinstance(alt, dict) else None
        if isinstance(value, str) and value.startswith(("http://", "https://", "/")):
            urls.append(value)
    return NewsItem(
        uri=str(data.get("uri") or ""),
        title=plain_text(headline or data.get("title") or data.get("slugline"), 255),
        sapo=clean_text(description, 1000),
        body_html=body,
        byline=plain_text(data.get("byline") or data.get("by"), 120),
        published_at=parse_date(
            data.get("firstcreated") or data.get("contentcreated") or data.get("versioncreated"),
            zone,
        ),
        updated_at=parse_date(data.get("versioncreated"), zone),
        status=str(data.get("pubstatus") or "usable").lower(),
        kind=str(data.get("type") or "text").lower(),
        subjects=[s for s in subjects if s],
        pictures=_pictures(data),
        urls=urls,
        source_file=source_file,
    )


def load_file(path: Path) -> list[dict]:
    """The ninjs objects of one file (an object, or a list of them); raises NinjsError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise NinjsError(path, f"không phải UTF-8 (byte {error.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NinjsError(path, f"JSON sai: {error.msg}", error.lineno, error.colno) from None
    objects = data if isinstance(data, list) else [data]
    for obj in objects:
        if not isinstance(obj, dict) or not obj.get("uri"):
            raise NinjsError(path, "không phải tin ninjs (thiếu “uri”)", 1, 1)
    return objects


def folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*.json") if p.is_file())


def iter_folder(folder: Path, zone=None) -> Iterator[NewsItem]:
    for path in folder_files(folder):
        for obj in load_file(path):
            yield read_item(obj, zone, path.name)
