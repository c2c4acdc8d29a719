import factory

from boards.tests.factories import BoardFactory
from funding.models import Fund, FundEntry


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Transformation Fund {n}")
    board = factory.SubFactory(BoardFactory)


class FundEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundEntry

    fund = factory.SubFactory(FundFactory)
    kind = FundEntry.Kind.BUDGET
    amount = 25_000_000
    financial_year = 2014
