"""The services behind the authoring admin: copying a syllabus, subtrees as templates, the
asset library."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.tests.factories import CourseFactory
from content.copying import syllabus_copy
from content.models import Asset, ContentItem
from content.selectors import asset_file_name
from content.services import (
    asset_upload,
    content_item_create,
    module_from_template,
    subtree_layout,
    template_from_subtree,
)
from content.tests.factories import AssetFactory
from content.tests.test_models import VALID
from syllabus.models import Module, ModuleTemplate
from syllabus.services import course_root, module_create, module_set_published
from syllabus.tests.test_services import assert_tree_consistent

pytestmark = pytest.mark.django_db


def tree_shape(course_id: int) -> list[tuple]:
    """Everything that makes two syllabi equal, without ids."""
    modules = list(Module.objects.filter(course_id=course_id).order_by("tree_id", "lft"))
    tree_ids = sorted({m.tree_id for m in modules})
    shape = []
    for m in modules:
        items = [
            (i.content_type, i.title, i.description, i.sequence_index, i.data_json, i.is_active)
            for i in ContentItem.objects.filter(module=m).order_by("sequence_index")
        ]
        shape.append(
            (
                tree_ids.index(m.tree_id),
                m.lft,
                m.rght,
                m.depth,
                m.sequence_index,
                m.module_type,
                m.title,
                m.description,
                m.is_published,
                items,
            )
        )
    return shape


def build_syllabus(course):
    root = course_root(course=course)
    units = []
    for u in range(3):
        unit = module_create(
            course=course, parent=root, module_type="unit", title=f"Unit {u}", is_published=u < 2
        )
        units.append(unit)
        for lesson_no in range(3):
            lesson = module_create(
                course=course, parent=unit, module_type="lesson", title=f"L{u}.{lesson_no}"
            )
            for content_type in ("text", "quiz", "video"):
                content_item_create(
                    module=lesson,
                    content_type=content_type,
                    title=f"{content_type} {u}.{lesson_no}",
                    data_json=VALID[content_type],
                    is_active=content_type != "quiz",
                )
    content_item_create(
        module=root, content_type="resource", title="Reading", data_json=VALID["resource"]
    )
    return root, units


def test_copy_produces_an_equal_tree_in_the_target_course():
    source = CourseFactory()
    build_syllabus(source)
    target = CourseFactory(university=source.university)
    mapping = syllabus_copy(source_course=source, target_course=target).modules
    assert len(mapping) == Module.objects.filter(course=source).count() == 13
    assert tree_shape(target.pk) == tree_shape(source.pk)
    assert_tree_consistent(target.pk)
    copied = ContentItem.objects.filter(course=target)
    assert copied.count() == 28
    assert set(copied.values_list("university_id", flat=True)) == {target.university_id}
    assert {type(i).__name__ for i in copied} == {
        "TextItem",
        "QuizItem",
        "VideoItem",
        "ResourceItem",
    }
    # the source is untouched
    assert ContentItem.objects.filter(course=source).count() == 28


def test_copy_replaces_an_empty_root_and_appends_to_a_filled_target():
    source = CourseFactory()
    build_syllabus(source)
    target = CourseFactory()
    course_root(course=target)
    syllabus_copy(source_course=source, target_course=target)
    assert tree_shape(target.pk) == tree_shape(source.pk)
    copied = syllabus_copy(source_course=source, target_course=target)
    root = Module.objects.get(course=target, parent=None)
    assert copied.created_modules == 12
    assert [m.title for m in root.get_children()] == ["Unit 0", "Unit 1", "Unit 2"] * 2
    assert list(root.content_items.values_list("title", "sequence_index")) == [
        ("Reading", 1),
        ("Reading", 2),
    ]
    assert_tree_consistent(target.pk)


def test_copy_under_a_module_of_another_course_is_refused():
    source = CourseFactory()
    build_syllabus(source)
    target = CourseFactory(university=source.university)
    other_root = course_root(course=CourseFactory(university=source.university))
    with pytest.raises(ValidationError) as error:
        syllabus_copy(source_course=source, target_course=target, parent=other_root)
    assert error.value.message_dict == {"parent": ["Pick a module of the target course."]}
    assert not Module.objects.filter(course=target).exists()


def test_copy_into_another_university_copies_the_assets_it_shows(media):
    source = CourseFactory()
    root = course_root(course=source)
    upload = SimpleUploadedFile("graph.png", png_bytes((40, 20)), "image/png")
    image = asset_upload(university_id=source.university_id, upload=upload)
    shared = AssetFactory(university=None)
    blocks = [{"type": "image", "asset_id": image.pk}, {"type": "image", "asset_id": shared.pk}]
    content_item_create(
        module=root,
        content_type="text",
        title="Pictures",
        data_json={"layout": "rich_text_v1", "blocks": blocks},
    )
    target = CourseFactory()
    copied = syllabus_copy(source_course=source, target_course=target)
    (new_id,) = copied.assets.values()
    copy = Asset.objects.get(pk=new_id)
    assert copy.university_id == target.university_id
    assert copy.meta_json["storage_name"].startswith(f"assets/{target.university_id}/")
    with default_storage.open(copy.meta_json["storage_name"]) as stored:
        assert stored.read() == png_bytes((40, 20))
    assert copy.url == f"/media/{copy.meta_json['storage_name']}"
    # The copy's thumbnail is its own file in the target university's folder, not the source's.
    thumb = copy.meta_json["thumbnail_name"]
    assert thumb == f"{copy.meta_json['storage_name'].rsplit('/', 1)[0]}/thumbnail.png"
    assert thumb != image.meta_json["thumbnail_name"]
    assert copy.meta_json["thumbnail_url"] == f"/media/{thumb}"
    with default_storage.open(thumb) as stored, Image.open(stored) as picture:
        assert picture.size == (40, 20)
    item = ContentItem.objects.get(course=target)
    assert [b["asset_id"] for b in item.data_json["blocks"]] == [new_id, shared.pk]


def test_copy_into_the_same_course_is_refused():
    course = CourseFactory()
    build_syllabus(course)
    with pytest.raises(ValidationError):
        syllabus_copy(source_course=course, target_course=course)


def test_a_subtree_saved_as_template_instantiates_to_the_same_subtree():
    course = CourseFactory()
    _root, units = build_syllabus(course)
    template = template_from_subtree(module=units[0], title="Standard unit")
    assert template.template_type == "unit"
    assert [c["title"] for c in template.default_data["children"]] == ["L0.0", "L0.1", "L0.2"]
    assert [s["content_type"] for s in template.default_data["children"][0]["content"]] == [
        "text",
        "quiz",
        "video",
    ]
    other = CourseFactory(university=course.university)
    other_root = course_root(course=other)
    made, _ = module_from_template(template=template, parent=other_root)
    assert made.title == "Standard unit"
    assert made.module_template_id == template.pk
    assert subtree_layout(module=made) == subtree_layout(module=units[0])
    assert_tree_consistent(other.pk)


def test_a_course_root_cannot_become_a_template():
    course = CourseFactory()
    root, _ = build_syllabus(course)
    with pytest.raises(ValidationError):
        template_from_subtree(module=root)
    assert ModuleTemplate.objects.count() == 0


def test_unpublishing_a_unit_hides_its_subtree_in_the_copy_too():
    source = CourseFactory()
    _, units = build_syllabus(source)
    module_set_published(module=units[0], is_published=False)
    target = CourseFactory()
    mapping = syllabus_copy(source_course=source, target_course=target).modules
    copied_unit = Module.objects.get(pk=mapping[units[0].pk])
    assert not copied_unit.get_descendants(include_self=True).filter(is_published=True).exists()


def png_bytes(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def test_an_uploaded_image_gets_dimensions_and_a_thumbnail(media):
    course = CourseFactory()
    upload = SimpleUploadedFile("Diagram 1.png", png_bytes(), "image/png")
    asset = asset_upload(
        university_id=course.university_id,
        upload=upload,
        meta={"alt": "A red box", "licence": "CC-BY"},
    )
    meta = asset.meta_json
    assert asset.asset_type == "image"
    assert (meta["width"], meta["height"], meta["alt"], meta["licence"]) == (
        800,
        600,
        "A red box",
        "CC-BY",
    )
    assert default_storage.exists(meta["storage_name"])
    assert asset.url.endswith("/Diagram_1.png")
    thumb_name = meta["thumbnail_url"].split("/media/", 1)[-1]
    with default_storage.open(thumb_name) as thumb, Image.open(thumb) as image:
        assert image.size == (320, 240)
    assert f"assets/{course.university_id}/" in meta["storage_name"]


class SignedLinkStorage(FileSystemStorage):
    """A storage whose addresses expire, as a bucket's signed links do."""

    def url(self, name):
        return f"https://bucket.example/{name}?X-Amz-Expires=3600&X-Amz-Signature=abc"


