"""The reader's address behind our proxies: one rule for the login lockout, the search and API
rate limits, readership counting, comments and polls.

Behind nginx the connection comes from nginx, so REMOTE_ADDR is nginx's own address and
every reader would look alike (one shared rate-limit bucket, one locked-out address, one
visitor). nginx passes the reader's address in X-Forwarded-For (deploy/nginx/toasoan.conf);
that header is believed for as many hops as there are proxies we run (`PROXY_COUNT`), never
more, since a reader can send it too. Unset, nginx on the same machine (a loopback peer)
is the one proxy believed; `PROXY_COUNT=0` believes none. A connection over the app
server's unix socket (`WEB_BIND=unix:…`) has no peer address: only a process on this machine
can make one, so it counts as a loopback peer.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _hops(peer: str) -> int:
    configured = settings.PROXY_COUNT
    if configured is not None:
        return configured
    if not peer:  # the app server's unix socket: nginx on this machine
        return 1
    try:
        return 1 if ipaddress.ip_address(peer).is_loopback else 0
    except ValueError:
        return 0


def client_address(request: HttpRequest) -> str | None:
    """The reader's IP address as text, or None when it is not a valid address (also what
    django-axes is given: AXES_CLIENT_IP_CALLABLE)."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    hops = _hops(peer)
    raw = forwarded[-min(hops, len(forwarded))] if hops and forwarded else peer
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def address_key(request: HttpRequest) -> str:
    """The reader's address, hashed with the site's secret: rate-limit counters and the rows
    that keep it (comments, Q&A questions) never hold an address, nor a plain hash of one,
    which anyone could reverse by hashing all four billion IPv4 addresses."""
    address = client_address(request) or "unknown"
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:24]


def user_agent(request: HttpRequest) -> str:
    """The reader's browser as it says (cut to what we store): readership, comments."""
    return request.META.get("HTTP_USER_AGENT", "")[:300]
