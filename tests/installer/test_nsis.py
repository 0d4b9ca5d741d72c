"""installer/examdesk.nsi compiles with Debian's makensis for both builds, and its signing hook signs the
uninstaller and the installer (on a tiny stand-in bundle: seconds, not minutes)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.installer.winebox import ROOT

pytestmark = pytest.mark.skipif(shutil.which("makensis") is None, reason="needs Debian's nsis (./dev installs it)")


def _bundle(tmp_path):
    bundle = tmp_path / "ExamDesk"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("ExamDesk.exe", "ExamDesk-console.exe", "_internal/base_library.zip"):
        (bundle / name).write_bytes(b"MZ stand-in")
    return bundle


def _makensis(tmp_path, *defines):
    out = tmp_path / "Setup.exe"
    done = subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", "-DVERSION=9.8.7", "-DBUILD_DIR=%s" % _bundle(tmp_path),
                           "-DOUTFILE=%s" % out, *defines, str(ROOT / "installer/examdesk.nsi")],
                          capture_output=True, text=True, timeout=300)
    return done, out


@pytest.mark.parametrize("edition, name", [([], "Windows 10/11"), (["-DLEGACY"], "Windows 7")])
def test_both_editions_compile_to_a_64_bit_installer(tmp_path, edition, name):
    done, out = _makensis(tmp_path, *edition)
    assert done.returncode == 0, done.stdout + done.stderr
    data = out.read_bytes()
    pe = int.from_bytes(data[0x3C:0x40], "little")
    assert data[pe:pe + 4] == b"PE\0\0" and int.from_bytes(data[pe + 4:pe + 6], "little") == 0x8664   # amd64
    # the version resource names the version (-DVERSION) and the edition
    assert ("ExamDesk 9.8.7 installer (%s)" % name).encode("utf-16-le") in data


def test_the_signing_hook_signs_the_uninstaller_and_the_installer(tmp_path):
    log = tmp_path / "signed.txt"
    signer = tmp_path / "sign.sh"
    signer.write_text('#!/bin/sh\nhead -c 2 "$1" > /dev/null && echo "$1" >> %s\n' % log)
    signer.chmod(0o755)
    done, out = _makensis(tmp_path, "-DSIGN_CMD=%s" % signer)
    assert done.returncode == 0, done.stdout + done.stderr
    signed = log.read_text().split()
    assert len(signed) == 2 and signed[-1] == str(out), signed     # the uninstaller first, then the installer


def test_a_failing_signer_fails_the_build(tmp_path):
    done, _out = _makensis(tmp_path, "-DSIGN_CMD=false")
    assert done.returncode != 0
