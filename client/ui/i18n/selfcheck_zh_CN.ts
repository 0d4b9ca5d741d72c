<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraPage</name>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Sit as you will during the exam: your face inside the oval, your shoulders above the line, a light in front of you and no window behind you.</source>
        <translation>请按考试时的姿势坐好：脸位于椭圆框内，肩膀在横线以上；光源在您前方，背后不要有窗户。</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>摄像头：</translation>
    </message>
    <message>
        <source>Oval: where your face belongs · dashed line: your shoulders · green when you sit right</source>
        <translation>椭圆：脸的位置 · 虚线：肩膀的位置 · 坐姿合适时显示为绿色</translation>
    </message>
    <message>
        <source>(virtual camera)</source>
        <translation>（虚拟摄像头）</translation>
    </message>
    <message>
        <source>Default camera</source>
        <translation>默认摄像头</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>正在打开摄像头…</translation>
    </message>
    <message>
        <source>Checking the camera…</source>
        <translation>正在检测摄像头…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>%1: all good</source>
        <translation>%1正常</translation>
    </message>
    <message>
        <source>Every check of this step passed.</source>
        <translation>这一步的检测全部通过。</translation>
    </message>
    <message numerus="yes">
        <source>%1 works; %n item(s) could not be measured</source>
        <translation>
            <numerusform>%1可以使用，有 %n 项未能测量</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing failed; what could not be measured is listed below.</source>
        <translation>没有未通过的项目；未能测量的项目列在下面。</translation>
    </message>
    <message numerus="yes">
        <source>%1 works, but %n item(s) need attention</source>
        <translation>
            <numerusform>%1可以使用，但有 %n 项需要注意</numerusform>
        </translation>
    </message>
    <message>
        <source>You may go on; fixing these first is better for your exam.</source>
        <translation>可以继续；先处理这些问题，考试会更顺利。</translation>
    </message>
    <message numerus="yes">
        <source>%1 is not ready: %n problem(s) to fix</source>
        <translation>
            <numerusform>%1未通过：有 %n 个问题需要处理</numerusform>
        </translation>
    </message>
    <message>
        <source>Follow the advice below, then check again.</source>
        <translation>请按下面的提示处理，然后重新检测。</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>Details</name>
    <message>
        <source>All check results</source>
        <translation>全部检测结果</translation>
    </message>
    <message>
        <source>Hide the details</source>
        <translation>收起详细结果</translation>
    </message>
    <message numerus="yes">
        <source>Show all %n result(s)</source>
        <translation>
            <numerusform>查看全部 %n 项检测结果</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IssueList</name>
    <message>
        <source>What to do:</source>
        <translation>怎么做：</translation>
    </message>
    <message numerus="yes">
        <source>%n more item(s) in the details below.</source>
        <translation>
            <numerusform>还有 %n 项，见下面的详细结果。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MicrophonePage</name>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Press Start, stay quiet for a moment so we can hear your room, then read the sentence below aloud.</source>
        <translation>点击“开始检测”后，先保持安静片刻，让我们听一下房间的环境音，然后大声朗读下面这句话。</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <source>Read this sentence aloud:</source>
        <translation>请朗读这句话：</translation>
    </message>
    <message>
        <source>Press Start when you are ready.</source>
        <translation>准备好后请点击“开始”。</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>麦克风音量</translation>
    </message>
    <message>
        <source>room noise %1 dB</source>
        <translation>环境噪音 %1 dB</translation>
    </message>
    <message>
        <source>your voice should pass this line</source>
        <translation>朗读时音量应超过这条线</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检测</translation>
    </message>
    <message>
        <source>Press Start to check the microphone.</source>
        <translation>点击“开始检测”检测麦克风。</translation>
    </message>
    <message>
        <source>Recorded sound</source>
        <translation>录音文件</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation>未找到麦克风</translation>
    </message>
    <message>
        <source>Checking the microphone…</source>
        <translation>正在检测麦克风…</translation>
    </message>
    <message>
        <source>Starting the microphone…</source>
        <translation>正在打开麦克风…</translation>
    </message>
    <message>
        <source>1. Please stay quiet: listening to your room…</source>
        <translation>① 请保持安静，正在听房间的环境音…</translation>
    </message>
    <message>
        <source>2. Now read the sentence above aloud, at your normal volume.</source>
        <translation>② 现在请用正常音量朗读上面的句子。</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>检测完成。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始检测</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Skip this step</source>
        <translation>跳过这一步</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>We measure the delay to the exam server and how fast you can upload. A wired connection is best.</source>
        <translation>检测到考试服务器的网络延迟和上传速度。建议使用有线网络。</translation>
    </message>
    <message>
        <source>Exam server address</source>
        <translation>考试服务器地址</translation>
    </message>
    <message>
        <source>Exam server:</source>
        <translation>考试服务器：</translation>
    </message>
    <message>
        <source>No exam server is configured on this computer. Type the address from your admission notice, then press Check.</source>
        <translation>本机没有配置考试服务器地址。请填写准考证或考点通知上的地址，然后点击“开始检测”。</translation>
    </message>
    <message>
        <source>Network not checked yet</source>
        <translation>尚未检测网络</translation>
    </message>
    <message>
        <source>The exam server's address is needed for this check.</source>
        <translation>这项检测需要考试服务器的地址。</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>开始检测</translation>
    </message>
