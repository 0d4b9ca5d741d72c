#!/usr/bin/env bash
# Which of a bundle's DLLs/PYDs a frozen ExamDesk loads under wine (WINEDEBUG=+loaddll), over --self-test,
# the login window and the self-check window; prints the bundle's never-loaded libraries (trim candidates,
# installer/bundle-contents.txt). Wine is not Windows: a camera or a sound card would load more.
#   tools/wine-lane/loaded-dlls.sh BUNDLE_DIR LANE_DIR
set -uo pipefail
BUNDLE=$(cd "$1" && pwd); LANE=$(cd "$2" && pwd)
export WINEPREFIX=$LANE/prefix WINEARCH=win64 WINEDEBUG=+loaddll
WINE=/usr/lib/wine/wine64; LOG=$(mktemp)
for n in $(seq 150 180); do [ -e /tmp/.X11-unix/X$n ] || break; done
Xvfb :$n -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & XPID=$!; export DISPLAY=:$n; sleep 1
$WINE "$BUNDLE/ExamDesk-console.exe" --self-test </dev/null 2>&1 | cat >> "$LOG"
for args in "--windowed" "check"; do
  ( $WINE "$BUNDLE/ExamDesk.exe" $args </dev/null 2>&1 | cat >> "$LOG" ) & sleep 25
  WINEDEBUG=-all $WINE taskkill /IM ExamDesk.exe </dev/null >/dev/null 2>&1; sleep 3
done
/usr/lib/wine/wineserver -k; kill $XPID
grep -oiE 'Loaded L"[^"]+\.(dll|pyd)" at [0-9a-f]+: native' "$LOG" | sed -E 's/.*\\//; s/" at.*//' | tr 'A-Z' 'a-z' | sort -u > "$LOG.loaded"
echo "loaded from the bundle: $(wc -l < "$LOG.loaded")"
echo "never loaded:"
(cd "$BUNDLE" && find . -iname '*.dll' -o -iname '*.pyd') | while read -r f; do
  b=$(basename "$f" | tr 'A-Z' 'a-z'); grep -qx "$b" "$LOG.loaded" || printf '  %8d %s\n' "$(stat -c %s "$BUNDLE/$f")" "${f#./}"
done | sort -k2
rm -f "$LOG" "$LOG.loaded"
