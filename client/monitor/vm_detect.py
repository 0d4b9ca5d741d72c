"""Virtual-machine evidence, each item listed with where it came from and how much it weighs.

Weights avoid false flags on ordinary PCs: a Windows 11 host with virtualisation-based security
reports the hypervisor CPU flag, and hosts with WSL2/Docker/VirtualBox carry virtual adapters with
Hyper-V/VirtualBox MAC prefixes. So: firmware (DMI/BIOS) strings are strong; a VM MAC prefix
on the adapter that carries the default route is medium; the CPU flag and other adapters are weak.
A machine counts as a VM on strong evidence, or medium plus anything else.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Dict, List, Optional

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
    source: str      # dmi | cpu | mac
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


def collect_evidence(firmware: Optional[Dict[str, str]] = None, hypervisor: Optional[bool] = None,
                     macs: Optional[Dict[str, str]] = None, primary: Optional[str] = None) -> List[Evidence]:
    firmware = firmware_strings() if firmware is None else firmware
    hypervisor = cpu_hypervisor_flag() if hypervisor is None and sys.platform.startswith("linux") else hypervisor
    macs = mac_addresses() if macs is None else macs
    out = [Evidence("dmi", "%s=%s" % (k, v), STRONG) for k, v in sorted(firmware.items()) if VM_FIRMWARE.search(v)]
    if hypervisor:
        out.append(Evidence("cpu", "hypervisor flag", WEAK))
    for name, mac in sorted(macs.items()):
        vendor = VM_MAC_PREFIXES.get(mac[:8])
        if vendor:
            out.append(Evidence("mac", "%s %s (%s)" % (name, mac, vendor), MEDIUM if name == primary else WEAK))
    return out


def looks_virtual(evidence: List[Evidence]) -> bool:
    weights = [e.weight for e in evidence]
    return STRONG in weights or (MEDIUM in weights and len(weights) >= 2)
