from django.db import transaction

from .models import Person


@transaction.atomic
def stop_reminders(*, person: Person) -> None:
    """A person who unsubscribes gets no reminder of any kind until they turn one back on."""
    person.save(update_fields=person.stop_reminders())
