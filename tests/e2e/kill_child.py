"""Child process of test_kill_client: the real window answers questions and reports each one only once the
"saved" mark shows; the parent then kills it with SIGKILL (no clean-up of any kind)."""
from __future__ import annotations

import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from client.qt import QApplication  # noqa: E402
from tests.e2e import driver as d  # noqa: E402


class Server:
    def __init__(self, url: str) -> None:
        self.url = url


def main() -> None:
    url, data_dir, ticket, id_number, password = sys.argv[1:6]
    app = QApplication(["kill-child"])  # noqa: F841 - lives until the kill
    bot = d.PlainBot()
    engine = d.make_engine(Server(url), data_dir)
    window = d.make_window(bot, engine)
    d.log_in(bot, window, ticket, id_number, password)
    d.consent_and_check(bot, window)
    d.start_formal(bot, window)
    exam = window.exam
    for index, key in ((0, "option_C"), (1, "option_A"), (2, "option_false")):
        exam.go(index)
        d.click(bot, exam, key)
        bot.waitUntil(lambda: "✓" in exam.saved.text())
        print("SAVED", exam.current_id(), flush=True)
    while True:  # typing an essay when the power goes
        exam.go(4)
        exam.view.essay.insertPlainText("未保存的草稿")
        QApplication.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    main()
