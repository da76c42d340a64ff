from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("binh-luan/phien/", views.form_session, name="session"),
    path("binh-luan/gui/<int:article_id>/", views.write, name="write"),
    path("binh-luan/bai/<int:article_id>.json", views.approved_json, name="json"),
]
