"""Checks the set-up scripts run before Django starts: are PostgreSQL and Redis reachable?

Reads DATABASE_URL and REDIS_URL the way lms/settings.py does (environment first, then .env,
then the same defaults), so the scripts and the application always agree on the address.

    python scripts/preflight.py postgres   reachable: create the database if missing, exit 0
    python scripts/preflight.py redis      reachable: exit 0
    python scripts/preflight.py debug      print "true" or "false" (DJANGO_DEBUG)

An unreachable service exits with 10 when its URL is the default local address (so the caller
may try to start a local server) and with 11 otherwise.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}
UNREACHABLE_LOCAL, UNREACHABLE_ELSEWHERE = 10, 11

env = environ.Env()
environ.Env.read_env(ROOT / ".env", overwrite=False)


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def unreachable(url: str, default_port: int) -> int:
    parts = urlsplit(url)
    local = (parts.hostname or "") in LOCAL_HOSTS and (parts.port or default_port) == default_port
    return UNREACHABLE_LOCAL if local else UNREACHABLE_ELSEWHERE


def check_postgres() -> int:
    import psycopg
    from psycopg import sql

    url = env.str("DATABASE_URL", default=DEFAULT_DATABASE_URL)
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        print(f"    DATABASE_URL must point at PostgreSQL, got {redacted(url)}", file=sys.stderr)
        return 1
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "connect_timeout": 3,
        "autocommit": True,
    }
    name = config["NAME"]
    last_error: Exception | None = None
    # Connect to a maintenance database: the target one may not exist yet.
    for maintenance in ("postgres", "template1"):
        try:
            conn = psycopg.connect(dbname=maintenance, **params)
        except psycopg.OperationalError as error:
            last_error = error
            if "does not exist" in str(error):
                continue
            break
        with conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists:
                print(f"    PostgreSQL reachable, database {name!r} present ({redacted(url)})")
            else:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"    PostgreSQL reachable, created database {name!r} ({redacted(url)})")
        return 0
    message = str(last_error).strip().splitlines()[0] if last_error else "no answer"
    print(f"    PostgreSQL not reachable at {redacted(url)}: {message}", file=sys.stderr)
    return unreachable(url, 5432)


def check_redis() -> int:
    import redis

    url = env.str("REDIS_URL", default=DEFAULT_REDIS_URL)
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except (redis.RedisError, OSError, ValueError) as error:
        print(f"    Redis not reachable at {redacted(url)}: {error}", file=sys.stderr)
        return unreachable(url, 6379)
    print(f"    Redis reachable ({redacted(url)})")
    return 0


def print_debug() -> int:
    print("true" if env.bool("DJANGO_DEBUG", default=False) else "false")
    return 0


COMMANDS = {"postgres": check_postgres, "redis": check_redis, "debug": print_debug}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        print(f"usage: {sys.argv[0]} {{{'|'.join(COMMANDS)}}}", file=sys.stderr)
        sys.exit(2)
    sys.exit(COMMANDS[sys.argv[1]]())
