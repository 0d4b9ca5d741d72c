"""Developer tool: refresh the wizard's translations (not imported at run time).

    .venv/bin/python -m client.ui.selfcheck.i18n_build

pyside6-lupdate over client/ui/selfcheck/*.py -> client/ui/i18n/selfcheck_zh_CN.ts, fills new messages
from ZH below (existing translations are kept), pyside6-lrelease -> .qm. The main UI's
tools/i18n.py covers client/ui/*.py only; the wizard installs its own translator (translation.py).
Exit 1 if a message is left untranslated.
"""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TS = os.path.join(os.path.dirname(HERE), "i18n", "selfcheck_zh_CN.ts")

ZH = {
    "(default)": "（默认）",
    "(virtual camera)": "（虚拟摄像头）",
    "Back": "上一步",
    "Camera": "摄像头",
    "Camera:": "摄像头：",
    "Check": "检测项",
    "Check again": "重新检测",
    "Check results": "检测结果",
    "Check the camera again": "重新检测摄像头",
    "Check the computer again": "重新检测电脑",
    "Check the microphone again": "重新检测麦克风",
    "Check the network again": "重新检测网络",
    "Checking…": "正在检测…",
    "Close these programs": "关闭这些程序",
    "Close these programs: %1": "关闭这些程序：%1",
    "Closing programs…": "正在关闭程序…",
    "Computer": "电脑",
    "Default camera": "默认摄像头",
    "Default microphone": "默认麦克风",
    "Done.": "检测完成。",
    "Everything is ready for the exam.": "设备全部就绪，可以参加考试。",
    "Exam server address": "考试服务器地址",
    "Exam server:": "考试服务器：",
    "ExamDesk equipment self-check": "ExamDesk 设备自检",
    "Finish": "完成",
    "First stay quiet for a moment so we can hear your room, then read the sentence aloud.":
        "先保持安静片刻，让我们听一下房间的环境声音，然后大声朗读屏幕上的句子。",
    "Microphone": "麦克风",
    "Microphone level": "麦克风音量",
    "Microphone:": "麦克风：",
    "Network": "网络",
    "Next": "下一步",
    "Now read this sentence aloud at normal volume:": "现在请用正常音量朗读下面这句话：",
    "Please stay quiet: listening to your room…": "请保持安静：正在检测房间环境声音…",
    "Press Start when you are ready.": "准备好后请点击“开始”。",
    "Recorded sound": "录音文件",
    "Result": "结果",
    "Sit as you will during the exam: your face inside the oval, your shoulders above the line, "
    "a light in front of you and no window behind you.":
        "请按考试时的姿势坐好：脸位于椭圆框内，肩膀在横线以上；光源在您前方，背后不要有窗户。",
    "Some checks failed. Follow the advice and check again; failed checks are reported to the exam centre.":
        "部分检测未通过。请按提示调整后重新检测；未通过的项目会报告给考试中心。",
    "Start": "开始",
    "Starting the camera…": "正在打开摄像头…",
    "Starting the microphone…": "正在打开麦克风…",
    "Step %1 of %2": "第 %1 步，共 %2 步",
    "Summary": "检测结果汇总",
    "Unsaved work in these programs will be lost.": "这些程序中未保存的内容将会丢失。",
    "Use this result": "使用此结果",
    "We check the computer: system, free disk, power, displays, remote sessions and programs that are not "
    "allowed during the exam.": "检测电脑：操作系统、磁盘空间、电源、显示器、远程会话以及考试时禁止运行的程序。",
    "We measure the delay to the exam server and how fast you can upload. A wired connection is best.":
        "检测到考试服务器的网络延迟和上传速度。建议使用有线网络。",
    "What to do": "处理方法",
    "What we found": "检测情况",
    "You can take the exam, but please look at the warnings below.": "可以参加考试，但请留意下面的提示。",
    "failed": "未通过",
    "pass": "通过",
    "warning": "注意",
}


def tool(name: str) -> str:
    path = os.path.join(os.path.dirname(sys.executable), name)
    return path if os.path.exists(path) else name


def main() -> int:
    sources = sorted(glob.glob(os.path.join(HERE, "*.py")))
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", TS,
                    "-target-language", "zh_CN"], check=True)
    tree = ET.parse(TS)
    missing = []
    for msg in tree.getroot().iter("message"):
        source = msg.find("source").text or ""  # type: ignore[union-attr]
        tr = msg.find("translation")
        if tr is None:
            tr = ET.SubElement(msg, "translation")
        if tr.get("type") != "unfinished" and tr.text:
            continue
        if source not in ZH:
            missing.append(source)
            continue
        tr.attrib.pop("type", None)
        tr.text = ZH[source]
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("pyside6-lrelease"), TS, "-qm", TS[:-3] + ".qm"], check=True)
    for m in missing:
        print("untranslated: %r" % m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
