import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toasoan.settings")

django_application = get_wsgi_application()

from toasoan.delivery.pagecache import FrontDoor  # noqa: E402 - needs the settings module
from toasoan.readership.door import BeaconDoor  # noqa: E402

# Hot anonymous pages are answered from this worker's memory before Django (pagecache.py),
# and the readership beacons are counted before it (readership/door.py).
application = BeaconDoor(FrontDoor(django_application))
if os.environ.get("TOASOAN_ACCESS_LOG") == "1":  # set by toasoan-web from WEB_ACCESS_LOG
    from toasoan.delivery.accesslog import AccessLog

    application = AccessLog(application)
