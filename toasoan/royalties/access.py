"""Who sees which ledger lines, and the permissions of the royalty screens.

Accounting and the editor-in-chief see the whole ledger; a department head sees their own lines
and their department's; everyone else sees only their own.
"""

from dataclasses import dataclass
from typing import Protocol

from .models import Department, DepartmentMember

GRADE = "royalties.grade_work"
LOCK = "royalties.lock_month"
VIEW_ALL = "royalties.view_all_lines"
EXPORT = "royalties.export_ledger"
ADJUST = "royalties.add_adjustment"


class Visible(Protocol):
    """What deciding who may see a line needs to know about it."""

    user_id: int | None
    department_id: int | None


@dataclass(frozen=True)
class Viewer:
    """Which lines a user may see: all (accounting, editor-in-chief), a department, or own."""

    user_id: int
    sees_all: bool
    departments: frozenset[int] = frozenset()

    def can_see(self, line: Visible) -> bool:
        return (
            self.sees_all or line.user_id == self.user_id or line.department_id in self.departments
        )

    @property
    def scope_label(self) -> str:
        if self.sees_all:
            return "toàn tòa soạn"
        if self.departments:
            names = Department.objects.filter(pk__in=self.departments).values_list(
                "name", flat=True
            )
            return "của bạn và " + ", ".join(names)
        return "của riêng bạn"


def viewer_for(user) -> Viewer:
    if user.has_perm(VIEW_ALL):
        return Viewer(user.pk, True)
    heads = DepartmentMember.objects.filter(user=user, is_head=True).values_list(
        "department_id", flat=True
    )
    return Viewer(user.pk, False, frozenset(heads))
