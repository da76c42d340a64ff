"""The areas of the site a request path belongs to: one rule for every layer that treats them
differently (the page cache bypasses them, the replica router sends them to the primary).

Each area may sit under an edition's language prefix (`/en/search/`)."""

import re

EDITION_PREFIX = r"(?:[a-z]{2}(?:-[a-z]+)?/)?"  # nginx's config uses it too (delivery)
_EDITION = EDITION_PREFIX

STAFF = ("admin", "django-admin", "documents")  # staff screens and private documents
READER_ACTIONS = ("binh-luan", "binh-chon", "luot-doc")  # comment form, poll vote, read beacon
OWN_CACHING = ("api", "search")  # cached by their own rules, never as whole pages


def _area(*names: str) -> re.Pattern:
    return re.compile(rf"^/{_EDITION}(?:{'|'.join(names)})(?:/|$)")


_STAFF = _area(*STAFF)
_READER_ACTIONS = _area(*READER_ACTIONS)
_NOT_WHOLE_PAGES = _area(*STAFF, *OWN_CACHING)


def is_staff_or_reader_action(path: str) -> bool:
    """Staff work and readers' own writes: read from the primary database, never a replica."""
    return bool(_STAFF.match(path) or _READER_ACTIONS.match(path))


def is_reader_action(path: str) -> bool:
    """Readers' own forms and beacons: they read their own parameters (`?tra-loi=`)."""
    return bool(_READER_ACTIONS.match(path))


def is_cached_as_page(path: str) -> bool:
    """Whether anonymous GETs of `path` may come from the whole-page cache."""
    return not _NOT_WHOLE_PAGES.match(path)
