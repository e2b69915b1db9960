"""Uploaded files in the player. An asset of the media library is reached through the item that
shows it: the address names the offering, the item and the asset, and the view lets through
exactly those who may open that item (enrolled learners while it is published and active, the
offering's staff always). Everyone else, signed in or not, gets the same 404 as for a file that
does not exist, so addresses reveal nothing.
"""

from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from content.rendering import asset_ids
from content.selectors import AssetRow, asset_file_name, assets_for_university, assets_linked
from content.selectors import item_ref as visible_item
from lms.media import stored_file_response
from syllabus.selectors import LearningAccess, offering_for_learner


def file_access(request: HttpRequest, offering_id: int) -> LearningAccess:
    """The player access of the requester to an offering's files; Http404 for anyone who may
    not learn or teach in it (anonymous visitors included)."""
    if not request.user.is_authenticated:
        raise Http404("No such file.")
    access = offering_for_learner(user=request.user, offering_id=offering_id)
    if not access.may_learn:
        raise Http404("No such file.")
    return access


def item_asset_url(offering_id: int, item_id: int, asset_id: int) -> str:
    return reverse(
        "portal:item-asset",
        kwargs={"offering_id": offering_id, "item_id": item_id, "asset_id": asset_id},
    )


def item_assets(
    *, offering_id: int, item_id: int, assets: dict[int, AssetRow]
) -> dict[int, AssetRow]:
    """The assets of an item as the player renders them: uploads point at `item_asset_view`."""
    return assets_linked(assets, lambda row: item_asset_url(offering_id, item_id, row.id))


@require_safe
def item_asset_view(
    request: HttpRequest, offering_id: int, item_id: int, asset_id: int
) -> HttpResponseBase:
    access = file_access(request, offering_id)
    course = access.offering.course
    item = visible_item(course_id=course.pk, item_id=item_id, include_hidden=access.sees_hidden)
    if asset_id not in asset_ids(item.content_type, item.data):
        raise Http404("No such file.")
    row = assets_for_university(ids={asset_id}, university_id=course.university_id).get(asset_id)
    name = asset_file_name(url=row.url, meta=row.meta) if row is not None else None
    if row is None or name is None:
        raise Http404("No such file.")
    return stored_file_response(request, name, filename=row.meta.get("filename"))


routes = [
    path(
        "learn/<int:offering_id>/items/<int:item_id>/assets/<int:asset_id>/",
        item_asset_view,
        name="item-asset",
    ),
]
