"""`python -m client` / `examdesk`: the exam client; `examdesk check` runs the equipment self-check;
`examdesk monitor` runs the in-exam monitor over recorded media; `examdesk --self-test` checks that a
build has every working part."""
from __future__ import annotations

import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--self-test":
        from client.selftest import main as self_test_main

        return self_test_main()
    if args and args[0] == "check":
        from client.check_cli import main as check_main

        return int(check_main(args[1:]) or 0)
    if args and args[0] == "monitor":
        from client.monitor_cli import main as monitor_main

        return int(monitor_main(args[1:]) or 0)
    from client.app import main as app_main

    return int(app_main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
