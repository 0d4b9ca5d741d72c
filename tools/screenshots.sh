#!/usr/bin/env bash
# Screenshots of every screen (docs/screenshots/*.png) with the CJK font (fonts-wqy-microhei). Without a screen
# tools/screenshots.py starts its own Xvfb on a free display and checks it answers.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
PY=${PYTHON:-.venv/bin/python}
env -u QT_QPA_PLATFORM PYTHONDONTWRITEBYTECODE=1 "$PY" tools/screenshots.py "$@"
