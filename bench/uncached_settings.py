"""Production settings without the whole-page cache: what a page-cache miss costs over HTTP.

Only for the bench's "render_http" measure (bench/measures/readers.py): every request renders
the page, with what the app keeps between requests (rails, cards, pictures) warm, as
production has it between two publishes. The front door keeps only what the page cache
marks, so it keeps nothing here either."""

from toasoan.settings import *  # noqa: F403

MIDDLEWARE = [m for m in MIDDLEWARE if m != "toasoan.delivery.pagecache.PageCacheMiddleware"]  # noqa: F405
