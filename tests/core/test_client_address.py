"""Behind nginx every request comes from nginx: readers must still be told apart (rate limits,
login lockout, readership), and a reader must not pick an address of their choosing."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import ArticlePageFactory, UserFactory
from toasoan.core.clients import client_address

pytestmark = pytest.mark.django_db

NGINX = {"REMOTE_ADDR": "127.0.0.1"}  # nginx on the same machine, as deploy/ sets it up


def via_nginx(reader: str) -> dict:
    return {**NGINX, "HTTP_X_FORWARDED_FOR": reader}


@pytest.mark.usefixtures("one_rate_window")
def test_each_reader_behind_nginx_has_their_own_search_limit(client, settings, section):
    settings.SEARCH_RATE_LIMIT = (2, 60)
    ArticlePageFactory(parent=section, title="Phố cổ Hội An")
    for _ in range(2):
        assert (
            client.get("/search/", {"q": "hoi an"}, **via_nginx("203.0.113.5")).status_code == 200
        )
    assert client.get("/search/", {"q": "hoi an"}, **via_nginx("203.0.113.5")).status_code == 429
    # Another reader, through the same nginx, is not held back by the first.
    assert client.get("/search/", {"q": "hoi an"}, **via_nginx("198.51.100.7")).status_code == 200


def test_a_reader_cannot_choose_their_address(rf, settings):
    settings.PROXY_COUNT = None
    direct = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_address(direct) == "192.0.2.10"  # not from a proxy of ours: header ignored
    # Through nginx, only the address nginx itself appended is believed.
    spoofed = rf.get("/", **via_nginx("10.9.9.9, 192.0.2.10"))
    assert client_address(spoofed) == "192.0.2.10"
    settings.PROXY_COUNT = 2  # a load balancer in front of nginx: one more hop believed
    assert client_address(spoofed) == "10.9.9.9"
    settings.PROXY_COUNT = 0
    assert client_address(spoofed) == "127.0.0.1"
    settings.PROXY_COUNT = None
    assert client_address(rf.get("/", **via_nginx("not-an-address"))) is None
    # nginx on the app server's unix socket: the connection has no address of its own.
    on_socket = rf.get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.10")
    assert client_address(on_socket) == "192.0.2.10"


def test_a_lockout_behind_nginx_holds_only_the_guessing_address(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="phongvien", is_superuser=False).groups.add(
        Group.objects.get_or_create(name="Phóng viên")[0]
    )
    guesser, reporter = Client(**via_nginx("203.0.113.66")), Client(**via_nginx("198.51.100.20"))
    form = {"username": "phongvien", "password": "sai-mat-khau"}
    for _ in range(3):
        guesser.post("/admin/login/", form)
    assert guesser.post("/admin/login/", form).status_code == 429
    signed_in = reporter.post(
        "/admin/login/", {"username": "phongvien", "password": "mat-khau-thu"}, follow=True
    )
    assert signed_in.status_code == 200 and "_auth_user_id" in reporter.session


def test_an_address_is_kept_only_as_a_keyed_hash(settings):
    """Comments and Q&A questions keep `address_key`: a plain hash of an IPv4 address is
    reversed by hashing all of them; one keyed with the site's secret is not."""
    import hashlib

    from django.test import RequestFactory

    from toasoan.core.clients import address_key

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    kept = address_key(request)
    assert "203.0.113.9" not in kept
    assert kept != hashlib.sha256(b"203.0.113.9").hexdigest()[:24]
    assert kept == address_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9"))  # stable
    settings.SECRET_KEY = "another-paper-another-secret-" + "x" * 30
    assert address_key(request) != kept
