from django.urls import path

from . import views

app_name = "polls"

urlpatterns = [
    path("binh-chon/<int:poll_id>/", views.poll_page, name="poll"),
    path("binh-chon/<int:poll_id>/trang-thai/", views.state, name="state"),
]
