"""Readers' question form and the guests' answering screen (outside the admin: a guest has
no admin access at all). The update feed's view is reading.updates_view."""

from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from toasoan.comments.moderation import form_token
from toasoan.core.clients import address_key

from . import desk, questions
from .forms import AnswerForm, QuestionForm
from .models import LiveBlogPage, Question, QuestionStatus

SENT = "Câu hỏi của bạn đã được gửi tới ban biên tập."


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, session_id: int) -> HttpResponse:
    session = LiveBlogPage.objects.live().public().filter(pk=session_id, mode="qa").first()
    if session is None:
        raise Http404("Không có phiên giao lưu này")
    form = QuestionForm(request.POST or None, initial={"ts": form_token()})
    status, message, sent = 200, "", False
    if request.method == "POST":

        def submit(data: dict) -> None:
            asked = questions.Asked(
                name=data["name"],
                text=data["text"],
                contact=data["contact"],
                website=data["website"],
                token=data["ts"],
            )
            questions.submit(session, asked, reader=address_key(request))

        status, message = form.send(submit)
        sent = status == 200
        if sent:
            form = QuestionForm(initial={"ts": form_token()})
        else:
            form.restamp()
    context = {
        "session": session,
        "form": form,
        "sent": sent,
        "sent_text": SENT,
        "message": message,
        "open": questions.accepts_questions(session),
    }
    return render(request, "live/ask_page.html", context, status=status)


class GuestLogin(LoginView):
    """Guests sign in here, never in the admin. Public paths reach views without their
    query string (delivery.pagecache keeps only what pages read), so no `?next=`: every
    guest lands on their own sessions."""

    template_name = "live/guest_login.html"

    def get_redirect_url(self) -> str:
        return ""

    def get_default_redirect_url(self) -> str:
        return reverse("live:guest_home")


@never_cache
def guest_home(request: HttpRequest) -> HttpResponse:
    """A guest's sessions: straight to it when there is one."""
    if not request.user.is_authenticated:
        return redirect("live:guest_login")
    sessions = list(request.user.live_sessions.order_by("-coverage_start"))
    if len(sessions) == 1:
        return redirect("live:guest", sessions[0].pk)
    return render(request, "live/guest_home.html", {"sessions": sessions})


def _guest_session(request: HttpRequest, session_id: int) -> LiveBlogPage:
    if not request.user.is_authenticated:
        raise PermissionDenied
    session = get_object_or_404(LiveBlogPage, pk=session_id, mode="qa")
    if not questions.is_guest(request.user, session):
        raise PermissionDenied
    return session


@never_cache
@require_http_methods(["GET", "POST"])
def guest(request: HttpRequest, session_id: int) -> HttpResponse:
    """The guest's screen: the forwarded questions of this session, an answer box each."""
    if not request.user.is_authenticated:
        return redirect("live:guest_login")
    session = _guest_session(request, session_id)
    if request.method == "POST":
        question = get_object_or_404(Question, pk=request.POST.get("question", 0), session=session)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                questions.answer(question, request.user, form.cleaned_data["text"])
            except desk.NotAllowed as error:
                raise PermissionDenied from error
            return redirect(request.path + f"#cau-hoi-{question.pk}")
    items = questions.forwarded_to(request.user, session)
    return render(
        request,
        "live/guest.html",
        {
            "session": session,
            "waiting": [q for q in items if q.status == QuestionStatus.FORWARDED],
            "answered": [q for q in items if q.status == QuestionStatus.ANSWERED],
        },
    )


class GuestFence:
    """Guests of a Q&A session (accounts without admin access) get 403 on every staff path,
    never the admin's sign-in page."""

    STAFF = ("/admin/", "/django-admin/")
    OPEN = ("/admin/login/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        user = getattr(request, "user", None)
        if (
            path.startswith(self.STAFF)
            and not path.startswith(self.OPEN)
            and user is not None
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
            and user.live_sessions.exists()
        ):
            return HttpResponse(
                "Không có quyền truy cập.", status=403, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
