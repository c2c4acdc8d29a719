"""One-click unsubscribe links (RFC 8058): a signed token per person, no sign-in needed.

The token names the person and is signed with SECRET_KEY, so it cannot be guessed for
somebody else; it only ever turns reminders off, which is all a stranger could do with it.
"""

from django.core import signing

from .models import Person

SALT = "boards.unsubscribe"


def unsubscribe_token(person: Person) -> str:
    return signing.Signer(salt=SALT).sign(str(person.pk))


def person_for_token(token: str) -> Person | None:
    """The person a token was made for, or None for a forged or mangled one."""
    try:
        pk = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=pk).first()
