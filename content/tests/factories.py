import factory

from catalog.tests.factories import CourseFactory
from content.models import Asset, CourseImage, TextItem, VideoItem
from syllabus.tests.factories import RootModuleFactory

VIDEO_PAYLOAD = {
    "provider": "youtube",
    "video_id": "dQw4w9WgXcQ",
    "duration_seconds": 212,
    "transcript": {
        "language": "en",
        "segments": [{"start": 0.0, "end": 4.5, "text": "Welcome to the lecture."}],
    },
}

TEXT_PAYLOAD = {
    "layout": "rich_text_v1",
    "title": "Linear equations",
    "blocks": [
        {"type": "paragraph", "text": "An equation of the first degree."},
        {"type": "math", "latex": "2x + 1 = 5"},
    ],
}


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    url = factory.Sequence(lambda n: f"/media/assets/image-{n}.png")
    asset_type = "image"
    meta_json = factory.LazyFunction(lambda: {"alt": "A diagram", "width": 640, "height": 480})


class CourseImageFactory(factory.django.DjangoModelFactory):
    """A course's picture from its own university's library."""

    class Meta:
        model = CourseImage

    course = factory.SubFactory(CourseFactory)
    asset = factory.LazyAttribute(lambda o: AssetFactory(university=o.course.university))
    alt_text = factory.Sequence(lambda n: f"Students at lab bench {n}")


class VideoItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VideoItem

    module = factory.SubFactory(RootModuleFactory)
    title = factory.Sequence(lambda n: f"Video {n}")
    sequence_index = factory.Sequence(lambda n: n + 1)
    data_json = factory.LazyFunction(lambda: dict(VIDEO_PAYLOAD))


class TextItemFactory(VideoItemFactory):
    class Meta:
        model = TextItem

    title = factory.Sequence(lambda n: f"Text {n}")
    data_json = factory.LazyFunction(lambda: dict(TEXT_PAYLOAD))
