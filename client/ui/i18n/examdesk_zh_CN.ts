<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Banner</name>
    <message>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Dismiss message</source>
        <translation>关闭消息</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>ConsentPage</name>
    <message>
        <source>Exam rules and privacy</source>
        <translation>考试须知与隐私说明</translation>
    </message>
    <message>
        <source>Please read this carefully. It tells you how to set up, how to behave during the exam, and what the client records.</source>
        <translation>请仔细阅读：以下说明考试环境要求、考试纪律，以及客户端会记录哪些内容。</translation>
    </message>
    <message>
        <source>Exam rules and privacy notice</source>
        <translation>考试须知与隐私说明</translation>
    </message>
    <message>
        <source>I have read the rules and agree to the recording and analysis described above.</source>
        <translation>我已阅读以上考试须知，并同意上述录制与分析方式。</translation>
    </message>
    <message>
        <source>I agree</source>
        <translation>我同意</translation>
    </message>
    <message>
        <source>Agree and continue</source>
        <translation>同意并继续</translation>
    </message>
    <message>
        <source>Equipment: two cameras</source>
        <translation>设备：双机位</translation>
    </message>
    <message>
        <source>Main device: this computer with an HD camera and a microphone, filming you from the front. Your face and upper body must be in the middle of the picture and clearly visible.</source>
        <translation>主机位：本电脑，配备高清摄像头和麦克风，从正面拍摄。面部和上半身须位于画面中央并清晰可见。</translation>
    </message>
    <message>
        <source>Second device: a phone behind you to one side at 45 degrees, at least 1.5 m away, showing the room and your screen, with its microphone off.</source>
        <translation>副机位：手机置于侧后方 45 度、距离至少 1.5 米，拍摄考试环境和电脑屏幕，并关闭麦克风。</translation>
    </message>
    <message>
        <source>The phone: charged, screen recording, music and alarms off, never sleeping or locked; reject calls.</source>
        <translation>手机须电量充足，关闭录屏、音乐和闹钟，不得休眠或锁屏；来电须拒接。</translation>
    </message>
    <message>
        <source>The room</source>
        <translation>考试环境</translation>
    </message>
    <message>
        <source>Nothing within 1.5 m of your seat but your ID card: no books, papers or other devices.</source>
        <translation>座位 1.5 米范围内除身份证外不得放置任何物品：不得有书本、纸张或其他电子设备。</translation>
    </message>
    <message>
        <source>A room of your own, bright and quiet; no camera faces into the light (no backlight).</source>
        <translation>独立房间，光线明亮、环境安静；两台设备的摄像头都不得逆光。</translation>
    </message>
    <message>
        <source>A stable network; a wired connection is recommended.</source>
        <translation>网络稳定，建议使用有线网络。</translation>
    </message>
    <message>
        <source>During the exam</source>
        <translation>考试期间</translation>
    </message>
    <message>
        <source>Do not turn your face aside or cover it (no covering the mouth, touching the nose, resting the chin on a hand).</source>
        <translation>不得侧脸或遮挡面部（不得捂嘴、摸鼻、托腮）。</translation>
    </message>
    <message>
        <source>Do not switch away from the exam screen; no phone calls.</source>
        <translation>不得切出考试界面，不得接打电话。</translation>
    </message>
    <message>
        <source>Video monitoring must never be interrupted.</source>
        <translation>视频监控全程不得中断。</translation>
    </message>
    <message>
        <source>The exam lasts 120 minutes by the server's clock; the time keeps running if your computer or network fails. Your answers are saved on this computer as you go.</source>
        <translation>考试时长 120 分钟，以服务器时间为准；电脑或网络出现故障时计时不会暂停。您的每次作答都会立即保存在本机。</translation>
    </message>
    <message>
        <source>What is recorded, and where it goes</source>
        <translation>录制哪些内容，去向如何</translation>
    </message>
    <message>
        <source>Camera video and microphone sound are analysed on this computer only (face present, one person, framing, light, voices). They are not streamed or uploaded as a whole.</source>
        <translation>摄像头画面和麦克风声音只在本机分析（是否在座、是否只有一人、画面位置、光线、人声），不会整段直播或上传。</translation>
    </message>
    <message>
        <source>Only short clips of about 10 seconds around a flagged event, and occasional still snapshots, are sent to the exam centre, encrypted in transit.</source>
        <translation>只有异常事件前后约 10 秒的短视频和少量截图会加密传送给考点。</translation>
    </message>
    <message>
        <source>Each clip or snapshot is deleted from this computer as soon as the server confirms it received it intact.</source>
        <translation>每段视频或截图在服务器确认完整接收后，立即从本机删除。</translation>
    </message>
    <message>
        <source>Your answers, the time of each answer, and exam events (such as leaving the exam window) are sent to the exam centre.</source>
        <translation>您的答案、每次作答的时间以及考试事件（如离开考试窗口）会发送给考点。</translation>
    </message>
    <message>
        <source>The proctors can send you messages and extra time; they see flagged events, not a live feed of your room.</source>
        <translation>监考老师可以向您发送消息或延长时间；他们看到的是标记的异常事件，而不是您房间的实时画面。</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <source>Documents</source>
        <translation>提交材料</translation>
    </message>
    <message>
        <source>Uploaded documents</source>
        <translation>已上传的材料</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>上传进度</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Choose a file and upload…</source>
        <translation>选择文件并上传…</translation>
    </message>
    <message>
        <source>No document submission is open for you.</source>
        <translation>目前没有需要您提交的材料。</translation>
    </message>
    <message>
        <source>Work-improvement plan (practical assessment)</source>
        <translation>工作改进方案（实操评估）</translation>
    </message>
    <message>
        <source>Application materials (comprehensive review)</source>
        <translation>申报材料（综合评审）</translation>
    </message>
    <message>
        <source>Deadline: %1 (%2 working days after the theory exam)</source>
        <translation>截止时间：%1（理论考试后 %2 个工作日）</translation>
    </message>
    <message>
        <source>PDF or DOCX, at most %1 MB per file.</source>
        <translation>PDF 或 DOCX 格式，每个文件不超过 %1 MB。</translation>
    </message>
    <message>
        <source>No document uploaded yet.</source>
        <translation>尚未上传材料。</translation>
    </message>
    <message>
        <source>Only PDF or DOCX files can be submitted.</source>
        <translation>只能提交 PDF 或 DOCX 文件。</translation>
    </message>
    <message>
        <source>The file cannot be read.</source>
        <translation>无法读取该文件。</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>文件是空的。</translation>
    </message>
    <message>
        <source>The file is %1 MB; the limit is %2 MB.</source>
        <translation>文件大小为 %1 MB，超过 %2 MB 的上限。</translation>
    </message>
    <message>
        <source>Choose a document</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx)</source>
        <translation>文档 (*.pdf *.docx)</translation>
    </message>
    <message>
        <source>Uploading %1…</source>
        <translation>正在上传 %1…</translation>
    </message>
    <message>
        <source>%1 was received intact by the exam centre.</source>
        <translation>考点已完整收到 %1。</translation>
    </message>
    <message>
        <source>Uploading in the background; it resumes by itself after a network break.</source>
        <translation>正在后台上传；网络中断后会自动续传。</translation>
    </message>
    <message>
        <source>You can try again: the upload continues where it stopped.</source>
        <translation>可以重试：上传会从中断处继续。</translation>
    </message>
