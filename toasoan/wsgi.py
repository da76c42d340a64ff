import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toasoan.settings")

from toasoan.delivery.pagecache import FrontDoor  # noqa: E402 - needs the settings module

# Hot anonymous pages are answered from this worker's memory before Django (pagecache.py).
application = FrontDoor(get_wsgi_application())
