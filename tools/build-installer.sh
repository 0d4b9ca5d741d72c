#!/usr/bin/env bash
# Build an ExamDesk Windows installer on Linux (Debian 12): PyInstaller inside a wine lane's Windows CPython,
# the bundle check, Debian's makensis. Also reachable as `./dev installer [--legacy] [...]`.
#   tools/build-installer.sh [--legacy] [--server-url URL] [--ca-cert PEM] [--sign-cmd CMD] [--out DIR] [--reuse]
#   (default)   Windows 10/11 x64: CPython 3.11 + PySide6        -> ExamDesk-<version>-Setup.exe
#   --legacy    Windows 7 SP1 x64: CPython 3.8 + PySide2         -> ExamDesk-<version>-Win7-Setup.exe
#   --server-url, --ca-cert  baked into the bundle as examdesk-defaults.json (+ examdesk-ca.pem): the client's
#               defaults, so a candidate never types a URL (client/config.py reads them; user config overrides)
#   --sign-cmd  code signing: CMD FILE must sign FILE in place (e.g. a wrapper around osslsigncode or signtool
#               with the exam centre's certificate); run on both executables, the uninstaller and the installer.
#               Without it the build says UNSIGNED (SmartScreen warns candidates about unsigned installers).
#   --out       where the installer goes (default dist/installers)
#   --reuse     take the installer from the cache when nothing it is built from changed (./dev test does)
# Writes build-<win10|win7>.json beside the installer: times, sizes, the wheel set, signed or not.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
LANE_NAME=win10 SERVER_URL="" CA_CERT="" SIGN_CMD="" OUT=$ROOT/dist/installers REUSE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --legacy) LANE_NAME=win7 ;;
    --server-url) SERVER_URL=$2; shift ;;
    --ca-cert) CA_CERT=$(readlink -f "$2"); shift ;;
    --sign-cmd) SIGN_CMD=$2; shift ;;
    --out) mkdir -p "$2"; OUT=$(cd "$2" && pwd); shift ;;
    --reuse) REUSE=1 ;;
    *) echo "usage: $0 [--legacy] [--server-url URL] [--ca-cert PEM] [--sign-cmd CMD] [--out DIR] [--reuse]" >&2; exit 2 ;;
  esac
  shift
done
log() { printf '\033[1m[installer %s]\033[0m %s\n' "$LANE_NAME" "$*" >&2; }
now() { date +%s.%N; }
HOSTPY=${EXAMDESK_HOST_PYTHON:-$ROOT/.venv/bin/python}
[ -x "$HOSTPY" ] || { echo "no $HOSTPY: run ./dev setup first (or set EXAMDESK_HOST_PYTHON)" >&2; exit 1; }
export EXAMDESK_HOST_PYTHON=$HOSTPY
CACHE=${EXAMDESK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/examdesk}
eval "$("$HOSTPY" "$ROOT/tools/wine-lane/lanes.py" show "$LANE_NAME")"   # VERSION CP WINVER ...
if [ "$LANE_NAME" = win7 ]; then
  SETUP=ExamDesk-$VERSION-Win7-Setup.exe LANE=${EXAMDESK_BUILD_LANE_LEGACY:-$ROOT/.wine-lane-build-legacy}; NSIS_LEGACY=-DLEGACY
else
  SETUP=ExamDesk-$VERSION-Setup.exe LANE=${EXAMDESK_BUILD_LANE:-$ROOT/.wine-lane-build}; NSIS_LEGACY=""
fi
WORK=$ROOT/build/installer/$LANE_NAME
BUNDLE=$WORK/dist/ExamDesk
T0=$(now)

# --- the cache: the same sources, pins and options give the same installer
inputs() {
  (cd "$ROOT" && git ls-files -co --exclude-standard -- client examcore installer tools/build-installer.sh \
     tools/wine-lane pyproject.toml | grep -v -e '__pycache__' -e '\.pyc$' | sort | xargs -d '\n' sha256sum)
  printf '%s\n' "$LANE_NAME" "$SERVER_URL" "$SIGN_CMD"; [ -z "$CA_CERT" ] || sha256sum < "$CA_CERT"
}
KEY=$(inputs | sha256sum | cut -c1-20)
CACHED=$CACHE/installers/$KEY
mkdir -p "$OUT"
if [ "$REUSE" = 1 ] && [ -f "$CACHED/$SETUP" ] && [ -f "$CACHED/build-$LANE_NAME.json" ]; then
  cp "$CACHED/$SETUP" "$CACHED/build-$LANE_NAME.json" "$OUT/"
  log "unchanged since the cached build $KEY: $OUT/$SETUP"
  exit 0
fi

# --- 1. tools: Debian's nsis; the build lane (wine64, the Windows CPython, PyPI wheels incl. PyInstaller)
command -v makensis >/dev/null || {
  apt-get update -qq >/dev/null; timeout 600 apt-get install -y -qq --no-install-recommends nsis >/dev/null; }
