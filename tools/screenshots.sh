#!/usr/bin/env bash
# Screenshots of every screen under Xvfb with the CJK font (fonts-wqy-microhei): docs/screenshots/*.png
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
PY=${PYTHON:-.venv/bin/python}
DISPLAY_NUM=${SCREENSHOT_DISPLAY:-:97}
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true' EXIT
for _ in $(seq 50); do xdpyinfo -display "$DISPLAY_NUM" >/dev/null 2>&1 && break; sleep 0.1; done
env -u QT_QPA_PLATFORM DISPLAY="$DISPLAY_NUM" PYTHONDONTWRITEBYTECODE=1 "$PY" tools/screenshots.py "$@"
