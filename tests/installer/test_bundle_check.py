"""installer/bundle_check.py: what a bundle may contain, on made-up bundles and PyInstaller-format archives."""
from __future__ import annotations

import marshal
import struct
import sys
from pathlib import Path

import pytest

from tests.installer.winebox import ROOT

sys.path.insert(0, str(ROOT / "installer"))
import bundle_check as bc  # noqa: E402

GOOD = [
    "ExamDesk.exe", "ExamDesk-console.exe", "examdesk-defaults.json",
    "_internal/base_library.zip", "_internal/python311.dll", "_internal/python3.dll", "_internal/_ssl.pyd",
    "_internal/VCRUNTIME140.dll", "_internal/PySide6/Qt6Core.dll", "_internal/PySide6/QtWidgets.pyd",
    "_internal/PySide6/MSVCP140.dll", "_internal/PySide6/plugins/platforms/qwindows.dll",
    "_internal/PySide6/translations/qtbase_zh_CN.qm", "_internal/cv2/cv2.pyd", "_internal/cv2/data/haarcascade_eye.xml",
    "_internal/client/ui/i18n/examdesk_zh_CN.qm", "_internal/numpy.libs/libopenblas64_.dll",
]
SYSTEM32 = {"vcruntime140.dll", "msvcp140.dll", "kernel32.dll", "dbghelp.dll", "mscms.dll", "icuuc.dll"}


@pytest.fixture(scope="module")
def rules():
    return bc.Rules.load()


def test_a_proper_bundle_passes(rules):
    assert bc.check_files(rules, GOOD, SYSTEM32) == []


@pytest.mark.parametrize("path, reason", [
    ("_internal/icuuc.dll", "stand-in"),                      # the wine lane's stub, where PyInstaller put it
    ("_internal/PySide6/icuuc.dll", "stand-in"),
    ("_internal/mscms.dll", "stand-in"),
    ("_internal/sitecustomize.pyc", "shim"),
    ("_internal/wine_ucrt_shim.py", "shim"),
    ("_internal/setuptools/__init__.pyc", "build tool"),
    ("_internal/PySide6/opengl32sw.dll", "trimmed"),
    ("_internal/_sounddevice_data/portaudio-binaries/libportaudio32bit.dll", "trimmed"),
    ("_internal/PySide6/Qt6Quick.dll", "not on the list"),
    ("_internal/PySide6/Qt6Network.dll", "not on the list"),
    ("_internal/PySide6/plugins/platforms/qoffscreen.dll", "not on the list"),
    ("_internal/PySide6/translations/qtbase_de.qm", "not on the list"),
    ("_internal/somelib.dll", "not on the list"),
    ("ExamDesk.pdb", "not on the list"),
])
def test_what_must_not_ship_is_rejected_with_its_reason(rules, path, reason):
    problems = bc.check_files(rules, GOOD + [path], SYSTEM32)
    assert len(problems) == 1 and problems[0].startswith(path + ":") and reason in problems[0], problems


def test_a_dll_named_like_a_system32_one_is_rejected_unless_listed(rules):
    # allowed by its folder's pattern, but it would shadow Windows' own DLL
    problems = bc.check_files(rules, GOOD + ["_internal/cv2/dbghelp.dll"], SYSTEM32)
    assert problems == ["_internal/cv2/dbghelp.dll: named like Windows' own System32\\dbghelp.dll, which it would shadow"]
    # without a System32 listing the name alone is not judged
    assert bc.check_files(rules, GOOD + ["_internal/cv2/dbghelp.dll"], None) == []


def test_rules_are_case_insensitive_like_windows(rules):
    assert bc.check_files(rules, ["_INTERNAL/ICUUC.DLL"], None)[0].startswith("_INTERNAL/ICUUC.DLL: wine lane")
    assert rules.allowed("_internal/pyside6/qt6core.dll")


def test_glob_semantics():
    assert bc.glob_re("**/a.dll").match("a.dll") and bc.glob_re("**/a.dll").match("x/y/a.dll")
    assert not bc.glob_re("_internal/*.pyd").match("_internal/sub/x.pyd")
    assert bc.glob_re("_internal/python3?.dll").match("_internal/python38.dll")
    assert not bc.glob_re("_internal/python3?.dll").match("_internal/python311.dll")


# --- the archive inside the executables, in PyInstaller 6's format (PyInstaller/archive/writers.py)
def _pyz(modules):
    toc = marshal.dumps([(name, (0, 0, 0)) for name in modules])
    return b"PYZ\0" + b"\0\0\0\0" + struct.pack("!i", 12) + toc


