"""No public pages of its own: old addresses are answered by `middleware.legacy_redirects`."""

urlpatterns: list = []
