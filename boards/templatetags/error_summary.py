from django import template

register = template.Library()


@register.filter
def summary_due(form) -> bool:
    """True the first time a page asks of a form with errors: its error summary is shown
    once, where the page puts it, or else at the top of the form crispy draws (a page that
    puts it at the top of the page asks before the form is drawn)."""
    if form is None or not getattr(form, "errors", None) or getattr(form, "_summarised", False):
        return False
    form._summarised = True
    return True
