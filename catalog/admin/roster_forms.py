"""The forms of an offering's roster pages: the CSV upload, adding a member of the teaching
staff, and granting a role within the university.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import CourseOffering
from catalog.selectors.roster import (
    staff_candidates,
)
from catalog.services import roster_csv
from tenancy.models import Department, Role, University, User


class RosterCsvForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "One student per row: an email address, optionally a name in the next column. A "
            "header row (“email”, “name”) is optional. At most %(rows)d rows. People who hold "
            "no role at this university are emailed an invitation to join."
        )
        % {"rows": roster_csv.MAX_ROWS},
    )

    def clean_file(self) -> list[roster_csv.CsvRow]:
        upload = self.cleaned_data["file"]
        if upload.size > roster_csv.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d KB; split it into smaller files.")
                % {"size": roster_csv.MAX_UPLOAD_BYTES // 1024}
            )
        try:
            return roster_csv.roster_csv_parse(upload.read())
        except roster_csv.RosterCsvError as error:
            raise ValidationError(error.messages[0]) from error


class StaffAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Instructor or teaching assistant"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Choose a person from the list.")},
    )

    def __init__(self, *args, offering: CourseOffering, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_candidates(offering=offering)
        self.fields["user"].label_from_instance = lambda user: f"{user.full_name} <{user.email}>"


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email of the person"))
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=gettext_lazy("Only for department admins."),
    )

    def __init__(self, *args, university: University, actor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(university=university)
        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            if value != Role.PLATFORM_ADMIN or actor.is_platform_admin
        ]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Role.DEPARTMENT_ADMIN and not data.get("department"):
            self.add_error("department", _("A department admin needs a department."))
        return data
