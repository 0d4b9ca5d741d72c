"""Network adapters through iphlpapi GetAdaptersAddresses (read-only). Only the leading fields of
IP_ADAPTER_ADDRESSES are declared: they are all we read."""
from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import List, NamedTuple

from client.win32.api import Fn


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

GetAdaptersAddresses = Fn("iphlpapi", "GetAdaptersAddresses", wintypes.ULONG,
                          [wintypes.ULONG, wintypes.ULONG, ctypes.c_void_p, ctypes.c_void_p,
                           ctypes.POINTER(wintypes.ULONG)])
AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, ERROR_BUFFER_OVERFLOW = 0, 0x80, 111
IF_OPER_UP = 1


class RawAdapter(NamedTuple):
    friendly_name: str
    description: str
    if_type: int
    up: bool
    has_gateway: bool


def adapters() -> List[RawAdapter]:
    size = wintypes.ULONG(16 * 1024)
    rc = ERROR_BUFFER_OVERFLOW
    buf = ctypes.create_string_buffer(1)
    for _ in range(4):
        buf = ctypes.create_string_buffer(size.value)
        rc = GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, None, buf, ctypes.byref(size))
        if rc != ERROR_BUFFER_OVERFLOW:
            break
    if rc != 0:
        raise OSError("GetAdaptersAddresses returned %d" % rc)
    out = []
    p = ctypes.cast(buf, ctypes.POINTER(IP_ADAPTER_ADDRESSES))
    while p:
        a = p.contents
        out.append(RawAdapter(a.FriendlyName or "", a.Description or "", int(a.IfType), a.OperStatus == IF_OPER_UP,
                              bool(a.FirstGatewayAddress)))
        p = a.Next
    return out
