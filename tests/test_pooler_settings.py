"""DATABASE_POOLER=pgbouncer turns off what breaks under transaction pooling."""

import subprocess
import sys

CODE = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings'; django.setup();"
    "from django.conf import settings; d = settings.DATABASES['default'];"
    "print(d.get('DISABLE_SERVER_SIDE_CURSORS'),"
    " d.get('OPTIONS', {}).get('prepare_threshold', 'unset'))"
)


def _settings_under(pooler: str) -> str:
    import os

    env = {**os.environ, "DATABASE_POOLER": pooler}
    out = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True)
    return out.stdout.strip()


def test_pgbouncer_disables_server_side_cursors_and_prepared_statements():
    assert _settings_under("pgbouncer") == "True None"


def test_direct_connections_keep_the_defaults():
    assert _settings_under("") == "None unset"
