"""Who may file, see, approve, assign, merge and export story ideas.

Section editors act on their own desks' sections ("Ban Thời sự" → Thời sự); the managing
editor and the editor-in-chief on every section; writers see their own ideas and the ones
they work on.
"""

from django.conf import settings
from django.db.models import Q, QuerySet

from toasoan.frontpage.models import HomePage
from toasoan.newsroom.models import SectionPage
from toasoan.newsroom.workflow import desk_name

from .models import Idea

FILE = "planning.add_idea"
REVIEW = "planning.review_idea"
SEE_ALL = "planning.see_all_ideas"
EXPORT = "planning.export_plan"

NO_FILE = "Bạn không có quyền đề xuất đề tài."
NO_SEE = "Bạn không xem được đề tài này."
NO_REVIEW = "Chỉ trưởng ban của chuyên mục, Thư ký tòa soạn hoặc Tổng biên tập duyệt đề tài này."
NO_EXPORT = "Bạn không có quyền in hoặc xuất kế hoạch của chuyên mục này."


def plan_sections() -> QuerySet[SectionPage]:
    """The sections ideas are filed in: the top-level sections of the Vietnamese edition."""
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        return SectionPage.objects.none()
    return SectionPage.objects.child_of(home).order_by("path")


def desk_sections(user) -> list[SectionPage]:
    """The sections whose desk the user belongs to."""
    groups = set(user.groups.values_list("name", flat=True))
    return [s for s in plan_sections() if desk_name(s) in groups]


def sees_all(user) -> bool:
    return user.is_active and user.has_perm(SEE_ALL)


def reviews(user, section: SectionPage) -> bool:
    """May approve, return, merge and assign in this section."""
    if not user.has_perm(REVIEW):
        return False
    return sees_all(user) or section.pk in {s.pk for s in desk_sections(user)}


def exports(user, section: SectionPage | None = None) -> bool:
    """May print, e-mail and export the plan (of one section, or of what they see)."""
    if not user.has_perm(EXPORT):
        return False
    return section is None or sees_all(user) or reviews(user, section)


def visible_ideas(user) -> QuerySet[Idea]:
    ideas = Idea.objects.all()
    if sees_all(user):
        return ideas
    mine = Q(proposed_by=user) | Q(coverages__assignee=user)
    if user.has_perm(REVIEW):
        mine |= Q(section__in=[s.pk for s in desk_sections(user)])
    return ideas.filter(mine).distinct()


def can_see(user, idea: Idea) -> bool:
    return visible_ideas(user).filter(pk=idea.pk).exists()


def can_amend(user, idea: Idea) -> bool:
    """The writer amends (and refiles) their idea while it is proposed or returned."""
    return idea.proposed_by_id == user.pk and idea.state in (
        Idea.State.PROPOSED,
        Idea.State.RETURNED,
    )
