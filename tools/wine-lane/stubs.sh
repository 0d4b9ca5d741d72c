#!/usr/bin/env bash
# Build the stand-ins for system DLLs that wine 8 lacks and that Qt 6 imports, into DIR (a prefix's system32):
#   icuuc.dll  Qt6Core imports ICU converters from the system (wine has no ICU; every ucnv_open fails)
#   mscms.dll  qwindows.dll calls WcsCreateIccProfile, unimplemented in wine 8 (needs DllOverrides mscms=native,builtin)
# They belong to the test machine, like the OS's own DLLs, and never to a bundle (installer/bundle_check.py).
set -euo pipefail
DIR=$1; SRC=$(dirname "$(readlink -f "$0")")
x86_64-w64-mingw32-gcc -O2 -shared -s -nostdlib -Wl,--entry,0 -o "$DIR/icuuc.dll" "$SRC/icuuc_stub.c"
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$DIR/mscms.dll" "$SRC/mscms_stub.c"
