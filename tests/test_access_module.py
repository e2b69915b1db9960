"""Every app that asks "who administers this" asks tenancy.access, not a copy of the rule."""

from tenancy import access


def test_every_selector_asks_the_access_module():
    from assessments import gradebook
    from catalog import roster_selectors, selectors, services
    from community import selectors as community_selectors
    from syllabus import selectors as syllabus_selectors

    modules = (selectors, services, roster_selectors, community_selectors, syllabus_selectors)
    for module in (*modules, gradebook):
        assert module.administers is access.administers, module.__name__