</context>
<context>
    <name>ExamDeskWindow</name>
    <message>
        <source>ExamDesk — Customer Contact Consultant exam</source>
        <translation>ExamDesk — 客服联络咨询师考试</translation>
    </message>
    <message>
        <source>Opening ExamDesk…</source>
        <translation>正在打开考试客户端…</translation>
    </message>
    <message>
        <source>Your computer's clock is %1 minutes off the exam server's time. The exam counts time by the server, so your countdown is right; please correct the PC clock after the exam.</source>
        <translation>您电脑的时钟与考试服务器相差 %1 分钟。考试以服务器时间计时，倒计时是准确的；请在考试后校正电脑时钟。</translation>
    </message>
    <message>
        <source>The formal exam has started and its time is running (%1 left). Submit this mock exam now, then start the formal exam in the waiting room.</source>
        <translation>正式考试已经开始计时（剩余 %1）。请现在交卷结束模拟考试，然后在候考室开始正式考试。</translation>
    </message>
    <message>
        <source>The exam is in progress and its time keeps running. Submit the paper to finish.</source>
        <translation>考试正在进行，时间不会暂停。请交卷后再退出。</translation>
    </message>
</context>
<context>
    <name>ExamHeader</name>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>The camera and microphone are analysed on this computer. Only short clips around what is noticed and a snapshot every minute go to the exam server, encrypted.</source>
        <translation>摄像头画面和麦克风声音只在本机分析；只有检测到异常前后的短视频片段和每分钟一张快照会加密上传到考试服务器。</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Your camera picture</source>
        <translation>您的摄像头画面</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · %3</source>
        <translation>准考证号 %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Time left: %1</source>
        <translation>剩余时间：%1</translation>
    </message>
    <message>
        <source>includes %1 min extra time</source>
        <translation>含延时 %1 分钟</translation>
    </message>
    <message>
        <source>Online · all saved to the server</source>
        <translation>在线 · 已全部保存到服务器</translation>
    </message>
    <message numerus="yes">
        <source>Online · sending %n answer(s)</source>
        <translation>
            <numerusform>在线 · 正在发送 %n 条答案</numerusform>
        </translation>
    </message>
    <message>
        <source>Online · answers on the server · syncing</source>
        <translation>在线 · 答案已送达服务器 · 同步中</translation>
    </message>
    <message numerus="yes">
        <source>Offline · %n answer(s) waiting · safe on this PC</source>
        <translation>
            <numerusform>离线 · %n 条答案待发送 · 已安全保存在本机</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline · no answer waiting · safe on this PC</source>
        <translation>离线 · 没有待发送的答案 · 记录已保存在本机</translation>
    </message>
    <message>
        <source>%1 answer(s) and %2 other record(s) not yet on the server</source>
        <translation>尚未送达服务器：%1 条答案，%2 条其他记录</translation>
    </message>
    <message>
        <source>● Monitoring on</source>
        <translation>● 监考录制中</translation>
    </message>
    <message>
        <source>○ Monitoring off</source>
        <translation>○ 监考已停止</translation>
    </message>
