from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}),
    )
    error_messages = {
        "invalid_login": "Enter the email address and password of your account. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your administrator.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].lower()


class ResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
