"""Every app that asks "who administers this" asks tenancy.access, not a copy of the rule."""

from tenancy import access


def test_every_selector_asks_the_access_module():
    from assessments.grades import selectors as grades_selectors
    from catalog.selectors import course_page, roster, visibility
    from catalog.services import enrollment

    modules = (course_page, visibility, enrollment, roster, grades_selectors)
    for module in modules:
        assert module.administers is access.administers, module.__name__
