"""No double booking, ever: an exclusion constraint on asset × blocked period.

PostgreSQL only (btree_gist + GiST over a daterange); on SQLite the migration does
nothing and the service's IMMEDIATE transactions serialise writers instead. The
Django model stays portable.
"""

from django.db import migrations

CREATE = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
ALTER TABLE lending_allocation
  ADD CONSTRAINT lending_allocation_no_overlap
  EXCLUDE USING gist (
    asset_id WITH =,
    daterange(blocked_from, blocked_until, '[]') WITH &&
  ) WHERE (active)
""",
)
DROP = "ALTER TABLE lending_allocation DROP CONSTRAINT IF EXISTS lending_allocation_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
