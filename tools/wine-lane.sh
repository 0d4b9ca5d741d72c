#!/usr/bin/env bash
# Run Windows CPython under wine64 with this checkout importable (Win32 code runs for real: user32, kernel32).
#   tools/wine-lane.sh [--legacy] ARGS...    e.g. tools/wine-lane.sh -m pytest -q tests/windows
# Default lane: CPython 3.13 + PySide6 (Windows 10/11). --legacy: CPython 3.8 + PySide2 in a Windows 7 prefix.
# The lanes are built on first use (apt wine64, Windows wheels from PyPI) into .wine-lane / .wine-lane-legacy.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
HERE=$ROOT/tools/wine-lane
if [ "${1:-}" = --legacy ]; then
  shift; LANE=${EXAMDESK_WINE_LANE_LEGACY:-$ROOT/.wine-lane-legacy}
  SETUP=(env PRUNE=1 "$HERE/setup-legacy.sh" "$LANE" pytest-timeout platformdirs "cryptography<43" "cffi<1.18" pycparser requests urllib3 idna certifi charset-normalizer)
else
  LANE=${EXAMDESK_WINE_LANE:-$ROOT/.wine-lane}
  # cryptography >= 43 loads bcryptprimitives!ProcessPrng, which wine 8 lacks ("DLL load failed ... _rust")
  SETUP=("$HERE/setup.sh" "$LANE" QtPy==2.4.3 pytest-timeout platformdirs "cryptography<43" cffi pycparser requests urllib3 idna certifi charset-normalizer)
fi
STAMP=$(cat "$HERE"/*.sh "$HERE"/*.c "$HERE"/*.py "$0" | sha256sum | cut -c1-16)
if [ "$(cat "$LANE/.ready" 2>/dev/null)" != "$STAMP" ]; then
  "${SETUP[@]}" >&2
  SP=$(ls -d "$LANE"/py/cp3*/Lib/site-packages)
  printf 'Z:%s\r\n' "${ROOT//\//\\}" > "$SP/examdesk-checkout.pth"   # wine maps / to Z:
  echo "$STAMP" > "$LANE/.ready"
fi
cd "$ROOT"
exec "$HERE/run.sh" "$LANE" "$@"
