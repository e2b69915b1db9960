from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from tenancy.models import User


class LoginForm(AuthenticationForm):
    """Emails are stored lower-cased, so "Ana@Uni.edu" logs in as "ana@uni.edu"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct email and password. Note that the password is case-sensitive."
        ),
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


def time_zone_field(*, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=required,
        label=_("Time zone"),
        help_text=_("Dates and times on the site are shown in this zone."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )


class SignupForm(BaseUserCreationForm):
    # Without JavaScript the account starts in UTC; with it, static/js/signup-time-zone.js
    # picks the browser's zone when the list has it.
    time_zone = time_zone_field(required=False)

    class Meta:
        model = User
        fields = ("full_name", "email")
        labels = {"full_name": _("Full name"), "email": _("Email")}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"time_zone": "UTC"})
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = True
        if self.is_bound:
            # The person has chosen already: the script leaves their choice alone.
            self.fields["time_zone"].widget.attrs["data-chosen"] = True
        # The cursor starts in the first field, not in the email that Django focuses.
        self.fields["email"].widget.attrs.pop("autofocus", None)
        self.fields["full_name"].widget.attrs["autofocus"] = True

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"] or "UTC"

    def clean_email(self) -> str:
        """Whether the address has an account is for tenancy.services.user_register to answer,
        in words that do not confirm it (and with an email to its owner)."""
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self) -> None:
        exclude = self._get_validation_exclusions() | {"email"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


# Names in the zone database that stand for no place: the machine's own zone and a placeholder.
NOT_A_PLACE = frozenset({"localtime", "Factory", "posixrules"})


@cache
def time_zone_choices() -> list[tuple[str, object]]:
    """Every zone Python knows, grouped by region, UTC first. Labels keep the region, since a
    closed select shows only the label: "America/Argentina/Buenos Aires"."""
    regions: dict[str, list[tuple[str, str]]] = {}
    single: list[tuple[str, str]] = []
    for name in sorted(available_timezones() - NOT_A_PLACE):
        region, _sep, place = name.partition("/")
        if place:
            regions.setdefault(region, []).append((name, name.replace("_", " ")))
        elif name != "UTC":
            single.append((name, name))
    return [
        ("UTC", "UTC"),
        *((region, zones) for region, zones in regions.items()),
        (_("Other"), single),
    ]


def locale_choices(current: str | None = None) -> list[tuple[str, str]]:
    choices = list(settings.LANGUAGES)
    if current and current not in dict(choices):
        choices.append((current, current))
    return choices


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    locale = forms.ChoiceField(
        label=_("Language"),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    time_zone = time_zone_field()

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {"full_name": user.full_name, "locale": user.locale, "time_zone": user.time_zone},
        )
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = locale_choices(user.locale)
        self.fields["time_zone"].choices = time_zone_choices()

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name
