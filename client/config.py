"""Client configuration: defaults < build defaults < config file < environment (EXAMDESK_*) < command line.

Build defaults: `examdesk-defaults.json` beside the frozen program, written by the installer build
(tools/build-installer.sh --server-url/--ca-cert), so a candidate never types the server's address.

The server's policy (from `/server-info`) is merged in at login with `merge_policy`; it may only
tighten what the client does, it never moves the data folder or the server address.
"""
from __future__ import annotations

import argparse
import configparser
import dataclasses
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, MutableMapping, Optional

log = logging.getLogger(__name__)

APP_NAME = "ExamDesk"
CONFIG_FILE_NAMES = ("examdesk.json", "examdesk.ini")
BUILD_DEFAULTS_NAME = "examdesk-defaults.json"


def default_data_dir() -> str:
    import platformdirs

    return platformdirs.user_data_dir(APP_NAME, appauthor=False)


@dataclass
class ClientConfig:
    server_url: str = "http://127.0.0.1:8765"
    data_dir: str = ""
    language: str = "zh_CN"
    demo: bool = False
    # bytes per second for evidence/document uploads (0 = no cap); answers are never throttled
    upload_bandwidth_bps: int = 256 * 1024
    request_timeout_s: float = 10.0
    heartbeat_interval_s: float = 15.0
    # the server's signing key (base64); pinned on first contact when empty
    server_signing_key: str = ""
    ops_batch_size: int = 200
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0          # after the server answered 5xx/garbage: spare a struggling server
    # after no connection at all (refused, reset, no route): such retries cost the server nothing,
    # and a short ceiling means answers flow within ~1 s of the network coming back
    backoff_network_max_s: float = 1.0
    upload_chunk_bytes: int = 256 * 1024
    # how far a restart without the server may trust the local wall clock (see ExamClock)
    wall_fallback_max_skew_s: float = 300.0
    # the camera for the self-check, thumbnail and monitor: "" = the default device, a number, or a recorded file
    camera: str = ""
    # the exam-time microphone: "" = the default input, "none" = no microphone, or a device name / number
    microphone: str = ""
    # the exam server's CA certificate (PEM file): when set, HTTPS to the server trusts this CA only
    ca_cert: str = ""
    policy: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.data_dir:
            self.data_dir = default_data_dir()
        self.server_url = self.server_url.rstrip("/")

    @property
    def api_url(self) -> str:
        return self.server_url + "/api/v1"

    def merge_policy(self, policy: Mapping[str, Any]) -> None:
        """Merge the server's client policy (at login)."""
        self.policy = dict(policy or {})
        hb = self.policy.get("heartbeat_interval_s")
        if isinstance(hb, (int, float)) and not isinstance(hb, bool) and 1 <= hb <= 600:
            # the server may ask for more frequent heartbeats, never fewer than configured
            self.heartbeat_interval_s = min(self.heartbeat_interval_s, float(hb))


_FIELDS = {f.name: f for f in dataclasses.fields(ClientConfig)}


def _coerce(name: str, raw: Any) -> Any:
    kind = type(getattr(ClientConfig(data_dir="-"), name))
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "yes", "on")
    if kind is int:
        return int(raw)
    if kind is float:
        return float(raw)
    if kind is dict:
        return dict(raw) if isinstance(raw, Mapping) else json.loads(str(raw))
    return str(raw)


def _apply(values: Dict[str, Any], source: Mapping[str, Any], origin: str) -> None:
    for key, raw in source.items():
        key = key.strip().lower().replace("-", "_")
        if key not in _FIELDS:
            log.warning("配置项未知，已忽略 / unknown config key ignored: %s (%s)", key, origin)
            continue
        try:
            values[key] = _coerce(key, raw)
        except (TypeError, ValueError) as e:
            log.warning("配置项 %s 的值无效，已忽略 / bad value for %s in %s: %s", key, key, origin, e)


