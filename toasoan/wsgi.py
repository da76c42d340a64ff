import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

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

# What a worker loads before its first request (Django, the apps, every view through the
# URLconf: ~240,000 objects) lives as long as the process. Frozen, the collector's full passes
# skip it: one cost ~120 ms of some reader's request (bench: the search p95's spread).
_views = get_resolver().url_patterns  # imports every view module now, before freezing
gc.freeze()
