"""Pages leave the app compressed for the readers (and the nginx micro-cache) that ask.

nginx keeps the compressed copy and unpacks it for the rare reader who takes no gzip
(deploy/nginx/toasoan.conf): compressing a cached 80 kB home page again for every reader
cost nginx more than sending it. Django's GZipMiddleware, limited to text: photos, PDFs and
documents are compressed already, and a download keeps its length and byte ranges.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not kind.startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
