"""ClientConfig precedence: defaults < config file < environment < command line; policy merge."""
from __future__ import annotations

import json

from client.config import ClientConfig, load_config


def test_precedence(tmp_path):
    (tmp_path / "examdesk.json").write_text(json.dumps({
        "server_url": "http://file:1", "language": "en", "upload_bandwidth_bps": 1000, "demo": True}))
    env = {"EXAMDESK_DATA_DIR": str(tmp_path), "EXAMDESK_LANGUAGE": "zh_CN", "EXAMDESK_UPLOAD_BANDWIDTH_BPS": "2000"}
    cfg = load_config(["--upload-bandwidth-bps", "3000", "--unknown-ui-flag"], env)
    assert cfg.data_dir == str(tmp_path)
    assert cfg.server_url == "http://file:1"          # file over default
    assert cfg.language == "zh_CN"                     # environment over file
    assert cfg.upload_bandwidth_bps == 3000            # command line over everything
    assert cfg.demo is True and cfg.api_url == "http://file:1/api/v1"


def test_ini_file_and_command_line_data_dir(tmp_path):
    (tmp_path / "examdesk.ini").write_text("[examdesk]\nserver_url = http://ini:2/\ndemo = yes\n", encoding="utf-8")
    cfg = load_config(["--data-dir", str(tmp_path)], {})
    assert cfg.server_url == "http://ini:2" and cfg.demo is True


def test_bad_values_and_broken_files_fall_back_to_defaults(tmp_path, caplog):
    (tmp_path / "examdesk.json").write_text("{not json")
    cfg = load_config([], {"EXAMDESK_DATA_DIR": str(tmp_path), "EXAMDESK_REQUEST_TIMEOUT_S": "soon"})
    assert cfg.request_timeout_s == ClientConfig(data_dir="x").request_timeout_s
    text = caplog.text
    assert "配置文件损坏" in text and "config file unreadable" in text and "request_timeout_s" in text


def test_default_data_dir_is_the_user_data_folder():
    cfg = load_config([], {})
    assert "ExamDesk" in cfg.data_dir or "examdesk" in cfg.data_dir.lower()


def test_policy_may_only_shorten_the_heartbeat():
    cfg = ClientConfig(data_dir="x", heartbeat_interval_s=15)
    cfg.merge_policy({"heartbeat_interval_s": 60, "virtual_machine": "warn"})
    assert cfg.heartbeat_interval_s == 15 and cfg.policy["virtual_machine"] == "warn"
    cfg.merge_policy({"heartbeat_interval_s": 5})
    assert cfg.heartbeat_interval_s == 5
    cfg.merge_policy({"heartbeat_interval_s": "fast"})
    assert cfg.heartbeat_interval_s == 5
