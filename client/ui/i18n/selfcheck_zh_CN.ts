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
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <source>Use this result</source>
        <translation>使用此结果</translation>
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
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Check results</source>
        <translation>检测结果</translation>
    </message>
</context>
<context>
    <name>MicrophonePage</name>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>First stay quiet for a moment so we can hear your room, then read the sentence aloud.</source>
        <translation>先保持安静片刻，让我们听一下房间的环境声音，然后大声朗读屏幕上的句子。</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>麦克风音量</translation>
    </message>
    <message>
        <source>Press Start when you are ready.</source>
        <translation>准备好后请点击“开始”。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
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
        <source>Default microphone</source>
        <translation>默认麦克风</translation>
    </message>
    <message>
        <source>Starting the microphone…</source>
        <translation>正在打开麦克风…</translation>
    </message>
    <message>
        <source>Please stay quiet: listening to your room…</source>
        <translation>请保持安静：正在检测房间环境声音…</translation>
    </message>
    <message>
        <source>Now read this sentence aloud at normal volume:</source>
        <translation>现在请用正常音量朗读下面这句话：</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>检测完成。</translation>
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
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <source>Use this result</source>
        <translation>使用此结果</translation>
    </message>
</context>
<context>
    <name>SelfCheckWizard</name>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Summary</source>
        <translation>检测结果汇总</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检测项</translation>
    </message>
    <message>
        <source>What we found</source>
        <translation>检测情况</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理方法</translation>
    </message>
    <message>
        <source>Check the camera again</source>
        <translation>重新检测摄像头</translation>
    </message>
    <message>
        <source>Check the microphone again</source>
        <translation>重新检测麦克风</translation>
    </message>
    <message>
        <source>Check the network again</source>
        <translation>重新检测网络</translation>
    </message>
    <message>
        <source>Check the computer again</source>
        <translation>重新检测电脑</translation>
    </message>
    <message>
        <source>Check the phone again</source>
        <translation>重新检测手机</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Everything is ready for the exam.</source>
        <translation>设备全部就绪，可以参加考试。</translation>
    </message>
    <message>
        <source>You can take the exam, but please look at the warnings below.</source>
        <translation>可以参加考试，但请留意下面的提示。</translation>
    </message>
    <message>
        <source>Some checks failed. Follow the advice and check again; failed checks are reported to the exam centre.</source>
        <translation>部分检测未通过。请按提示调整后重新检测；未通过的项目会报告给考试中心。</translation>
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
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检测…</translation>
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