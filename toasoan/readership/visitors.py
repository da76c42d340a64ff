"""Who is reading: bots, and a short-lived anonymous visitor key.

Nothing here stores
personal data: the visitor key is a keyed hash of IP and browser that is kept only in
the cache, for the 30-minute repeat-view window.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.http import HttpRequest

from toasoan.core.clients import client_address, user_agent

# Crawlers, link previewers, monitors and scripted clients. Most of them do not run the
# page's script at all; this catches the ones that do or that call the beacon directly.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|facebot|zalo(?:bot|crawler)"
    r"|coccoc(?:bot|_?crawler)|preview|headless|phantomjs|lighthouse|pingdom|uptime|monitor"
    r"|python-requests|python-urllib|aiohttp|httpx|curl/|wget/|go-http-client|java/|okhttp"
    r"|scrapy|feedfetcher|rss|validator|check_http",
    re.IGNORECASE,
)


def is_bot(request: HttpRequest) -> bool:
    agent = user_agent(request)
    if not agent or BOT_PATTERN.search(agent):
        return True
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower()


def visitor_key(request: HttpRequest) -> str:
    """An anonymous key for one browser on one address (never stored in the database)."""
    material = f"{client_address(request) or '-'}|{user_agent(request)}".encode()
    key = hashlib.sha256(f"readership:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, material, hashlib.sha256).hexdigest()[:24]
