"""tools/wine-lane/lanes.py: the Windows wheel set comes from pyproject.toml, with Windows' markers."""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from tests.installer.winebox import ROOT

sys.path.insert(0, str(ROOT / "tools/wine-lane"))
import lanes  # noqa: E402

PYPROJECT = """[project]
name = "x"
version = "1.2.3"
dependencies = ["cryptography>=41"]

[project.optional-dependencies]
client = [
    "PySide6-Essentials>=6.5; python_version>='3.9'",
    "PySide2==5.15.2.1; python_version<'3.9'",
    "pywin32-thing; sys_platform == 'win32'",
    "uvloop; sys_platform != 'win32'",
    "yuface==2023.5.1; python_version<'3.12' and platform_machine in 'AMD64 x86_64'",
    "numpy>=1.24",
]
server = ["fastapi"]
"""


def _wheel(folder: Path, name: str, version: str, requires=()) -> Path:
    path = folder / ("%s-%s-py3-none-any.whl" % (name.replace("-", "_"), version))
    with zipfile.ZipFile(path, "w") as z:
        meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
        meta += "".join("Requires-Dist: %s\n" % r for r in requires)
        z.writestr("%s-%s.dist-info/METADATA" % (name.replace("-", "_"), version), meta)
    return path


def test_runtime_requirements_follow_the_lanes_python_and_windows(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    win10 = [r.name for r in lanes.runtime_requirements(lanes.LANES["win10"], tmp_path)]
    win7 = [r.name for r in lanes.runtime_requirements(lanes.LANES["win7"], tmp_path)]
    # never uvloop (this is Windows), never the server's extra
    assert win10 == ["cryptography", "PySide6-Essentials", "pywin32-thing", "yuface", "numpy"]
    assert win7 == ["cryptography", "PySide2", "pywin32-thing", "yuface", "numpy"]


def test_the_real_pyproject_gives_each_lane_its_qt_and_crypto():
    win7 = {r.name.lower(): r for r in lanes.runtime_requirements(lanes.LANES["win7"])}
    win10 = {r.name.lower(): r for r in lanes.runtime_requirements(lanes.LANES["win10"])}
    assert "pyside2" in win7 and "pyside6-essentials" not in win7
    assert "pyside6-essentials" in win10 and "pyside2" not in win10
    assert not win7["cryptography"].specifier.contains("43.0")          # Windows 7: cryptography < 43
    assert "cryptography<43" in lanes.LANES["win7"].constraints
    # every runtime dependency of pyproject.toml reaches both lanes (nothing hand-listed)
    meta = lanes.project()
    names = {Requirement(r).name.lower() for r in meta["dependencies"] + meta["optional-dependencies"]["client"]}
    assert names - {"pyside6-essentials", "pyside2"} <= set(win7) & set(win10)


def test_closure_adds_windows_only_dependencies_pip_skipped_on_linux(tmp_path):
    lane = lanes.LANES["win7"]
    _wheel(tmp_path, "pytest", "8.3.5", ["colorama; sys_platform == 'win32'", "exceptiongroup>=1; python_version < '3.11'",
                                         "tomli>=1; python_version < '3.11'", "pluggy<2,>=1.5",
                                         "pygments; extra == 'dev'"])
    _wheel(tmp_path, "pluggy", "1.5.0")
    needed, missing, conflicts = lanes.closure(lane, [Requirement("pytest")], lanes._index(tmp_path))
    assert sorted(needed) == ["pluggy", "pytest"]
    assert sorted(str(r) for r in missing) == ["colorama", "exceptiongroup>=1", "tomli>=1"]   # not pygments (an extra)
    assert conflicts == []
    # on the 3.11 lane exceptiongroup/tomli are not needed
    _n, missing11, _c = lanes.closure(lanes.LANES["win10"], [Requirement("pytest")], lanes._index(tmp_path))
    assert [str(r) for r in missing11] == ["colorama"]


def test_closure_follows_extras_and_reports_conflicts(tmp_path):
    lane = lanes.LANES["win10"]
    _wheel(tmp_path, "requests", "2.32.0", ["urllib3<3,>=1.21", "PySocks!=1.5.7,>=1.5.6; extra == 'socks'"])
    _wheel(tmp_path, "urllib3", "3.1.0")
    needed, missing, conflicts = lanes.closure(lane, [Requirement("requests[socks]")], lanes._index(tmp_path))
    assert [str(r) for r in missing] == ["PySocks!=1.5.7,>=1.5.6"]
    assert conflicts == ["urllib3 <3,>=1.21 needed, 3.1.0 chosen"]


def test_show_gives_the_shell_scripts_one_place_for_pins(capsys):
    assert lanes.main(["show", "win7"]) == 0
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert out["CP"] == "cp38" and out["WINVER"] == "win7" and out["STUB_DLLS"] == "0"
    assert Version(out["VERSION"]) == Version(lanes.project()["version"])
    assert lanes.LANES["win10"].cp == "cp311"    # yuface has wheels for cp38-cp311 only
