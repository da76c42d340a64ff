"""The paper's own 404 page for readers, with DEBUG on as well."""

from django.conf import settings

from .errors import not_found

STAFF_AND_API = ("/admin/", "/api/")


def paper_not_found(get_response):
    """With DEBUG on (`make run`, the demo), Django answers a missing page with its technical
    404: English, and a list of every address pattern of the site. Readers get the paper's
    page in their edition's language instead; staff screens and the API keep their own."""

    def middleware(request):
        response = get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(STAFF_AND_API)
        ):
            return not_found(request)
        return response

    return middleware