</context>
<context>
    <name>ExamPage</name>
    <message>
        <source>← Previous</source>
        <translation>← 上一题</translation>
    </message>
    <message>
        <source>Previous question</source>
        <translation>上一题</translation>
    </message>
    <message>
        <source>Flag for review (F)</source>
        <translation>标记待复查 (F)</translation>
    </message>
    <message>
        <source>Flag for review</source>
        <translation>标记待复查</translation>
    </message>
    <message>
        <source>Next →</source>
        <translation>下一题 →</translation>
    </message>
    <message>
        <source>Next question</source>
        <translation>下一题</translation>
    </message>
    <message>
        <source>Save status</source>
        <translation>保存状态</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>缩小字体</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大字体</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>答题卡</translation>
    </message>
    <message>
        <source>Keys: A–D or 1–4 choose · ← → previous/next · F flag</source>
        <translation>快捷键：A–D 或 1–4 选择 · ← → 上一题/下一题 · F 标记</translation>
    </message>
    <message>
        <source>Submit the paper…</source>
        <translation>交卷…</translation>
    </message>
    <message>
        <source>Question %1 of %2 · %3 · %4 points</source>
        <translation>第 %1 题 / 共 %2 题 · %3 · %4 分</translation>
    </message>
    <message>
        <source>✓ Saved</source>
        <translation>✓ 已保存</translation>
    </message>
    <message>
        <source>Typing… (saves when you pause)</source>
        <translation>正在输入…（停顿后自动保存）</translation>
    </message>
    <message>
        <source>✗ Not saved: %1</source>
        <translation>✗ 未保存：%1</translation>
    </message>
    <message>
        <source>✓ Saved %1</source>
        <translation>✓ 已保存 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) left. Your answers are saved; the paper is submitted automatically at zero.</source>
        <translation>
            <numerusform>距离考试结束还有 %n 分钟。答案均已保存，时间到时系统将自动交卷。</numerusform>
        </translation>
    </message>
    <message>
        <source>Message from the proctor: %1</source>
        <translation>监考老师消息：%1</translation>
    </message>
    <message numerus="yes">
        <source>The proctor granted %n extra minute(s).</source>
        <translation>
            <numerusform>监考老师为您延长了 %n 分钟。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 The proctor has been notified.</source>
        <translation>%1已通知监考老师。</translation>
    </message>
    <message>
        <source>We cannot see your face. Please sit in front of the camera.</source>
        <translation>画面中看不到您的面部，请坐在摄像头前。</translation>
    </message>
    <message>
        <source>More than one person is in the camera picture. Only you may be in the room.</source>
        <translation>画面中出现了多人。考试期间房间内只能有您一人。</translation>
    </message>
    <message>
        <source>Please face the screen.</source>
        <translation>请面向屏幕。</translation>
    </message>
    <message>
        <source>Your face is covered. Please keep your hands away from your face.</source>
        <translation>您的面部被遮挡，请不要用手遮挡或触摸面部。</translation>
    </message>
    <message>
        <source>Please move so that your whole face is in the camera picture.</source>
        <translation>请调整位置，使整个面部都在摄像头画面内。</translation>
    </message>
    <message>
        <source>The camera picture is black or covered. Please uncover the camera.</source>
        <translation>摄像头画面发黑或被遮挡，请移开遮挡物。</translation>
    </message>
    <message>
        <source>The camera picture is not changing. Please check the camera.</source>
        <translation>摄像头画面没有变化，请检查摄像头。</translation>
    </message>
    <message>
        <source>Your room is too dark for the camera. Please turn on a light.</source>
        <translation>房间光线太暗，请打开照明。</translation>
    </message>
    <message>
        <source>The camera stopped working. Please check that it is connected.</source>
        <translation>摄像头已停止工作，请检查是否连接好。</translation>
    </message>
    <message>
        <source>Another program is using the camera. Please close that program.</source>
        <translation>有其他程序正在使用摄像头，请关闭该程序。</translation>
    </message>
    <message>
        <source>Talking was heard. The exam must be taken alone and in silence.</source>
        <translation>检测到说话声。考试须独立、安静地完成。</translation>
    </message>
    <message>
        <source>A loud noise was heard.</source>
        <translation>检测到很大的噪声。</translation>
    </message>
    <message>
        <source>The microphone is muted. Please switch it on.</source>
        <translation>麦克风处于静音状态，请打开麦克风。</translation>
    </message>
    <message>
        <source>The microphone stopped working. Please check that it is connected.</source>
        <translation>麦克风已停止工作，请检查是否连接好。</translation>
    </message>
    <message>
        <source>The exam monitor noticed something (%1).</source>
        <translation>考试监控检测到异常（%1）。</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>ExamDesk exam client</source>
        <translation>ExamDesk 考试客户端</translation>
    </message>
    <message>
        <source>Switch language</source>
        <translation>切换语言</translation>
    </message>
    <message>
        <source>Customer Contact Consultant vocational certification</source>
        <translation>客服联络咨询师职业技能等级认证</translation>
    </message>
    <message>
        <source>(not configured)</source>
        <translation>（未配置）</translation>
    </message>
    <message>
        <source>Exam server address</source>
        <translation>考试服务器地址</translation>
    </message>
    <message>
        <source>Exam server</source>
        <translation>考试服务器</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>准考证号</translation>
    </message>
    <message>
        <source>ID card number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>ticket number</source>
        <translation>准考证号</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Please enter your %1.</source>
        <translation>请输入%1。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message numerus="yes">
        <source>Please try again in %n minute(s).</source>
        <translation>
            <numerusform>请在 %n 分钟后重试。</numerusform>
        </translation>
    </message>
    <message>
        <source>Check the ticket number, ID card number and password on your admission ticket.</source>
        <translation>请核对准考证上的准考证号、身份证号和密码。</translation>
    </message>
    <message>
        <source>Cannot reach the exam server at %1.</source>
        <translation>无法连接考试服务器 %1。</translation>
    </message>
    <message>
        <source>Check your network cable or Wi-Fi, then try again. If it persists, call the exam centre.</source>
        <translation>请检查网线或无线网络后重试；如仍无法连接，请致电考点。</translation>
    </message>
