#!/usr/bin/env bash
# Extract and compile translations for the project templates and every app.
set -euo pipefail
cd "$(dirname "$0")/.."
ADMIN=$PWD/.venv/bin/django-admin
export DJANGO_SETTINGS_MODULE=nanum.settings PYTHONPATH=$PWD
(cd nanum && $ADMIN makemessages -l ko -l en --ignore '*/tests/*' --ignore 'lending/*' \
   --ignore 'learning/*' --ignore 'programs/*' --ignore 'mentoring/*' \
   --ignore 'learner_model/*' --ignore 'insights/*' --no-location)
for app in lending learning programs mentoring learner_model insights; do
  if [ -d "nanum/$app/locale" ]; then
    (cd "nanum/$app" && $ADMIN makemessages -l ko -l en --ignore 'tests/*' --no-location)
  fi
done
(cd nanum && $ADMIN compilemessages --ignore '.venv')
