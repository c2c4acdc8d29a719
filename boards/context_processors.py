def navigation(request):
    """The signed-in person, for the navigation bar on every page."""
    user = getattr(request, "user", None)
    person = getattr(user, "person", None) if user and user.is_authenticated else None
    return {"current_person": person}
