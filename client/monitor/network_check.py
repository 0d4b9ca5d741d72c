"""Network self-check: latency and jitter to the exam server, real upload throughput
(POST /api/v1/speedtest), wired or wireless, proxy, VPN. No Qt."""
from __future__ import annotations

import logging
import os
import re
import statistics
import sys
import time
import urllib.request
from typing import Any, Callable, Dict, List, Optional

from client.monitor.results import FAIL, WARN, CheckResult, bad, ok

log = logging.getLogger(__name__)
MIB = 1024 * 1024
VPN_NAME = re.compile(r"^(tun|tap|wg|ppp|utun|ipsec|gpd|vpn|tailscale|zt|nordlynx|proton)|vpn|wireguard|openvpn|"
                      r"fortinet|anyconnect|globalprotect|pangp|tap-windows|wintun", re.I)
WIFI_NAME = re.compile(r"wi-?fi|wlan|wireless|802\.11|^wl", re.I)


def api_base(url: str) -> str:
    """Accept `http://host:port`, `.../api/v1` or `.../api/v1/`; return the `/api/v1` base."""
    url = url.strip().rstrip("/")
    if not re.match(r"^https?://", url, re.I):
        raise ValueError(url)
    return url if url.endswith("/api/v1") else url + "/api/v1"


def measure_latency(base: str, samples: int = 6, timeout: float = 5.0, session: Any = None) -> List[Optional[float]]:
    """Round-trip times in ms to GET /healthz (None = lost). The first request also opens the connection
    and is left out, so the figures are what an exam request sees."""
    import requests

    s = session or requests.Session()
    out: List[Optional[float]] = []
    for i in range(samples + 1):
        t0 = time.perf_counter()
        try:
            r = s.get(base + "/healthz", timeout=timeout)
            rtt: Optional[float] = (time.perf_counter() - t0) * 1000.0 if r.status_code == 200 else None
        except requests.RequestException as exc:
            log.info("latency sample failed: %s", exc)
            rtt = None
        if i > 0 or rtt is None:
            out.append(rtt)
    return out[:samples]


def latency_results(rtts: List[Optional[float]], url: str) -> List[CheckResult]:
    got = [r for r in rtts if r is not None]
    if not got:
        return [bad("network.server", FAIL, url, "无法连接考试服务器。", "Cannot reach the exam server.",
                    "请检查网线或 Wi-Fi 是否连接，能否打开网页；如使用代理或 VPN，请关闭后重试。",
                    "Check the cable or Wi-Fi and that web pages open; turn off any proxy or VPN and retry.",
                    samples=len(rtts))]
    lost = (len(rtts) - len(got)) / float(len(rtts))
    median = statistics.median(got)
    jitter = statistics.mean(abs(a - b) for a, b in zip(got, got[1:])) if len(got) > 1 else 0.0
    out = [ok("network.server", url, "已连接考试服务器。", "Connected to the exam server.")]
    value = {"median_ms": round(median, 1), "lost": round(lost, 3), "samples": len(rtts)}
    if median > 300 or lost > 0:
        status = FAIL if median > 1000 or lost >= 0.5 else WARN
        out.append(bad("network.latency", status, value, "网络延迟高（%.0f 毫秒）或有丢包。" % median,
                       "High latency (%.0f ms) or lost requests." % median,
                       "尽量使用有线网络，靠近路由器，暂停下载、视频和其他联网设备。",
                       "Use a wired connection if you can, sit near the router, pause downloads, video and other devices."))
    else:
        out.append(ok("network.latency", value, "网络延迟 %.0f 毫秒。" % median, "Latency %.0f ms." % median))
    if jitter > 50:
        out.append(bad("network.jitter", FAIL if jitter > 150 else WARN, round(jitter, 1),
                       "网络不稳定（抖动 %.0f 毫秒）。" % jitter, "The connection is unstable (jitter %.0f ms)." % jitter,
                       "建议改用有线网络，并让家人暂停占用网络（视频、下载、游戏）。",
                       "Prefer a wired connection and ask others to pause streaming, downloads and games."))
    else:
        out.append(ok("network.jitter", round(jitter, 1), "网络稳定（抖动 %.0f 毫秒）。" % jitter,
                      "The connection is stable (jitter %.0f ms)." % jitter))
    return out


