from django import template
from django.utils.safestring import SafeString

from community.markup import render_markup

register = template.Library()


@register.filter
def markup(text: str) -> SafeString:
    """A post body as safe HTML, through the one sanitising renderer."""
    return render_markup(text or "")


@register.filter
def initial(name: str) -> str:
    return (name or "?").strip()[:1].upper() or "?"
