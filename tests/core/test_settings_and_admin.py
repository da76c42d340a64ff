import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.http import HttpResponse
from django.utils import translation
from wagtail.users.models import UserProfile

from tests.factories import ArticlePageFactory, UserFactory
from toasoan.core.middleware import nfc_input

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "baoquangnam.example",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key_or_hosts():
    missing_key = manage("check", DEBUG="0", ALLOWED_HOSTS="baoquangnam.example")
    assert missing_key.returncode != 0 and "SECRET_KEY" in missing_key.stderr
    missing_hosts = manage("check", DEBUG="0", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert missing_hosts.returncode != 0 and "ALLOWED_HOSTS" in missing_hosts.stderr


def test_deploy_check_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_purges_the_documented_nginx_unless_told_there_is_none():
    """A publish is never left to the micro-cache's lifetime by a forgotten variable."""
    show = (
        "from django.conf import settings; "
        "print(sorted(settings.WAGTAILFRONTENDCACHE.values(), key=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k != "FRONTEND_CACHE_URLS"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", clean)
        default = manage("shell", "-c", show, **PRODUCTION)
        off = manage("shell", "-c", show, FRONTEND_CACHE_URLS="off", **PRODUCTION)
        development = manage("shell", "-c", show, DEBUG="1")
    assert "'http://127.0.0.1:80'" in default.stdout, default.stderr
    assert off.stdout.endswith("[]\n") and development.stdout.endswith("[]\n")


def test_vietnamese_dates_are_typed_day_first():
    with translation.override("vi"):
        assert str(forms.DateField().clean("05/06/2021")) == "2021-06-05"
        moment = forms.DateTimeField().clean("22/12/2021 10:01")
    assert (moment.day, moment.month, moment.hour, moment.minute) == (22, 12, 10, 1)


@pytest.mark.django_db
def test_admin_is_vietnamese_by_default_and_english_on_request(client, settings):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about language, not sign-in
    assert '<html lang="vi"' in client.get("/admin/login/").content.decode()
    editor = UserFactory(is_superuser=True)
    client.force_login(editor)
    assert "Bảng điều khiển" in client.get("/admin/").content.decode()
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    assert "Dashboard" in client.get("/admin/").content.decode()


def test_every_submitted_form_and_query_is_normalised_to_nfc(rf):
    """Text typed in decomposed form (as some keyboards send it) reaches views composed."""
    decomposed = unicodedata.normalize("NFD", "Bão số 8 đổ bộ Quảng Nam")
    seen = {}

    def view(request):
        seen.update(title=request.POST["title"], q=request.GET["q"])
        return HttpResponse("ok")

    nfc_input(view)(rf.post(f"/?q={quote(decomposed)}", {"title": decomposed}))
    assert seen == {"title": "Bão số 8 đổ bộ Quảng Nam", "q": "Bão số 8 đổ bộ Quảng Nam"}


@pytest.mark.django_db
def test_stories_saved_from_code_are_nfc_too(section):
    decomposed = unicodedata.normalize("NFD", "Bão số 8 đổ bộ Quảng Nam")
    story = ArticlePageFactory(parent=section, title=decomposed, sapo=decomposed)
    story.refresh_from_db()
    assert story.title == story.sapo == "Bão số 8 đổ bộ Quảng Nam"
    assert story.slug == "bao-so-8-do-bo-quang-nam"


@pytest.mark.django_db
def test_admin_scripts_speak_vietnamese_too(client):
    catalog = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert json.dumps("mục mới trong trình đơn này")[1:-1] in catalog  # JSON-escaped
