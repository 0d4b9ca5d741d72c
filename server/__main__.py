"""`python -m server` / `examdesk-server`: serve, demo, and the admin commands (on --data-dir directly)."""

import argparse
import logging
import os
import sys
from pathlib import Path

import uvicorn

from server import cli
from server.context import ServerContext, Settings, ensure_admin_token, load_holidays
from server.logs import event, setup_logging

log = logging.getLogger("examdesk.server")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", default=os.environ.get("EXAMDESK_DATA_DIR", "examdesk-data"),
                   help="folder for the database, keys and uploads")
    p.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: SQLite in --data-dir)")
    p.add_argument("--clock-file", default=None, help='JSON {"offset_ms": N}: server time = real time + N')
    p.add_argument("--holidays-file", default=None, help="JSON list of YYYY-MM-DD holidays (default data-dir/holidays.json)")
    p.add_argument("--document-working-days", type=int, default=10)
    p.add_argument("--policy-file", default=os.environ.get("EXAMDESK_POLICY_FILE"),
                   help="JSON object merged over the default exam policy (e.g. {\"phone\": {\"required\": true}})")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="examdesk-server", description="ExamDesk reference central server")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "demo"):
        p = sub.add_parser(name, help="run the HTTP server" if name == "serve" else "serve with demo data on 127.0.0.1")
        _common(p)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8765)
        p.add_argument("--admin-token", default=os.environ.get("EXAMDESK_ADMIN_TOKEN"))
        p.add_argument("--demo", action="store_true", default=name == "demo", help="seed the demo data (idempotent)")
        p.add_argument("--demo-start-in", type=int, default=600, help="seconds until the formal demo rooms start (default 600)")
        p.add_argument("--log-level", default=os.environ.get("EXAMDESK_LOG_LEVEL", "INFO"))
        p.add_argument("--tls-cert", default=os.environ.get("EXAMDESK_TLS_CERT"),
                       help="serve HTTPS with this PEM certificate (chain); phones need HTTPS for their camera")
        p.add_argument("--tls-key", default=os.environ.get("EXAMDESK_TLS_KEY"), help="the certificate's PEM key")
        p.add_argument("--public-url", default=os.environ.get("EXAMDESK_PUBLIC_URL", ""),
                       help="how phones reach this server, e.g. https://192.168.1.10:8765 (pairing URLs); "
                            "default: the address the exam client used")
    mc = sub.add_parser("make-cert", help="create a local CA and a server certificate for a LAN or a trial")
    mc.add_argument("--out", default="examdesk-tls", help="folder for ca.crt, ca.key, server.crt, server.key")
    mc.add_argument("--host", action="append", default=[], metavar="NAME_OR_IP",
                    help="a name or address phones will use (repeat; default: this machine's LAN addresses)")
    mc.add_argument("--new-ca", action="store_true", help="make a new CA even if one is in --out (phones must trust it again)")
    cli.add_admin_commands(sub, _common)
    return ap


def make_context(args: argparse.Namespace, admin_token: str = "") -> ServerContext:
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    holidays, makeup = load_holidays(data_dir, args.holidays_file)
    return ServerContext(Settings(data_dir=data_dir, admin_token=admin_token, clock_file=args.clock_file,
                                  database_url=args.database_url, holidays=holidays, makeup_workdays=makeup,
                                  document_working_days=args.document_working_days,
                                  demo_start_in_s=getattr(args, "demo_start_in", 600),
                                  public_url=(getattr(args, "public_url", "") or "").rstrip("/"),
                                  tls_cert=getattr(args, "tls_cert", None), policy_file=args.policy_file))


def serve(args: argparse.Namespace) -> int:

    from server.api import create_app
    from server.demo import seed_demo
    from server.middleware import ServerTimeAndLimits
    from server.tus import repair_on_startup

    setup_logging(args.log_level)
    if args.cmd == "demo":
        args.host = "127.0.0.1"
    if bool(args.tls_cert) != bool(args.tls_key):
        raise SystemExit("--tls-cert and --tls-key go together")
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    token = ensure_admin_token(Path(args.data_dir), args.admin_token)
    ctx = make_context(args, token)
    fixed = repair_on_startup(ctx)
    if fixed:
        event(log, "uploads repaired at start-up (cut back to their offset, or verified)", files=fixed)
    if args.demo:
        seeded = seed_demo(ctx)
        if args.cmd == "demo":
            _print_demo(args, seeded, token)
    app = ServerTimeAndLimits(create_app(ctx), ctx)
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    config = uvicorn.Config(app, host=args.host, port=args.port, log_config=None, access_log=False,
                            timeout_graceful_shutdown=5, lifespan="off", **tls)
    event(log, "serving", host=args.host, port=args.port, data_dir=str(args.data_dir), tls=bool(tls))
    CleanExitServer(config).run()  # SIGTERM/SIGINT: stop accepting, finish requests, return
    ctx.close()
    event(log, "stopped")
    return 0


class CleanExitServer(uvicorn.Server):
    """uvicorn re-raises a caught SIGTERM after shutting down (exit by signal); a graceful
    stop is a normal end here: exit code 0, after the database is closed."""

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()


def _print_demo(args: argparse.Namespace, seeded: dict, token: str) -> None:
    out = sys.stdout
    out.write("ExamDesk demo server on http://127.0.0.1:%d\n" % args.port)
    out.write("admin token: %s\n" % token)
    out.write("candidates (ticket / ID number / password / level):\n")
    for c in seeded["candidates"]:
        out.write("  %s  %s  %s  %s  %s\n" % (c["ticket"], c["id_number"], c.get("password") or "demo1234",
                                              c["level"], c["name"]))
    out.flush()


def make_cert(args: argparse.Namespace) -> int:
    from server.tls import create, lan_addresses

    hosts = args.host or lan_addresses()
    files = create(Path(args.out), hosts, reuse_ca=not args.new_ca)
    sys.stdout.write("CA (install on the phones):  %s\nserver certificate:          %s\nserver key:                  %s\n"
                     "names in the certificate:    %s\nserve with: examdesk-server serve --host 0.0.0.0 --tls-cert %s "
                     "--tls-key %s --public-url https://%s:8765\n"
                     % (files.ca_cert, files.cert, files.key, ", ".join(files.names), files.cert, files.key,
                        files.names[0]))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.cmd in ("serve", "demo"):
        return serve(args)
    if args.cmd == "make-cert":
        return make_cert(args)
    setup_logging("WARNING")
    ctx = make_context(args)
    try:
        return cli.run(ctx, args)
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
