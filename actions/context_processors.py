from django.utils.functional import SimpleLazyObject

from . import selectors


def nav_actions(request):
    """The count of overdue and due-soon actions in the navigation bar: two small queries, and only
    when a page actually shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        person = getattr(user, "person", None)
        return selectors.needs_attention_count(person) if person else 0

    return {"nav_actions_count": SimpleLazyObject(count)}
