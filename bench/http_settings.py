"""The production settings with one addition for bench/http_bench.py: a bare view beside the site's
pages (bench/http_urls.py). Used by that bench only, never by a deployment."""

from lms.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
