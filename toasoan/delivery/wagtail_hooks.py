"""The nginx micro-caches are told of every content change (toasoan.core.changes)."""

from wagtail import hooks

from toasoan.core.changes import FRONT_CACHE_HOOK

from .purge import NginxMicroCaches

hooks.register(FRONT_CACHE_HOOK, NginxMicroCaches)
