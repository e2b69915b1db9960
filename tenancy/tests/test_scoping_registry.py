"""Paths the apps above tenancy register for tenancy's own models join those the admin declares."""

import pytest

from tenancy import scoping
from tenancy.models import Country, Department


def test_registered_paths_join_the_declared_ones(monkeypatch):
    monkeypatch.setattr(scoping, "_REGISTERED_PATHS", {})
    own = {"university": "university", "department": "pk"}
    assert scoping.tenant_paths_for(Department, own) is own
    scoping.register_tenant_paths(Department, {"course": "courses"})
    scoping.register_tenant_paths(Department, {"course": "courses", "offering": "runs"})
    scoping.register_tenant_paths(Department, {"department": "parent"})
    assert scoping.tenant_paths_for(Department, own) == {
        "university": "university",
        "department": ("pk", "parent"),
        "course": "courses",
        "offering": "runs",
    }
    assert scoping.tenant_paths_for(Country, {}) == {}


def test_unknown_keys_are_refused(monkeypatch):
    monkeypatch.setattr(scoping, "_REGISTERED_PATHS", {})
    with pytest.raises(ValueError, match="Unknown tenant path keys"):
        scoping.register_tenant_paths(Department, {"faculty": "x"})
