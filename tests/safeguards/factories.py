"""Factories for the safeguards records (written straight to the tables, as tests/factories.py
does for the other apps; the API tests go through the services)."""

import datetime
from decimal import Decimal

import factory

from safeguards.models import EndUseCheck, ReleaseDecision, TechnologyItem, Transfer, Violation
from tests.factories import AgreementFactory, PartnerFactory


class TechnologyItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnologyItem

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Seeker assembly {n}")
    control_list = "usml"
    control_entry = "IV(h)(1)"
    kind = "hardware"
    classification = "secret"


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReleaseDecision

    item = factory.SubFactory(TechnologyItemFactory)
    partner = factory.SubFactory(PartnerFactory)
    decision = "approved"
    authority = "tsfd"
    decided_on = datetime.date(2020, 1, 1)


class TransferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transfer
        skip_postgeneration_save = True

    from_partner = factory.SubFactory(PartnerFactory)
    to_partner = factory.SubFactory(PartnerFactory)
    value_usd = Decimal("1000000")
    requested_on = datetime.date(2021, 1, 1)
    decision = "approved"
    decided_on = datetime.date(2021, 2, 1)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if extracted:
            self.items.set(extracted)


class EndUseCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EndUseCheck

    program = "golden_sentry"
    check_type = "routine"
    partner = factory.SubFactory(PartnerFactory)
    performed_on = datetime.date(2022, 1, 1)


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    partner = factory.SubFactory(PartnerFactory)
    kind = "diversion"
    occurred_on = datetime.date(2022, 1, 1)
    discovered_on = datetime.date(2022, 2, 1)
    description = "Items found at an unauthorized end user."
