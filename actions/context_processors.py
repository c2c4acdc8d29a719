from django.utils.functional import SimpleLazyObject

from . import record_cache, selectors


def nav_actions(request):
    """The count of overdue and due-soon actions in the navigation bar, only when a page
    actually shows it: as "my actions" last counted it while the record is unchanged."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        person = getattr(user, "person", None)
        if person is None:
            return 0
        return record_cache.needs_attention(
            person, lambda: selectors.needs_attention_count(person)
        )

    return {"nav_actions_count": SimpleLazyObject(count)}
