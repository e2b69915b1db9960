import factory

from tenancy.models import Country, Department, Role, University, User, UserUniversityRole


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso_code",)

    iso_code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda o: f"Country {o.iso_code}")
    region_name = "Europe"


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University

    name = factory.Sequence(lambda n: f"University {n}")
    short_code = factory.Sequence(lambda n: f"U{n}")
    country = factory.SubFactory(CountryFactory)
    time_zone = "Europe/Berlin"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"D{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.edu")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserUniversityRole

    user = factory.SubFactory(UserFactory)
    university = factory.SubFactory(UniversityFactory)
    role = Role.STUDENT
    department = None