def measure_upload(base: str, size: int = MIB, timeout: float = 30.0, session: Any = None) -> Dict[str, Any]:
    """POST `size` random bytes to /speedtest; Mbit/s from the client's own clock (connection time included)."""
    import requests

    s = session or requests.Session()
    body = os.urandom(size)
    t0 = time.perf_counter()
    r = s.post(base + "/speedtest", data=body, timeout=timeout,
               headers={"Content-Type": "application/octet-stream"})
    elapsed = max(1e-6, time.perf_counter() - t0)
    if r.status_code != 200:
        return {"ok": False, "status": r.status_code, "text": r.text[:200]}
    answer = r.json()
    return {"ok": True, "bytes": int(answer.get("bytes", 0)), "sent": size, "seconds": elapsed,
            "mbit_s": size * 8 / elapsed / 1e6, "server_ms": answer.get("ms")}


def upload_result(base: str, session: Any = None, size: int = MIB) -> CheckResult:
    import requests

    try:
        m = measure_upload(base, size, session=session)
        if m.get("ok") and m["seconds"] < 0.5:  # fast link: a larger sample measures it better
            m = measure_upload(base, 4 * size, session=session)
    except requests.RequestException as exc:
        return bad("network.upload", FAIL, None, "上传测速失败：连接中断。", "Upload test failed: the connection dropped.",
                   "请检查网络后重试；尽量使用有线网络。", "Check the network and retry; prefer a wired connection.",
                   error=str(exc)[:200])
    if not m.get("ok"):
        return bad("network.upload", WARN, None, "服务器暂时无法进行上传测速（HTTP %s）。" % m["status"],
                   "The server could not run the upload test now (HTTP %s)." % m["status"],
                   "请稍后重新检测。", "Retry the check in a minute.", http_status=m["status"])
    if m["bytes"] != m["sent"]:
        return bad("network.upload", FAIL, round(m["mbit_s"], 2), "上传数据不完整。", "The upload arrived incomplete.",
                   "网络可能被代理或防火墙截断，请换一个网络重试。",
                   "A proxy or firewall may cut uploads: try another network.", received=m["bytes"])
    mbit = m["mbit_s"]
    value = round(mbit, 2)
    if mbit < 2.0:
        return bad("network.upload", FAIL if mbit < 0.5 else WARN, value, "上传速度偏低（%.1f Mbit/s）。" % mbit,
                   "Upload is slow (%.1f Mbit/s)." % mbit,
                   "监考视频需要上传带宽：请使用有线网络，并暂停其他设备的上传（云盘同步、直播）。",
                   "Proctoring video needs upload bandwidth: use a wired connection and pause other uploads "
                   "(cloud sync, streaming).", bytes=m["sent"])
    return ok("network.upload", value, "上传速度 %.1f Mbit/s。" % mbit, "Upload %.1f Mbit/s." % mbit, bytes=m["sent"])


# -- the local link ---------------------------------------------------------------------------
def default_interface_linux(route_file: str = "/proc/net/route") -> Optional[str]:
    try:
        with open(route_file) as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                if len(parts) > 2 and parts[1] == "00000000":
                    return parts[0]
    except OSError:
        pass
    return None


def link_kind(iface: Optional[str], sys_net: str = "/sys/class/net") -> str:
    """wired | wireless | unknown for the interface carrying the default route."""
    if not iface:
        return "unknown"
    if sys.platform.startswith("linux") and os.path.isdir(os.path.join(sys_net, iface)):
        wireless = os.path.exists(os.path.join(sys_net, iface, "wireless")) or os.path.exists(
            os.path.join(sys_net, iface, "phy80211"))
        return "wireless" if wireless else "wired"
    if sys.platform == "win32":
        from client.monitor.win_adapters import list_adapters

        for a in list_adapters():  # IfType 71 = IEEE 802.11
            if a.name == iface:
                return "wireless" if a.kind == "wireless" else "wired"
    return "wireless" if WIFI_NAME.search(iface) else "wired"


def active_interfaces() -> Dict[str, bool]:
    try:
        import psutil

        return {name: bool(st.isup) for name, st in psutil.net_if_stats().items()}
    except Exception:
        return {}


