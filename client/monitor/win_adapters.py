"""Windows network adapters through iphlpapi GetAdaptersAddresses (ctypes, read-only): interface
type (71 = Wi-Fi, 6 = Ethernet, 23 = PPP, 131 = tunnel), state, and whether it has a default gateway.
Only the leading fields of IP_ADAPTER_ADDRESSES are declared: they are all we read."""
from __future__ import annotations

import ctypes
import logging
import sys
from dataclasses import dataclass
from typing import List, Optional

log = logging.getLogger(__name__)

IF_TYPE_ETHERNET = 6
IF_TYPE_PPP = 23
IF_TYPE_LOOPBACK = 24
IF_TYPE_WIFI = 71
IF_TYPE_TUNNEL = 131
IF_OPER_UP = 1


@dataclass
class Adapter:
    name: str            # FriendlyName (what psutil reports too), e.g. "Ethernet", "WLAN"
    description: str     # e.g. "Intel(R) Wi-Fi 6 AX201 160MHz"
    if_type: int
    up: bool
    has_gateway: bool

    @property
    def kind(self) -> str:
        if self.if_type == IF_TYPE_WIFI:
            return "wireless"
        if self.if_type in (IF_TYPE_PPP, IF_TYPE_TUNNEL):
            return "tunnel"
        return "loopback" if self.if_type == IF_TYPE_LOOPBACK else "wired"


def list_adapters() -> List[Adapter]:
    if sys.platform != "win32":
        return []
    try:
        return _get_adapters()
    except Exception as exc:  # never break the check: callers fall back to names
        log.warning("GetAdaptersAddresses failed: %s", exc)
        return []


def primary_adapter(adapters: Optional[List[Adapter]] = None) -> Optional[Adapter]:
    """The adapter that carries the default route: up, with a gateway, not loopback; real links first."""
    cands = [a for a in (list_adapters() if adapters is None else adapters)
             if a.up and a.has_gateway and a.kind != "loopback"]
    cands.sort(key=lambda a: a.kind == "tunnel")  # a VPN tunnel also has a gateway; the link below it matters
    return cands[0] if cands else None


def _get_adapters() -> List[Adapter]:
    if sys.platform != "win32":  # iphlpapi is Windows-only (list_adapters() checks first)
        raise OSError("GetAdaptersAddresses is only available on Windows")
    from ctypes import wintypes

    class SOCKET_ADDRESS(ctypes.Structure):
        _fields_ = [("lpSockaddr", ctypes.c_void_p), ("iSockaddrLength", ctypes.c_int)]

    class IP_ADAPTER_ADDRESSES(ctypes.Structure):
        pass

    IP_ADAPTER_ADDRESSES._fields_ = [
        ("Length", wintypes.ULONG), ("IfIndex", wintypes.DWORD),
        ("Next", ctypes.POINTER(IP_ADAPTER_ADDRESSES)),
        ("AdapterName", ctypes.c_char_p),
        ("FirstUnicastAddress", ctypes.c_void_p), ("FirstAnycastAddress", ctypes.c_void_p),
        ("FirstMulticastAddress", ctypes.c_void_p), ("FirstDnsServerAddress", ctypes.c_void_p),
        ("DnsSuffix", ctypes.c_wchar_p), ("Description", ctypes.c_wchar_p), ("FriendlyName", ctypes.c_wchar_p),
        ("PhysicalAddress", ctypes.c_ubyte * 8), ("PhysicalAddressLength", wintypes.ULONG),
        ("Flags", wintypes.ULONG), ("Mtu", wintypes.ULONG), ("IfType", wintypes.DWORD),
        ("OperStatus", ctypes.c_int), ("Ipv6IfIndex", wintypes.DWORD), ("ZoneIndices", wintypes.DWORD * 16),
        ("FirstPrefix", ctypes.c_void_p), ("TransmitLinkSpeed", ctypes.c_uint64),
        ("ReceiveLinkSpeed", ctypes.c_uint64), ("FirstWinsServerAddress", ctypes.c_void_p),
        ("FirstGatewayAddress", ctypes.c_void_p),
    ]
    iphlpapi = ctypes.WinDLL("iphlpapi")
    get = iphlpapi.GetAdaptersAddresses
    get.argtypes = [wintypes.ULONG, wintypes.ULONG, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(wintypes.ULONG)]
    get.restype = wintypes.ULONG
    AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, ERROR_BUFFER_OVERFLOW = 0, 0x80, 111
    size = wintypes.ULONG(16 * 1024)
    for _ in range(4):
        buf = ctypes.create_string_buffer(size.value)
        rc = get(AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, None, buf, ctypes.byref(size))
        if rc != ERROR_BUFFER_OVERFLOW:
            break
    if rc != 0:
        raise OSError("GetAdaptersAddresses returned %d" % rc)
    out = []
    p = ctypes.cast(buf, ctypes.POINTER(IP_ADAPTER_ADDRESSES))
    while p:
        a = p.contents
        out.append(Adapter(a.FriendlyName or "", a.Description or "", int(a.IfType), a.OperStatus == IF_OPER_UP,
                           bool(a.FirstGatewayAddress)))
        p = a.Next
    return out
