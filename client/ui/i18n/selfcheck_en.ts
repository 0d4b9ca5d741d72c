<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>CameraPage</name>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Sit as you will during the exam: your face inside the oval, your shoulders above the line, a light in front of you and no window behind you.</source>
        <translation>Sit as you will during the exam: your face inside the oval, your shoulders above the line, a light in front of you and no window behind you.</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>Camera:</translation>
    </message>
    <message>
        <source>Oval: where your face belongs · dashed line: your shoulders · green when you sit right</source>
        <translation>Oval: where your face belongs · dashed line: your shoulders · green when you sit right</translation>
    </message>
    <message>
        <source>(virtual camera)</source>
        <translation>(virtual camera)</translation>
    </message>
    <message>
        <source>Default camera</source>
        <translation>Default camera</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>Starting the camera…</translation>
    </message>
    <message>
        <source>Checking the camera…</source>
        <translation>Checking the camera…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>%1: all good</source>
        <translation>%1: all good</translation>
    </message>
    <message>
        <source>Every check of this step passed.</source>
        <translation>Every check of this step passed.</translation>
    </message>
    <message numerus="yes">
        <source>%1 works; %n item(s) could not be measured</source>
        <translation>
            <numerusform>%1 works; %n item could not be measured</numerusform>
            <numerusform>%1 works; %n items could not be measured</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing failed; what could not be measured is listed below.</source>
        <translation>Nothing failed; what could not be measured is listed below.</translation>
    </message>
    <message numerus="yes">
        <source>%1 works, but %n item(s) need attention</source>
        <translation>
            <numerusform>%1 works, but %n item need attention</numerusform>
            <numerusform>%1 works, but %n items need attention</numerusform>
        </translation>
    </message>
    <message>
        <source>You may go on; fixing these first is better for your exam.</source>
        <translation>You may go on; fixing these first is better for your exam.</translation>
    </message>
    <message numerus="yes">
        <source>%1 is not ready: %n problem(s) to fix</source>
        <translation>
            <numerusform>%1 is not ready: %n problem to fix</numerusform>
            <numerusform>%1 is not ready: %n problems to fix</numerusform>
        </translation>
    </message>
    <message>
        <source>Follow the advice below, then check again.</source>
        <translation>Follow the advice below, then check again.</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>Details</name>
    <message>
        <source>All check results</source>
        <translation>All check results</translation>
    </message>
    <message>
        <source>Hide the details</source>
        <translation>Hide the details</translation>
    </message>
    <message numerus="yes">
        <source>Show all %n result(s)</source>
        <translation>
            <numerusform>Show all %n result</numerusform>
            <numerusform>Show all %n results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IssueList</name>
    <message>
        <source>What to do:</source>
        <translation>What to do:</translation>
    </message>
    <message numerus="yes">
        <source>%n more item(s) in the details below.</source>
        <translation>
            <numerusform>%n more item in the details below.</numerusform>
            <numerusform>%n more items in the details below.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MicrophonePage</name>
    <message>
        <source>Microphone</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <source>Press Start, stay quiet for a moment so we can hear your room, then read the sentence below aloud.</source>
        <translation>Press Start, stay quiet for a moment so we can hear your room, then read the sentence below aloud.</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>Microphone:</translation>
    </message>
    <message>
        <source>Read this sentence aloud:</source>
        <translation>Read this sentence aloud:</translation>
    </message>
    <message>
        <source>Press Start when you are ready.</source>
        <translation>Press Start when you are ready.</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>Microphone level</translation>
    </message>
    <message>
        <source>room noise %1 dB</source>
        <translation>room noise %1 dB</translation>
    </message>
    <message>
        <source>your voice should pass this line</source>
        <translation>your voice should pass this line</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Not checked yet</translation>
    </message>
    <message>
        <source>Press Start to check the microphone.</source>
        <translation>Press Start to check the microphone.</translation>
    </message>
    <message>
        <source>Recorded sound</source>
        <translation>Recorded sound</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(default)</translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation>No microphone found</translation>
    </message>
    <message>
        <source>Checking the microphone…</source>
        <translation>Checking the microphone…</translation>
    </message>
    <message>
        <source>Starting the microphone…</source>
        <translation>Starting the microphone…</translation>
    </message>
    <message>
        <source>1. Please stay quiet: listening to your room…</source>
        <translation>1. Please stay quiet: listening to your room…</translation>
    </message>
    <message>
        <source>2. Now read the sentence above aloud, at your normal volume.</source>
        <translation>2. Now read the sentence above aloud, at your normal volume.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Done.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Skip this step</source>
        <translation>Skip this step</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <source>Network</source>
        <translation>Network</translation>
    </message>
    <message>
        <source>We measure the delay to the exam server and how fast you can upload. A wired connection is best.</source>
        <translation>We measure the delay to the exam server and how fast you can upload. A wired connection is best.</translation>
    </message>
    <message>
        <source>Exam server address</source>
        <translation>Exam server address</translation>
    </message>
    <message>
        <source>Exam server:</source>
        <translation>Exam server:</translation>
    </message>
    <message>
        <source>No exam server is configured on this computer. Type the address from your admission notice, then press Check.</source>
        <translation>No exam server is configured on this computer. Type the address from your admission notice, then press Check.</translation>
    </message>
    <message>
        <source>Network not checked yet</source>
        <translation>Network not checked yet</translation>
    </message>
    <message>
        <source>The exam server's address is needed for this check.</source>
        <translation>The exam server's address is needed for this check.</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