def default_interface() -> Optional[str]:
    if sys.platform.startswith("linux"):
        return default_interface_linux()
    if sys.platform == "win32":
        from client.monitor.win_adapters import primary_adapter

        primary = primary_adapter()
        if primary is not None:
            return primary.name
    up = [n for n, isup in active_interfaces().items() if isup and not re.search(r"loopback|^lo$", n, re.I)]
    wired = [n for n in up if not WIFI_NAME.search(n) and not VPN_NAME.search(n)]
    return (wired or up or [None])[0]


def link_result(iface: Optional[str], kind: str) -> CheckResult:
    if kind == "wireless":
        return bad("network.link", WARN, {"interface": iface, "kind": kind}, "正在使用无线网络（Wi-Fi）。",
                   "You are on a wireless (Wi-Fi) connection.",
                   "考试建议使用有线网络：请用网线连接路由器；无法连接时请靠近路由器。",
                   "A wired connection is recommended: plug in a network cable; if you cannot, sit near the router.")
    return ok("network.link", {"interface": iface, "kind": kind},
              "有线网络。" if kind == "wired" else "未能判断网络类型。",
              "Wired connection." if kind == "wired" else "Could not tell the connection type.")


def proxy_result(proxies: Optional[Dict[str, str]] = None) -> CheckResult:
    found = {k: v for k, v in (urllib.request.getproxies() if proxies is None else proxies).items()
             if k in ("http", "https", "all") and v}
    if found:
        return bad("network.proxy", WARN, sorted(found), "系统设置了网络代理。", "A network proxy is set.",
                   "代理可能导致考试中断：如非单位要求，请在系统网络设置中关闭代理。",
                   "A proxy can interrupt the exam: turn it off in the network settings unless your organisation requires it.",
                   proxies={k: _redact(v) for k, v in found.items()})
    return ok("network.proxy", [], "没有设置代理。", "No proxy.")


def _redact(url: str) -> str:
    return re.sub(r"//[^@/]+@", "//***@", url)  # never put proxy passwords in a report


def windows_vpn_adapters() -> List[str]:
    """Up tunnels that route (a gateway), or adapters named like VPN clients. Teredo/6to4 pseudo-interfaces
    are tunnels without a gateway: not flagged."""
    from client.monitor.win_adapters import list_adapters

    return [a.name for a in list_adapters() if a.up and ((a.kind == "tunnel" and a.has_gateway)
                                                          or VPN_NAME.search(a.name) or VPN_NAME.search(a.description))]


def vpn_result(interfaces: Optional[Dict[str, bool]] = None) -> CheckResult:
    ifs = active_interfaces() if interfaces is None else interfaces
    vpn = sorted(n for n, up in ifs.items() if up and VPN_NAME.search(n))
    if interfaces is None and sys.platform == "win32":
        vpn = sorted(set(vpn) | set(windows_vpn_adapters()))
    if vpn:
        return bad("network.vpn", WARN, vpn, "检测到 VPN 连接：%s。" % "、".join(vpn), "VPN connection found: %s." % ", ".join(vpn),
                   "VPN 会增加延迟、可能中断连接：考试时请断开 VPN。",
                   "A VPN adds delay and may drop the connection: disconnect it for the exam.")
    return ok("network.vpn", [], "未检测到 VPN。", "No VPN found.")


def run_network_check(url: str, samples: int = 6, upload: bool = True, upload_bytes: int = MIB,
                      progress: Optional[Callable[[str], None]] = None) -> List[CheckResult]:
    """Every network check against the server at `url`; never raises for network trouble."""
    import requests

    try:
        base = api_base(url)
    except ValueError:
        return [bad("network.server", FAIL, url, "服务器地址无效：%s" % url, "Invalid server address: %s" % url,
                    "地址应以 http:// 或 https:// 开头。", "The address must start with http:// or https://.")]
    iface = default_interface()
    out = [link_result(iface, link_kind(iface)), proxy_result(), vpn_result()]
    with requests.Session() as s:
        if progress:
            progress("latency")
        lat = latency_results(measure_latency(base, samples, session=s), url)
        out = lat + out
        if upload and lat[0].status != FAIL:
            if progress:
                progress("upload")
            out.insert(len(lat), upload_result(base, session=s, size=upload_bytes))
    return out
