from django import template

from security.audit import history_of

register = template.Library()


@register.inclusion_tag("includes/history.html")
def history_panel(obj, limit=50, title="History"):
    """{% history_panel item %}: who changed what and when, newest first."""
    return {"changes": history_of(obj, limit=limit), "title": title, "obj": obj}
