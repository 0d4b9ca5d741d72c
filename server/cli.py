"""Admin commands that work on --data-dir directly (no running server needed)."""

import argparse
import csv
import datetime as dt
import json
import sys
from typing import Any, Callable, TextIO

from examcore.chain import json_safe
from server.console import cli as console_cli
from server.context import ServerContext
from server.errors import ApiError
from server.validation import strict_json


def add_admin_commands(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        common(p)
        return p

    cmd("import-paper", "import an examdesk-paper/1 file (with answers)").add_argument("file")
    cmd("import-candidates", "CSV: ticket,id_number,name,level,password[,prior_theory]").add_argument("csv")
    p = cmd("import-rooms", "CSV: room_id,paper_id,part,kind,start_at_ms,duration_s,candidates,proctors ('|' lists)")
    p.add_argument("csv")
    p = cmd("create-room", "create one room")
    p.add_argument("--paper", required=True)
    p.add_argument("--part", default="theory")
    p.add_argument("--kind", default="formal")
    p.add_argument("--start-at-ms", required=True, help="epoch ms or ISO date-time (default zone: Beijing)")
    p.add_argument("--duration-s", type=int, default=7200)
    p.add_argument("--candidates", required=True, help="comma-separated tickets")
    p.add_argument("--proctors", required=True, help="comma-separated names")
    p = cmd("export-results", "results of a room as CSV")
    p.add_argument("room")
    p.add_argument("--csv", required=True, help="output file ('-' for stdout)")
    cmd("timeline", "every op, heartbeat, command and upload of a sitting (evidence under its event)").add_argument("sitting")
    p = cmd("room-policy", "show a room's monitoring policy, or set its overrides from a JSON file")
    p.add_argument("room")
    p.add_argument("--set", metavar="FILE", help='JSON {"monitor": {...}}')
    p = cmd("evidence", "list a sitting's evidence, or open one (unsealed) into a folder")
    p.add_argument("sitting")
    p.add_argument("--open", metavar="UPLOAD_ID")
    p.add_argument("--out", metavar="DIR", help="where --open writes the media (default: the current folder)")
    p = cmd("import-sealed", "import a hand-delivered sealed export")
    p.add_argument("file")
    p.add_argument("--handed-in-at", default=None, help="when the centre received the file (epoch ms or ISO; "
                                                       "default now): answers are judged late by it")
    p = cmd("late-ops", "list the answers of a sitting that arrived after the close, or decide on some")
    p.add_argument("sitting")
    p.add_argument("--accept", metavar="SEQS", help="comma-separated seqs to count")
    p.add_argument("--reject", metavar="SEQS", help="comma-separated seqs not to count")
    p.add_argument("--by", help="the proctor deciding (required with --accept/--reject)")
    p.add_argument("--note", default="")
    p = cmd("unlock", "forget a ticket's failed logins (and an address's)")
    p.add_argument("ticket")
    p.add_argument("--by", required=True)
    p.add_argument("--address", default=None)
    p = cmd("delete-upload", "delete an upload's bytes (evidence too), with an audit entry")
    p.add_argument("upload_id")
    p.add_argument("--by", required=True)
    p.add_argument("--reason", required=True)
    p = cmd("command", "send a proctor command to a sitting")
    p.add_argument("sitting")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--message")
    g.add_argument("--extend", type=int, metavar="SECONDS")
    g.add_argument("--end", metavar="REASON")
    p = cmd("panel-score", "record a practical/comprehensive panel's scores (>= 3 members, odd)")
    p.add_argument("sitting")
    p.add_argument("--part", required=True, choices=("practical", "comprehensive"))
    p.add_argument("--member", action="append", required=True, metavar="NAME:SCORE")
    console_cli.add_commands(cmd)
    p = cmd("mark", "mark an essay question")
    p.add_argument("sitting")
    p.add_argument("question")
    p.add_argument("points", type=float)


def _out(obj: Any) -> None:
    text = json.dumps(json_safe(obj), ensure_ascii=False, indent=2) + "\n"
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:   # a console that cannot show every character still gets the data
        sys.stdout.write(json.dumps(json_safe(obj), ensure_ascii=True, indent=2) + "\n")


def _when_ms(text: str) -> int:
    """Epoch milliseconds, or an ISO date-time ("2026-12-01T09:00+08:00"; no zone means Beijing time)."""
    text = str(text).strip()
    if text.lstrip("-").isascii() and text.lstrip("-").isdigit():
        return int(text)
    when = dt.datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return int(when.timestamp() * 1000)


def _split(s: str, sep: str) -> list[str]:
    return [x.strip() for x in s.split(sep) if x.strip()]


def run(ctx: ServerContext, args: argparse.Namespace) -> int:
    try:
        return _run(ctx, args)
    except ApiError as e:
        sys.stderr.write("错误 %s：%s\nerror %s: %s\n" % (e.code, e.message_zh, e.code, e.message_en))
        if e.details:
            sys.stderr.write(json.dumps(e.details, ensure_ascii=False) + "\n")
        return 2
    except (OSError, ValueError, KeyError, RecursionError) as e:
        sys.stderr.write("错误：无法读取输入（%s）\nerror: cannot read the input (%s)\n" % (e, e))
        return 2


def _evidence(ctx: ServerContext, args: argparse.Namespace) -> None:
    import os

    from server import evidence

    if not args.open:
        _out({"sitting_id": args.sitting, "evidence": evidence.listing(ctx, args.sitting)})
        return
    opened = evidence.open_evidence(ctx, args.open, args.sitting)
    out_dir = args.out or "."
    os.makedirs(out_dir, exist_ok=True)
    files = []
    for name, data in opened.members.items():
        path = os.path.join(out_dir, "%s-%s" % (opened.upload_id, name))
        with open(path, "wb") as f:
            f.write(data)
        files.append(path)
    _out({"upload_id": opened.upload_id, "header": opened.header, "meta": opened.meta, "files": files})


def _run(ctx: ServerContext, args: argparse.Namespace) -> int:
    from server import admin_api, lateness, ledger, registry, results, sealed_import

    c = args.cmd
    if c in console_cli.COMMANDS:
        return console_cli.run(ctx, args)
    if c == "import-paper":
        with open(args.file, "rb") as f:
            raw = f.read()
        try:   # the same strict JSON as the API: no NaN, no lone surrogates, no repeated keys
            data = strict_json(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
        except ApiError as e:
            raise ApiError("paper.invalid", "试卷文件不是有效的 JSON：" + e.message_zh,
                           "the paper file is not valid JSON: " + e.message_en) from None
        _out(registry.import_paper(ctx, data))
    elif c == "import-candidates":
        with open(args.csv, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            prior = {"theory": int(r["prior_theory"])} if r.get("prior_theory") else None
            registry.add_candidate(ctx, r["ticket"], r["id_number"], r["name"], r["level"], r["password"], prior)
        _out({"imported": len(rows)})
    elif c in ("import-rooms", "create-room"):
        if c == "create-room":
            rows = [{"room_id": "", "paper_id": args.paper, "part": args.part, "kind": args.kind,
                     "start_at_ms": args.start_at_ms, "duration_s": args.duration_s,
                     "candidates": args.candidates.replace(",", "|"), "proctors": args.proctors.replace(",", "|")}]
        else:
            with open(args.csv, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
        out = [registry.create_room(ctx, r["paper_id"], r.get("part") or "theory", r.get("kind") or "formal",
                                    _when_ms(r["start_at_ms"]), int(r.get("duration_s") or 7200),
                                    _split(r["candidates"], "|"), _split(r["proctors"], "|"),
                                    room_id=r.get("room_id") or None) for r in rows]
        _out(out if c == "import-rooms" else out[0])
    elif c == "export-results":
        res = results.room_results(ctx, args.room)
        cols = ["ticket", "name", "sitting_id", "attempt", "retake", "sitting_status", "status", "objective_score",
                "essay_score", "total", "pass_mark", "passed"]
        dest: TextIO = sys.stdout if args.csv == "-" else open(args.csv, "w", encoding="utf-8-sig", newline="")
        try:
            w = csv.DictWriter(dest, fieldnames=cols, extrasaction="ignore")
            w.writeheader()
            w.writerows(res["results"])
        finally:
            if dest is not sys.stdout:
                dest.close()
        if args.csv != "-":
            _out({"room_id": args.room, "rows": len(res["results"]), "csv": args.csv})
    elif c == "timeline":
        _out(admin_api.timeline(ctx, args.sitting))
    elif c == "room-policy":
        from server import room_policy

        if args.set:
            with open(args.set, encoding="utf-8-sig") as f:
                try:
                    body = json.load(f)
                except (ValueError, RecursionError):
                    raise ApiError("policy.invalid", "策略文件不是有效的 JSON", "the policy file is not valid JSON") from None
            _out(room_policy.set_room_policy(ctx, args.room, body))
        else:
            _out(room_policy.room_policy(ctx, args.room))
    elif c == "evidence":
        _evidence(ctx, args)
    elif c == "import-sealed":
        with open(args.file, "rb") as f:
            raw = f.read()
        try:
            data = strict_json(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
        except ApiError:
            raise ApiError("sealed.invalid", "封存文件不是有效的 JSON", "the sealed file is not valid JSON") from None
        handed = _when_ms(args.handed_in_at) if args.handed_in_at else None
        _out(sealed_import.import_sealed(ctx, data, None, handed_in_at_ms=handed))
    elif c == "late-ops":
        if args.accept or args.reject:
            if not args.by:
                raise ApiError("request.invalid", "须用 --by 写明裁定的监考", "--by (the proctor deciding) is required")
            seqs = [int(x) for x in _split(args.accept or args.reject, ",")]
            _out(lateness.decide_late_ops(ctx, args.sitting, seqs, "accept" if args.accept else "reject", args.by,
                                          args.note))
        else:
            _out(lateness.late_ops(ctx, args.sitting))
    elif c == "unlock":
        _out(admin_api.unlock_login(ctx, args.ticket, args.by, args.address))
    elif c == "delete-upload":
        from server.upload_upkeep import admin_delete_upload

        _out(admin_delete_upload(ctx, args.upload_id, args.by, args.reason))
    elif c == "command":
        body = ({"type": "message", "text": args.message} if args.message is not None else
                {"type": "extend", "seconds": args.extend} if args.extend is not None else
                {"type": "end", "reason": args.end})
        _out(ledger.command(ctx, args.sitting, body))
    elif c == "panel-score":
        members = []
        for m in args.member:
            name, _, score = m.rpartition(":")
            members.append({"name": name, "score": float(score)})
        _out(results.panel_score(ctx, args.sitting, args.part, members))
    elif c == "mark":
        _out(results.mark(ctx, args.sitting, args.question, args.points))
    return 0
