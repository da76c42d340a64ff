"""Which query parameters a public page is cached under: one rule for every cache layer.

Readers arrive through shared links (`?fbclid=…`, `?zarsrc=…`, `?utm_source=…`), unique per
share; anyone can also add `?x=1`, `?x=2`, … If the whole query string were part of the cache
key, a viral share would render the page once per reader and fill Redis. So a page is cached
(and rendered) under the parameters it reads and nothing else:

- story pages (`….html`) read none;
- every other page reads `page` (listings) and WordPress's old `?p=`-style forms (the legacy
  redirects of `toasoan.ingest`), and nothing else.

The page cache (`toasoan.delivery.pagecache`) hands the view only those parameters, so what
is rendered never depends on anything outside the key, and canonical links never carry a
tracking parameter. The nginx micro-cache (deploy/nginx/toasoan.conf) keys on the same
parameters with `$arg_…`, so this reads them as nginx does: names as sent (undecoded,
case-insensitive), the first value only, an empty value as none.

Tracking parameters are listed here (not needed by the rule above, which drops them anyway)
for what else must never carry them: links the site writes, and the bench.
"""

from collections.abc import Iterable

# Analytics and ad-click parameters seen on shared links to Vietnamese papers. A name ending
# in "*" is a prefix.
TRACKING = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "ttclid",
    "twclid",
    "igshid",
    "li_fat_id",
    "zarsrc",
    "zalo_*",
    "_gl",
    "_ga",
    "_hsenc",
    "_hsmi",
    "mc_cid",
    "mc_eid",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "rb_clickid",
    "s_cid",
    "vero_id",
    "wickedid",
)
_TRACKING_NAMES = frozenset(name for name in TRACKING if not name.endswith("*"))
_TRACKING_PREFIXES = tuple(name[:-1] for name in TRACKING if name.endswith("*"))

LISTING = ("page",)  # toasoan.core.paging
LEGACY = ("p", "page_id", "cat", "tag", "attachment_id")  # WordPress's query forms (ingest)
READ_BY_PAGES = (*LISTING, *LEGACY)  # in this order in every key (nginx's too)
STORY_SUFFIX = ".html"


def is_tracking(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def read_by(path: str) -> tuple[str, ...]:
    """The parameters the page at `path` reads (and is cached under)."""
    return () if path.endswith(STORY_SUFFIX) else READ_BY_PAGES


def first_values(query: str, names: Iterable[str]) -> dict[str, str]:
    """The first non-empty raw value of each of `names` in `query`, as nginx's `$arg_name`
    reads it (names compared as sent, case-insensitively; nothing decoded)."""
    wanted = set(names)
    found: dict[str, str] = {}
    if not wanted:
        return found
    for part in query.split("&"):
        name, equals, value = part.partition("=")
        name = name.lower()
        if equals and name in wanted and name not in found:  # nginx needs the "="
            found[name] = value
    return {name: value for name, value in found.items() if value}


def cache_query(path: str, query: str) -> str:
    """The query string `path` is rendered and cached under: the parameters it reads, in a
    fixed order, first value each; "" for a story page whatever it was given."""
    if not query:
        return ""
    names = read_by(path)
    found = first_values(query, names)
    return "&".join(f"{name}={found[name]}" for name in names if name in found)


def without_tracking(query: str) -> str:
    """`query` with every tracking parameter left out (links the site writes)."""
    return "&".join(
        part for part in query.split("&") if part and not is_tracking(part.partition("=")[0])
    )