</context>
<context>
    <name>MockResultPage</name>
    <message>
        <source>Mock exam result</source>
        <translation>模拟考试成绩</translation>
    </message>
    <message>
        <source>Answers and explanations</source>
        <translation>答案与解析</translation>
    </message>
    <message>
        <source>Back to the waiting room</source>
        <translation>返回候考室</translation>
    </message>
    <message>
        <source>Submitting the practice paper… (it needs the network)</source>
        <translation>正在提交模拟试卷…（需要联网）</translation>
    </message>
    <message>
        <source>Objective questions: %1 of %2 points.</source>
        <translation>客观题得分：%1 / %2 分。</translation>
    </message>
    <message>
        <source>Essays (%1 points) are not marked in the mock exam.</source>
        <translation>简答题（%1 分）在模拟考试中不评分。</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>您的答案</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（未作答）</translation>
    </message>
    <message>
        <source>Right answer</source>
        <translation>正确答案</translation>
    </message>
    <message>
        <source>(marked by hand)</source>
        <translation>（人工评阅）</translation>
    </message>
</context>
<context>
    <name>NavigatorGrid</name>
    <message>
        <source>Green: answered · Blue frame: current · Orange corner: flagged</source>
        <translation>绿色：已答 · 蓝框：当前题 · 橙色角标：已标记</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已答</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>未答</translation>
    </message>
    <message>
        <source>flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Question %1: %2</source>
        <translation>第 %1 题：%2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Answered %1 of %2</source>
        <translation>已答 %1 / %2 题</translation>
    </message>
