import factory

from boards.tests.factories import BoardFactory
from funding.models import Bid, BidLine, Fund, FundEntry, SavingsEstimate


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


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Transformation bid {n}")
    funder = "Department for Communities and Local Government"
    programme = "Transformation Challenge Award"
    amount_sought = 38_000_000


class BidLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BidLine

    bid = factory.SubFactory(BidFactory)
    financial_year = 2013
    activity = factory.Sequence(lambda n: f"Activity {n}")
    amount = 5_000_000
    order = factory.Sequence(lambda n: n)


class SavingsEstimateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsEstimate

    bid = factory.SubFactory(BidFactory)
    theme = factory.Sequence(lambda n: f"Theme {n}")
    financial_year = 2014
    low = 100_000_000
    high = 200_000_000
