"""What the catalog page tests share: the catalog's URL and the titles a listing shows."""

import re

CATALOG = "/"


def titles(response) -> list[str]:
    """The course titles listed, as text, in order."""
    page = response.content.decode()
    found = re.findall(
        r'<li class="course-card card[^"]*">\s*(?:<img [^>]*>\s*)?<div class="course-card-body">'
        r'\s*<h3><a href="[^"]+">(.*?)</a></h3>',
        page,
    )
    return [re.sub(r"</?mark>", "", title) for title in found]
