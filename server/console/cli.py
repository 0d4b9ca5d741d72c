"""Admin commands for staff, on --data-dir directly: import-staff (CSV), set-proctors, audit."""

import argparse
import csv
import json
import sys
from typing import Any, Callable

from server.console import accounts, audit
from server.context import ServerContext

CLI_ACTOR = accounts.Actor("admin-cli", "admin-cli")
COMMANDS = ("import-staff", "set-proctors", "audit")


def add_commands(cmd: Callable[[str, str], argparse.ArgumentParser]) -> None:
    cmd("import-staff", "CSV: username,display_name,role,password (role: proctor, marker or admin)").add_argument("csv")
    p = cmd("set-proctors", "replace a room's proctors (usernames, comma-separated)")
    p.add_argument("room")
    p.add_argument("proctors")
    p = cmd("audit", "the audit log, newest first")
    p.add_argument("--room", default=None)
    p.add_argument("--sitting", default=None)
    p.add_argument("--actor", default=None)
    p.add_argument("--limit", type=int, default=200)


def _out(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def run(ctx: ServerContext, args: argparse.Namespace) -> int:
    if args.cmd == "import-staff":
        with open(args.csv, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            out = accounts.upsert_account(ctx, r["username"], r.get("display_name") or "", (r.get("role") or "proctor"),
                                          r.get("password") or None)
            audit.record(ctx, CLI_ACTOR, "staff.upsert", target="staff:" + out["username"],
                         details={"role": out["role"], "password_set": bool(r.get("password"))})
        _out({"imported": len(rows)})
    elif args.cmd == "set-proctors":
        out = accounts.set_room_proctors(ctx, args.room, [u for u in args.proctors.split(",") if u.strip()])
        audit.record(ctx, CLI_ACTOR, "room.proctors", room_id=args.room, details={"proctors": out["proctors"]})
        _out(out)
    elif args.cmd == "audit":
        with ctx.db.read() as s:
            _out(audit.entries(s, actor=args.actor, room_id=args.room, sitting_id=args.sitting, limit=args.limit))
    return 0