def _exe(path: Path, scripts, modules) -> Path:
    payload = b""
    entries = []
    for kind, name, data in [("s", s, b"code") for s in scripts] + [("z", "PYZ.pyz", _pyz(modules))]:
        raw = name.encode() + b"\0"
        raw += b"\0" * (-(bc.TOC_ENTRY.size + len(raw)) % 16)
        entries.append(bc.TOC_ENTRY.pack(bc.TOC_ENTRY.size + len(raw), len(payload), len(data), len(data), 0,
                                         kind.encode()) + raw)
        payload += data
    toc = b"".join(entries)
    length = len(payload) + len(toc) + bc.COOKIE.size
    cookie = bc.COOKIE.pack(bc.COOKIE_MAGIC, length, len(payload), len(toc), 311, b"python311.dll")
    path.write_bytes(b"MZ bootloader..." + payload + toc + cookie)
    return path


def test_archive_with_only_pyinstallers_own_hooks_passes(rules, tmp_path):
    exe = _exe(tmp_path / "ExamDesk.exe", ["pyiboot01_bootstrap", "pyi_rth_pyside6", "__main__"],
               ["client", "client.config", "numpy", "PySide6.QtCore"])
    entries, modules = bc.read_carchive(str(exe))
    assert ("s", "pyi_rth_pyside6") in entries and "client.config" in modules
    assert bc.check_archive(rules, entries, modules, "ExamDesk.exe") == []


def test_archive_with_a_test_only_hook_or_module_fails(rules, tmp_path):
    exe = _exe(tmp_path / "ExamDesk.exe", ["pyiboot01_bootstrap", "wine_shim_hook", "__main__"],
               ["client", "sitecustomize", "wine_ucrt_shim", "setuptools.dist", "server.app", "serverless"])
    entries, modules = bc.read_carchive(str(exe))
    problems = bc.check_archive(rules, entries, modules, "ExamDesk.exe")
    assert "ExamDesk.exe: runs script 'wine_shim_hook' at start, not on the @script list" in problems
    carried = sorted(p.split("carries module ")[1].split(":")[0] for p in problems if "carries module" in p)
    assert carried == ["server.app", "setuptools.dist", "sitecustomize", "wine_ucrt_shim"]   # not "serverless"


def test_whole_bundle_folder(rules, tmp_path):
    bundle = tmp_path / "ExamDesk"
    for rel in GOOD:
        (bundle / rel).parent.mkdir(parents=True, exist_ok=True)
        (bundle / rel).write_bytes(b"x")
    for exe in bc.PROGRAMS:
        _exe(bundle / exe, ["pyiboot01_bootstrap", "__main__"], ["client"])
    system = tmp_path / "system32"
    system.mkdir()
    for name in SYSTEM32:
        (system / name).write_bytes(b"x")
    assert bc.check_bundle(str(bundle), rules, str(system)) == []
    assert bc.main([str(bundle), "--system-dir", str(system)]) == 0
    (bundle / "_internal/PySide6/mscms.dll").write_bytes(b"stub")     # what the first hand build shipped
    assert bc.main([str(bundle), "--system-dir", str(system)]) == 1


def test_not_a_pyinstaller_executable(tmp_path):
    exe = tmp_path / "ExamDesk.exe"
    exe.write_bytes(b"MZ nothing")
    with pytest.raises(ValueError, match="no PyInstaller archive"):
        bc.read_carchive(str(exe))


@pytest.mark.skipif(not __import__("shutil").which("x86_64-w64-mingw32-gcc"), reason="needs mingw-w64 (./dev installs it)")
def test_a_library_whose_import_was_trimmed_away_is_rejected(rules, tmp_path):
    # a real PE built here (the lane's mscms stand-in, imports KERNEL32.dll) inside an allowed folder
    import subprocess

    (tmp_path / "dll").mkdir()
    subprocess.run([str(ROOT / "tools/wine-lane/stubs.sh"), str(tmp_path / "dll")], check=True, timeout=120)
    data = (tmp_path / "dll/mscms.dll").read_bytes()
    imports = [d.lower() for d in bc.pe_imports(data)]
    assert "kernel32.dll" in imports
    bundle = tmp_path / "b"
    (bundle / "_internal/cv2").mkdir(parents=True)
    (bundle / "_internal/cv2/helper.dll").write_bytes(data)
    files = ["_internal/cv2/helper.dll"]
    system = set(imports)
    assert bc.check_imports(str(bundle), files, system) == []
    problems = bc.check_imports(str(bundle), files, system - {"kernel32.dll"})
    assert len(problems) == 1 and "imports KERNEL32.dll, which is neither in the bundle" in problems[0]
    (bundle / "_internal/KERNEL32.dll").write_bytes(b"x")        # found in the bundle: satisfied
    assert bc.check_imports(str(bundle), files + ["_internal/KERNEL32.dll"], system - {"kernel32.dll"}) == []
    assert bc.pe_imports(b"not a PE file") == []
    # Windows' own msvcrt.dll is not a redistributable; were it one, the build machine's copy would not count
    assert "msvcrt.dll" in imports and bc.check_imports(str(bundle), files, system, rules) == []
    problems = bc.check_imports(str(bundle), files, system, bc.Rules("@redist msvcrt.dll"))
    assert problems == ["_internal/cv2/helper.dll: imports msvcrt.dll, which is neither in the bundle nor Windows' own"]
