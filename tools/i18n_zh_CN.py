"""Chinese for the UI's English source strings: the seed for client/ui/i18n/examdesk_zh_CN.ts.

`tools/i18n.py` fills only messages the .ts does not translate yet, so edits made in Qt Linguist win."""
ZH = {
    "%1 / %2 characters": "%1 / %2 字",
    "%1 minutes": "%1 分钟",
    "%n minute(s) left. Your answers are saved; the paper is submitted automatically at zero.":
        "距离考试结束还有 %n 分钟。答案均已保存，时间到时系统将自动交卷。",
    "(marked by hand)": "（人工评阅）",
    "(none)": "（未作答）",
    "(not configured)": "（未配置）",
    ", ": "、",
    "A room of your own, bright and quiet; no camera faces into the light (no backlight).":
        "独立房间，光线明亮、环境安静；两台设备的摄像头都不得逆光。",
    "A stable network; a wired connection is recommended.": "网络稳定，建议使用有线网络。",
    "A.  True": "A.  正确",
    "After submitting you cannot change any answer.": "交卷后将不能再修改任何答案。",
    "Agree and continue": "同意并继续",
    "Answer chain hash: %1": "答案链哈希：%1",
    "Answered %1 of %2": "已答 %1 / %2 题",
    "Answers and explanations": "答案与解析",
    "Application materials (comprehensive review)": "申报材料（综合评审）",
    "Attempt": "考试次数",
    "B.  False": "B.  错误",
    "Back": "返回",
    "Back to the paper": "返回答题",
    "Back to the waiting room": "返回候考室",
    "Blank %1": "第 %1 空",
    "Camera": "摄像头",
    "Camera video and microphone sound are analysed on this computer only (face present, one person, framing, "
    "light, voices). They are not streamed or uploaded as a whole.":
        "摄像头画面和麦克风声音只在本机分析（是否在座、是否只有一人、画面位置、光线、人声），不会整段直播或上传。",
    "Cannot reach the exam server at %1.": "无法连接考试服务器 %1。",
    "Check the ticket number, ID card number and password on your admission ticket.":
        "请核对准考证上的准考证号、身份证号和密码。",
    "Check your network cable or Wi-Fi, then try again. If it persists, call the exam centre.":
        "请检查网线或无线网络后重试；如仍无法连接，请致电考点。",
    "Choose a document": "选择文件",
    "Choose a file and upload…": "选择文件并上传…",
    "Close ExamDesk": "关闭考试客户端",
    "Continue": "继续",
    "Customer Contact Consultant vocational certification": "客服联络咨询师职业技能等级认证",
    "Deadline: %1 (%2 working days after the theory exam)": "截止时间：%1（理论考试后 %2 个工作日）",
    "Dismiss message": "关闭消息",
    "Do not switch away from the exam screen; no phone calls.": "不得切出考试界面，不得接打电话。",
    "Do not turn your face aside or cover it (no covering the mouth, touching the nose, resting the chin on a hand).":
        "不得侧脸或遮挡面部（不得捂嘴、摸鼻、托腮）。",
    "Documents": "提交材料",
    "Documents (*.pdf *.docx)": "文档 (*.pdf *.docx)",
    "Documents…": "提交材料…",
    "Duration": "考试时长",
    "During the exam": "考试期间",
    "Each clip or snapshot is deleted from this computer as soon as the server confirms it received it intact.":
        "每段视频或截图在服务器确认完整接收后，立即从本机删除。",
    "Equipment self-check": "设备自检",
    "Equipment: two cameras": "设备：双机位",
    "Essay": "简答题",
    "Essays (%1 points) are not marked in the mock exam.": "简答题（%1 分）在模拟考试中不评分。",
    "Everything has been received by the exam centre. You may now close ExamDesk.":
        "考点已全部收到。现在可以关闭考试客户端。",
    "Exam": "考试",
    "Exam rules and privacy": "考试须知与隐私说明",
    "Exam rules and privacy notice": "考试须知与隐私说明",
    "Exam server": "考试服务器",
    "Exam server address": "考试服务器地址",
    "ExamDesk exam client": "ExamDesk 考试客户端",
    "ExamDesk — Customer Contact Consultant exam": "ExamDesk — 客服联络咨询师考试",
    "Export sealed file": "导出封存文件",
    "Export sealed file…": "导出封存文件…",
    "Fill in the blanks": "填空题",
    "First attempt": "首次考试",
    "Flag for review": "标记待复查",
    "Flag for review (F)": "标记待复查 (F)",
    "Got it": "知道了",
    "Green: answered · Orange border: flagged · Blue: current": "绿色：已答 · 橙色边框：已标记 · 蓝色：当前题",
    "I agree": "我同意",
    "I have read the rules and agree to the recording and analysis described above.":
        "我已阅读以上考试须知，并同意上述录制与分析方式。",
    "ID card number": "身份证号",
    "Keys: A–D or 1–4 choose · ← → previous/next · F flag": "快捷键：A–D 或 1–4 选择 · ← → 上一题/下一题 · F 标记",
    "Larger text": "放大字体",
    "Level": "等级",
    "Loading…": "正在加载…",
    "Log in": "登录",
    "Logging in…": "正在登录…",
    "Main device: this computer with an HD camera and a microphone, filming you from the front. Your face and "
    "upper body must be in the middle of the picture and clearly visible.":
        "主机位：本电脑，配备高清摄像头和麦克风，从正面拍摄。面部和上半身须位于画面中央并清晰可见。",
    "Message": "消息",
    "Message from the proctor: %1": "监考老师消息：%1",
    "Mock exam result": "模拟考试成绩",
    "Multiple choice": "多选题",
    "NOT verified": "未通过验证",
    "Next question": "下一题",
    "Next →": "下一题 →",
    "No document submission is open for you.": "目前没有需要您提交的材料。",
    "No document uploaded yet.": "尚未上传材料。",
    "No exam is scheduled for you now.": "目前没有为您安排的考试。",
    "Nothing within 1.5 m of your seat but your ID card: no books, papers or other devices.":
        "座位 1.5 米范围内除身份证外不得放置任何物品：不得有书本、纸张或其他电子设备。",
    "Objective questions: %1 of %2 points.": "客观题得分：%1 / %2 分。",
    "Offline · %1 waiting · answers safe on this PC": "离线 · %1 项待发送 · 答案已安全保存在本机",
    "Offline. Your answers are sealed on this computer and will upload automatically when the network returns "
    "(%n item(s) waiting). Keep ExamDesk open, or export the sealed file and hand it to the exam centre.":
        "当前离线。您的答案已在本机封存，网络恢复后将自动上传（%n 项待发送）。请保持客户端开启，或导出封存文件交给考点。",
    "Online · all saved to server": "在线 · 已全部保存到服务器",
    "Online · sending %1": "在线 · 正在发送 %1 项",
    "Opening ExamDesk…": "正在打开考试客户端…",
    "Only PDF or DOCX files can be submitted.": "只能提交 PDF 或 DOCX 文件。",
    "Only short clips of about 10 seconds around a flagged event, and occasional still snapshots, are sent to the "
    "exam centre, encrypted in transit.":
        "只有异常事件前后约 10 秒的短视频和少量截图会加密传送给考点。",
    "Option %1: %2": "选项 %1：%2",
    "PDF or DOCX, at most %1 MB per file.": "PDF 或 DOCX 格式，每个文件不超过 %1 MB。",
    "Password": "密码",
    "Please enter your %1.": "请输入%1。",
    "Please read this carefully. It tells you how to set up, how to behave during the exam, and what the client "
    "records.": "请仔细阅读：以下说明考试环境要求、考试纪律，以及客户端会记录哪些内容。",
    "Please try again in %n minute(s).": "请在 %n 分钟后重试。",
    "Practice with the mock exam": "参加模拟考试",
    "Press Start: the time is already running.": "请点击“开始考试”：考试时间已在计时。",
    "Previous question": "上一题",
    "Question %1 of %2 · %3 · %4 points": "第 %1 题 / 共 %2 题 · %3 · %4 分",
    "Question %1: %2": "第 %1 题：%2",
    "Questions": "答题卡",
    "Received at: %1 (server time)": "接收时间：%1（服务器时间）",
    "Retake (attempt %1)": "补考（第 %1 次）",
    "Right answer": "正确答案",
    "Save status": "保存状态",
    "Sealed exam file (*.json)": "封存的答卷文件 (*.json)",
    "Sealed file saved to %1. Hand it to the exam centre.": "封存文件已保存到 %1，请交给考点。",
    "Second device: a phone behind you to one side at 45 degrees, at least 1.5 m away, showing the room and your "
    "screen, with its microphone off.":
        "副机位：手机置于侧后方 45 度、距离至少 1.5 米，拍摄考试环境和电脑屏幕，并关闭麦克风。",
    "Signature: %1": "签名：%1",
    "Single choice": "单选题",
    "Smaller text": "缩小字体",
    "Start the exam": "开始考试",
    "Starts at": "开考时间",
    "Starts in %1": "距开考 %1",
    "Submission number: %1": "交卷编号：%1",
    "Submit": "交卷",
    "Submit the paper": "交卷",
    "Submit the paper now?": "确定现在交卷吗？",
    "Submit the paper…": "交卷…",
    "Submitting the practice paper… (it needs the network)": "正在提交模拟试卷…（需要联网）",
    "Switch language": "切换语言",
    "The Start button unlocks at the start time. Meanwhile you may try the mock exam.":
        "开考时间到后“开始考试”按钮才可使用。在此之前可以参加模拟考试。",
    "The equipment self-check is not available in this build. Make sure your camera, microphone and network work "
    "before the exam.": "此版本未包含设备自检。请在考试前确认摄像头、麦克风和网络工作正常。",
    "The exam has started": "考试已开始",
    "The exam is in progress and its time keeps running. Submit the paper to finish.":
        "考试正在进行，时间不会暂停。请交卷后再退出。",
    "The exam lasts 120 minutes by the server's clock; the time keeps running if your computer or network fails. "
    "Your answers are saved on this computer as you go.":
        "考试时长 120 分钟，以服务器时间为准；电脑或网络出现故障时计时不会暂停。您的每次作答都会立即保存在本机。",
    "The file cannot be read.": "无法读取该文件。",
    "The file is %1 MB; the limit is %2 MB.": "文件大小为 %1 MB，超过 %2 MB 的上限。",
    "The file is empty.": "文件是空的。",
    "The phone: charged, screen recording, music and alarms off, never sleeping or locked; reject calls.":
        "手机须电量充足，关闭录屏、音乐和闹钟，不得休眠或锁屏；来电须拒接。",
    "The proctor ended your exam. Your answers were saved and sealed.": "监考老师已结束您的考试。您的答案已保存并封存。",
    "The proctor granted %n extra minute(s).": "监考老师为您延长了 %n 分钟。",
    "The proctors can send you messages and extra time; they see flagged events, not a live feed of your room.":
        "监考老师可以向您发送消息或延长时间；他们看到的是标记的异常事件，而不是您房间的实时画面。",
    "The room": "考试环境",
    "The time is up. Your answers were saved and the paper was sealed automatically.":
        "考试时间到。您的答案已保存，试卷已自动封存。",
    "Ticket %1 · %2 · %3": "准考证号 %1 · %2 · %3",
    "Ticket number": "准考证号",
    "Time left": "剩余时间",
    "Time left: %1": "剩余时间：%1",
    "Time until the exam starts": "距开考时间",
    "True or false": "判断题",
    "Typing… (saves when you pause)": "正在输入…（停顿后自动保存）",
    "Unanswered: %1 of %2 · Flagged for review: %3": "未答：%1 / %2 题 · 标记待复查：%3 题",
    "Upload progress": "上传进度",
    "Uploaded documents": "已上传的材料",
    "Uploading %1…": "正在上传 %1…",
    "Uploading in the background; it resumes by itself after a network break.": "正在后台上传；网络中断后会自动续传。",
    "%1 was received intact by the exam centre.": "考点已完整收到 %1。",
    "Uploading: %n item(s) left. Please keep ExamDesk open until this reaches zero.":
        "正在上传：还剩 %n 项。请在归零前保持客户端开启。",
    "Video monitoring must never be interrupted.": "视频监控全程不得中断。",
    "Waiting for the exam server to confirm…": "正在等待考试服务器确认…",
    "Waiting room": "候考室",
    "What is recorded, and where it goes": "录制哪些内容，去向如何",
    "Work-improvement plan (practical assessment)": "工作改进方案（实操评估）",
    "You can try again: the upload continues where it stopped.": "可以重试：上传会从中断处继续。",
    "You submitted the paper. Your answers are sealed.": "您已交卷，答案已封存。",
    "Your answer": "您的答案",
    "Your answers, the time of each answer, and exam events (such as leaving the exam window) are sent to the exam "
    "centre.": "您的答案、每次作答的时间以及考试事件（如离开考试窗口）会发送给考点。",
    "Your camera picture": "您的摄像头画面",
    "Your computer's clock is %1 minutes off the exam server's time. The exam counts time by the server, so your "
    "countdown is right; please correct the PC clock after the exam.":
        "您电脑的时钟与考试服务器相差 %1 分钟。考试以服务器时间计时，倒计时是准确的；请在考试后校正电脑时钟。",
    "Your paper is sealed": "您的试卷已封存",
    "Your paper was received": "考点已收到您的试卷",
    "answered": "已答",
    "current": "当前",
    "flagged": "已标记",
    "includes %1 min extra time": "含延时 %1 分钟",
    "not answered": "未答",
    "password": "密码",
    "ticket number": "准考证号",
    "verified": "已验证",
    "← Previous": "← 上一题",
    "✓ Saved": "✓ 已保存",
    "✓ Saved %1": "✓ 已保存 %1",
    "✗ Not saved: %1": "✗ 未保存：%1",
    # the exam page's monitor banner and the header's recording indicator
    "● Monitoring on": "● 监考录制中",
    "○ Monitoring off": "○ 监考已停止",
    "The camera and microphone are analysed on this computer. Only short clips around what is noticed and a "
    "snapshot every minute go to the exam server, encrypted.":
        "摄像头画面和麦克风声音只在本机分析；只有检测到异常前后的短视频片段和每分钟一张快照会加密上传到考试服务器。",
    "%1 The proctor has been notified.": "%1已通知监考老师。",
    "We cannot see your face. Please sit in front of the camera.": "画面中看不到您的面部，请坐在摄像头前。",
    "More than one person is in the camera picture. Only you may be in the room.":
        "画面中出现了多人。考试期间房间内只能有您一人。",
    "Please face the screen.": "请面向屏幕。",
    "Your face is covered. Please keep your hands away from your face.": "您的面部被遮挡，请不要用手遮挡或触摸面部。",
    "Please move so that your whole face is in the camera picture.": "请调整位置，使整个面部都在摄像头画面内。",
    "The camera picture is black or covered. Please uncover the camera.": "摄像头画面发黑或被遮挡，请移开遮挡物。",
    "The camera picture is not changing. Please check the camera.": "摄像头画面没有变化，请检查摄像头。",
    "Your room is too dark for the camera. Please turn on a light.": "房间光线太暗，请打开照明。",
    "The camera stopped working. Please check that it is connected.": "摄像头已停止工作，请检查是否连接好。",
    "Another program is using the camera. Please close that program.": "有其他程序正在使用摄像头，请关闭该程序。",
    "Talking was heard. The exam must be taken alone and in silence.": "检测到说话声。考试须独立、安静地完成。",
    "A loud noise was heard.": "检测到很大的噪声。",
    "The microphone is muted. Please switch it on.": "麦克风处于静音状态，请打开麦克风。",
    "The microphone stopped working. Please check that it is connected.": "麦克风已停止工作，请检查是否连接好。",
    "The exam monitor noticed something (%1).": "考试监控检测到异常（%1）。",
    # the second camera (client/ui/phone)
    "press to pair the phone again": "点击可重新配对手机",
    "Press to pair the phone again": "点击可重新配对手机",
    "The phone's live picture": "手机的实时画面",
    "Second camera (phone)": "第二机位（手机）",
    "Scan the new code with your phone, put the phone back behind you to one side (45°, at least 1.5 m), and check "
    "the picture below. The exam time keeps running.":
        "请用手机扫描新的二维码，再把手机放回您身后一侧（约 45°，至少 1.5 米），并查看下方画面。考试计时不会暂停。",
    "Scan the code with the phone's camera (or WeChat / a browser). On the page that opens, tap “Start the camera” "
    "and allow the camera.":
        "用手机相机（或微信、浏览器）扫描二维码，在打开的页面上点击“开始拍摄”，并允许使用摄像头。",
    "Show a new code": "生成新的二维码",
    "Getting a code from the exam server…": "正在从考试服务器获取二维码…",
    "The exam server is not using HTTPS: phones give the camera only to secure pages. Ask the exam centre.":
        "考试服务器未使用 HTTPS：手机只允许安全网页使用摄像头。请联系考点。",
    "The phone is paired. To use another phone, press “Show a new code”.":
        "手机已配对。如需换用其他手机，请点击“生成新的二维码”。",
    "This code has expired. Press “Show a new code”.": "二维码已过期，请点击“生成新的二维码”。",
    "The code works once, for %1 more.": "二维码只能使用一次，剩余有效时间 %1。",
    "Phone: battery low": "手机：电量低",
    "Phone: live": "手机：正常",
    "Phone: page hidden": "手机：页面不在前台",
    "Phone: feed stopped": "手机：画面中断",
    "Phone: picture frozen": "手机：画面卡住",
    "Phone: connecting": "手机：连接中",
    "Phone: not paired": "手机：未配对",
    "Phone: unknown": "手机：状态未知",
    "Check the phone behind you; if its page is closed or shows an error, press the Phone button at the top and "
    "scan the new code with it.":
        "请检查您身后的手机；如页面已关闭或显示错误，请点击顶部的“手机”按钮，用手机扫描新的二维码。",
    "The second camera (your phone) stopped sending pictures.": "第二机位（您的手机）已停止发送画面。",
    "The exam page on your phone is no longer in front (another app, a locked screen or a call). Bring it back to "
    "the front on the phone.":
        "手机上的考试页面已不在前台（切换了应用、锁屏或来电）。请在手机上回到该页面。",
    "The second camera's picture is frozen.": "第二机位的画面卡住了。",
    "Your phone's battery is low: plug in its charger without moving it.": "手机电量低：请在不移动手机的情况下接上充电器。",
    "This exam needs the second camera (your phone). Press the Phone button at the top and scan the code with your "
    "phone.":
        "本场考试需要第二机位（您的手机）。请点击顶部的“手机”按钮，用手机扫描二维码。",
    "Keep the phone behind you to one side (45°, at least 1.5 m), sideways, charging, its page in front.":
        "请把手机放在您身后一侧（约 45°，至少 1.5 米），横放、充电，页面保持在前台。",
    "Check the phone's picture…": "查看手机画面…",
    "Where the phone goes: behind you to one side at 45°, at least 1.5 m away":
        "手机的位置：在您身后一侧约 45°，至少 1.5 米远",
    "QR code for the phone": "手机配对二维码",
    # the lockdown's preflight (client/ui/lockdown_dialog.py)
    "Before the exam starts": "开考前检查",
    "Before the exam can start": "开考前请先处理以下问题",
    "Fix what is listed below, then check again. Once the start time has passed, the exam time is running.":
        "请按下列提示处理，然后点击“重新检测”。开考时间一到，考试即开始计时。",
    "What must be fixed": "需要处理的问题",
    "Programs that must be closed:": "需要关闭的程序：",
    "Programs that must be closed": "需要关闭的程序",
    "Close these programs": "关闭这些程序",
    "Check again": "重新检测",
    "Checking…": "正在检测…",
    "Closing programs…": "正在关闭程序…",
    "Close programs": "关闭程序",
    "These programs did not close: %1. End them now? Anything unsaved in them is lost.":
        "以下程序没有关闭：%1。现在强制结束吗？其中未保存的内容将会丢失。",
    "Some programs could not be closed: %1. Close them yourself, or ask the exam centre for help.":
        "有些程序无法关闭：%1。请自行关闭，或联系考务人员协助。",
}


# the self-check wizard's catalogue (client/ui/selfcheck, its own translator)
ZH_SELFCHECK = {
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
    # the second-camera step
    "Second camera (phone)": "第二机位（手机）",
    "Put your phone behind you, to one side at about 45°, at least 1.5 m away, sideways on a stand and charging. "
    "It must show you, the desk and the screen. The phone page uses the rear camera only, never the microphone.":
        "请把手机放在您身后一侧，与您成约 45°，距离至少 1.5 米，横放在支架上并接上充电器。画面要能拍到您本人、桌面和电脑屏幕。"
        "手机页面只使用后置摄像头，从不使用麦克风。",
    "Scan the code with your phone: its picture appears here.": "请用手机扫描二维码，手机的画面会显示在这里。",
    "Check the phone again": "重新检测手机",
}
