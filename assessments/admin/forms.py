"""What the admin pages of this app share about forms."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message on the field it names, or on the
    whole form when the form has no such field."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
