"""`seed_demo [--if-empty]`: load the demo data set through the services; idempotent.

Every record is looked up by its natural key first and only created when missing, so a
second run changes nothing. Writes go through the services (actor `seed_demo`), so the
change history and the waiver ledger's hash chain are the same as for records people enter.
"""

from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from agreements.fields import INDUSTRIAL_PARTICIPANT_FIELDS, PARTICIPANT_FIELDS
from agreements.models import Act, Agreement, Provision
from agreements.services import act_create, agreement_create, provision_create
from conditions.models import Condition, WaiverEntry
from conditions.services import condition_create, condition_review_record, waiver_record
from core.history.context import history_context
from core.registry_day import registry_today
from notifications.models import CongressionalNotification
from notifications.services import notification_create
from partners.models import Partner
from partners.services import partner_create
from registry.demo import safeguards as safeguards_demo
from registry.demo.agreements import AGREEMENTS
from registry.demo.conditions import demo_conditions
from registry.demo.data import ACTS, PARTNERS, PROVISIONS
from registry.demo.notifications import demo_notifications
from safeguards import services as safeguards_services
from safeguards.models import EndUseCheck, ReleaseDecision, TechnologyItem, Transfer, Violation

ACTOR = "seed_demo"


class Command(BaseCommand):
    help = "Load the demo data set (public facts plus illustrative records). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any partner exists."
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Partner.objects.exists():
            self.stdout.write("The database has partners already; demo data not loaded.")
            return
        with transaction.atomic(), history_context(actor=ACTOR, channel="task"):
            created = Seeder(today=registry_today()).run()
        summary = ", ".join(f"{n} {name}" for name, n in created.items()) or "nothing"
        self.stdout.write(f"Demo data loaded; created: {summary}.")


