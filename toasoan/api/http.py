"""The NinjaAPI of the paper: JSON errors in two languages, ETags and conditional GET.

Every successful GET carries a strong ETag (a hash of the body) and `Cache-Control`; a
request whose `If-None-Match` matches gets `304 Not Modified` with no body. Compressed for a
client that takes gzip (delivery.compression), the ETag goes out weak (`W/"…"`): If-None-Match
compares weakly, so either form sent back matches.
"""

from __future__ import annotations

import functools
import hashlib

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer

from .errors import ApiError
from .limits import ApiKeyHeader, ApiKeyQuery, ClientRateThrottle, anonymous

CACHE_SECONDS = 60
DESCRIPTION = """\
**API nội dung của tòa soạn** (chỉ đọc): bài viết đã xuất bản, chuyên mục, chủ đề, bút danh,
tìm kiếm và đọc nhiều; mỗi bài cũng có dạng IPTC ninjs 3.1.

The paper's read-only content API: published stories, sections, topics, pen names, search and
most read; each story is also available as IPTC ninjs 3.1.

- Lists are newest first and paged with an opaque `cursor` (`next_cursor` / `next`).
- Dates in filters: `dd/mm/yyyy` or ISO 8601. Times in answers: ISO 8601 with +07:00.
- Every answer has an `ETag`; send it back as `If-None-Match` to get `304 Not Modified`.
- Without a key: a limit per address. With `X-Api-Key` (or `?api_key=`): your own limit.
  Over the limit: `429` with `Retry-After` (seconds).
- Errors: `{"code", "detail", "vi", "en"}`.

Partner guide: `docs/api.md` in the Toà Soạn repository.
"""


def _header(description: str, required: bool, kind: str = "string") -> dict:
    return {"description": description, "required": required, "schema": {"type": kind}}


OK_HEADERS = {
    "ETag": _header("Send back as If-None-Match to get 304 when nothing changed", True),
    "Cache-Control": _header("public, max-age=60", True),
}
RATE_HEADERS = {
    "X-RateLimit-Limit": _header("Requests allowed per minute (absent: unlimited)", False),
    "X-RateLimit-Remaining": _header("Requests left in this minute", False),
}
RETRY_HEADERS = {"Retry-After": _header("Seconds to wait before asking again", True, "integer")}


class Renderer(JSONRenderer):
    """UTF-8 JSON: Vietnamese text as written, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class ToasoanAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        rate = getattr(request, "api_rate", None)
        if rate:
            response["X-RateLimit-Limit"], response["X-RateLimit-Remaining"] = map(str, rate)
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            response["Cache-Control"] = "no-store"
            return response
        response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        patch_vary_headers(response, ["Accept-Encoding"])
        return get_conditional_response(request, etag=response["ETag"], response=response)

    def _get_urls(self):
        """Ninja's routes, each answering a method it does not take with the API's JSON 405
        (Ninja's own is a text/html "Method not allowed")."""
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = self._json_405(pattern.callback)
        return urls

    def _json_405(self, view):
        @functools.wraps(view)
        def answer(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and isinstance(response, HttpResponseNotAllowed):
                allowed = [m.strip() for m in response["Allow"].split(",") if m.strip()]
                return method_not_allowed(self, request, sorted(allowed))
            return response

        return answer

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's description, plus what it cannot know: the key is optional, and the
        headers every answer carries."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                if operation.get("security") and {} not in operation["security"]:
                    operation["security"].append({})  # no key at all is fine
                responses = operation["responses"]
                if "200" in responses or 200 in responses:
                    ok = responses.get(200) or responses.get("200")
                    ok["headers"] = {**OK_HEADERS, **RATE_HEADERS}
                for status, answer in responses.items():
                    if str(status) == "304":
                        answer["description"] = "Not Modified: your copy (If-None-Match) is current"
                        answer["headers"] = {"ETag": OK_HEADERS["ETag"]}
                    elif str(status) == "429":
                        answer["headers"] = {**RETRY_HEADERS, **RATE_HEADERS}
        return schema


def _error(api, request, error: ApiError, headers: dict | None = None) -> HttpResponse:
    response = api.create_response(request, error.payload(), status=error.status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _throttled(request, exc: Throttled, api) -> HttpResponse:
    wait = int(exc.wait or 60)
    error = ApiError(
        429,
        "rate_limited",
        f"Quá nhiều yêu cầu. Vui lòng thử lại sau {wait} giây.",
        f"Too many requests. Please try again in {wait} seconds.",
        retry_after=wait,
    )
    return _error(api, request, error, {"Retry-After": str(wait)})


def _validation(request, exc: ValidationError, api) -> HttpResponse:
    fields = []
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("query", "path")]
        name = ".".join(location) or "request"
        fields.append({"name": name, "vi": "giá trị không hợp lệ.", "en": item.get("msg", "")})
    names = ", ".join(field["name"] for field in fields) or "request"
    error = ApiError(
        400,
        "invalid_parameter",
        f"Tham số không hợp lệ: {names}.",
        f"Invalid parameter: {names}.",
        fields=fields,
    )
    return _error(api, request, error)


def _not_found(request, exc, api) -> HttpResponse:
    error = ApiError(404, "not_found", "Không tìm thấy.", "Not found.")
    return _error(api, request, error)


def no_such_address(api, request) -> HttpResponse:
    """Any address under /api/ that no endpoint serves (Django's own 404 would be an HTML page,
    or with DEBUG on the list of every URL pattern)."""
    error = ApiError(
        404,
        "not_found",
        "Không có địa chỉ này trong API; các địa chỉ có ở /api/docs.",
        "No such address in the API; see /api/docs for the endpoints.",
    )
    return _error(api, request, error)


def method_not_allowed(api, request, allowed: list[str]) -> HttpResponse:
    """A method the address does not take: JSON, with the `Allow` header of Django's 405."""
    methods = ", ".join(allowed)
    error = ApiError(
        405,
        "method_not_allowed",
        f"Địa chỉ này không nhận phương thức {request.method}; API chỉ đọc (dùng {methods}).",
        f"This address does not accept {request.method}; the API is read-only (use {methods}).",
    )
    return _error(api, request, error, {"Allow": methods})


def _http_error(request, exc: HttpError, api) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        error = ApiError(401, "invalid_api_key", "Khoá API không hợp lệ.", "Invalid API key.")
    else:
        error = ApiError(exc.status_code, "error", str(exc), str(exc))
    return _error(api, request, error)


def build_api() -> ToasoanAPI:
    api = ToasoanAPI(
        title="Toà Soạn — API nội dung / Content API",
        version="1.0",
        description=DESCRIPTION,
        urls_namespace="api",
        renderer=Renderer(),
        docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
        docs_url="/docs",
        openapi_url="/openapi.json",
        auth=[ApiKeyHeader(), ApiKeyQuery(), anonymous],
        throttle=[ClientRateThrottle()],
    )
    api.add_exception_handler(ApiError, lambda request, exc: _error(api, request, exc))
    api.add_exception_handler(Throttled, lambda request, exc: _throttled(request, exc, api))
    api.add_exception_handler(ValidationError, lambda request, exc: _validation(request, exc, api))
    api.add_exception_handler(Http404, lambda request, exc: _not_found(request, exc, api))
    api.add_exception_handler(HttpError, lambda request, exc: _http_error(request, exc, api))
    return api
