import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toasoan.settings")

from toasoan.delivery.pagecache import FrontDoor  # noqa: E402 - needs the settings module

# Hot anonymous pages are answered from this worker's memory before Django (pagecache.py).
application = FrontDoor(get_wsgi_application())
if os.environ.get("TOASOAN_ACCESS_LOG") == "1":  # set by toasoan-web from WEB_ACCESS_LOG
    from toasoan.delivery.accesslog import AccessLog

    application = AccessLog(application)
