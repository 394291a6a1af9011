"""Choice sets of the agreements app: acts, provisions, agreements and their parts.

A data module, like migrations and demo data: values and labels only, no logic."""

from django.db import models


class ActKind(models.TextChoices):
    ACT = "act", "Bill or law"
    CODE_TITLE = "code_title", "U.S. Code title"
    REGULATION = "regulation"
    EXECUTIVE_INSTRUMENT = "executive_instrument", "Executive instrument"


class BillType(models.TextChoices):
    HR = "HR", "H.R."
    S = "S", "S."
    HJRES = "HJRES", "H.J.Res."
    SJRES = "SJRES", "S.J.Res."
    HCONRES = "HCONRES", "H.Con.Res."
    SCONRES = "SCONRES", "S.Con.Res."
    HRES = "HRES", "H.Res."
    SRES = "SRES", "S.Res."


class ActStatus(models.TextChoices):
    INTRODUCED = "introduced"
    REPORTED = "reported"
    PASSED_HOUSE = "passed_house", "Passed the House"
    PASSED_SENATE = "passed_senate", "Passed the Senate"
    ENACTED = "enacted"
    VETOED = "vetoed"
    FAILED = "failed"


class ProvisionStatus(models.TextChoices):
    PROPOSED = "proposed"
    IN_FORCE = "in_force", "In force"
    REPEALED = "repealed"
    RENUMBERED = "renumbered"
    EXPIRED = "expired"


class AgreementType(models.TextChoices):
    RD_PARTNERSHIP = "rd_partnership", "R&D partnership"
    CO_DEVELOPMENT = "co_development", "Co-development"
    CO_PRODUCTION = "co_production", "Co-production"
    LICENSED_MANUFACTURING = "licensed_manufacturing", "Licensed manufacturing"
    TECHNICAL_ASSISTANCE = "technical_assistance", "Technical assistance"
    JOINT_PROCUREMENT = "joint_procurement", "Joint procurement"
    FRAMEWORK = "framework", "Framework / umbrella MOU"
    PROJECT_ARRANGEMENT = "project_arrangement", "Project arrangement"
    SUSTAINMENT = "sustainment", "Sustainment"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed"
    UNDER_NEGOTIATION = "under_negotiation", "Under negotiation"
    NOTIFICATION_PENDING = "notification_pending", "Notification pending"
    SIGNED = "signed"
    IN_FORCE = "in_force", "In force"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class AgreementRisk(models.TextChoices):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    CRITICAL = "critical"


class ParticipantRole(models.TextChoices):
    LEAD = "lead"
    PARTICIPANT = "participant"
    LICENSOR = "licensor"
    LICENSEE = "licensee"
    PRIME_CONTRACTOR = "prime_contractor", "Prime contractor"
    SUBCONTRACTOR = "subcontractor"


class LegalBasisRole(models.TextChoices):
    AUTHORIZES = "authorizes"
    FUNDS = "funds"
    CONDITIONS = "conditions"
    REQUIRES_NOTIFICATION = "requires_notification", "Requires notification"
