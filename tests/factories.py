"""factory_boy factories for every domain model; services are used where the ledger needs it."""

import datetime

import factory
from django.contrib.auth.models import Group, User

from agreements.models import Act, Agreement, AgreementParticipant, LegalBasis, Provision
from conditions.models import Condition, ConditionRequirement
from core.registry_day import registry_today
from partners.models import Partner, PartnerDesignation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True  # `role` saves when it changes something

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov")
    password = factory.django.Password("correct-horse-battery-staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: a transactional test before this one emptied every table,
            # the role groups (made by a migration) included.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
            if extracted == "admin":
                self.is_staff = self.is_superuser = True
                self.save()


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = Partner.Kind.COMPANY
    iso3 = None


class CountryFactory(PartnerFactory):
    kind = Partner.Kind.COUNTRY
    name = factory.Iterator(["Japan", "Israel", "Egypt", "Australia", "Norway", "Poland"])
    iso3 = factory.Iterator(["JPN", "ISR", "EGY", "AUS", "NOR", "POL"])

    class Meta:
        model = Partner
        django_get_or_create = ("iso3",)


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerDesignation

    partner = factory.SubFactory(CountryFactory)
    category = PartnerDesignation.Category.MNNA
    valid_from = datetime.date(1989, 1, 1)


class ActFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Act

    title = factory.Sequence(lambda n: f"Test Authorization Act {n}")
    kind = Act.Kind.ACT
    status = Act.Status.ENACTED


class ProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provision

    act = factory.SubFactory(ActFactory)
    section = factory.Sequence(lambda n: str(100 + n))
    heading = "Cooperative projects"
    status = Provision.Status.IN_FORCE


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    reference = factory.Sequence(lambda n: f"DTC-2020-{n:04d}")
    title = factory.Sequence(lambda n: f"Cooperative program {n}")
    agreement_type = Agreement.Type.CO_DEVELOPMENT
    status = Agreement.Status.IN_FORCE
    signed_on = datetime.date(2020, 1, 15)
    technology_transfer_risk = Agreement.Risk.MODERATE


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParticipant

    agreement = factory.SubFactory(AgreementFactory)
    partner = factory.SubFactory(CountryFactory)
    role = AgreementParticipant.Role.PARTICIPANT


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    agreement = factory.SubFactory(AgreementFactory)
    provision = factory.SubFactory(ProvisionFactory)
    role = LegalBasis.Role.AUTHORIZES


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    title = factory.Sequence(lambda n: f"Human-rights condition {n}")
    partner = factory.SubFactory(CountryFactory)
    legal_basis = factory.SubFactory(ProvisionFactory, report_deadline_days=15)
    review_interval_days = 365
    next_review_due = factory.LazyFunction(lambda: registry_today() + datetime.timedelta(90))
    responsible_office = "DRL/SFA"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConditionRequirement

    condition = factory.SubFactory(ConditionFactory)
    label = factory.Sequence(lambda n: f"(a)({n})")
    text = "The government is taking effective steps."


def waiver_fields(**overrides) -> dict:
    """Valid keyword arguments for `waiver_record` (a grant signed yesterday)."""
    today = registry_today()
    fields = {
        "action": "granted",
        "authority": overrides.pop("authority", None) or ProvisionFactory(report_deadline_days=15),
        "standard": "national_security_interest",
        "official_title": "Secretary of State",
        "official_name": "A. Official",
        "instrument": "Memorandum of justification",
        "signed_on": today - datetime.timedelta(days=1),
        "effective_on": today - datetime.timedelta(days=1),
        "expires_on": today + datetime.timedelta(days=180),
        "justification": "National security interest of the United States.",
        "publicity": "published_official",
    }
    fields.update(overrides)
    return fields
