import factory

from meetings.models import Paper
from meetings.tests.factories import AgendaItemFactory


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    item = factory.SubFactory(AgendaItemFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4 report")
    content_type = "application/pdf"
    size = 15
