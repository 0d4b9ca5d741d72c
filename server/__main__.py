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
    p.add_argument("--storage-url", default=os.environ.get("EXAMDESK_STORAGE_URL"),
                   help="where uploads live: file:///DIR or s3://BUCKET/PREFIX?endpoint_url=URL (default: data-dir/uploads)")
    p.add_argument("--no-migrate", dest="migrate", action="store_false",
                   help="refuse to start on a database not at the current schema (run `migrate` yourself)")
    p.add_argument("--db-pool-size", type=int, default=20, help="database connections kept open per worker (PostgreSQL; up to 10 more in bursts)")
    p.add_argument("--login-address-limit", type=int, default=300,
                   help="failed logins per client address in 15 minutes before that address is slowed")


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
        p.add_argument("--workers", type=int, default=1,
                       help="worker processes sharing the port, the database and the upload store")
        p.add_argument("--fsync-upload-chunks", action="store_true",
                       help="fsync every tus chunk on local disk (default: only the completed file)")
        p.add_argument("--heartbeat-flush-s", type=float, default=1.0,
                       help="seconds between writes of the heartbeat history (0: every heartbeat)")
    mc = sub.add_parser("make-cert", help="create a local CA and a server certificate for a LAN or a trial")
    mc.add_argument("--out", default="examdesk-tls", help="folder for ca.crt, ca.key, server.crt, server.key")
    mc.add_argument("--host", action="append", default=[], metavar="NAME_OR_IP",
                    help="a name or address phones will use (repeat; default: this machine's LAN addresses)")
    mc.add_argument("--new-ca", action="store_true", help="make a new CA even if one is in --out (phones must trust it again)")
    m = sub.add_parser("migrate", help="bring the database schema to the current revision (Alembic)")
    _common(m)
    m.add_argument("--to", default="head", help="target revision (default: head)")
    m.add_argument("--show", action="store_true", help="print the current and the head revision only")
    cli.add_admin_commands(sub, _common)
    return ap


def make_context(args: argparse.Namespace, admin_token: str = "", migrate: bool | None = None) -> ServerContext:
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    holidays, makeup = load_holidays(data_dir, args.holidays_file)
    return ServerContext(Settings(data_dir=data_dir, admin_token=admin_token, clock_file=args.clock_file,
                                  database_url=args.database_url, holidays=holidays, makeup_workdays=makeup,
                                  document_working_days=args.document_working_days,
                                  demo_start_in_s=getattr(args, "demo_start_in", 600),
                                  public_url=(getattr(args, "public_url", "") or "").rstrip("/"),
                                  tls_cert=getattr(args, "tls_cert", None), policy_file=args.policy_file,
                                  storage_url=args.storage_url, migrate=args.migrate if migrate is None else migrate,
                                  fsync_upload_chunks=getattr(args, "fsync_upload_chunks", False),
                                  db_pool_size=args.db_pool_size,
                                  heartbeat_flush_s=getattr(args, "heartbeat_flush_s", 1.0),
                                  login_address_limit=max(1, args.login_address_limit)))


def serve(args: argparse.Namespace) -> int:

    from server.api import create_app
    from server.console.demo import seed_demo_staff
    from server.demo import seed_demo
    from server.middleware import ServerTimeAndLimits
    from server.upload_upkeep import repair_on_startup

    setup_logging(args.log_level)
    # a CPU-bound request (a large hand-in being written) yields the GIL after 1 ms, not 5, when other
    # requests wait: latency for everyone over a little throughput
    sys.setswitchinterval(0.001)
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
        seeded["console"] = seed_demo_staff(ctx)
        if args.cmd == "demo":
            _print_demo(args, seeded, token)
    # keep-alive above a heartbeat's 10 s and a load balancer's usual 60 s idle timeout: otherwise the server
    # closes idle connections just as clients reuse them (and a balancer answers 502)
    common = dict(host=args.host, port=args.port, log_config=None, access_log=False, timeout_graceful_shutdown=5,
                  timeout_keep_alive=75)
    if getattr(args, "tls_cert", None):   # phones need HTTPS for their camera
        common.update(ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)
    if args.workers > 1:
        ctx.close()  # each worker opens its own (server/worker.py)
        from server.worker import run_workers

        event(log, "serving", host=args.host, port=args.port, data_dir=str(args.data_dir), workers=args.workers)
        run_workers(args, token, common)
        event(log, "stopped")
        return 0
    from server.worker import tune_interpreter

    tune_interpreter()
    app = ServerTimeAndLimits(create_app(ctx), ctx)
    config = uvicorn.Config(app, lifespan="off", **common)
    event(log, "serving", host=args.host, port=args.port, data_dir=str(args.data_dir), workers=1,
          tls=bool(getattr(args, "tls_cert", None)))
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
    console = seeded.get("console") or {}
    if console:
        out.write("proctor console: http://127.0.0.1:%d/console/  (user %s / password %s)\n"
                  % (args.port, console["username"], console["password"]))
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
def migrate(args: argparse.Namespace) -> int:
    from server import migrations
    from server.db import Database

    setup_logging("WARNING")
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(args.database_url or "sqlite:///%s" % (data_dir / "examdesk.sqlite3"))
    try:
        if args.show:
            with db.engine.connect() as conn:
                sys.stdout.write("current %s\nhead %s\n" % (migrations.current(conn), migrations.head()))
            return 0
        applied = migrations.upgrade(db, args.to)
        sys.stdout.write(("applied %s\n" % " ".join(applied)) if applied else "already at %s\n" % args.to)
        return 0
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.cmd in ("serve", "demo"):
        return serve(args)
    if args.cmd == "make-cert":
        return make_cert(args)
    if args.cmd == "migrate":
        return migrate(args)
    setup_logging("WARNING")
    ctx = make_context(args)
    try:
        return cli.run(ctx, args)
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
