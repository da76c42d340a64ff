from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("admin/2fa/setup/", views.setup, name="setup"),
    path("admin/2fa/verify/", views.verify, name="verify"),
]
