"""System checks: each with a passing and a failing case. Forbidden programs are real processes."""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import namedtuple

import psutil
import pytest

from client.monitor import system_check as sc
from client.monitor.processes import close_processes, find_forbidden
from client.monitor.vm_detect import (
    collect_evidence,
    cpu_hypervisor_flag,
    firmware_strings,
    linux_evidence,
    looks_virtual,
    systemd_detect_virt,
)

GIB = 1024 ** 3
Battery = namedtuple("Battery", "percent secsleft power_plugged")


def test_os_windows_versions_and_other_systems():
    assert sc.os_result("Windows", (6, 1, 7601)).status == "pass"       # Windows 7
    assert sc.os_result("Windows", (10, 0, 22631)).status == "pass"
    old = sc.os_result("Windows", (6, 0, 6002))                         # Vista
    assert old.status == "fail" and "Windows 7" in old.fix_zh
    assert sc.os_result("Linux").status == "warn"


def test_disk(tmp_path):
    assert sc.disk_result(tmp_path, free=50 * GIB).status == "pass"
    assert sc.disk_result(tmp_path, free=3 * GIB).status == "warn"
    low = sc.disk_result(tmp_path, free=GIB // 2)
    assert low.status == "fail" and "5 GB" in low.fix_en
    real = sc.disk_result(tmp_path / "not" / "yet" / "made")          # measured on the nearest existing folder
    assert real.value["free_gib"] > 0


def test_memory_cpu_battery():
    assert sc.memory_result(8 * GIB, 4 * GIB).status == "pass"
    assert sc.memory_result(3 * GIB, 2 * GIB).status == "warn"
    assert sc.memory_result(GIB, GIB // 2).status == "fail"
    assert sc.memory_result().value["total_gib"] > 0                  # the real machine
    assert sc.cpu_result(20).status == "pass" and sc.cpu_result(97).status == "warn"
    assert sc.battery_result(None).status == "pass"
    assert sc.battery_result(Battery(80, 0, True)).status == "pass"
    assert sc.battery_result(Battery(80, 0, False)).status == "warn"
    assert sc.battery_result(Battery(15, 0, False)).status == "fail"


def test_displays_follow_policy():
    assert sc.displays_result(1).status == "pass"
    two = sc.displays_result(2, {"multiple_displays": "fail"})
    assert two.status == "fail" and "unplug" in two.fix_en and "显示器" in two.fix_zh
    assert sc.displays_result(2, {"multiple_displays": "warn"}).status == "warn"
    assert sc.displays_result(None).value is None


def test_vm_evidence_is_weighed_not_just_listed(tmp_path):
    dmi = tmp_path / "dmi"
    dmi.mkdir()
    (dmi / "sys_vendor").write_text("QEMU\n")
    (dmi / "product_name").write_text("Standard PC (Q35 + ICH9, 2009)\n")
    assert firmware_strings(str(dmi)) == {"sys_vendor": "QEMU", "product_name": "Standard PC (Q35 + ICH9, 2009)"}
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu vme sse2 hypervisor lahf_lm\n")
    assert cpu_hypervisor_flag(str(cpuinfo)) is True

    vm = collect_evidence(firmware_strings(str(dmi)), True, {"eth0": "52:54:00:12:34:56"}, primary="eth0", linux=[])
    assert looks_virtual(vm) and {e.source for e in vm} == {"dmi", "cpu", "mac"}
    r = sc.vm_result(vm, {"virtual_machine": "warn"})
    assert r.status == "warn" and len(r.details["evidence"]) == 3
    assert sc.vm_result(vm, {"virtual_machine": "fail"}).status == "fail"
    assert sc.vm_result(vm, {"virtual_machine": "allow"}).status == "pass"

    # A physical Windows 11 PC with VBS (hypervisor flag) and WSL2's Hyper-V switch: not a VM
    host = collect_evidence({"SystemManufacturer": "LENOVO", "SystemProductName": "ThinkPad T14"}, True,
                            {"Ethernet": "3c:52:82:01:02:03", "vEthernet (WSL)": "00:15:5d:aa:bb:cc"},
                            primary="Ethernet", system="win32")
    assert not looks_virtual(host)
    assert sc.vm_result(host, {"virtual_machine": "fail"}).status == "pass"


def sysfs(root, clocks="tsc hpet acpi_pm", hypervisor=None, dmi=True):
    """A /sys tree in the kernel's own format, as a guest or a physical PC shows it."""
    clock = root / "devices" / "system" / "clocksource" / "clocksource0"
    clock.mkdir(parents=True)
    (clock / "available_clocksource").write_text(clocks + " \n")
    if hypervisor:
        (root / "hypervisor").mkdir()
        (root / "hypervisor" / "type").write_text(hypervisor + "\n")
    if dmi:
        (root / "class" / "dmi" / "id").mkdir(parents=True)
    return str(root)


def test_linux_guests_are_found_even_without_vm_strings_in_dmi(tmp_path):
    # Firecracker: no DMI at all, the KVM paravirtual clock, the CPU flag; no systemd-detect-virt installed
    fc = linux_evidence(sysfs(tmp_path / "fc", "tsc kvm-clock", dmi=False), detect_virt=None, machine="x86_64")
    assert {e.source for e in fc} == {"clocksource", "dmi"}
    vm = collect_evidence({}, True, {}, linux=fc, system="linux")
    assert looks_virtual(vm) and [e.weight for e in vm if e.source == "cpu"] == ["medium"]
    assert sc.vm_result(vm, {"virtual_machine": "warn"}).status == "warn"
    assert sc.vm_result(vm, {"virtual_machine": "fail"}).status == "fail"   # the same policy as on Windows
    # no paravirtual clock either: the CPU flag (medium on Linux) and the missing DMI (weak) still add up
    bare = linux_evidence(sysfs(tmp_path / "fc2", "tsc", dmi=False), detect_virt=None, machine="x86_64")
    assert looks_virtual(collect_evidence({}, True, {}, linux=bare, system="linux"))
    assert not looks_virtual(collect_evidence({}, False, {}, linux=bare, system="linux"))
    # a Xen guest says so in /sys/hypervisor; systemd-detect-virt alone is enough as well
    xen = linux_evidence(sysfs(tmp_path / "xen", "xen tsc", hypervisor="xen"), detect_virt=None)
    assert looks_virtual(xen) and any(e.item == "/sys/hypervisor/type=xen" for e in xen)
    assert looks_virtual(linux_evidence(sysfs(tmp_path / "sd"), detect_virt=lambda: "qemu"))


def test_a_physical_linux_pc_is_not_a_vm(tmp_path):
    pc = linux_evidence(sysfs(tmp_path / "pc"), detect_virt=lambda: None, machine="x86_64")
    assert pc == []
    ev = collect_evidence({"sys_vendor": "Dell Inc.", "product_name": "OptiPlex 7090"}, False,
                          {"enp3s0": "3c:52:82:01:02:03", "docker0": "02:42:ac:11:00:02"}, primary="enp3s0",
                          linux=pc, system="linux")
    assert not looks_virtual(ev)
    # the CPU flag alone (medium on Linux) is not enough either
    assert not looks_virtual(collect_evidence({}, True, {}, linux=pc, system="linux"))


def test_this_machine_agrees_with_systemd_detect_virt():
    if not sys.platform.startswith("linux") or shutil.which("systemd-detect-virt") is None:
        pytest.skip("needs Linux with systemd-detect-virt to compare against")
    found = systemd_detect_virt()
    evidence = collect_evidence()     # every probe of this machine, as the self-check and the lockdown run it
    if found:
        assert looks_virtual(evidence), (found, [e.to_dict() for e in evidence])
        assert sc.vm_result(policy={"virtual_machine": "warn"}).status == "warn"
    else:
        assert not any(e.source == "systemd" for e in evidence)


def test_remote_sessions():
    assert sc.remote_session_evidence({"SSH_CONNECTION": "10.0.0.2 5555 10.0.0.3 22"}) == ["SSH_CONNECTION"]
    assert sc.remote_session_evidence({"DISPLAY": ":0"}) == []
    assert sc.remote_session_evidence({"DISPLAY": "laptop:10.0"}) == ["DISPLAY=laptop:10.0"]
    assert "SESSIONNAME=RDP-Tcp#3" in sc.remote_session_evidence({"SESSIONNAME": "RDP-Tcp#3"}, win_remote=True)
    assert sc.remote_result(["XRDP_SESSION"], {"remote_session": "fail"}).status == "fail"
    assert sc.remote_result([], {}).status == "pass"


@pytest.fixture
def forbidden_program(tmp_path):
    """A real running process named like a forbidden program (a copy of `sleep`)."""
    sleep = shutil.which("sleep")
    if sleep is None or sys.platform == "win32":
        pytest.skip("needs a POSIX `sleep` binary")
    exe = tmp_path / "FakeObs64"
    shutil.copy(sleep, str(exe))
    proc = subprocess.Popen([str(exe), "60"])
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_forbidden_program_found_then_closed_on_request(forbidden_program):
    policy = {"forbidden_processes": ["FakeObs64.exe", "NotRunning.exe"]}
    found = find_forbidden(policy["forbidden_processes"])
    assert {"pid": forbidden_program.pid, "name": "FakeObs64"} in found
    r = sc.processes_result(policy)
    assert r.status == "fail" and "FakeObs64" in r.message_en and "关闭" in r.fix_zh
    assert forbidden_program.poll() is None  # finding never closes anything
    assert close_processes([forbidden_program.pid]) == {forbidden_program.pid: "closed"}
    forbidden_program.wait(timeout=5)
    assert sc.processes_result(policy).status == "pass"


def test_close_reports_processes_already_gone():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    assert close_processes([p.pid]) in ({p.pid: "gone"}, {p.pid: "closed"})


def test_scripted_process_list_and_empty_policy():
    class Scripted:
        def list(self):
            return [(10, "TeamViewer.exe"), (11, "notepad.exe"), (12, "teamviewer")]

    assert [f["pid"] for f in find_forbidden(["TeamViewer.exe"], Scripted())] == [12, 10]
    assert find_forbidden([], Scripted()) == []


def test_whole_system_check_on_this_machine(tmp_path):
    results = sc.run_system_check({"forbidden_processes": []}, displays=lambda: 1, data_dir=tmp_path)
    ids = [r.id for r in results]
    assert ids == ["system.os", "system.disk", "system.memory", "system.cpu", "system.battery", "system.displays",
                   "system.virtual_machine", "system.remote_session", "system.processes"]
    assert all(r.message_zh and r.message_en for r in results)
    assert {r.status for r in results} <= {"pass", "warn", "fail"}
    assert psutil.pid_exists(1)


@pytest.mark.expected_log(r"system check step failed")
def test_a_broken_probe_is_reported_not_raised(tmp_path):
    def boom():
        raise RuntimeError("display probe exploded")

    results = sc.run_system_check({}, displays=boom, data_dir=tmp_path)
    errors = [r for r in results if r.id == "system.error"]
    assert len(errors) == 1 and "exploded" in errors[0].value and len(results) == 9
