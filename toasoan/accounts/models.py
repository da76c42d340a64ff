"""Staff account security: which staff must use two-factor authentication."""

from django.db import models


class StaffSecurity(models.Model):
    """Holds the permission that makes a group's members use TOTP two-factor sign-in."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("require_two_factor", "Bắt buộc xác thực hai lớp (TOTP)")]

    def __str__(self) -> str:
        return self._meta.verbose_name


REQUIRE_TWO_FACTOR = "accounts.require_two_factor"


def must_use_two_factor(user) -> bool:
    from django.conf import settings

    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.has_perm(REQUIRE_TWO_FACTOR)
