from django.db import migrations

# The role groups are created by core after every migrate (core/apps.py), so a flushed
# database has them too; this step is kept empty so existing databases stay consistent.


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = []
