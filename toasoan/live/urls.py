from django.urls import path

from . import reading, views

app_name = "live"

urlpatterns = [
    path("truc-tiep/<int:blog_id>/<int:bucket>.json", reading.updates_view, name="updates"),
    path("giao-luu/<int:session_id>/hoi/", views.ask, name="ask"),
    path("giao-luu/dang-nhap/", views.GuestLogin.as_view(), name="guest_login"),
    path("giao-luu/khach/", views.guest_home, name="guest_home"),
    path("giao-luu/khach/<int:session_id>/", views.guest, name="guest"),
]