</context>
<context>
    <name>PhonePage</name>
    <message>
        <source>Second camera (phone)</source>
        <translation>第二机位（手机）</translation>
    </message>
    <message>
        <source>Put your phone behind you, to one side at about 45°, at least 1.5 m away, sideways on a stand and charging. It must show you, the desk and the screen. The phone page uses the rear camera only, never the microphone.</source>
        <translation>请把手机放在您身后一侧，与您成约 45°，距离至少 1.5 米，横放在支架上并接上充电器。画面要能拍到您本人、桌面和电脑屏幕。手机页面只使用后置摄像头，从不使用麦克风。</translation>
    </message>
    <message>
        <source>Scan the code with your phone: its picture appears here.</source>
        <translation>请用手机扫描二维码，手机的画面会显示在这里。</translation>
    </message>
    <message>
        <source>Waiting for the phone: scan the code with it.</source>
        <translation>正在等待手机：请用手机扫描二维码。</translation>
    </message>
    <message>
        <source>Waiting for the phone…</source>
        <translation>正在等待手机…</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Skip this step</source>
        <translation>跳过这一步</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
</context>
<context>
    <name>SelfCheckWizard</name>
    <message>
        <source>Equipment self-check</source>
        <translation>设备自检</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Continue to the waiting room</source>
        <translation>进入候考室</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>Stepper</name>
    <message>
        <source>Step %1 of %2: %3</source>
        <translation>第 %1 步，共 %2 步：%3</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Your result</source>
        <translation>自检结果</translation>
    </message>
    <message>
        <source>What to fix</source>
        <translation>需要处理的问题</translation>
    </message>
    <message>
        <source>What the exam centre will see</source>
        <translation>考点会看到什么</translation>
    </message>
    <message>
        <source>Check the %1 again</source>
        <translation>重新检测%1</translation>
    </message>
    <message>
        <source>You may sit the exam</source>
        <translation>您可以参加考试</translation>
    </message>
    <message>
        <source>Every check passed.</source>
        <translation>所有检测项均已通过。</translation>
    </message>
    <message numerus="yes">
        <source>Nothing failed; %n item(s) could not be measured on this computer.</source>
        <translation>
            <numerusform>没有未通过的项目；有 %n 项在这台电脑上无法测量。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You may sit the exam, but better fix %n item(s) first</source>
        <translation>
            <numerusform>您可以参加考试，但建议先处理 %n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <source>They are listed below with what to do.</source>
        <translation>问题和处理方法列在下面。</translation>
    </message>
    <message numerus="yes">
        <source>Not ready for the exam yet: %n problem(s) to fix</source>
        <translation>
            <numerusform>暂不符合考试要求：有 %n 个问题需要处理</numerusform>
        </translation>
    </message>
    <message>
        <source>Fix them and check again. If you cannot, you may still go on: the exam centre sees these results and decides; call them if you are unsure.</source>
        <translation>请处理后重新检测。如果无法解决，仍可继续：考点会看到这些结果并决定是否允许考试，如有疑问请联系考点。</translation>
    </message>
    <message>
        <source>Fix them and check again before the day of the exam.</source>
        <translation>请在考试日之前处理好并重新检测。</translation>
    </message>
    <message>
        <source>Nothing to fix.</source>
        <translation>没有需要处理的问题。</translation>
    </message>
    <message>
        <source>%1 passed · %2 need attention · %3 failed · %4 not measured</source>
        <translation>通过 %1 项 · 需注意 %2 项 · 未通过 %3 项 · 未测量 %4 项</translation>
    </message>
    <message>
        <source>When you go on, this report goes to the exam centre with your exam record: each check's result and what was measured (for example the camera's resolution or the network delay). It holds no picture, video or sound.</source>
        <translation>继续后，这份自检报告会随您的考试记录发送给考点：包括每项检测的结果和测量值（例如摄像头分辨率、网络延迟），不包含任何照片、视频或声音。</translation>
    </message>
    <message>
        <source>This report is kept on this computer only. On the day of the exam ExamDesk runs these checks again and sends that report to the exam centre: each check's result and what was measured, no picture, video or sound.</source>
        <translation>这份报告只保存在本机。考试当天，考试客户端会再次进行这些检测，并把那份报告发送给考点：包括每项检测的结果和测量值，不包含任何照片、视频或声音。</translation>
    </message>
</context>
<context>
    <name>SystemPage</name>
    <message>
        <source>Computer</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>We check the computer: system, free disk, power, displays, remote sessions and programs that are not allowed during the exam.</source>
        <translation>检测电脑：操作系统、磁盘空间、电源、显示器、远程会话以及考试时禁止运行的程序。</translation>
    </message>
    <message>
        <source>Close these programs</source>
        <translation>关闭这些程序</translation>
    </message>
    <message>
        <source>Unsaved work in these programs will be lost.</source>
        <translation>这些程序中未保存的内容将会丢失。</translation>
    </message>
    <message>
        <source>Close these programs: %1</source>
        <translation>关闭这些程序：%1</translation>
    </message>
    <message>
        <source>Closing programs…</source>
        <translation>正在关闭程序…</translation>
    </message>
</context>
<context>
    <name>TaskPage</name>
    <message>
        <source>Checking…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
</context>
<context>
    <name>wizard</name>
    <message>
        <source>ExamDesk equipment self-check</source>
        <translation>ExamDesk 设备自检</translation>
    </message>
</context>
</TS>