import factory

from catalog.tests.factories import CourseFactory
from syllabus.models import Module, ModuleTemplate, ModuleType


class ModuleTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleTemplate

    template_type = ModuleType.LESSON
    title = factory.Sequence(lambda n: f"Template {n}")
    default_data = None


class RootModuleFactory(factory.django.DjangoModelFactory):
    """The course_root module of a course; build children with syllabus.services."""

    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    module_type = ModuleType.COURSE_ROOT
    title = factory.LazyAttribute(lambda o: o.course.title)
    is_published = True
