"""Module templates and the syllabus tree of every demo course.

Each template exists in every course language. Trees are built through the services: the
course root, units and chapters with module_create, lessons with template_add, the step staff
use too (so a lesson references its template and gets the template's child modules and content
stubs, each created and validated by content_item_create, and each quiz an empty question pool
of its own course, never a pool id the template names). The stubs' placeholder texts are then
replaced by the lesson's own texts: those payloads are checked with the same payload_errors the
model validation uses and written in one bulk update per course, because an update per item
through content_item_update was most of the seed's run time. A template's quiz stubs are drafts
that name no pool: a pool id in a template is another course's pool wherever it is added.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from assessments.copying import template_add
from assessments.progress.tree_changes import tracked
from catalog.models import Course, CourseOffering
from content.models import Asset, ContentItem
from content.payloads import payload_errors
from demo import payloads
from demo.catalogue import CURRENT, FUTURE, PYTHON_LAB, CourseSpec, LabSpec
from demo.phrases import PLACEHOLDERS, UNIT_TITLE, label
from syllabus import tree
from syllabus.models import Module, ModuleTemplate, ModuleType
from syllabus.services import course_root, module_create, module_set_published

STANDARD, LAB, PROBLEMS, EXAM = "standard", "lab", "problems", "exam"

# A template: (type, title, description, children); a child: (module type, title, items,
# children); an item: (content type, title, estimated seconds). Titles are English keys of
# demo.phrases.LABELS.
Item = tuple[str, str, int]
Child = tuple[str, str, tuple[Item, ...], tuple]
TEMPLATES: dict[str, tuple[str, str, str, tuple[Child, ...]]] = {
    STANDARD: (
        ModuleType.LESSON,
        "Standard lesson",
        "A lecture video, lecture notes with formulas and a figure, and a practice quiz.",
        (
            (
                ModuleType.TOPIC,
                "Lecture",
                (("video", "Lecture video", 900), ("text", "Lecture notes", 900)),
                (),
            ),
            (
                ModuleType.SECTION,
                "Check your understanding",
                (("quiz", "Practice quiz", 600),),
                (),
            ),
        ),
    ),
    LAB: (
        ModuleType.LESSON,
        "Lab session",
        "A briefing, a coding lab graded by unit tests, and a lab report.",
        (
            (
                ModuleType.LAB,
                "Lab",
                (("resource", "Lab briefing", 600), ("engineering_lab", "Lab notebook", 5400)),
                (),
            ),
            (ModuleType.SECTION, "Lab report", (("assignment", "Lab report", 7200),), ()),
        ),
    ),
    PROBLEMS: (
        ModuleType.LESSON,
        "Problem class",
        "Worked examples with a walkthrough video, then a graded problem set.",
        (
            (
                ModuleType.TOPIC,
                "Worked examples",
                (("text", "Worked examples", 1200), ("video", "Walkthrough video", 900)),
                (),
            ),
            (ModuleType.SECTION, "Problem set", (("assignment", "Problem set", 7200),), ()),
        ),
    ),
    EXAM: (
        ModuleType.CHAPTER,
        "Exam preparation",
        "Review materials, a formula sheet and a practice exam.",
        (
            (
                ModuleType.LESSON,
                "Review session",
                (("resource", "Review materials", 900),),
                (
                    (
                        ModuleType.SECTION,
                        "Practice exam",
                        (("text", "Formula sheet", 300), ("quiz", "Practice exam", 3600)),
                        (),
                    ),
                ),
            ),
        ),
    ),
}


def parse_outline(text: str) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Units, chapters and lessons from the indented outline of a CourseSpec."""
    units: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for line in text.strip("\n").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        title = line.strip()
        if depth == 0:
            units.append((title, []))
        elif depth == 1:
            units[-1][1].append((title, []))
        else:
            units[-1][1][-1][1].append(title)
    return units


@dataclass
class Material:
    """What the payloads of one course draw on."""

    code: str
    title: str
    language: str
    formulas: tuple[str, ...]
    image: Asset
    handout_url: str
    links: tuple[tuple[str, str], ...]
    lab: LabSpec | None
    due_from: datetime
    lecture_video: Asset | None = None


