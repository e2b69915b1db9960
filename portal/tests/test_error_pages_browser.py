"""The 404 page in Chromium: the site's header, the message and the way back, on a desktop
and on a phone without sideways scrolling."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_not_found_page_reads_well_on_desktop_and_phone(page, screenshot):
    for width, name in ((1280, "error-404-desktop"), (360, "error-404-phone")):
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto("/no/such/page/")

        assert response.status == 404
        assert page.locator("header.site-header .brand").inner_text() == "LMS"
        assert page.locator("h1").inner_text() == "Page not found"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(name)

    page.get_by_role("link", name="Back to the catalog").click()
    page.wait_for_url("**/")
    assert page.locator("h1").count() == 1
