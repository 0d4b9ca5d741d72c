#!/usr/bin/env bash
# Run Windows CPython under wine64 with this checkout importable (Win32 code runs for real: user32, kernel32).
#   tools/wine-lane.sh [--legacy] ARGS...    e.g. tools/wine-lane.sh -m pytest -q tests/windows
# Default lane: CPython 3.11 + PySide6 (Windows 10/11). --legacy: CPython 3.8 + PySide2 in a Windows 7 prefix.
# The same pins build the installers (tools/wine-lane/lanes.py). Lanes are built on first use, and again
# when pyproject.toml or the lane scripts change, into .wine-lane / .wine-lane-legacy.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
HERE=$ROOT/tools/wine-lane
if [ "${1:-}" = --legacy ]; then
  shift; NAME=win7; LANE=${EXAMDESK_WINE_LANE_LEGACY:-$ROOT/.wine-lane-legacy}
else
  NAME=win10; LANE=${EXAMDESK_WINE_LANE:-$ROOT/.wine-lane}
fi
STAMP=$(cat "$HERE"/*.sh "$HERE"/*.c "$HERE"/*.py "$ROOT/pyproject.toml" "$0" | sha256sum | cut -c1-16)
if [ "$(cat "$LANE/.ready" 2>/dev/null)" != "$STAMP" ]; then
  # a lane is rebuilt whole (a stale wheel or an old CPython must not linger); only a lane folder is removed
  if [ -f "$LANE/.ready" ]; then rm -rf "$LANE"; fi
  "$HERE/setup.sh" "$NAME" test "$LANE" >&2
  SP=$(ls -d "$LANE"/py/cp3*/Lib/site-packages)
  printf 'Z:%s\r\n' "${ROOT//\//\\}" > "$SP/examdesk-checkout.pth"   # wine maps / to Z:
  echo "$STAMP" > "$LANE/.ready"
fi
cd "$ROOT"
exec "$HERE/run.sh" "$LANE" "$@"