</context>
<context>
    <name>PhoneLight</name>
    <message>
        <source>press to pair the phone again</source>
        <translation>点击可重新配对手机</translation>
    </message>
    <message>
        <source>Press to pair the phone again</source>
        <translation>点击可重新配对手机</translation>
    </message>
</context>
<context>
    <name>PhoneLiveView</name>
    <message>
        <source>The phone's live picture</source>
        <translation>手机的实时画面</translation>
    </message>
</context>
<context>
    <name>PhonePairDialog</name>
    <message>
        <source>Second camera (phone)</source>
        <translation>第二机位（手机）</translation>
    </message>
    <message>
        <source>Scan the new code with your phone, put the phone back behind you to one side (45°, at least 1.5 m), and check the picture below. The exam time keeps running.</source>
        <translation>请用手机扫描新的二维码，再把手机放回您身后一侧（约 45°，至少 1.5 米），并查看下方画面。考试计时不会暂停。</translation>
    </message>
    <message>
        <source>Back to the paper</source>
        <translation>返回答题</translation>
    </message>
</context>
<context>
    <name>PhonePairingPanel</name>
    <message>
        <source>Scan the code with the phone's camera (or WeChat / a browser). On the page that opens, tap “Start the camera” and allow the camera.</source>
        <translation>用手机相机（或微信、浏览器）扫描二维码，在打开的页面上点击“开始拍摄”，并允许使用摄像头。</translation>
    </message>
    <message>
        <source>Show a new code</source>
        <translation>生成新的二维码</translation>
    </message>
    <message>
        <source>Getting a code from the exam server…</source>
        <translation>正在从考试服务器获取二维码…</translation>
    </message>
    <message>
        <source>The exam server is not using HTTPS: phones give the camera only to secure pages. Ask the exam centre.</source>
        <translation>考试服务器未使用 HTTPS：手机只允许安全网页使用摄像头。请联系考点。</translation>
    </message>
    <message>
        <source>The phone is paired. To use another phone, press “Show a new code”.</source>
        <translation>手机已配对。如需换用其他手机，请点击“生成新的二维码”。</translation>
    </message>
    <message>
        <source>This code has expired. Press “Show a new code”.</source>
        <translation>二维码已过期，请点击“生成新的二维码”。</translation>
    </message>
    <message>
        <source>The code works once, for %1 more.</source>
        <translation>二维码只能使用一次，剩余有效时间 %1。</translation>
    </message>