def read_config_file(data_dir: str) -> Dict[str, Any]:
    """Values from examdesk.json or examdesk.ini ([examdesk] section) in the data folder."""
    for name in CONFIG_FILE_NAMES:
        path = os.path.join(data_dir, name)
        if not os.path.exists(path):
            continue
        try:
            if name.endswith(".json"):
                with open(path, encoding="utf-8") as f:
                    data = json.load(f)
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                return data
            parser = configparser.ConfigParser()
            parser.read(path, encoding="utf-8")
            return dict(parser["examdesk"]) if parser.has_section("examdesk") else {}
        except (OSError, ValueError, configparser.Error) as e:
            log.error("配置文件损坏，已使用默认值 / config file unreadable, defaults used: %s: %s", path, e)
            return {}
    return {}


def build_defaults_path() -> Optional[str]:
    """The build's defaults file: beside the program in a frozen build, none when run from source."""
    if getattr(sys, "frozen", False):
        return os.path.join(os.path.dirname(os.path.abspath(sys.executable)), BUILD_DEFAULTS_NAME)
    return None


def read_build_defaults(path: Optional[str]) -> Dict[str, Any]:
    """Values baked in at build time; a relative `ca_cert` is beside the file."""
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        log.error("程序自带的默认配置损坏，已忽略 / build defaults unreadable, ignored: %s: %s", path, e)
        return {}
    ca = data.get("ca_cert")
    if isinstance(ca, str) and ca and not os.path.isabs(ca):
        data["ca_cert"] = os.path.join(os.path.dirname(os.path.abspath(path)), ca)
    return data


def trust_ca_cert(config: ClientConfig, environ: MutableMapping[str, str]) -> None:
    """Make requests (ServerApi, tus uploads, the network check) verify the server against `ca_cert`;
    an explicit REQUESTS_CA_BUNDLE in the environment wins."""
    if not config.ca_cert:
        return
    if not os.path.isfile(config.ca_cert):
        log.error("服务器 CA 证书不存在 / the server's CA certificate is missing: %s", config.ca_cert)
        return
    environ.setdefault("REQUESTS_CA_BUNDLE", config.ca_cert)


def env_values(environ: Mapping[str, str]) -> Dict[str, Any]:
    out = {}
    for key, value in environ.items():
        if key.startswith("EXAMDESK_"):
            name = key[len("EXAMDESK_"):].lower()
            if name in _FIELDS:
                out[name] = value
    return out


def arg_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="examdesk", add_help=False)
    p.add_argument("--server-url")
    p.add_argument("--data-dir")
    p.add_argument("--language")
    p.add_argument("--demo", action="store_const", const=True, default=None)
    p.add_argument("--upload-bandwidth-bps", type=int)
    p.add_argument("--camera")
    p.add_argument("--microphone")
    return p


def load_config(argv: Optional[List[str]] = None, environ: Optional[Mapping[str, str]] = None,
                build_defaults: Optional[str] = None) -> ClientConfig:
    """Build the configuration; unknown command-line arguments are left for the UI. With the process's
    own environment (environ None) a configured CA certificate is put to use (trust_ca_cert)."""
    own_environ = environ is None
    environ = os.environ if environ is None else environ
    args, _rest = arg_parser().parse_known_args(list(argv or []))
    cli = {k: v for k, v in vars(args).items() if v is not None}
    env = env_values(environ)
    # the data folder must be known before its config file can be read
    data_dir = cli.get("data_dir") or env.get("data_dir") or default_data_dir()
    values: Dict[str, Any] = {}
    _apply(values, read_build_defaults(build_defaults or build_defaults_path()), "build defaults")
    _apply(values, read_config_file(data_dir), "config file")
    _apply(values, env, "environment")
    _apply(values, cli, "command line")
    values["data_dir"] = data_dir
    config = ClientConfig(**values)
    if own_environ:
        trust_ca_cert(config, os.environ)
    return config


def configured_server_url(data_dir: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> str:
    """The exam server as configured for this computer (the installer's build defaults, the config file,
    EXAMDESK_SERVER_URL, whatever layers load_config reads), or "" when none names one: the built-in
    address is a developer's default, and a candidate's check must say "not configured" rather than test it."""
    config = load_config(["--data-dir", data_dir] if data_dir else [], environ)
    return "" if config.server_url == DEVELOPMENT_SERVER_URL else config.server_url


DEVELOPMENT_SERVER_URL = ClientConfig.server_url   # the dataclass default: the reference server's demo port
