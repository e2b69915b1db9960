from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from tenancy.models import User


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("full_name", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "locale", "time_zone")
