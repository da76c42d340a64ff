"""Readers' side: the form's token, and sending a comment (by script or plain form).

The article page is cacheable, so it carries no CSRF token: the page's script asks
`/binh-luan/phien/` (never cached) for one, together with the signed time stamp, when
the reader starts writing. Without script, "Viết bình luận" opens an uncached form page.
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from toasoan.core.clients import address_key, client_address, user_agent
from toasoan.newsroom.models import ArticlePage

from . import moderation
from .forms import CommentForm

WAITING = "Bình luận của bạn đang chờ duyệt."


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@require_GET
def form_session(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"csrf": get_token(request), "ts": moderation.form_token()})


@never_cache
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, article_id: int) -> HttpResponse:
    article = ArticlePage.objects.published().filter(pk=article_id).first()
    if article is None and request.method == "GET":
        raise Http404("Không tìm thấy bài viết")
    form = CommentForm(request.POST or None, initial={"ts": moderation.form_token()})
    if request.method == "GET":
        reply_to = request.GET.get("tra-loi", "")
        if reply_to.isdigit():
            form.initial["parent"] = int(reply_to)
        return _page(request, article, form)

    def submit(data: dict) -> None:
        moderation.submit(
            article_id,
            moderation.Submission(
                name=data["name"],
                email=data["email"],
                text=data["text"],
                parent_id=data["parent"],
                website=data["website"],
                token=data["ts"],
            ),
            ip=client_address(request),
            user_agent=user_agent(request),
            reader=address_key(request),
        )

    status, message = form.send(submit)
    if status == 200:
        if _wants_json(request):
            return JsonResponse({"ok": True, "message": WAITING})
        return _page(request, article, CommentForm(initial={"ts": ""}), sent=True)
    if _wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"ok": False, "message": message, "errors": errors}, status=status)
    if article is None:
        raise Http404("Không tìm thấy bài viết")
    form.restamp()
    return _page(request, article, form, message=message, status=status)


def _page(request, article, form, *, sent=False, message="", status=200) -> HttpResponse:
    thread = moderation.thread(article.pk)
    return render(
        request,
        "comments/write_page.html",
        {
            "article": article,
            "form": form,
            "sent": sent,
            "waiting": WAITING,
            "message": message,
            "comments_open": thread["open"],
        },
        status=status,
    )


@require_GET
def approved_json(request: HttpRequest, article_id: int) -> JsonResponse:
    """Approved comments of a published story as JSON: plain `text` and sanitised `html`.

    Never the email or IP. Served as application/json with nosniff, so a payload in
    `text` cannot run; `html` has been through the same sanitiser as the page.
    """
    if not ArticlePage.objects.published().filter(pk=article_id).exists():
        raise Http404("Không tìm thấy bài viết")
    data = moderation.thread(article_id)

    def item(c: dict) -> dict:
        return {
            "id": c["id"],
            "name": c["name"],
            "text": c["text"],
            "html": str(c["html"]),
            "created_at": c["created_at"].isoformat(),
            "is_staff": c["is_staff"],
        }

    return JsonResponse(
        {
            "count": data["count"],
            "open": data["open"],
            "comments": [
                {**item(t), "replies": [item(r) for r in t["replies"]]} for t in data["threads"]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