class Seeder:
    def __init__(self, *, today):
        self.today = today
        self.created: Counter = Counter()
        self.partners: dict[str, Partner] = {}
        self.provisions: dict[str, Provision] = {}
        self.agreements: dict[str, Agreement] = {}

    def run(self) -> Counter:
        for row in PARTNERS:
            self.seed_partner(*row)
        acts = {key: self.seed_act(fields) for key, fields in ACTS.items()}
        for key, (act_key, fields) in PROVISIONS.items():
            self.provisions[key] = self.seed_provision(acts[act_key], fields)
        for data in AGREEMENTS:
            self.agreements[data["reference"]] = self.seed_agreement(dict(data))
        for data in demo_conditions(self.today):
            self.seed_condition(dict(data))
        self.seed_safeguards()
        for data in demo_notifications(self.today):
            self.seed_notification(dict(data))
        return self.created

    def partner(self, name: str) -> Partner:
        if name not in self.partners:
            self.partners[name] = Partner.objects.get(name__iexact=name)
        return self.partners[name]

    def seed_partner(self, name, kind, iso3, parent, designations) -> None:
        clash = Q(name__iexact=name) | (Q(iso3=iso3) if iso3 else Q(pk__in=[]))
        existing = Partner.objects.filter(clash).first()
        if existing:
            self.partners[name] = existing
            return
        self.partners[name] = partner_create(
            actor=ACTOR,
            name=name,
            kind=kind,
            iso3=iso3,
            parent=self.partner(parent) if parent else None,
            designations=[
                dict(category=c, valid_from=start, valid_to=end, instrument=instrument)
                for c, start, end, instrument in designations
            ],
        )
        self.created["partners"] += 1

    def seed_act(self, fields: dict) -> Act:
        existing = Act.objects.filter(title=fields["title"]).first()
        if existing:
            return existing
        self.created["acts"] += 1
        return act_create(actor=ACTOR, **fields)

    def seed_provision(self, act: Act, fields: dict) -> Provision:
        existing = Provision.objects.filter(act=act, section=fields["section"]).first()
        if existing:
            return existing
        self.created["provisions"] += 1
        return provision_create(actor=ACTOR, act=act, **fields)

    def seed_agreement(self, data: dict) -> Agreement:
        existing = Agreement.objects.filter(reference=data["reference"]).first()
        if existing:
            return existing
        for link in ("parent", "supersedes"):
            if data.get(link):
                data[link] = self.agreements[data[link]]
        participants = self.partner_rows(PARTICIPANT_FIELDS, data.pop("participants", []))
        industrial = self.partner_rows(INDUSTRIAL_PARTICIPANT_FIELDS, data.pop("industrial", []))
        legal_bases = [
            dict(provision=self.provisions[key], role=role)
            for key, role in data.pop("legal_bases", [])
        ]
        self.created["agreements"] += 1
        return agreement_create(
            actor=ACTOR,
            technology_areas=data.pop("areas", []),
            participants=participants,
            legal_bases=legal_bases,
            industrial_participants=industrial,
            **data,
        )

    def partner_rows(self, fields: tuple[str, ...], rows: list[tuple]) -> list[dict]:
        """Demo rows, tuples in the order of `fields` starting with a partner's name, as the
        dicts the agreement service takes (a shorter tuple leaves the last fields out)."""
        return [dict(zip(fields, (self.partner(row[0]), *row[1:]), strict=False)) for row in rows]

    def seed_condition(self, data: dict) -> None:
        reviews = data.pop("reviews", [])
        waivers = data.pop("waivers", [])
        partner = self.partner(data.pop("partner"))
        condition = Condition.objects.filter(title=data["title"], partner=partner).first()
        if condition is None:
            if data.get("agreement"):
                data["agreement"] = self.agreements[data["agreement"]]
            condition = condition_create(
                actor=ACTOR,
                partner=partner,
                legal_basis=self.provisions[data.pop("legal_basis")],
                requirements=[dict(label=lb, text=t) for lb, t in data.pop("requirements")],
                sources=[_source(s) for s in data.pop("sources", [])],
                **data,
            )
            self.created["conditions"] += 1
        for reviewed_on, outcome, notes, next_due in reviews:
            if not condition.reviews.filter(reviewed_on=reviewed_on, outcome=outcome).exists():
                condition_review_record(
                    condition=condition,
                    actor=ACTOR,
                    reviewed_on=reviewed_on,
                    outcome=outcome,
                    notes=notes,
                    next_review_due=next_due,
                )
                self.created["reviews"] += 1
        entries: dict[str, WaiverEntry] = {}
        for fields in waivers:
            self.seed_waiver(condition, dict(fields), entries)

    def seed_waiver(self, condition: Condition, fields: dict, entries: dict) -> None:
        key = fields.pop("key")
        existing = WaiverEntry.objects.filter(
            condition=condition, action=fields["action"], instrument=fields["instrument"]
        ).first()
        if existing:
            entries[key] = existing
            return
        if fields.get("amends"):
            fields["amends"] = entries[fields["amends"]]
        fields["authority"] = self.provisions[fields["authority"]]
        entries[key] = waiver_record(condition=condition, actor=ACTOR, **fields)
        self.created["waiver entries"] += 1

    def seed_safeguards(self) -> None:
        """Items, releases, checks, transfers and violations (registry/demo/safeguards.py),
        each looked up by what tells it apart before it is created."""
        demo = safeguards_demo
        for row in demo.PARTNERS:
            self.seed_partner(*row)
        items = {}
        for key, (reference, fields) in demo.ITEMS.items():
            agreement = self.agreements[reference]
            item = TechnologyItem.objects.filter(agreement=agreement, name=fields["name"]).first()
            if item is None:
                item = safeguards_services.technology_item_create(
                    actor=ACTOR, agreement=agreement, **fields
                )
                self.created["technology items"] += 1
            items[key] = item
        for key, name, fields in demo.RELEASES:
            found = {"item": items[key], "partner": self.partner(name)}
            if not ReleaseDecision.objects.filter(
                **found, decided_on=fields["decided_on"]
            ).exists():
                safeguards_services.release_decision_create(actor=ACTOR, **found, **fields)
                self.created["release decisions"] += 1
        for name, keys, fields in demo.CHECKS:
            found = {"partner": self.partner(name), "performed_on": fields["performed_on"]}
            if not EndUseCheck.objects.filter(**found, program=fields["program"]).exists():
                safeguards_services.end_use_check_create(
                    actor=ACTOR, items=[items[k] for k in keys], **{**fields, **found}
                )
                self.created["end-use checks"] += 1
        for source, target, keys, fields in demo.TRANSFERS:
            found = {"from_partner": self.partner(source), "to_partner": self.partner(target)}
            if not Transfer.objects.filter(**found, requested_on=fields["requested_on"]).exists():
                safeguards_services.transfer_create(
                    actor=ACTOR, items=[items[k] for k in keys], **found, **fields
                )
                self.created["transfers"] += 1
        for name, keys, fields in demo.VIOLATIONS:
            found = {"partner": self.partner(name), "discovered_on": fields["discovered_on"]}
            if not Violation.objects.filter(**found, kind=fields["kind"]).exists():
                safeguards_services.violation_create(
                    actor=ACTOR, items=[items[k] for k in keys], **{**fields, **found}
                )
                self.created["violations"] += 1

    def seed_notification(self, data: dict) -> None:
        kind, number = data["kind"], data["transmittal_number"]
        if CongressionalNotification.objects.filter(kind=kind, transmittal_number=number).exists():
            return
        report_day = data.pop("leahy_report_day", None)
        if report_day is not None:
            # The report of the earliest DoD Leahy (10 U.S.C. 362) waiver in the demo ledger.
            entry = (
                WaiverEntry.objects.filter(
                    authority__codification="10 U.S.C. 362", action="granted"
                )
                .select_related("condition")
                .order_by("signed_on", "id")
                .first()
            )
            if entry is None:
                return
            data.update(
                waiver_entry=entry,
                partner=entry.condition.partner,
                received_on=entry.signed_on + timedelta(days=report_day),
            )
        else:
            data["partner"] = self.partner(data["partner"])
        if data.get("agreement"):
            data["agreement"] = self.agreements[data["agreement"]]
        notification_create(actor=ACTOR, **data)
        self.created["notifications"] += 1


def _source(row: tuple) -> dict:
    url, publisher, published_on, kind = row
    return dict(url=url, publisher=publisher, published_on=published_on, kind=kind)
