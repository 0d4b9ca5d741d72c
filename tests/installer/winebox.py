"""A fresh wine64 prefix to install an ExamDesk installer in, like a candidate's PC: per-user, no admin.

The prefix gets what a Windows PC has and wine 8 lacks (stand-ins for icuuc.dll/mscms.dll in system32,
built by tools/wine-lane/stubs.sh), and no host integration (winemenubuilder.exe and winedbg.exe
disabled). Nothing test-only goes into what is installed. Every wine process gets stdin/stdout that are
not regular files (wine 8's Python startup needs that), and the prefix's wineserver is ended on close.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[2]
WINE = "/usr/lib/wine/wine64"
WINESERVER = "/usr/lib/wine/wineserver"


def have_wine() -> bool:
    return os.path.exists(WINE) and shutil.which("Xvfb") is not None and shutil.which("x86_64-w64-mingw32-gcc") is not None


class Xvfb:
    """A virtual screen for the prefix's windows (and the screenshot)."""

    def __init__(self) -> None:
        n = 140
        while os.path.exists("/tmp/.X11-unix/X%d" % n) or os.path.exists("/tmp/.X%d-lock" % n):
            n += 1
        self.display = ":%d" % n
        self.proc = subprocess.Popen(["Xvfb", self.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            if os.path.exists("/tmp/.X11-unix/X%d" % n):
                break
            time.sleep(0.1)

    def windows(self) -> List[Tuple[str, str]]:
        """(title, program) of the named top-level X windows."""
        out = subprocess.run(["xwininfo", "-root", "-tree"], env=dict(os.environ, DISPLAY=self.display),
                             capture_output=True, text=True, timeout=30).stdout
        return re.findall(r'0x[0-9a-f]+ "([^"]*)": \("([^"]*)"', out)

    def screenshot(self, path: Path) -> Path:
        subprocess.run(["import", "-window", "root", str(path)], env=dict(os.environ, DISPLAY=self.display),
                       check=True, timeout=60)
        return path

    def painted(self, path: Path, timeout: float = 30) -> Path:
        """A screenshot once the screen is no longer black (a new window paints a moment after it maps)."""
        deadline = time.monotonic() + timeout
        while True:
            self.screenshot(path)
            mean = float(subprocess.run(["convert", str(path), "-format", "%[fx:mean]", "info:"], capture_output=True,
                                        text=True, timeout=60).stdout or 0)
            if mean > 0.2 or time.monotonic() > deadline:
                assert mean > 0.2, "the screen stayed dark (mean %.2f): %s" % (mean, path)
                return path
            time.sleep(1)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class WinePrefix:
    def __init__(self, path: Path, windows: str, display: str, stub_dlls: bool) -> None:
        self.path = path
        self.windows = windows
        self.home = path.parent / "home"          # wine's host-side files (menus) would land here, not in ~
        self.home.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ, WINEPREFIX=str(path), WINEARCH="win64", WINEDEBUG="-all", DISPLAY=display,
                        HOME=str(self.home), XDG_DATA_HOME=str(self.home / ".local/share"),
                        XDG_CONFIG_HOME=str(self.home / ".config"))
        self.env.pop("QT_QPA_PLATFORM", None)
        self.stub_dlls = stub_dlls

    # --- processes
    def quiet(self, args: Sequence[str], timeout: float = 180) -> int:
        """A wine command whose output nobody needs (stdio detached: wineserver must not hold our pipes)."""
        return subprocess.run([WINE, *args], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=timeout).returncode

    def run(self, args: Sequence[str], timeout: float = 300) -> Tuple[int, str]:
        done = subprocess.run([WINE, *args], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        return done.returncode, done.stdout.decode("utf-8", "replace")

    def start(self, args: Sequence[str]) -> subprocess.Popen:
        return subprocess.Popen([WINE, *args], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)

    def start_services(self) -> None:
        """Wine's own services (device drivers, explorer) started detached, as Windows has them running:
        started lazily by a program they would inherit its output pipe and their crashes would read as its."""
        subprocess.run([WINESERVER, "-p60"], env=self.env, timeout=60, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.quiet(["wineboot"])

    def wait_server(self, timeout: float = 120) -> None:
        """Until every process of the prefix has ended (the uninstaller relaunches itself from %TEMP%)."""
        subprocess.run([WINESERVER, "-w"], env=self.env, timeout=timeout, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill(self) -> None:
        subprocess.run([WINESERVER, "-k"], env=self.env, timeout=60, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # --- the prefix
    def create(self) -> None:
        self.quiet(["wineboot", "--init"])
        self.set_windows(self.windows)
        for exe in ("winedbg.exe", "winemenubuilder.exe"):
            self.quiet(["reg", "add", r"HKCU\Software\Wine\DllOverrides", "/v", exe, "/d", "", "/f"])
        if self.stub_dlls:   # what Windows has and wine 8 lacks: into system32, like the OS's own DLLs
            subprocess.run([str(ROOT / "tools/wine-lane/stubs.sh"), str(self.system32)], check=True, timeout=120)
            self.quiet(["reg", "add", r"HKCU\Software\Wine\DllOverrides", "/v", "mscms", "/d", "native,builtin", "/f"])
        self.wait_server()

    def set_windows(self, version: str) -> None:
        self.quiet(["winecfg", "-v", version])
        self.wait_server()

    def reboot(self) -> None:
        """A restart: Windows runs the deletions scheduled for it (PendingFileRenameOperations)."""
        self.quiet(["wineboot", "-r"])
        self.wait_server()

    @property
    def system32(self) -> Path:
        return self.path / "drive_c/windows/system32"

    @property
    def user(self) -> Path:
        return next((self.path / "drive_c/users").glob("[!P]*"))   # not "Public"

    @property
    def local_appdata(self) -> Path:
        return self.user / "AppData/Local"

    @property
    def temp(self) -> Path:
        return self.user / "Temp"

    @property
    def start_menu(self) -> Path:
        return self.user / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs"

    def unix(self, windows_path: str) -> Path:
        """C:\\users\\x\\... -> the file in the prefix."""
        drive, rest = windows_path.split(":", 1)
        assert drive.upper() == "C", windows_path
        parts = [p for p in rest.replace("\\", "/").split("/") if p]
        here = self.path / "drive_c"
        for part in parts:   # Windows paths are case-insensitive
            match = next((c for c in here.iterdir() if c.name.lower() == part.lower()), None) if here.is_dir() else None
            here = match if match is not None else here / part
        return here

    def reg_query(self, key: str) -> Dict[str, str]:
        rc, out = self.run(["reg", "query", key], timeout=60)
        if rc != 0:
            return {}
        values = {}
        for line in out.splitlines():
            m = re.match(r"\s+(\S+)\s+REG_\w+\s+(.*)$", line)
            if m:
                values[m.group(1)] = m.group(2).strip()
        return values

    def registry_lines(self, word: str) -> List[str]:
        """Lines of the prefix's registry files that mention `word` (after wineserver wrote them)."""
        self.wait_server()
        out = []
        for reg in sorted(self.path.glob("*.reg")):
            for line in reg.read_text(encoding="utf-8", errors="replace").splitlines():
                if word.lower() in line.lower():
                    out.append("%s: %s" % (reg.name, line.strip()))
        return out

    def pending_deletions(self) -> List[str]:
        values = self.reg_query(r"HKLM\System\CurrentControlSet\Control\Session Manager")
        raw = values.get("PendingFileRenameOperations", "")
        return [p for p in re.split(r"\\0", raw) if p]

    def close(self) -> None:
        self.kill()


def leftovers(prefix: WinePrefix, install_dir: Path, data_dir: Optional[Path]) -> List[str]:
    """Everything of ExamDesk still in the prefix (and the host home wine writes menus to)."""
    found = []
    if install_dir.exists():
        found.append("install folder %s: %s" % (install_dir, sorted(p.name for p in install_dir.iterdir())))
    if data_dir is not None and data_dir.exists():
        found.append("data folder %s" % data_dir)
    found += ["shortcut %s" % p for p in prefix.path.glob("drive_c/**/*.lnk") if "examdesk" in p.name.lower()]
    found += ["temp %s" % p.name for p in prefix.temp.iterdir()]
    found += ["registry %s" % line for line in prefix.registry_lines("examdesk")]
    found += ["host %s" % p for p in prefix.home.rglob("*") if p.is_file()
              and ("examdesk" in str(p).lower() or {"applications", "menus", "icons"} & set(p.parts))]
    return found
