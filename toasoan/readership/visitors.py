"""Who is reading, told without keeping who they are.

- `is_bot`: crawlers, link previewers, prefetches (the page's script never runs for a no-JS
  client, so those never call the beacon at all).
- `refuses_tracking`: `Sec-GPC: 1` or `DNT: 1` — such readers are not counted at all.
- `visitor_hash`: hash(the day's salt, address, browser). The salt is random, kept in the
  database for the day (every app server uses the same one) and deleted after 48 hours.
- `country_of`: the address's country from `iptocc`, an offline table of the five Regional
  Internet Registries' delegations shipped inside the package (refreshed by upgrading it).
- `device_class`, `referrer`: the coarse facts kept from the user agent and the referrer.

Neither the address nor the user agent is written anywhere: only these derived values are.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from django.db import IntegrityError
from django.utils import timezone

from toasoan.core.clients import client_address, user_agent

COUNTRY_SOURCE = (
    "Quốc gia theo địa chỉ IP: bảng phân bổ địa chỉ của năm Cơ quan đăng ký Internet khu vực "
    "(AFRINIC, APNIC, ARIN, LACNIC, RIPE NCC), qua gói iptocc (MIT/Apache-2.0), tra cứu "
    "ngay trên máy chủ của báo."
)
SALT_HOURS = 48

# Crawlers, link previewers, monitors and scripted clients. Most of them do not run the
# page's script at all; this catches the ones that do or that call the beacon directly.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|facebot|zalo(?:bot|crawler)"
    r"|coccoc(?:bot|_?crawler)|preview|headless|phantomjs|lighthouse|pingdom|uptime|monitor"
    r"|python-requests|python-urllib|aiohttp|httpx|curl/|wget/|go-http-client|java/|okhttp"
    r"|scrapy|feedfetcher|rss|validator|check_http",
    re.IGNORECASE,
)


class _Headers(NamedTuple):
    META: Mapping  # what core.clients reads: a request's META or a WSGI environ


@dataclass(slots=True)
class Reader:
    """What a beacon's request says of its reader, read once from its headers (a Django
    request's META or the WSGI environ itself: readership/door.py). Held for the request
    only; what is kept is derived from it (a salted hash, a country, a device class)."""

    address: str | None
    agent: str
    host: str  # our own host name, as the reader asked for it (internal referrers)
    prefetch: bool
    refuses: bool

    @classmethod
    def from_meta(cls, meta: Mapping, host: str) -> Reader:
        headers = _Headers(meta)
        purpose = meta.get("HTTP_SEC_PURPOSE", "") or meta.get("HTTP_PURPOSE", "")
        return cls(
            address=client_address(headers),
            agent=user_agent(headers),
            host=host.split(":")[0].lower().removeprefix("www."),
            prefetch="prefetch" in purpose.lower(),
            refuses=meta.get("HTTP_SEC_GPC") == "1" or meta.get("HTTP_DNT") == "1",
        )


def is_bot(reader: Reader) -> bool:
    """Crawlers, scripted clients, no user agent at all, and prefetches."""
    return not reader.agent or reader.prefetch or bool(BOT_PATTERN.search(reader.agent))


def refuses_tracking(reader: Reader) -> bool:
    """Global Privacy Control or Do Not Track: the reader asked not to be counted."""
    return reader.refuses


def local_day(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now()).date()


_salts: dict[date, str] = {}


def salt_for(day: date) -> str:
    """The day's salt (made by whichever app server needs it first)."""
    from .models import DailySalt

    salt = _salts.get(day)
    if salt is None:
        found = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
        if found is None:
            try:
                found = DailySalt.objects.create(
                    day=day, salt=secrets.token_hex(32), created_at=timezone.now()
                ).salt
            except IntegrityError:  # another server made it meanwhile
                found = DailySalt.objects.get(day=day).salt
        for old in [d for d in _salts if d < day - timedelta(days=1)]:
            del _salts[old]  # a past day's salt is never needed again
        _salts[day] = salt = found
    return salt


