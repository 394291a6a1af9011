"""Every choice label reads in sentence case (issue 30, item 8): "In force", not "In Force".

A word after the first starts with a capital only when it is an acronym (NATO, U.S.), holds
a digit (NATO+5) or is a proper noun the registry uses (Congress, the House)."""

from django.apps import apps

PROPER_NOUNS = {"Act", "Case", "Code", "Congress", "Eyes", "Five", "House", "Leahy", "Senate"}


def _title_cased_words(label: str) -> list[str]:
    # A possessive is its noun's: "Congress's review".
    words = [w.removesuffix("'s").strip("()[],;:\"'“”") for w in label.split()[1:]]
    return [
        w
        for w in words
        if w[:1].isupper()
        and sum(c.isupper() for c in w) == 1
        and not any(c.isdigit() or c == "." for c in w)
        and w not in PROPER_NOUNS
    ]


def test_the_checker_catches_title_case():
    assert _title_cased_words("Under Negotiation") == ["Negotiation"]
    assert _title_cased_words("Major non-NATO ally") == []
    assert _title_cased_words("Notified to Congress only") == []
    assert _title_cased_words("Acted before Congress's review ended") == []
    assert _title_cased_words("Before Someone's Review") == ["Someone", "Review"]


def test_every_choice_label_is_in_sentence_case():
    ours = {
        "agreements",
        "conditions",
        "partners",
        "notifications",
        "registry",
        "core",
    }
    offending = []
    for model in apps.get_models():
        if model._meta.app_label not in ours:
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            for code, label in field.flatchoices:
                label = str(label)
                if label[:1].islower() or _title_cased_words(label):
                    offending.append(f"{model._meta.label}.{field.name} {code}: {label!r}")
    assert offending == []


ACRONYMS = {"cui", "fms", "usd", "naics", "url", "nato", "mnna", "itar", "dsca"}


def test_field_labels_spell_acronyms_and_names_as_people_do():
    """ "URL", "FMS cases", "Amount (USD)", "Case Act": not "Url", "Fms cases", "Amount usd"."""
    offending = []
    for model in apps.get_models():
        if model._meta.app_label not in {"agreements", "conditions", "partners"}:
            continue
        for field in model._meta.concrete_fields:
            label = str(field.verbose_name)
            words = label.replace("(", " ").replace(")", " ").split()
            if any(w in ACRONYMS for w in words) or "case act" in label:
                offending.append(f"{model._meta.label}.{field.name}: {label!r}")
    assert offending == []


def test_a_date_reads_one_way_on_every_page():
    """A date printed as it is, through `|date` or through `|day`: Dec 7, 2026 (issue 30)."""
    import datetime

    from django.template import Context, Template

    template = Template("{% load registry_format %}{{ d }}|{{ d|date }}|{{ d|day }}|{{ s|date }}")
    day, september = datetime.date(2026, 12, 7), datetime.date(2026, 9, 3)
    assert template.render(Context({"d": day, "s": september})) == (
        "Dec 7, 2026|Dec 7, 2026|Dec 7, 2026|Sep 3, 2026"
    )
