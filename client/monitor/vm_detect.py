"""Virtual-machine evidence, each item listed with where it came from and how much it weighs.

Weights avoid false flags on ordinary PCs: a Windows 11 host with virtualisation-based security
reports the hypervisor CPU flag, and hosts with WSL2/Docker/VirtualBox carry virtual adapters with
Hyper-V/VirtualBox MAC prefixes. So: firmware (DMI/BIOS) strings are strong; a VM MAC prefix
on the adapter that carries the default route is medium; the CPU flag and other adapters are weak.
A machine counts as a VM on strong evidence, or medium plus anything else (the same rule, and the
same `virtual_machine` policy, on every system).

Linux adds what a guest kernel shows (KVM and Firecracker guests often have no VM strings in DMI, or
no DMI at all): `/sys/hypervisor/type` and a paravirtual clock source (kvm-clock, Hyper-V, Xen) are
strong, `systemd-detect-virt --vm` when installed is strong, the CPU hypervisor flag is medium (a Linux
kernel on bare metal never sets it: there is no VBS host on Linux), no DMI tables at all on x86 is weak.
"""
from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

VM_FIRMWARE = re.compile(r"vmware|virtualbox|vbox|qemu|kvm|bochs|xen|hyper-v|virtual machine|parallels|"
                         r"innotek|red hat|openstack|google compute|amazon ec2|bhyve|utm|acrn", re.I)
VM_MAC_PREFIXES = {
    "08:00:27": "VirtualBox", "0a:00:27": "VirtualBox", "00:05:69": "VMware", "00:0c:29": "VMware",
    "00:1c:14": "VMware", "00:50:56": "VMware", "52:54:00": "QEMU/KVM", "00:15:5d": "Hyper-V",
    "00:1c:42": "Parallels", "00:16:3e": "Xen",
}
STRONG, MEDIUM, WEAK = "strong", "medium", "weak"


@dataclass
class Evidence:
    source: str      # dmi | cpu | mac | hypervisor | clocksource | systemd
    item: str        # e.g. "sys_vendor=QEMU", "hypervisor flag", "eth0 52:54:00:12:34:56 (QEMU/KVM)"
    weight: str

    def to_dict(self) -> Dict[str, str]:
        return {"source": self.source, "item": self.item, "weight": self.weight}


def firmware_strings(dmi_root: str = "/sys/class/dmi/id") -> Dict[str, str]:
    """Linux DMI or the Windows BIOS registry key (read-only)."""
    out: Dict[str, str] = {}
    if sys.platform == "win32":
        try:
            import winreg  # type: ignore[import-not-found]

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"HARDWARE\DESCRIPTION\System\BIOS") as k:
                for name in ("SystemManufacturer", "SystemProductName", "BaseBoardManufacturer", "BIOSVendor"):
                    try:
                        out[name] = str(winreg.QueryValueEx(k, name)[0])
                    except OSError:
                        pass
        except OSError:
            pass
        return out
    for name in ("sys_vendor", "product_name", "board_vendor", "bios_vendor", "chassis_vendor"):
        try:
            with open(os.path.join(dmi_root, name), encoding="utf-8", errors="replace") as f:
                value = f.read().strip()
        except OSError:
            continue
        if value:
            out[name] = value
    return out


def cpu_hypervisor_flag(cpuinfo: str = "/proc/cpuinfo") -> Optional[bool]:
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return "hypervisor" in line.split()
    except OSError:
        return None
    return False


def mac_addresses() -> Dict[str, str]:
    try:
        import psutil

        link = getattr(psutil, "AF_LINK", None)
        return {name: a.address.replace("-", ":").lower() for name, addrs in psutil.net_if_addrs().items()
                for a in addrs if a.family == link and a.address}
    except Exception:
        return {}


PARAVIRT_CLOCKS = {"kvm-clock": "KVM", "hyperv_clocksource_tsc_page": "Hyper-V", "hyperv_clocksource_msr": "Hyper-V",
                   "xen": "Xen"}
DetectVirt = Callable[[], Optional[str]]


def systemd_detect_virt() -> Optional[str]:
    """`systemd-detect-virt --vm` (kvm, qemu, vmware, oracle, microsoft, xen, amazon...); None when it is not
    installed or says none. Containers are not asked about: a container on a real PC is not a VM."""
    exe = shutil.which("systemd-detect-virt")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--vm"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    name = out.stdout.strip()
    return name if out.returncode == 0 and name and name != "none" else None


def linux_evidence(sys_root: str = "/sys", detect_virt: Optional[DetectVirt] = systemd_detect_virt,
                   machine: Optional[str] = None) -> List[Evidence]:
    """What a Linux guest kernel shows about its hypervisor (read-only files, one optional program)."""
    out: List[Evidence] = []
    try:
        with open(os.path.join(sys_root, "hypervisor", "type"), encoding="utf-8", errors="replace") as f:
            kind = f.read().strip()
        if kind:
            out.append(Evidence("hypervisor", "/sys/hypervisor/type=%s" % kind, STRONG))
    except OSError:
        pass
    try:
        with open(os.path.join(sys_root, "devices", "system", "clocksource", "clocksource0",
                               "available_clocksource"), encoding="utf-8", errors="replace") as f:
            clocks = f.read().split()
        for clock in clocks:
            if clock in PARAVIRT_CLOCKS:
                out.append(Evidence("clocksource", "%s (%s paravirtual clock)" % (clock, PARAVIRT_CLOCKS[clock]),
                                    STRONG))
    except OSError:
        pass
    machine = machine or platform.machine()
    if machine.lower() in ("x86_64", "amd64", "i686", "i386") and not os.path.isdir(os.path.join(sys_root, "class",
                                                                                               "dmi")):
        out.append(Evidence("dmi", "no DMI/SMBIOS tables (every PC firmware has them; microVMs do not)", WEAK))
    found = detect_virt() if detect_virt is not None else None
    if found:
        out.append(Evidence("systemd", "systemd-detect-virt --vm: %s" % found, STRONG))
    return out


def collect_evidence(firmware: Optional[Dict[str, str]] = None, hypervisor: Optional[bool] = None,
                     macs: Optional[Dict[str, str]] = None, primary: Optional[str] = None,
                     linux: Optional[List[Evidence]] = None, system: Optional[str] = None) -> List[Evidence]:
    """Every item of evidence; an argument left None is probed on this machine. `system` (sys.platform
    by default) decides the CPU flag's weight and whether the Linux guest signs are read."""
    system = system or sys.platform
    on_linux = system.startswith("linux")
    firmware = firmware_strings() if firmware is None else firmware
    hypervisor = cpu_hypervisor_flag() if hypervisor is None and on_linux else hypervisor
    macs = mac_addresses() if macs is None else macs
    linux = (linux_evidence() if on_linux else []) if linux is None else linux
    out = [Evidence("dmi", "%s=%s" % (k, v), STRONG) for k, v in sorted(firmware.items()) if VM_FIRMWARE.search(v)]
    if hypervisor:
        # Windows sets it on hosts with virtualisation-based security; a Linux kernel only as a guest
        out.append(Evidence("cpu", "hypervisor flag", MEDIUM if on_linux else WEAK))
    out += linux
    for name, mac in sorted(macs.items()):
        vendor = VM_MAC_PREFIXES.get(mac[:8])
        if vendor:
            out.append(Evidence("mac", "%s %s (%s)" % (name, mac, vendor), MEDIUM if name == primary else WEAK))
    return out


def looks_virtual(evidence: List[Evidence]) -> bool:
    weights = [e.weight for e in evidence]
    return STRONG in weights or (MEDIUM in weights and len(weights) >= 2)
