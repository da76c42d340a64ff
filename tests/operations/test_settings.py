"""Production switches read from the environment: tasks, replica, Redis, object storage."""

from .helpers import settings_for


def test_embedded_default_runs_tasks_inline_and_keeps_media_on_disk():
    got = settings_for(["TASKS", "STORAGES", "DATABASES", "SESSION_ENGINE"])
    assert got["TASKS"]["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert got["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert list(got["DATABASES"]) == ["default"]
    assert got["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_tasks_backend_database_is_the_postgresql_queue():
    got = settings_for(["TASKS", "INSTALLED_APPS"], TASKS_BACKEND="database")
    assert got["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in got["INSTALLED_APPS"]


def test_an_unknown_tasks_backend_is_refused_with_the_choices():
    got = settings_for(["TASKS"], TASKS_BACKEND="celery")
    assert "TASKS_BACKEND='celery'" in got["error"]
    assert "immediate, database" in got["error"]


def test_replica_url_adds_a_replica_that_mirrors_default_in_tests():
    got = settings_for(
        ["DATABASES", "DATABASE_ROUTERS"],
        DATABASE_URL="postgres://toasoan@db-primary:5432/toasoan",
        DATABASE_REPLICA_URL="postgres://toasoan@db-replica:5432/toasoan",
    )
    assert got["DATABASES"]["default"]["HOST"] == "db-primary"
    assert got["DATABASES"]["replica"]["HOST"] == "db-replica"
    assert got["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert got["DATABASE_ROUTERS"] == ["toasoan.core.routing.ReplicaRouter"]


def test_redis_outage_is_a_cache_miss_and_sessions_survive_it():
    got = settings_for(
        ["CACHES", "SESSION_ENGINE", "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"],
        REDIS_URL="redis://cache.internal:6379/0",
    )
    options = got["CACHES"]["default"]["OPTIONS"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert options["SOCKET_CONNECT_TIMEOUT"] <= 1 and options["SOCKET_TIMEOUT"] <= 1
    assert got["CACHES"]["renditions"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    # Behind the circuit breaker, which logs an outage once instead of a traceback per call.
    assert got["CACHES"]["default"]["BACKEND"] == "toasoan.core.breaker.GuardedRedisCache"
    assert not got["DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"]
    assert options["CONNECTION_POOL_KWARGS"]["retry"] is None  # one timeout, not four
    assert got["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_a_bucket_name_puts_media_on_s3_with_plain_public_urls():
    got = settings_for(
        ["STORAGES"],
        AWS_STORAGE_BUCKET_NAME="baoquangnam-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_S3_REGION_NAME="hn-1",
        AWS_S3_CUSTOM_DOMAIN="media.baoquangnam.example",
    )
    storage = got["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "baoquangnam-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.vn"
    assert storage["OPTIONS"]["region_name"] == "hn-1"
    assert storage["OPTIONS"]["custom_domain"] == "media.baoquangnam.example"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert got["STORAGES"]["staticfiles"]["BACKEND"].startswith("django.contrib.staticfiles")


def test_media_storage_s3_without_a_bucket_is_refused():
    got = settings_for(["STORAGES"], MEDIA_STORAGE="s3")
    assert "AWS_STORAGE_BUCKET_NAME" in got["error"]
