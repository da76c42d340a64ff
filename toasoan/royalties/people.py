"""Who is paid for a pen name, in which department their lines are grouped, and whether tax is
withheld from what they are paid."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from toasoan.core.text import fold, nfc
from toasoan.newsroom.models import PenName
from toasoan.newsroom.roles import CONTRIBUTOR

from .models import Department, DepartmentMember

NO_DEPARTMENT = "Chưa xếp phòng ban"


def person_of(pen_name: PenName) -> tuple[int | None, str]:
    """(user id, full name) behind a pen name; an outside contributor has no user."""
    user = pen_name.staff_member
    if user is not None:
        return user.pk, nfc(user.get_full_name() or user.get_username())
    return None, nfc(pen_name.outside_contributor or pen_name.name)


def person_key(user_id: int | None, person_name: str) -> str:
    """Who is paid: a staff member by account, an outside contributor by real name."""
    return f"u{user_id}" if user_id else f"c:{fold(person_name)}"


def contributor_ids(user_ids: Iterable[int | None]) -> set[int]:
    """Accounts in the “Cộng tác viên” group: paid without a labour contract of three months or
    more, so personal income tax is withheld from their royalties. Staff (any other account)
    settle it with their salary; an outside contributor without an account is a contributor."""
    ids = {pk for pk in user_ids if pk}
    users = get_user_model().objects.filter(pk__in=ids, groups__name=CONTRIBUTOR)
    return set(users.values_list("pk", flat=True))


@dataclass
class DepartmentMap:
    by_user: dict[int, Department]
    by_pen_name: dict[int, Department]

    @classmethod
    def load(cls) -> "DepartmentMap":
        members = DepartmentMember.objects.select_related("department")
        return cls(
            {m.user_id: m.department for m in members if m.user_id},
            {m.pen_name_id: m.department for m in members if m.pen_name_id},
        )

    def of(self, user_id: int | None, pen_name_id: int | None) -> Department | None:
        if user_id and user_id in self.by_user:
            return self.by_user[user_id]
        return self.by_pen_name.get(pen_name_id) if pen_name_id else None