def forget_old_salts(now: datetime | None = None) -> int:
    """Delete salts older than 48 hours (from this process's memory too)."""
    from .models import DailySalt

    cutoff = (now or timezone.now()) - timedelta(hours=SALT_HOURS)
    old = DailySalt.objects.filter(created_at__lt=cutoff)
    days = set(old.values_list("day", flat=True))
    deleted = old.delete()[0]
    for day in days:
        _salts.pop(day, None)
    return deleted


def visitor_hash(reader: Reader, day: date) -> str:
    material = f"{salt_for(day)}|{reader.address or '-'}|{reader.agent}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def address_hash(reader: Reader, day: date) -> str:
    """The address alone, salted like the visitor hash: the beacons' rate limits count by it
    (never by the address itself, which would then sit in Redis)."""
    return hashlib.sha256(f"{salt_for(day)}|{reader.address or '-'}".encode()).hexdigest()[:16]


def country_of(reader: Reader) -> str:
    import iptocc

    return (iptocc.country_code(reader.address) or "") if reader.address else ""


def device_class(reader: Reader) -> str:
    agent = reader.agent
    if "iPad" in agent or "Tablet" in agent or ("Android" in agent and "Mobile" not in agent):
        return "tablet"
    return "mobile" if "Mobi" in agent or "iPhone" in agent else "desktop"


SEARCH = re.compile(
    r"(^|\.)(google|bing|coccoc|yahoo|duckduckgo|yandex|baidu|ecosia|naver|search\.brave)\.", re.I
)
SOCIAL = {
    "facebook": re.compile(r"(^|\.)(facebook\.com|fb\.com|fb\.me|messenger\.com)$", re.I),
    "zalo": re.compile(r"(^|\.)(zalo\.me|zaloapp\.com|zalo\.vn)$", re.I),
    "youtube": re.compile(r"(^|\.)(youtube\.com|youtu\.be)$", re.I),
    "tiktok": re.compile(r"(^|\.)tiktok\.com$", re.I),
    "x": re.compile(r"(^|\.)(t\.co|twitter\.com|x\.com)$", re.I),
    "instagram": re.compile(r"(^|\.)instagram\.com$", re.I),
    "linkedin": re.compile(r"(^|\.)(linkedin\.com|lnkd\.in)$", re.I),
    "threads": re.compile(r"(^|\.)threads\.(net|com)$", re.I),
    "reddit": re.compile(r"(^|\.)reddit\.com$", re.I),
}
SOURCES = {
    "direct": "Trực tiếp",
    "search": "Tìm kiếm",
    "social": "Mạng xã hội",
    "site": "Trang khác",
    "internal": "Trong báo",
}


def referrer(reader: Reader, referrer_url: str, query: str) -> tuple[str, str, str]:
    """(kind, host, UTM campaign) of a view, from the page's referrer and its query string.

    Only the host of the referrer is kept, never its path; of the query, only the campaign
    and whether a Facebook/Zalo click id was present (in-app browsers often send no
    referrer)."""
    params = parse_qs(query.lstrip("?"), keep_blank_values=False)
    campaign = (params.get("utm_campaign") or [""])[0][:60]
    host = (urlsplit(referrer_url[:500]).hostname or "").lower().removeprefix("www.")[:100]
    own = reader.host
    if not host:
        if "fbclid" in params:
            return "social", "facebook", campaign
        if "zarsrc" in params:
            return "social", "zalo", campaign
        source = (params.get("utm_source") or [""])[0].lower()[:40]
        return ("site", source, campaign) if source else ("direct", "", campaign)
    if host == own:
        return "internal", "", campaign
    for name, pattern in SOCIAL.items():
        if pattern.search(host):
            return "social", name, campaign
    if found := SEARCH.search(host):
        return "search", found.group(2).lower().removeprefix("search."), campaign
    return "site", host, campaign
