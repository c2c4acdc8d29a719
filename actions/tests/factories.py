import datetime as dt

import factory
from django.utils import timezone

from actions.models import Action, ActionUpdate, Reminder
from boards.tests.factories import PersonFactory
from meetings.tests.factories import AgendaItemFactory


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    item = factory.SubFactory(AgendaItemFactory)
    text = factory.Sequence(lambda n: f"Report back on project {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if create and extracted:
            self.owners.set(extracted)


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    text = "Workshop held."


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    action = factory.SubFactory(ActionFactory)
    person = factory.SubFactory(PersonFactory)
    kind = Reminder.Kind.DUE_SOON
    scheduled_on = factory.LazyFunction(timezone.localdate)