</context>
<context>
    <name>PhonePage</name>
    <message>
        <source>Second camera (phone)</source>
        <translation>Second camera (phone)</translation>
    </message>
    <message>
        <source>Put your phone behind you, to one side at about 45°, at least 1.5 m away, sideways on a stand and charging. It must show you, the desk and the screen. The phone page uses the rear camera only, never the microphone.</source>
        <translation>Put your phone behind you, to one side at about 45°, at least 1.5 m away, sideways on a stand and charging. It must show you, the desk and the screen. The phone page uses the rear camera only, never the microphone.</translation>
    </message>
    <message>
        <source>Scan the code with your phone: its picture appears here.</source>
        <translation>Scan the code with your phone: its picture appears here.</translation>
    </message>
    <message>
        <source>Waiting for the phone: scan the code with it.</source>
        <translation>Waiting for the phone: scan the code with it.</translation>
    </message>
    <message>
        <source>Waiting for the phone…</source>
        <translation>Waiting for the phone…</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Skip this step</source>
        <translation>Skip this step</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
</context>
<context>
    <name>SelfCheckWizard</name>
    <message>
        <source>Equipment self-check</source>
        <translation>Equipment self-check</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Continue to the waiting room</source>
        <translation>Continue to the waiting room</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finish</translation>
    </message>
</context>
<context>
    <name>Stepper</name>
    <message>
        <source>Step %1 of %2: %3</source>
        <translation>Step %1 of %2: %3</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Your result</source>
        <translation>Your result</translation>
    </message>
    <message>
        <source>What to fix</source>
        <translation>What to fix</translation>
    </message>
    <message>
        <source>What the exam centre will see</source>
        <translation>What the exam centre will see</translation>
    </message>
    <message>
        <source>Check the %1 again</source>
        <translation>Check the %1 again</translation>
    </message>
    <message>
        <source>You may sit the exam</source>
        <translation>You may sit the exam</translation>
    </message>
    <message>
        <source>Every check passed.</source>
        <translation>Every check passed.</translation>
    </message>
    <message numerus="yes">
        <source>Nothing failed; %n item(s) could not be measured on this computer.</source>
        <translation>
            <numerusform>Nothing failed; %n item could not be measured on this computer.</numerusform>
            <numerusform>Nothing failed; %n items could not be measured on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You may sit the exam, but better fix %n item(s) first</source>
        <translation>
            <numerusform>You may sit the exam, but better fix %n item first</numerusform>
            <numerusform>You may sit the exam, but better fix %n items first</numerusform>
        </translation>
    </message>
    <message>
        <source>They are listed below with what to do.</source>
        <translation>They are listed below with what to do.</translation>
    </message>
    <message numerus="yes">
        <source>Not ready for the exam yet: %n problem(s) to fix</source>
        <translation>
            <numerusform>Not ready for the exam yet: %n problem to fix</numerusform>
            <numerusform>Not ready for the exam yet: %n problems to fix</numerusform>
        </translation>
    </message>
    <message>
        <source>Fix them and check again. If you cannot, you may still go on: the exam centre sees these results and decides; call them if you are unsure.</source>
        <translation>Fix them and check again. If you cannot, you may still go on: the exam centre sees these results and decides; call them if you are unsure.</translation>
    </message>
    <message>
        <source>Fix them and check again before the day of the exam.</source>
        <translation>Fix them and check again before the day of the exam.</translation>
    </message>
    <message>
        <source>Nothing to fix.</source>
        <translation>Nothing to fix.</translation>
    </message>
    <message>
        <source>%1 passed · %2 need attention · %3 failed · %4 not measured</source>
        <translation>%1 passed · %2 need attention · %3 failed · %4 not measured</translation>
    </message>
    <message>
        <source>When you go on, this report goes to the exam centre with your exam record: each check's result and what was measured (for example the camera's resolution or the network delay). It holds no picture, video or sound.</source>
        <translation>When you go on, this report goes to the exam centre with your exam record: each check's result and what was measured (for example the camera's resolution or the network delay). It holds no picture, video or sound.</translation>
    </message>
    <message>
        <source>This report is kept on this computer only. On the day of the exam ExamDesk runs these checks again and sends that report to the exam centre: each check's result and what was measured, no picture, video or sound.</source>
        <translation>This report is kept on this computer only. On the day of the exam ExamDesk runs these checks again and sends that report to the exam centre: each check's result and what was measured, no picture, video or sound.</translation>
    </message>
</context>
<context>
    <name>SystemPage</name>
    <message>
        <source>Computer</source>
        <translation>Computer</translation>
    </message>
    <message>
        <source>We check the computer: system, free disk, power, displays, remote sessions and programs that are not allowed during the exam.</source>
        <translation>We check the computer: system, free disk, power, displays, remote sessions and programs that are not allowed during the exam.</translation>
    </message>
    <message>
        <source>Close these programs</source>
        <translation>Close these programs</translation>
    </message>
    <message>
        <source>Unsaved work in these programs will be lost.</source>
        <translation>Unsaved work in these programs will be lost.</translation>
    </message>
    <message>
        <source>Close these programs: %1</source>
        <translation>Close these programs: %1</translation>
    </message>
    <message>
        <source>Closing programs…</source>
        <translation>Closing programs…</translation>
    </message>
</context>
<context>
    <name>TaskPage</name>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
</context>
<context>
    <name>wizard</name>
    <message>
        <source>ExamDesk equipment self-check</source>
        <translation>ExamDesk equipment self-check</translation>
    </message>
</context>
</TS>