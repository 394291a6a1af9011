"""Choice sets of the partners app: partner kinds and designation categories.

A data module, like migrations and demo data: values and labels only, no logic."""

from django.db import models


class PartnerKind(models.TextChoices):
    COUNTRY = "country"
    INTERNATIONAL_ORGANIZATION = "international_organization", "International organization"
    COMPANY = "company"
    GOVERNMENT_AGENCY = "government_agency", "Government agency"


class DesignationCategory(models.TextChoices):
    NATO = "nato", "NATO and its agencies"
    NATO_MEMBER = "nato_member", "NATO member"
    NATO_PLUS5 = "nato_plus5", "NATO+5"
    MNNA = "mnna", "Major non-NATO ally"
    TREATED_AS_MNNA = "treated_as_mnna", "Treated as MNNA"
    AUKUS = "aukus", "AUKUS"
    FIVE_EYES = "five_eyes", "Five Eyes"
    EU_MEMBER = "eu_member", "EU member"
    FRIENDLY = "friendly", "Friendly foreign country"
    ITAR_126_1 = "itar_126_1", "Proscribed destination, ITAR §126.1"
