"""Pictures for a few demo courses: a small title card drawn with Pillow, uploaded to the
course's university's library and chosen through the same services staff use (content's asset
rules refuse SVG, so the cards are PNGs)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from catalog.models import Course
from content.services import asset_upload, course_image_set

# The courses that get a picture, and the card's colour.
PICTURED = {
    "ME201": (14, 116, 144),
    "ME215": (124, 58, 237),
    "MATH101": (190, 18, 60),
    "CS101": (21, 128, 61),
}
SIZE = (480, 270)


def title_card(course: Course, colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, SIZE[0], 24):
        draw.line([(step, SIZE[1]), (step + SIZE[1], 0)], fill=tuple(c + 18 for c in colour))
    draw.text((24, 24), course.code, fill="white", font_size=40)
    draw.text((24, 84), course.title[:32], fill="white", font_size=24)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def course_pictures_seed(courses: dict[str, Course]) -> int:
    pictured = 0
    for code, colour in PICTURED.items():
        course = courses.get(code)
        if course is None:
            continue
        alt = f"Title card reading “{course.code} {course.title}” on a coloured background"
        asset = asset_upload(
            university_id=course.university_id,
            upload=SimpleUploadedFile(
                f"{code.lower()}-card.png", title_card(course, colour), content_type="image/png"
            ),
            meta={"title": f"{course.code} title card", "alt": alt, "licence": "CC BY 4.0"},
        )
        course_image_set(course=course, asset=asset, alt_text=alt)
        pictured += 1
    return pictured
