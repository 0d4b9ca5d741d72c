"""What the candidate reads instead of a check's id: its name (zh/en, like the checks' own messages)."""
from __future__ import annotations

from typing import Dict, Tuple

CHECK_NAMES: Dict[str, Tuple[str, str]] = {
    "camera.device": ("摄像头", "Camera"),
    "camera.resolution": ("清晰度（分辨率）", "Resolution"),
    "camera.frame_rate": ("画面流畅度（帧率）", "Frame rate"),
    "camera.picture": ("摄像头画面", "Picture"),
    "camera.face_count": ("画面中的人脸", "Faces in the picture"),
    "camera.centred": ("人脸位置", "Face position"),
    "camera.distance": ("与摄像头的距离", "Distance to the camera"),
    "camera.framing": ("头部和肩膀", "Head and shoulders"),
    "camera.brightness": ("亮度", "Brightness"),
    "camera.contrast": ("对比度", "Contrast"),
    "camera.backlight": ("逆光", "Backlight"),
    "camera.sharpness": ("画面清晰", "Sharpness"),
    "camera.frozen": ("画面是否卡住", "Frozen picture"),
    "phone.link": ("手机连接", "Phone connection"),
    "phone.frames": ("手机画面送达", "Phone pictures arriving"),
    "phone.picture": ("手机画面亮度", "Phone picture brightness"),
    "phone.frozen": ("手机画面是否卡住", "Phone picture frozen"),
    "phone.person": ("手机画面中的您", "You in the phone's picture"),
    "phone.orientation": ("手机摆放方向", "Phone orientation"),
    "phone.camera": ("手机摄像头", "Phone camera"),
    "phone.screen_on": ("手机屏幕常亮", "Phone screen stays on"),
    "phone.battery": ("手机电量", "Phone battery"),
    "phone.not_run": ("第二机位（手机）", "Second camera (phone)"),
    "microphone.device": ("麦克风", "Microphone"),
    "microphone.signal": ("麦克风声音", "Microphone signal"),
    "microphone.noise_floor": ("环境噪音", "Room noise"),
    "microphone.speech": ("朗读的声音", "Your voice"),
    "network.server": ("考试服务器", "Exam server"),
    "network.latency": ("网络延迟", "Delay"),
    "network.jitter": ("网络稳定性", "Stability"),
    "network.upload": ("上传速度", "Upload speed"),
    "network.link": ("网络连接方式", "Connection"),
    "network.proxy": ("代理设置", "Proxy"),
    "network.vpn": ("VPN", "VPN"),
    "system.os": ("操作系统", "Operating system"),
    "system.disk": ("磁盘空间", "Free disk space"),
    "system.memory": ("内存", "Memory"),
    "system.cpu": ("电脑负载", "Computer load"),
    "system.battery": ("电源", "Power"),
    "system.displays": ("显示器", "Displays"),
    "system.virtual_machine": ("虚拟机", "Virtual machine"),
    "system.remote_session": ("远程桌面", "Remote session"),
    "system.processes": ("禁止运行的程序", "Programs not allowed"),
}
AREA_NAMES: Dict[str, Tuple[str, str]] = {
    "camera": ("摄像头", "Camera"), "phone": ("第二机位", "Second camera"), "microphone": ("麦克风", "Microphone"), "network": ("网络", "Network"),
    "system": ("电脑", "Computer"),
}
STATUS_NAMES: Dict[str, Tuple[str, str]] = {
    "pass": ("通过", "passed"), "skip": ("未测量", "not measured"), "warn": ("需注意", "attention"),
    "fail": ("未通过", "failed"),
}
ICON = {"pass": "✔", "skip": "–", "warn": "!", "fail": "✘"}


def check_name(check_id: str) -> Tuple[str, str]:
    """A check's name; one this table does not know yet is named after its area, never by its id."""
    if check_id in CHECK_NAMES:
        return CHECK_NAMES[check_id]
    area = check_id.split(".", 1)[0]
    if check_id.endswith(".not_run"):
        zh, en = AREA_NAMES.get(area, ("检测", "Check"))
        return ("%s检测" % zh, "%s check" % en)
    return AREA_NAMES.get(area, ("其他检测", "Other check"))
