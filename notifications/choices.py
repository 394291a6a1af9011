"""Choice sets of the notifications app: the kinds of notice Congress receives.

A data module, like migrations and demo data: values and labels only, no logic."""

from django.db import models


class NotificationKind(models.TextChoices):
    AECA_27F = "aeca_27f", "AECA §27(f) cooperative project"
    AECA_36B = "aeca_36b", "AECA §36(b) sale"
    AECA_36C = "aeca_36c", "AECA §36(c) export licence"
    AECA_36D = "aeca_36d", "AECA §36(d) manufacturing licence abroad"
    AECA_3D = "aeca_3d", "AECA §3(d) third-party transfer"
    USC10_2350A = "usc10_2350a", "10 U.S.C. 2350a cooperative R&D report"
    DOD_LEAHY_362 = "dod_leahy_362", "DoD Leahy waiver or exception report (10 U.S.C. 362)"
    CASE_ACT = "case_act", "Case Act transmittal (1 U.S.C. 112b)"
    MNNA = "mnna", "Major non-NATO ally designation"
    OTHER = "other", "Other"
