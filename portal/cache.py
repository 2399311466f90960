"""The cache: Redis, and the database while Redis does not answer.

What the cache holds are rate limits: allauth's login and password-reset
limits and the address-lookup limit of the repair report. A Redis that does
not answer must not take those pages down (every call raised, so every login
answered 500), and the limits must keep counting meanwhile, so the fallback is
Django's DatabaseCache (one table, `portal_cache`, made by a migration), shared
by every process like Redis is.

Only the first call after Redis stops answering waits for it, and only for a
short connect timeout: that call marks Redis as down for this process, and
for `RETRY_AFTER` seconds every call goes straight to the database. Then one
call tries Redis again. Counts made in the database stay there: a limit
counts from zero again when Redis is back, which is the price of not sharing
one store; the windows are minutes long.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

log = logging.getLogger(__name__)

#: Seconds during which a process that found Redis down does not ask it again.
RETRY_AFTER = 30
#: The errors that mean "Redis does not answer" (not "Redis refused this command").
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
#: Connecting to a Redis on the same network takes milliseconds; do not wait longer than this.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, "retry": Retry(NoBackoff(), 0)}


class RedisOrDatabaseCache(BaseCache):
    """LOCATION is the Redis URL; OPTIONS may hold TABLE (default `portal_cache`) and Redis pool options."""

    # Per Redis URL, for every thread of this process: until when (time.monotonic) Redis counts as down.
    _down_until: dict[str, float] = {}
    _lock = threading.Lock()

    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        table = options.pop("TABLE", "portal_cache")
        shared = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._location = server
        self._redis = RedisCache(server, {**shared, "OPTIONS": {**REDIS_OPTIONS, **options}})
        # Enough room that culling (which drops entries at random) does not drop a limit during an outage.
        self._database = DatabaseCache(table, {**shared, "OPTIONS": {"MAX_ENTRIES": 100_000}})

    def redis_answers(self) -> bool:
        return time.monotonic() >= self._down_until.get(self._location, 0.0)

    def _redis_down(self, exc: Exception) -> None:
        with self._lock:
            first = self.redis_answers()
            self._down_until[self._location] = time.monotonic() + RETRY_AFTER
        if first:
            log.warning("Redis does not answer (%s); the cache uses the database for %d s", exc, RETRY_AFTER)

    def _call(self, method: str, *args, **kwargs):
        if self.redis_answers():
            try:
                return getattr(self._redis, method)(*args, **kwargs)
            except REDIS_DOWN as exc:
                self._redis_down(exc)
        return getattr(self._database, method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta, version=version)

    def clear(self):
        return self._call("clear")

    def close(self, **kwargs):
        self._redis.close(**kwargs)
        self._database.close(**kwargs)
