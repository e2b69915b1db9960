"""Reading the security headers' settings from the environment: the origins a
Content-Security-Policy may allow for uploads in an S3 bucket and for extra media and frame
origins, checked so that a typo stops the start instead of blocking every page's media."""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def csp_bucket_origins() -> list[str]:
    bucket = env("S3_BUCKET", default="")
    if not bucket:
        return []
    endpoint = env("S3_ENDPOINT_URL", default="")
    if endpoint:
        scheme, _, rest = endpoint.partition("://")
        host = rest.split("/", 1)[0]
        if not scheme or not host:
            raise ImproperlyConfigured(
                f"S3_ENDPOINT_URL is {endpoint!r}; give a full address such as "
                "https://s3.example.edu."
            )
        # Path-style addresses use the endpoint itself, virtual-hosted ones the bucket's name.
        return [f"{scheme}://{host}", f"{scheme}://{bucket}.{host}"]
    region = env("S3_REGION", default="")
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


def csp_origins(name: str, values: list[str]) -> list[str]:
    """`values`, the origins read from the variable `name`, once each is an origin."""
    for value in values:
        if value != "*" and "://" not in value and not value.endswith(":"):
            raise ImproperlyConfigured(
                f"{name} holds {value!r}; give origins such as https://cdn.example.edu "
                "(or a scheme such as blob:), separated by commas."
            )
    return values
