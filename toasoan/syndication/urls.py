from django.urls import path

from . import views

app_name = "syndication"
urlpatterns = [
    path("rss/", views.feed_list, name="feeds"),
    path("rss/tin-moi-nhat.rss", views.latest_feed, name="feed-latest"),
    path("rss/<path:section_path>.rss", views.section_feed, name="feed-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
]
