"""Media on S3-compatible storage: a photo and its renditions land in the bucket and are served
from plain public URLs. A local S3 server (moto's ThreadedMotoServer) stands in for the cloud."""

import urllib.request

import boto3
import pytest

from tests.factories import PhotoFactory

from .helpers import free_port, settings_for

BUCKET = "baoquangnam-media"


@pytest.fixture
def s3(settings, monkeypatch):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "toasoan",
        "AWS_SECRET_ACCESS_KEY": "toasoan-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # The STORAGES that settings.py builds from these variables, applied to this test.
    settings.STORAGES = settings_for(
        ["STORAGES"],
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_DEFAULT_ACL="public-read",  # readers fetch the files without signing
    )["STORAGES"]
    yield client
    server.stop()


@pytest.mark.django_db
def test_a_photo_and_its_rendition_are_stored_in_the_bucket_with_public_urls(s3):
    photo = PhotoFactory(title="Cầu Cửa Đại")
    rendition = photo.get_rendition("fill-320x200|format-webp")

    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert photo.file.name in keys
    assert rendition.file.name in keys

    url = rendition.url
    assert "X-Amz-Signature" not in url and "Signature=" not in url  # cacheable, unsigned
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read()[:4] == b"RIFF"  # a WebP file, as uploaded
    head = s3.head_object(Bucket=BUCKET, Key=rendition.file.name)
    assert head["CacheControl"].startswith("public")
