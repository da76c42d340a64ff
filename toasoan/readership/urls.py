from django.urls import path

from . import views

app_name = "readership"

urlpatterns = [
    path("luot-doc/<int:article_id>/", views.beacon, name="beacon"),
    path("luot-doc/<int:article_id>/doc/", views.engagement, name="engagement"),
]
