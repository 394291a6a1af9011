from django.db import migrations

AREAS = {
    "missile_defense": "Missile defense",
    "autonomous_systems": "Autonomous systems",
    "cybersecurity": "Cybersecurity",
    "aircraft": "Aircraft",
    "hypersonics": "Hypersonics",
    "undersea": "Undersea warfare",
    "ai": "Artificial intelligence",
    "quantum": "Quantum technologies",
    "electronic_warfare": "Electronic warfare",
    "directed_energy": "Directed energy",
    "counter_uas": "Counter-UAS",
    "munitions": "Munitions",
    "space": "Space",
    "sensors": "Sensors",
    "propulsion": "Propulsion",
    "air_defense": "Air defense",
    "naval": "Naval systems",
    "land_systems": "Land systems",
    "c4isr": "C4ISR",
}


def add_areas(apps, schema_editor):
    TechnologyArea = apps.get_model("agreements", "TechnologyArea")
    for slug, name in AREAS.items():
        TechnologyArea.objects.using(schema_editor.connection.alias).get_or_create(
            slug=slug, defaults={"name": name}
        )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_initial")]
    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
