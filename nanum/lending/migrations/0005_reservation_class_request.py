from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0004_reservation_last_reminded_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="reservation",
            name="class_request",
            field=models.UUIDField(blank=True, db_index=True, null=True),
        ),
    ]
