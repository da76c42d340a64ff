"""Voting. The article page is cacheable, so the poll's script asks `…/trang-thai/` for the
CSRF token and whether this visitor has voted; without script the poll page works alone."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from toasoan.core.clients import address_key

from . import voting
from .models import Poll


def _poll(poll_id: int) -> Poll:
    poll = Poll.objects.select_related("article").filter(pk=poll_id).first()
    if poll is None or not poll.article.live:
        raise Http404("Không tìm thấy cuộc bình chọn")
    return poll


def _state(request: HttpRequest, poll: Poll) -> dict:
    voted = voting.has_voted(poll, voting.voter_id(request))
    open_ = poll.accepts_votes()
    return {
        "open": open_,
        "voted": voted,
        "results": voting.results(poll) if voted or not open_ else None,
    }


@never_cache
@require_GET
def state(request: HttpRequest, poll_id: int) -> JsonResponse:
    poll = _poll(poll_id)
    return JsonResponse({"csrf": get_token(request), **_state(request, poll)})


@never_cache
@require_http_methods(["GET", "POST"])
def poll_page(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _poll(poll_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "GET":
        return render(request, "polls/poll_page.html", {"poll": poll, **_state(request, poll)})
    voter = voting.voter_id(request) or voting.new_voter_id()
    choice = request.POST.get("choice", "")
    try:
        voting.vote(poll, int(choice) if choice.isdigit() else None, voter, address_key(request))
    except voting.VoteRefused as refused:
        if wants_json:
            data = {"ok": False, "message": refused.message, **_state(request, poll)}
            return JsonResponse(data, status=refused.status)
        context = {"poll": poll, "message": refused.message, **_state(request, poll)}
        return render(request, "polls/poll_page.html", context, status=refused.status)
    if wants_json:
        response = JsonResponse(
            {
                "ok": True,
                "message": "Cảm ơn bạn đã bình chọn.",
                "open": True,
                "voted": True,
                "results": voting.results(poll),
            }
        )
    else:
        response = redirect("polls:poll", poll_id=poll.pk)
    response.set_signed_cookie(
        voting.VOTER_COOKIE,
        voter,
        salt="polls.voter",
        max_age=voting.VOTER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
