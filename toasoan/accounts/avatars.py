"""Staff avatars from our own server: the photo a staff member uploaded, else their initials.

Wagtail's default asks gravatar.com with a hash of the staff member's e-mail address: a third
party learns who works in the admin, and on a newsroom network without that host every
avatar is a broken image.
"""

import hashlib
from xml.sax.saxutils import escape

# Backgrounds dark enough for white letters (contrast ≥ 4.5:1).
PALETTE = ("#0b4a86", "#8a1c1c", "#1f6b3a", "#6b3fa0", "#8a4b08", "#0f5f66", "#5b5b5b", "#a0284f")


def initials(user) -> str:
    """ "Nguyễn Văn Quang" → "NQ", "quantri" → "Q": the first and last words' first letters."""
    name = (user.get_full_name() or user.get_username() or "").strip()
    words = [word for word in name.split() if word[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] if len(words) == 1 else words[0][0] + words[-1][0]
    return letters.upper()


def colour(user) -> str:
    """The same colour for a staff member on every screen, varied between colleagues."""
    digest = hashlib.sha256(str(user.pk).encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def initials_svg(user) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
        f'<rect width="100" height="100" fill="{colour(user)}"/>'
        '<text x="50" y="50" dy=".36em" text-anchor="middle" fill="#fff" font-size="42" '
        'font-weight="600" font-family="system-ui,-apple-system,\'Segoe UI\',Roboto,sans-serif">'
        f"{escape(initials(user))}</text></svg>"
    )


def uploaded_photo_url(user) -> str | None:
    profile = getattr(user, "wagtail_userprofile", None)
    return profile.avatar.url if profile is not None and profile.avatar else None