</context>
<context>
    <name>PhoneTexts</name>
    <message>
        <source>Phone: battery low</source>
        <translation>手机：电量低</translation>
    </message>
    <message>
        <source>Phone: live</source>
        <translation>手机：正常</translation>
    </message>
    <message>
        <source>Phone: page hidden</source>
        <translation>手机：页面不在前台</translation>
    </message>
    <message>
        <source>Phone: feed stopped</source>
        <translation>手机：画面中断</translation>
    </message>
    <message>
        <source>Phone: picture frozen</source>
        <translation>手机：画面卡住</translation>
    </message>
    <message>
        <source>Phone: connecting</source>
        <translation>手机：连接中</translation>
    </message>
    <message>
        <source>Phone: not paired</source>
        <translation>手机：未配对</translation>
    </message>
    <message>
        <source>Phone: unknown</source>
        <translation>手机：状态未知</translation>
    </message>
    <message>
        <source>Check the phone behind you; if its page is closed or shows an error, press the Phone button at the top and scan the new code with it.</source>
        <translation>请检查您身后的手机；如页面已关闭或显示错误，请点击顶部的“手机”按钮，用手机扫描新的二维码。</translation>
    </message>
    <message>
        <source>The second camera (your phone) stopped sending pictures.</source>
        <translation>第二机位（您的手机）已停止发送画面。</translation>
    </message>
    <message>
        <source>The exam page on your phone is no longer in front (another app, a locked screen or a call). Bring it back to the front on the phone.</source>
        <translation>手机上的考试页面已不在前台（切换了应用、锁屏或来电）。请在手机上回到该页面。</translation>
    </message>
    <message>
        <source>The second camera's picture is frozen.</source>
        <translation>第二机位的画面卡住了。</translation>
    </message>
    <message>
        <source>Your phone's battery is low: plug in its charger without moving it.</source>
        <translation>手机电量低：请在不移动手机的情况下接上充电器。</translation>
    </message>
    <message>
        <source>This exam needs the second camera (your phone). Press the Phone button at the top and scan the code with your phone.</source>
        <translation>本场考试需要第二机位（您的手机）。请点击顶部的“手机”按钮，用手机扫描二维码。</translation>
    </message>
</context>
<context>
    <name>PhoneWaitingCard</name>
    <message>
        <source>Second camera (phone)</source>
        <translation>第二机位（手机）</translation>
    </message>
    <message>
        <source>Keep the phone behind you to one side (45°, at least 1.5 m), sideways, charging, its page in front.</source>
        <translation>请把手机放在您身后一侧（约 45°，至少 1.5 米），横放、充电，页面保持在前台。</translation>
    </message>
    <message>
        <source>Check the phone's picture…</source>
        <translation>查看手机画面…</translation>
    </message>
</context>
<context>
    <name>PlacementGuide</name>
    <message>
        <source>Where the phone goes: behind you to one side at 45°, at least 1.5 m away</source>
        <translation>手机的位置：在您身后一侧约 45°，至少 1.5 米远</translation>
    </message>
</context>
<context>
    <name>PreflightDialog</name>
    <message>
        <source>Before the exam starts</source>
        <translation>开考前检查</translation>
    </message>
    <message>
        <source>Before the exam can start</source>
        <translation>开考前请先处理以下问题</translation>
    </message>
    <message>
        <source>Fix what is listed below, then check again. Once the start time has passed, the exam time is running.</source>
        <translation>请按下列提示处理，然后点击“重新检测”。开考时间一到，考试即开始计时。</translation>
    </message>
    <message>
        <source>What must be fixed</source>
        <translation>需要处理的问题</translation>
    </message>
    <message>
        <source>Programs that must be closed:</source>
        <translation>需要关闭的程序：</translation>
    </message>
    <message>
        <source>Programs that must be closed</source>
        <translation>需要关闭的程序</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Close these programs</source>
        <translation>关闭这些程序</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <source>Closing programs…</source>
        <translation>正在关闭程序…</translation>
    </message>
    <message>
        <source>Some programs could not be closed: %1. Close them yourself, or ask the exam centre for help.</source>
        <translation>有些程序无法关闭：%1。请自行关闭，或联系考务人员协助。</translation>
    </message>
    <message>
        <source>Close programs</source>
        <translation>关闭程序</translation>
    </message>
    <message>
        <source>These programs did not close: %1. End them now? Anything unsaved in them is lost.</source>
        <translation>以下程序没有关闭：%1。现在强制结束吗？其中未保存的内容将会丢失。</translation>
    </message>
