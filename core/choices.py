"""Choice sets shared by every app: CUI categories and dissemination controls.

A data module, like migrations and demo data: values and labels only, no logic."""

from django.db import models


class Category(models.TextChoices):
    """CUI categories the registry's records hold (short code as in the DoD CUI Registry)."""

    DCNI = "DCNI", "DoD critical infrastructure security information (DCNI)"
    EXPT = "EXPT", "Export controlled (EXPT)"
    OPSEC = "OPSEC", "Operations security (OPSEC)"
    PROPIN = "PROPIN", "General proprietary business information (PROPIN)"
    PRVCY = "PRVCY", "General privacy (PRVCY)"


class Dissemination(models.TextChoices):
    """Limited dissemination controls (the CUI Registry's LDC list, as marked in banners)."""

    NOFORN = "NOFORN", "NOFORN: no foreign dissemination"
    FED_ONLY = "FED ONLY", "FED ONLY: federal employees only"
    FEDCON = "FEDCON", "FEDCON: federal employees and contractors only"
    REL_TO = "REL TO", "REL TO: releasable to the listed countries"
