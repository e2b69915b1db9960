import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalog_page_renders_in_chromium(page, screenshot):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Catalog"
    screenshot("catalog-smoke")