</context>
<context>
    <name>QrCodeView</name>
    <message>
        <source>QR code for the phone</source>
        <translation>手机配对二维码</translation>
    </message>
</context>
<context>
    <name>QuestionView</name>
    <message>
        <source>Single choice</source>
        <translation>单选题</translation>
    </message>
    <message>
        <source>Multiple choice</source>
        <translation>多选题</translation>
    </message>
    <message>
        <source>True or false</source>
        <translation>判断题</translation>
    </message>
    <message>
        <source>Fill in the blanks</source>
        <translation>填空题</translation>
    </message>
    <message>
        <source>Essay</source>
        <translation>简答题</translation>
    </message>
    <message>
        <source>Option %1: %2</source>
        <translation>选项 %1：%2</translation>
    </message>
    <message>
        <source>A.  True</source>
        <translation>A.  正确</translation>
    </message>
    <message>
        <source>B.  False</source>
        <translation>B.  错误</translation>
    </message>
    <message>
        <source>Blank %1</source>
        <translation>第 %1 空</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>您的答案</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 字</translation>
    </message>
</context>
<context>
    <name>ReceiptPage</name>
    <message>
        <source>Your paper is sealed</source>
        <translation>您的试卷已封存</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>上传进度</translation>
    </message>
    <message>
        <source>Export sealed file…</source>
        <translation>导出封存文件…</translation>
    </message>
    <message>
        <source>Documents…</source>
        <translation>提交材料…</translation>
    </message>
    <message>
        <source>Close ExamDesk</source>
        <translation>关闭考试客户端</translation>
    </message>
    <message>
        <source>The time is up. Your answers were saved and the paper was sealed automatically.</source>
        <translation>考试时间到。您的答案已保存，试卷已自动封存。</translation>
    </message>
    <message>
        <source>The proctor ended your exam. Your answers were saved and sealed.</source>
        <translation>监考老师已结束您的考试。您的答案已保存并封存。</translation>
    </message>
    <message>
        <source>You submitted the paper. Your answers are sealed.</source>
        <translation>您已交卷，答案已封存。</translation>
    </message>
    <message>
        <source>Your paper was received</source>
        <translation>考点已收到您的试卷</translation>
    </message>
    <message>
        <source>Submission number: %1</source>
        <translation>交卷编号：%1</translation>
    </message>
    <message>
        <source>Received at: %1 (server time)</source>
        <translation>接收时间：%1（服务器时间）</translation>
    </message>
    <message>
        <source>Answer chain hash: %1</source>
        <translation>答案链哈希：%1</translation>
    </message>
    <message>
        <source>Signature: %1</source>
        <translation>签名：%1</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已验证</translation>
    </message>
    <message>
        <source>NOT verified</source>
        <translation>未通过验证</translation>
    </message>
    <message>
        <source>Waiting for the exam server to confirm…</source>
        <translation>正在等待考试服务器确认…</translation>
    </message>
    <message>
        <source>Everything has been received by the exam centre. You may now close ExamDesk.</source>
        <translation>考点已全部收到。现在可以关闭考试客户端。</translation>
    </message>
    <message numerus="yes">
        <source>Uploading: %n item(s) left. Please keep ExamDesk open until this reaches zero.</source>
        <translation>
            <numerusform>正在上传：还剩 %n 项。请在归零前保持客户端开启。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offline. Your answers are sealed on this computer and will upload automatically when the network returns (%n item(s) waiting). Keep ExamDesk open, or export the sealed file and hand it to the exam centre.</source>
        <translation>
            <numerusform>当前离线。您的答案已在本机封存，网络恢复后将自动上传（%n 项待发送）。请保持客户端开启，或导出封存文件交给考点。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export sealed file</source>
        <translation>导出封存文件</translation>
    </message>
    <message>
        <source>Sealed exam file (*.json)</source>
        <translation>封存的答卷文件 (*.json)</translation>
    </message>
    <message>
        <source>Sealed file saved to %1. Hand it to the exam centre.</source>
        <translation>封存文件已保存到 %1，请交给考点。</translation>
    </message>