def test_the_library_records_a_lasting_address_whatever_the_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.SignedLinkStorage"},
    }
    course = CourseFactory()
    upload = SimpleUploadedFile("Cycle plot.png", png_bytes((60, 30)), "image/png")
    asset = asset_upload(university_id=course.university_id, upload=upload)
    meta = asset.meta_json
    assert meta["storage_name"].endswith("/Cycle_plot.png")
    assert asset.url == f"/media/{meta['storage_name']}"
    assert meta["thumbnail_url"] == f"/media/{meta['thumbnail_name']}"
    assert asset_file_name(url=asset.url, meta=meta) == meta["storage_name"]
    with default_storage.open(meta["storage_name"]) as stored:
        assert stored.read() == png_bytes((60, 30))


def test_pdfs_are_recognised_by_their_signature(media):
    upload = SimpleUploadedFile("notes.bin", b"%PDF-1.7\n...", "application/octet-stream")
    asset = asset_upload(university_id=None, upload=upload)
    assert asset.asset_type == "pdf"
    assert "thumbnail_url" not in asset.meta_json


def test_a_broken_image_is_refused_and_nothing_is_stored(media):
    upload = SimpleUploadedFile("x.png", b"\x89PNG not really", "image/png")
    with pytest.raises(ValidationError) as error:
        asset_upload(university_id=None, upload=upload)
    assert error.value.message_dict == {"file": ["This image cannot be read."]}
    assert Asset.objects.count() == 0
    assert not any(media.rglob("*.png"))
