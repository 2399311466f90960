"""The cache uses Redis, and the database while Redis does not answer, without asking a dead
Redis on every call."""

import os
import socket
import threading

import pytest

from conftest import skip_or_fail
from portal.cache import RedisOrDatabaseCache
from portal.models import CacheEntry


@pytest.fixture
def dead_redis():
    """A port that accepts connections and closes them at once, counting how often it was asked."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    asked = []

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            asked.append(1)
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", asked
    server.close()


def make_cache(location):
    return RedisOrDatabaseCache(location, {})


def test_with_redis_down_the_database_keeps_count(db, dead_redis):
    location, _asked = dead_redis
    cache = make_cache(location)
    assert cache.add("pogingen", 0, timeout=60)
    assert cache.incr("pogingen") == 1
    assert cache.incr("pogingen") == 2
    assert cache.get("pogingen") == 2
    assert CacheEntry.objects.count() == 1


def test_a_dead_redis_is_asked_once_and_again_after_a_while(db, dead_redis, monkeypatch):
    location, asked = dead_redis
    cache = make_cache(location)
    cache.set("a", 1)
    first = len(asked)
    assert first >= 1
    for _ in range(20):
        cache.get("a")
    assert len(asked) == first  # the other calls went straight to the database

    # RETRY_AFTER seconds later one call tries Redis again.
    monkeypatch.setitem(RedisOrDatabaseCache._down_until, location, 0.0)
    assert cache.get("a") == 1
    assert len(asked) > first


def test_with_redis_up_the_cache_is_redis(db):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (CI runs this in its Postgres + Redis pass)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"REDIS_URL is set but Redis does not answer: {exc}")
    from django.core.cache import cache

    cache.set("in-redis", 1)
    assert cache.get("in-redis") == 1
    assert not CacheEntry.objects.exists()
