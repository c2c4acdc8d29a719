from unittest import mock

from django.db import OperationalError


def test_it_reports_database_broker_cache_and_storage(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "not configured",
        "cache": "ok",
        "storage": "ok",
        "status": "ok",
    }


def test_it_reports_an_unreachable_cache_and_storage(client, db, settings):
    settings.REDIS_URL = ""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with mock.patch(
        "django.core.files.storage.FileSystemStorage.exists", side_effect=PermissionError
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["cache"].startswith("error:")
    assert body["storage"] == "error: PermissionError"
    assert body["status"] == "degraded"


def test_it_is_503_when_the_database_is_down(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute") as execute:
        execute.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_it_reports_an_unreachable_broker(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["broker"].startswith("error:")
    assert body["status"] == "degraded"