class PoolNumbers:
    """Question pool ids: small integers, one per quiz, in creation order."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def item_payload(
    material: Material, key: str, *, chapter: str, lesson: str, n: int, pool: int
) -> dict:
    """The payload of the item a template titles `key`, for one lesson of a course."""
    lang = material.language
    if key in ("Lecture video", "Walkthrough video"):
        video = material.lecture_video
        return payloads.video(
            language=lang,
            course=material.title,
            chapter=chapter,
            lesson=lesson,
            n=n + len(key),
            asset_id=video.pk if video is not None else None,
        )
    if key in ("Lecture notes", "Worked examples"):
        with_figure = key == "Lecture notes"
        return payloads.text(
            language=lang,
            course=material.title,
            chapter=chapter,
            lesson=lesson,
            formula=material.formulas[n % len(material.formulas)],
            image_asset_id=material.image.pk if with_figure else None,
            image_caption=(material.image.meta_json or {}).get("title", ""),
            links=material.links,
        )
    if key in ("Practice quiz", "Practice exam"):
        return payloads.quiz(pool=pool, exam=key == "Practice exam")
    if key == "Lab notebook":
        lab = material.lab or LabSpec("python-datascience", PYTHON_LAB, "notebooks/lab.ipynb")
        return payloads.engineering_lab(
            runtime=lab.runtime,
            image=lab.image,
            notebook=lab.notebook,
            slug=f"{material.code.lower()}-{n}",
            max_points=lab.max_points,
        )
    if key in ("Lab report", "Problem set"):
        return payloads.assignment(
            language=lang,
            lesson=lesson,
            kind="report" if key == "Lab report" else "problems",
            due_at=material.due_from + timedelta(weeks=n),
        )
    if key == "Formula sheet":
        return payloads.formula_sheet(
            language=lang, course=material.title, formulas=material.formulas
        )
    return payloads.resource(
        language=lang,
        lesson=lesson,
        pdf_url=material.handout_url,
        links=material.links,
        video_url=f"https://www.youtube.com/watch?v={payloads.youtube_id(material.code, lesson)}",
    )


def stub_keys(template: str) -> list[str]:
    """The item keys of a template in the order template_add creates the items:
    a module's own items, then its children's, depth first."""

    def walk(children: tuple[Child, ...]) -> list[str]:
        keys: list[str] = []
        for _type, _title, items, grandchildren in children:
            keys.extend(key for _ct, key, _s in items)
            keys.extend(walk(grandchildren))
        return keys

    return walk(TEMPLATES[template][3])


def _layout(material: Material, children: tuple[Child, ...]) -> list[dict]:
    words = PLACEHOLDERS[material.language]
    return [
        {
            "module_type": module_type,
            "title": label(material.language, title),
            "content": [
                {
                    "content_type": content_type,
                    "title": label(material.language, key),
                    **(
                        {}
                        if content_type == "quiz"
                        else {
                            "data_json": item_payload(
                                material,
                                key,
                                chapter=words["chapter"],
                                lesson=words["lesson"],
                                n=0,
                                pool=0,
                            )
                        }
                    ),
                    "estimated_duration_seconds": seconds,
                }
                for content_type, key, seconds in items
            ],
            "children": _layout(material, grandchildren),
        }
        for module_type, title, items, grandchildren in children
    ]


def module_templates_seed(
    *, languages: list[str], image: Asset, handout: Asset, video: Asset, due: datetime
) -> dict[tuple[str, str], ModuleTemplate]:
    """Every template in every language, by (language, template key)."""
    created = {}
    for language in languages:
        material = Material(
            code="template",
            title=PLACEHOLDERS[language]["course"],
            language=language,
            formulas=(r"\frac{d}{dx} \int_a^x f(t) \, dt = f(x)",),
            image=image,
            handout_url=handout.url,
            links=(("OpenStax", "https://openstax.org/subjects"),),
            lab=None,
            due_from=due,
            lecture_video=video,
        )
        for key, (template_type, title, description, children) in TEMPLATES.items():
            created[language, key] = ModuleTemplate.objects.create(
                template_type=template_type,
                title=label(language, title),
                description=label(language, description),
                default_data={"children": _layout(material, children)},
            )
    return created


class CourseTree:
    """Builds one course's tree and gives the template stubs the course's own payloads."""

    def __init__(
        self,
        course: Course,
        material: Material,
        templates: dict[tuple[str, str], ModuleTemplate],
        pools: PoolNumbers,
    ) -> None:
        self.course = course
        self.material = material
        self.templates = templates
        self.pools = pools
        self.lessons = 0
        self.pending: list[ContentItem] = []

    def _instantiate(
        self, key: str, parent: Module, title: str, *, chapter: str, about: str
    ) -> Module:
        """A module from template `key` whose items are about `about` (a lesson, or for the
        exam chapter the whole course)."""
        template = self.templates[self.material.language, key]
        root = template_add(template=template, parent=parent, title=title)
        items = list(
            ContentItem.objects.non_polymorphic()
            .filter(tree.subtree_q(root, "module__"))
            .order_by(*tree.outline_order("module__"), "sequence_index")
        )
        keys = stub_keys(key)
        if len(items) != len(keys):
            raise RuntimeError(f"template {key!r} made {len(items)} items, expected {len(keys)}")
        for item, item_key in zip(items, keys, strict=True):
            data = item_payload(
                self.material,
                item_key,
                chapter=chapter,
                lesson=about,
                n=self.lessons,
                pool=self.pools.next() if item.content_type == "quiz" else 0,
            )
            if item.content_type == "quiz":
                # The pool template_add gave the quiz, of this course; filled by
                # demo.quizzes.question_pools_seed.
                data["question_pool_id"] = item.data_json["question_pool_id"]
            errors = payload_errors(item.content_type, data)
            if errors:
                raise ValueError(f"{item.content_type} payload for {about!r}: {errors}")
            item.title = f"{label(self.material.language, item_key)}: {about}"
            item.data_json = data
            # template_add leaves a quiz with an empty pool and a lab without its files
            # inactive; the seed fills both (question_pools_seed, lab_files_seed) before it
            # commits.
            item.is_active = True
            self.pending.append(item)
        self.lessons += 1
        return root

    def _lesson_template(self, chapter_no: int, lesson_no: int) -> str:
        """Chapters alternate between a lecture and an applied session (a lab when the
        course has one); further lessons of a chapter are problem classes."""
        if lesson_no > 0:
            return PROBLEMS
        if chapter_no % 2 == 0:
            return STANDARD
        return LAB if self.material.lab is not None else PROBLEMS

    def build(self, outline: str) -> Module:
        """course_root > unit > chapter > lesson > topic / section / lab, and an exam
        preparation chapter that stays unpublished until staff release it."""
        course, language = self.course, self.material.language
        root = course_root(course=course)
        unit = root
        chapter_no = 0
        for unit_no, (unit_title, chapters) in enumerate(parse_outline(outline), start=1):
            unit = module_create(
                course=course,
                parent=root,
                module_type=ModuleType.UNIT,
                title=UNIT_TITLE[language].format(n=unit_no, title=unit_title),
                is_published=True,
            )
            for chapter_title, lessons in chapters:
                chapter = module_create(
                    course=course,
                    parent=unit,
                    module_type=ModuleType.CHAPTER,
                    title=chapter_title,
                    is_published=True,
                )
                for lesson_no, lesson_title in enumerate(lessons):
                    key = self._lesson_template(chapter_no, lesson_no)
                    self._instantiate(
                        key, chapter, lesson_title, chapter=chapter_title, about=lesson_title
                    )
                chapter_no += 1
        exam_title = label(language, "Exam preparation")
        exam = self._instantiate(
            EXAM, unit, exam_title, chapter=exam_title, about=self.material.title
        )
        ContentItem.objects.non_polymorphic().bulk_update(
            self.pending, ["title", "data_json", "is_active"]
        )
        tracked(module_set_published, module=exam, is_published=False)
        return root


def due_dates_start(offerings: dict[str, CourseOffering]) -> datetime:
    """Assignments fall due weekly from the second week of the current (else next) offering."""
    offering = offerings.get(CURRENT) or offerings.get(FUTURE) or next(iter(offerings.values()))
    return offering.starts_at + timedelta(days=13, hours=14)


def course_material(
    spec: CourseSpec, *, image: Asset, handout: Asset, video: Asset, due_from: datetime
) -> Material:
    return Material(
        code=spec.code,
        title=spec.title,
        language=spec.language,
        formulas=spec.formulas,
        image=image,
        handout_url=handout.url,
        links=spec.links,
        lab=spec.lab,
        due_from=due_from,
        lecture_video=video,
    )
