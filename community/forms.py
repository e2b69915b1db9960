"""Input validation for the discussion and review pages; the services do the rest."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from community.models import NotificationMode, ReportReason, ReviewerName

MARKUP_HELP = _(
    "Markdown: **bold**, *italic*, `code`, ``` for code blocks, [links](https://…), "
    "$x^2$ for inline math and $$…$$ for displayed math."
)


class BodyField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault("help_text", MARKUP_HELP)
        super().__init__(
            max_length=settings.COMMUNITY_POST_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            **kwargs,
        )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    body = BodyField()
    module = forms.TypedChoiceField(label=_("Module"), coerce=int, required=False, empty_value=None)
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, module_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [
            ("", _("The whole course")),
            *((m.id, m.indented_title) for m in module_choices),
        ]


class PostForm(forms.Form):
    body = BodyField(label=_("Your reply"))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    body = BodyField()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should the moderators look at this post?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotificationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("When someone replies in a thread you follow"),
        choices=NotificationMode.choices,
        widget=forms.RadioSelect,
    )


class ReviewForm(forms.Form):
    offering = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    review_text = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What worked, what could be better? Plain text."),
    )
    display_name = forms.ChoiceField(
        label=_("Show my name as"),
        choices=ReviewerName.choices,
        initial=ReviewerName.FULL_NAME,
        widget=forms.RadioSelect,
    )


class ReviewReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewHideForm(forms.Form):
    hidden = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
