"""Normalise every submitted text to NFC before any form or view sees it."""

import unicodedata

from django.http import QueryDict


def _nfc_querydict(data: QueryDict) -> QueryDict:
    normalised = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        normalised.setlist(
            unicodedata.normalize("NFC", key),
            [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in values],
        )
    normalised._mutable = False
    return normalised


def nfc_input(get_response):
    def middleware(request):
        if request.GET:
            request.GET = _nfc_querydict(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _nfc_querydict(request.POST)
        return get_response(request)

    return middleware
