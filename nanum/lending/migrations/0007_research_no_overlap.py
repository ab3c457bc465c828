"""No double booking of a research item: an exclusion constraint on item × period.

PostgreSQL only (btree_gist + GiST over a daterange), for the requests that hold the
item (waiting for review, waiting for the owner, approved); on SQLite the migration
does nothing and the service's IMMEDIATE transactions serialise writers instead.
"""

from django.db import migrations

CREATE = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
ALTER TABLE lending_researchrequest
  ADD CONSTRAINT lending_researchrequest_no_overlap
  EXCLUDE USING gist (
    item_id WITH =,
    daterange(start_date, end_date, '[]') WITH &&
  ) WHERE (status IN ('review', 'with_owner', 'approved', 'handed_out'))
""",
)
DROP = (
    "ALTER TABLE lending_researchrequest"
    " DROP CONSTRAINT IF EXISTS lending_researchrequest_no_overlap;"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lending", "0006_research_equipment")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
