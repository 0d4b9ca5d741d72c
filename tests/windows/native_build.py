"""Build tiny Windows executables at test time with mingw-w64 (windres + gcc, which the wine lane's setup
installs), optionally signed with osslsigncode: stand-ins for real programs whose version resource and
signature say who they are. Under wine the Linux tools run through `start /unix`, which does not wait:
a marker file says when they are done. On Windows they are taken from PATH (e.g. MSYS2's mingw)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from typing import Dict, List, Optional

SLEEPER_C = "#include <windows.h>\nint main(void) { Sleep(120000); return 0; }\n"

VERSION_RC = """#include <winver.h>
1 VERSIONINFO
FILEVERSION 9,1,0,0
PRODUCTVERSION 9,1,0,0
FILETYPE VFT_APP
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "%(block)s"
    BEGIN
%(values)s
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x%(lang)s, %(codepage)d
  END
END
"""


def under_wine() -> bool:
    from client.win32.api import wine_version

    return wine_version() is not None


def rc_text(strings: Dict[str, str], lang: str = "0409", codepage: int = 1200) -> str:
    values = "\n".join('      VALUE "%s", "%s"' % (k, v) for k, v in strings.items())
    return VERSION_RC % {"block": "%s%04x" % (lang, codepage), "values": values, "lang": lang, "codepage": codepage}


def _unix(path: str) -> str:
    assert path[:2].upper() == "Z:", path
    return path[2:].replace("\\", "/")


def _run_unix(lines: List[str], work: str, timeout: float = 300.0) -> None:
    script, done, log = (os.path.join(work, n) for n in ("build.sh", "build.rc", "build.log"))
    with open(script, "w", newline="\n", encoding="utf-8") as f:
        f.write("cd '%s'\n(\nset -e\n%s\n) > '%s' 2>&1\necho $? > '%s'\n" % (
            _unix(work), "\n".join(lines), _unix(log), _unix(done)))
    subprocess.run(["start.exe", "/unix", "/bin/sh", _unix(script)], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    deadline = time.monotonic() + timeout   # a hang guard only
    while not (os.path.exists(done) and open(done).read().strip()):
        if time.monotonic() > deadline:
            raise RuntimeError("native build did not finish")
        time.sleep(0.1)
    rc = int(open(done).read().strip())
    if rc != 0:
        raise RuntimeError("native build failed (%d): %s" % (rc, open(log, encoding="utf-8", errors="replace").read()))


class Builder:
    """Executables in a fresh folder under Z:\\tmp (wine) or %TEMP% (Windows)."""

    def __init__(self) -> None:
        self.wine = under_wine()
        self.work = tempfile.mkdtemp(prefix="examdesk-exe-", dir="Z:\\tmp" if self.wine else None)
        if not self.wine and not (shutil.which("windres") and shutil.which("gcc")):
            raise RuntimeError("mingw windres/gcc not on PATH")
        with open(os.path.join(self.work, "sleeper.c"), "w", encoding="utf-8") as f:
            f.write(SLEEPER_C)
        self.lines: List[str] = []
        self.signing = False

    def exe(self, name: str, strings: Optional[Dict[str, str]] = None, lang: str = "0409",
            sign_as: str = "") -> str:
        base = os.path.splitext(name)[0]
        objs = ["sleeper.c"]
        if strings:
            with open(os.path.join(self.work, base + ".rc"), "w", encoding="utf-8") as f:
                f.write(rc_text(strings, lang))
            self.lines.append("x86_64-w64-mingw32-windres -c 65001 %s.rc -O coff -o %s.res" % (base, base))
            objs.append(base + ".res")
        self.lines.append("x86_64-w64-mingw32-gcc -O2 -s -o %s %s" % (name, " ".join(objs)))
        if sign_as:
            self.signing = True
            self.lines += [
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s.key -out %s.pem -days 30 -subj '/CN=%s'"
                % (base, base, sign_as),
                "osslsigncode sign -certs %s.pem -key %s.key -n %s -in %s -out signed-%s" % (base, base, base, name,
                                                                                           name),
                "mv signed-%s %s" % (name, name)]
        return os.path.join(self.work, name)

    def build(self) -> None:
        if self.wine:
            _run_unix(self.lines, self.work)
            return
        for line in self.lines:   # native Windows: the same commands without the cross prefix
            subprocess.run(line.replace("x86_64-w64-mingw32-", ""), shell=True, cwd=self.work, check=True)

    def cleanup(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def can_sign() -> bool:
    return os.path.exists("Z:\\usr\\bin\\osslsigncode") and os.path.exists("Z:\\usr\\bin\\openssl")