</context>
<context>
    <name>SelfCheckPlaceholder</name>
    <message>
        <source>Equipment self-check</source>
        <translation>设备自检</translation>
    </message>
    <message>
        <source>The equipment self-check is not available in this build. Make sure your camera, microphone and network work before the exam.</source>
        <translation>此版本未包含设备自检。请在考试前确认摄像头、麦克风和网络工作正常。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>SubmitDialog</name>
    <message>
        <source>Submit the paper</source>
        <translation>交卷</translation>
    </message>
    <message>
        <source>Submit the paper now?</source>
        <translation>确定现在交卷吗？</translation>
    </message>
    <message>
        <source>Answered %1 of %2 · Unanswered: %3 · Flagged for review: %4</source>
        <translation>已答 %1 / %2 题 · 未答 %3 题 · 标记待复查 %4 题</translation>
    </message>
    <message>
        <source>Not answered (click a number to go back to it):</source>
        <translation>未答的题目（点击题号返回该题）：</translation>
    </message>
    <message>
        <source>Flagged for review:</source>
        <translation>标记待复查的题目：</translation>
    </message>
    <message>
        <source>Go to question %1</source>
        <translation>转到第 %1 题</translation>
    </message>
    <message>
        <source>Every question has an answer.</source>
        <translation>所有题目均已作答。</translation>
    </message>
    <message>
        <source>After submitting you cannot change any answer.</source>
        <translation>交卷后将不能再修改任何答案。</translation>
    </message>
    <message>
        <source>Back to the paper</source>
        <translation>返回答题</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>交卷</translation>
    </message>
</context>
<context>
    <name>WaitingRoomPage</name>
    <message>
        <source>Waiting room</source>
        <translation>候考室</translation>
    </message>
    <message>
        <source>Exam</source>
        <translation>考试</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>考试次数</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>考试时长</translation>
    </message>
    <message>
        <source>Starts at</source>
        <translation>开考时间</translation>
    </message>
    <message>
        <source>Time until the exam starts</source>
        <translation>距开考时间</translation>
    </message>
    <message>
        <source>Documents…</source>
        <translation>提交材料…</translation>
    </message>
    <message>
        <source>Practice with the mock exam</source>
        <translation>参加模拟考试</translation>
    </message>
    <message>
        <source>Start the exam</source>
        <translation>开始考试</translation>
    </message>
    <message>
        <source>No exam is scheduled for you now.</source>
        <translation>目前没有为您安排的考试。</translation>
    </message>
    <message>
        <source>Retake (attempt %1)</source>
        <translation>补考（第 %1 次）</translation>
    </message>
    <message>
        <source>First attempt</source>
        <translation>首次考试</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>Starts in %1</source>
        <translation>距开考 %1</translation>
    </message>
    <message>
        <source>The Start button unlocks at the start time.</source>
        <translation>开考时间到后“开始考试”按钮才可使用。</translation>
    </message>
    <message>
        <source>Meanwhile you may try the mock exam; submit it to come back here. The formal exam's time starts at its start time whatever you are doing.</source>
        <translation>在此之前可以参加模拟考试，交卷后回到这里。无论您在做什么，正式考试都会在开考时间准时开始计时。</translation>
    </message>
    <message>
        <source>The exam has started · %1 left</source>
        <translation>考试已开始 · 剩余 %1</translation>
    </message>
    <message>
        <source>The formal exam's time is running now. Press Start.</source>
        <translation>正式考试正在计时，请立即点击“开始考试”。</translation>
    </message>
    <message>
        <source>The mock exam is closed once the formal exam has started.</source>
        <translation>正式考试开始后，模拟考试不再开放。</translation>
    </message>
    <message>
        <source>The exam time is over</source>
        <translation>考试时间已结束</translation>
    </message>
    <message>
        <source>The time for this exam has run out. If you think this is wrong, call the exam centre.</source>
        <translation>本场考试的时间已经用完。如有疑问，请联系考点。</translation>
    </message>
</context>
</TS>