STAMP=$(cat "$ROOT"/tools/wine-lane/{lanes.py,setup.sh,stubs.sh,icuuc_stub.c,mscms_stub.c} "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)
if [ "$(cat "$LANE/.ready" 2>/dev/null)" != "$STAMP" ]; then
  [ -f "$LANE/.ready" ] && rm -rf "$LANE"    # rebuilt whole; only a lane folder is ever removed
  log "preparing the build lane $LANE"
  "$ROOT/tools/wine-lane/setup.sh" "$LANE_NAME" build "$LANE" >&2
  echo "$STAMP" > "$LANE/.ready"
fi
T1=$(now)

# --- 2. PyInstaller under wine, in the lane's Windows CPython
winpath() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }
rm -rf "$WORK"; mkdir -p "$WORK"
log "PyInstaller ($CP) -> $BUNDLE"
if ! (cd "$ROOT" && "$ROOT/tools/wine-lane/run.sh" "$LANE" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$(winpath "$WORK/dist")" --workpath "$(winpath "$WORK/work")" installer/examdesk.spec) \
        > "$WORK/pyinstaller.log" 2>&1 || [ ! -f "$BUNDLE/ExamDesk.exe" ]; then
  tail -40 "$WORK/pyinstaller.log" >&2; log "PyInstaller failed (log: $WORK/pyinstaller.log)"; exit 1
fi
grep '^examdesk.spec:' "$WORK/pyinstaller.log" >&2 || true
T2=$(now)

# --- 3. build-time defaults beside the program (client/config.py: build defaults < user config < env < command line)
if [ -n "$SERVER_URL$CA_CERT" ]; then
  "$HOSTPY" "$ROOT/installer/bake.py" "$BUNDLE" --server-url "$SERVER_URL" --ca-cert "$CA_CERT" >&2
fi

# --- 4. what the bundle may contain (no lane stand-ins or shims, no build/test tools, nothing untrimmed)
"$HOSTPY" "$ROOT/installer/bundle_check.py" "$BUNDLE" --system-dir "$LANE/prefix/drive_c/windows/system32" >&2

# --- 5. code signing of the programs (the installer and uninstaller are signed by makensis' !finalize)
SIGNED=false NSIS_SIGN=()
if [ -n "$SIGN_CMD" ]; then
  for exe in "$BUNDLE/ExamDesk.exe" "$BUNDLE/ExamDesk-console.exe"; do $SIGN_CMD "$exe"; done
  SIGNED=true NSIS_SIGN=("-DSIGN_CMD=$SIGN_CMD")
else
  log "UNSIGNED build: no --sign-cmd given (Windows SmartScreen will warn candidates; sign release builds)"
fi
BUNDLE_BYTES=$(du -sb "$BUNDLE" | cut -f1); BUNDLE_FILES=$(find "$BUNDLE" -type f | wc -l)
T3=$(now)

# --- 6. NSIS: per-user installer, 64-bit, UTF-8 script
log "makensis -> $OUT/$SETUP"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DBUILD_DIR="$BUNDLE" -DOUTFILE="$WORK/$SETUP" $NSIS_LEGACY \
    "${NSIS_SIGN[@]}" "$ROOT/installer/examdesk.nsi" > "$WORK/makensis.log" 2>&1 || {
  tail -30 "$WORK/makensis.log" >&2; log "makensis failed"; exit 1; }
T4=$(now)

SETUP_BYTES=$(stat -c %s "$WORK/$SETUP")
"$HOSTPY" - "$WORK/build-$LANE_NAME.json" <<EOF
import json, sys
t = [float(x) for x in "$T0 $T1 $T2 $T3 $T4".split()]
wheels = open("$LANE/wheels.txt").read().split()
json.dump({"lane": "$LANE_NAME", "version": "$VERSION", "installer": "$SETUP", "installer_bytes": $SETUP_BYTES,
           "bundle_bytes": $BUNDLE_BYTES, "bundle_files": $BUNDLE_FILES, "signed": $( [ "$SIGNED" = true ] && echo True || echo False ),
           "server_url": "$SERVER_URL" or None, "ca_cert": bool("$CA_CERT"),
           "seconds": {"lane": round(t[1] - t[0], 1), "pyinstaller": round(t[2] - t[1], 1),
                       "check": round(t[3] - t[2], 1), "makensis": round(t[4] - t[3], 1), "total": round(t[4] - t[0], 1)},
           "wheels": wheels}, open(sys.argv[1], "w"), indent=2)
EOF
cp "$WORK/$SETUP" "$WORK/build-$LANE_NAME.json" "$OUT/"
mkdir -p "$CACHED" && cp "$WORK/$SETUP" "$WORK/build-$LANE_NAME.json" "$CACHED/"
# keep the cache small: the newest 6 builds
ls -1dt "$CACHE"/installers/*/ 2>/dev/null | tail -n +7 | xargs -r rm -rf
log "$OUT/$SETUP: $(( SETUP_BYTES / 1000000 )) MB (bundle $(( BUNDLE_BYTES / 1000000 )) MB, $BUNDLE_FILES files), $(awk "BEGIN{printf \"%d\", $T4 - $T0}") s"
