"""Point in time: a record as it stood at the end of a day, rebuilt from the event tables.

`agreement_as_of(pk, day)` and `condition_as_of(pk, day)` return plain dicts shaped like the
API's records (foreign keys as ids, nested lists), plus the partners' designations that held
on that day as the registry knew them then. None when the record did not exist yet (or had
been deleted) at the end of that day. Times are the database's own (UTC).
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError

from config.domain import parse_iso_date


def parse_as_of(raw: str) -> datetime.date:
    """The `as_of` query value as a date; a ValidationError naming `as_of` otherwise."""
    try:
        return parse_iso_date(raw)
    except ValueError as error:
        raise ValidationError({"as_of": [str(error)]}) from None


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` (UTC): changes before it count."""
    following = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(following, datetime.time.min, tzinfo=datetime.UTC)


def _events(model):
    return model.pgh_event_models["insert"].objects


def _as_dict(model, event) -> dict:
    """The tracked row's values in an event, keyed by field name (foreign keys as ids); fields
    the history leaves out (derived ones, such as a search vector) are not in the snapshot."""
    return {
        f.name: getattr(event, f.attname)
        for f in model._meta.concrete_fields
        if hasattr(event, f.attname)
    }


def state_as_of(model, pk, moment: datetime.datetime) -> dict | None:
    """One row as recorded just before `moment`, or None if it did not exist then."""
    event = (
        _events(model).filter(pgh_obj_id=pk, pgh_created_at__lt=moment).order_by("-pgh_id").first()
    )
    if event is None or event.pgh_label == "delete":
        return None
    return _as_dict(model, event)


def rows_as_of(model, moment: datetime.datetime, **match) -> list[dict]:
    """Rows of `model` that matched `match` (e.g. agreement=5) just before `moment`."""
    ever = _events(model).filter(pgh_created_at__lt=moment, **match).values("pgh_obj_id")
    latest = (
        _events(model)
        .filter(pgh_obj_id__in=ever, pgh_created_at__lt=moment)
        .order_by("pgh_obj_id", "-pgh_id")
        .distinct("pgh_obj_id")
    )
    rows = [_as_dict(model, e) for e in latest if e.pgh_label != "delete"]
    return sorted(
        (r for r in rows if all(_id(r[k]) == _id(v) for k, v in match.items())),
        key=lambda r: r["id"],
    )


def _id(value):
    return getattr(value, "pk", value)


def designations_as_of(partner_ids, day: datetime.date) -> list[dict]:
    """Per partner: its name then, and the designations that held on `day`."""
    Partner = apps.get_model("partners", "Partner")
    Designation = apps.get_model("partners", "PartnerDesignation")
    moment = end_of_day(day)
    result = []
    for partner_id in sorted(set(partner_ids)):
        partner = state_as_of(Partner, partner_id, moment) or {"name": None}
        held = [
            {k: d[k] for k in ("category", "valid_from", "valid_to", "instrument")}
            for d in rows_as_of(Designation, moment, partner=partner_id)
            if (d["valid_from"] is None or d["valid_from"] <= day)
            and (d["valid_to"] is None or day <= d["valid_to"])
        ]
        result.append(
            {"partner": partner_id, "partner_name": partner["name"], "designations": held}
        )
    return result


def _children(model_label: str, moment, drop: str, **match) -> list[dict]:
    model = apps.get_model(model_label)
    rows = rows_as_of(model, moment, **match)
    return [{k: v for k, v in row.items() if k not in ("id", drop)} for row in rows]


def agreement_as_of(pk: int, day: datetime.date) -> dict | None:
    """An agreement at the end of `day`: fields, nested lists, partners' designations."""
    moment = end_of_day(day)
    data = state_as_of(apps.get_model("agreements", "Agreement"), pk, moment)
    if data is None:
        return None
    TechnologyArea = apps.get_model("agreements", "TechnologyArea")
    areas = _children("agreements.AgreementTechnologyArea", moment, "agreement", agreement=pk)
    slugs = []
    for link in areas:
        area = state_as_of(TechnologyArea, link["technology_area"], moment)
        slugs.append(area["slug"] if area else None)
    participants = _children("agreements.AgreementParticipant", moment, "agreement", agreement=pk)
    data.update(
        technology_areas=sorted(s for s in slugs if s),
        participants=participants,
        legal_bases=_children("agreements.LegalBasis", moment, "agreement", agreement=pk),
        industrial_participants=_children(
            "agreements.IndustrialParticipant", moment, "agreement", agreement=pk
        ),
        partner_designations=designations_as_of([p["partner"] for p in participants], day),
        as_of=day,
    )
    return data


def condition_as_of(pk: int, day: datetime.date) -> dict | None:
    """A condition at the end of `day`: fields, requirements, sources, ledger entries so far."""
    moment = end_of_day(day)
    data = state_as_of(apps.get_model("conditions", "Condition"), pk, moment)
    if data is None:
        return None
    WaiverEntry = apps.get_model("conditions", "WaiverEntry")
    data.update(
        requirements=[
            {"label": r["label"], "text": r["text"]}
            for r in _children("conditions.ConditionRequirement", moment, "condition", condition=pk)
        ],
        sources=[
            {k: s[k] for k in ("url", "publisher", "published_on", "kind")}
            for s in rows_as_of(
                apps.get_model("conditions", "SourceDocument"), moment, condition=pk
            )
        ],
        waiver_entries=list(
            WaiverEntry.objects.filter(condition=pk, recorded_at__lt=moment)
            .order_by("sequence")
            .values_list("pk", flat=True)
        ),
        partner_designations=designations_as_of([data["partner"]], day),
        as_of=day,
    )
    return data


def jsonable(value):
    """Dates as YYYY-MM-DD, decimals as numbers: the API's own conventions."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value
