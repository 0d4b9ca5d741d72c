"""Windows network adapters (GetAdaptersAddresses through client.win32, read-only): interface
type (71 = Wi-Fi, 6 = Ethernet, 23 = PPP, 131 = tunnel), state, and whether it has a default gateway."""
from __future__ import annotations

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
    from client.win32.adapters import adapters

    return [Adapter(a.friendly_name, a.description, a.if_type, a.up, a.has_gateway) for a in adapters()]
