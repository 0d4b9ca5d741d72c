<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>Banner</name>
    <message>
        <source>Got it</source>
        <translation>Got it</translation>
    </message>
    <message>
        <source>Dismiss message</source>
        <translation>Dismiss message</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>ConsentPage</name>
    <message>
        <source>Exam rules and privacy</source>
        <translation>Exam rules and privacy</translation>
    </message>
    <message>
        <source>Please read this carefully. It tells you how to set up, how to behave during the exam, and what the client records.</source>
        <translation>Please read this carefully. It tells you how to set up, how to behave during the exam, and what the client records.</translation>
    </message>
    <message>
        <source>Exam rules and privacy notice</source>
        <translation>Exam rules and privacy notice</translation>
    </message>
    <message>
        <source>I have read the rules and agree to the recording and analysis described above.</source>
        <translation>I have read the rules and agree to the recording and analysis described above.</translation>
    </message>
    <message>
        <source>I agree</source>
        <translation>I agree</translation>
    </message>
    <message>
        <source>Agree and continue</source>
        <translation>Agree and continue</translation>
    </message>
    <message>
        <source>Equipment: two cameras</source>
        <translation>Equipment: two cameras</translation>
    </message>
    <message>
        <source>Main device: this computer with an HD camera and a microphone, filming you from the front. Your face and upper body must be in the middle of the picture and clearly visible.</source>
        <translation>Main device: this computer with an HD camera and a microphone, filming you from the front. Your face and upper body must be in the middle of the picture and clearly visible.</translation>
    </message>
    <message>
        <source>Second device: a phone behind you to one side at 45 degrees, at least 1.5 m away, showing the room and your screen, with its microphone off.</source>
        <translation>Second device: a phone behind you to one side at 45 degrees, at least 1.5 m away, showing the room and your screen, with its microphone off.</translation>
    </message>
    <message>
        <source>The phone: charged, screen recording, music and alarms off, never sleeping or locked; reject calls.</source>
        <translation>The phone: charged, screen recording, music and alarms off, never sleeping or locked; reject calls.</translation>
    </message>
    <message>
        <source>The room</source>
        <translation>The room</translation>
    </message>
    <message>
        <source>Nothing within 1.5 m of your seat but your ID card: no books, papers or other devices.</source>
        <translation>Nothing within 1.5 m of your seat but your ID card: no books, papers or other devices.</translation>
    </message>
    <message>
        <source>A room of your own, bright and quiet; no camera faces into the light (no backlight).</source>
        <translation>A room of your own, bright and quiet; no camera faces into the light (no backlight).</translation>
    </message>
    <message>
        <source>A stable network; a wired connection is recommended.</source>
        <translation>A stable network; a wired connection is recommended.</translation>
    </message>
    <message>
        <source>During the exam</source>
        <translation>During the exam</translation>
    </message>
    <message>
        <source>Do not turn your face aside or cover it (no covering the mouth, touching the nose, resting the chin on a hand).</source>
        <translation>Do not turn your face aside or cover it (no covering the mouth, touching the nose, resting the chin on a hand).</translation>
    </message>
    <message>
        <source>Do not switch away from the exam screen; no phone calls.</source>
        <translation>Do not switch away from the exam screen; no phone calls.</translation>
    </message>
    <message>
        <source>Video monitoring must never be interrupted.</source>
        <translation>Video monitoring must never be interrupted.</translation>
    </message>
    <message>
        <source>The exam lasts 120 minutes by the server's clock; the time keeps running if your computer or network fails. Your answers are saved on this computer as you go.</source>
        <translation>The exam lasts 120 minutes by the server's clock; the time keeps running if your computer or network fails. Your answers are saved on this computer as you go.</translation>
    </message>
    <message>
        <source>What is recorded, and where it goes</source>
        <translation>What is recorded, and where it goes</translation>
    </message>
    <message>
        <source>Camera video and microphone sound are analysed on this computer only (face present, one person, framing, light, voices). They are not streamed or uploaded as a whole.</source>
        <translation>Camera video and microphone sound are analysed on this computer only (face present, one person, framing, light, voices). They are not streamed or uploaded as a whole.</translation>
    </message>
    <message>
        <source>Only short clips of about 10 seconds around a flagged event, and occasional still snapshots, are sent to the exam centre, encrypted in transit.</source>
        <translation>Only short clips of about 10 seconds around a flagged event, and occasional still snapshots, are sent to the exam centre, encrypted in transit.</translation>
    </message>
    <message>
        <source>Each clip or snapshot is deleted from this computer as soon as the server confirms it received it intact.</source>
        <translation>Each clip or snapshot is deleted from this computer as soon as the server confirms it received it intact.</translation>
    </message>
    <message>
        <source>Your answers, the time of each answer, and exam events (such as leaving the exam window) are sent to the exam centre.</source>
        <translation>Your answers, the time of each answer, and exam events (such as leaving the exam window) are sent to the exam centre.</translation>
    </message>
    <message>
        <source>The proctors can send you messages and extra time; they see flagged events, not a live feed of your room.</source>
        <translation>The proctors can send you messages and extra time; they see flagged events, not a live feed of your room.</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Uploaded documents</source>
        <translation>Uploaded documents</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>Upload progress</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Choose a file and upload…</source>
        <translation>Choose a file and upload…</translation>
    </message>
    <message>
        <source>No document submission is open for you.</source>
        <translation>No document submission is open for you.</translation>
    </message>
    <message>
        <source>Work-improvement plan (practical assessment)</source>
        <translation>Work-improvement plan (practical assessment)</translation>
    </message>
    <message>
        <source>Application materials (comprehensive review)</source>
        <translation>Application materials (comprehensive review)</translation>
    </message>
    <message>
        <source>Deadline: %1 (%2 working days after the theory exam)</source>
        <translation>Deadline: %1 (%2 working days after the theory exam)</translation>
    </message>
    <message>
        <source>PDF or DOCX, at most %1 MB per file.</source>
        <translation>PDF or DOCX, at most %1 MB per file.</translation>
    </message>
    <message>
        <source>No document uploaded yet.</source>
        <translation>No document uploaded yet.</translation>
    </message>
    <message>
        <source>Only PDF or DOCX files can be submitted.</source>
        <translation>Only PDF or DOCX files can be submitted.</translation>
    </message>
    <message>
        <source>The file cannot be read.</source>
        <translation>The file cannot be read.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>The file is empty.</translation>
    </message>
    <message>
        <source>The file is %1 MB; the limit is %2 MB.</source>
        <translation>The file is %1 MB; the limit is %2 MB.</translation>
    </message>
    <message>
        <source>Choose a document</source>
        <translation>Choose a document</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx)</source>
        <translation>Documents (*.pdf *.docx)</translation>
    </message>
    <message>
        <source>Uploading %1…</source>
        <translation>Uploading %1…</translation>
    </message>
    <message>
        <source>%1 was received intact by the exam centre.</source>
        <translation>%1 was received intact by the exam centre.</translation>
    </message>
    <message>
        <source>Uploading in the background; it resumes by itself after a network break.</source>
        <translation>Uploading in the background; it resumes by itself after a network break.</translation>
    </message>
    <message>
        <source>You can try again: the upload continues where it stopped.</source>
        <translation>You can try again: the upload continues where it stopped.</translation>
    </message>
</context>
<context>
    <name>ExamDeskWindow</name>
    <message>
        <source>ExamDesk — Customer Contact Consultant exam</source>
        <translation>ExamDesk — Customer Contact Consultant exam</translation>
    </message>
    <message>
        <source>Opening ExamDesk…</source>
        <translation>Opening ExamDesk…</translation>
    </message>
    <message>
        <source>Your computer's clock is %1 minutes off the exam server's time. The exam counts time by the server, so your countdown is right; please correct the PC clock after the exam.</source>
        <translation>Your computer's clock is %1 minutes off the exam server's time. The exam counts time by the server, so your countdown is right; please correct the PC clock after the exam.</translation>
    </message>
    <message>
        <source>The formal exam has started and its time is running (%1 left). Submit this mock exam now, then start the formal exam in the waiting room.</source>
        <translation>The formal exam has started and its time is running (%1 left). Submit this mock exam now, then start the formal exam in the waiting room.</translation>
    </message>
    <message>
        <source>The exam is in progress and its time keeps running. Submit the paper to finish.</source>
        <translation>The exam is in progress and its time keeps running. Submit the paper to finish.</translation>
    </message>
</context>
<context>
    <name>ExamHeader</name>
    <message>
        <source>Time left</source>
        <translation>Time left</translation>
    </message>
    <message>
        <source>The camera and microphone are analysed on this computer. Only short clips around what is noticed and a snapshot every minute go to the exam server, encrypted.</source>
        <translation>The camera and microphone are analysed on this computer. Only short clips around what is noticed and a snapshot every minute go to the exam server, encrypted.</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Your camera picture</source>
        <translation>Your camera picture</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · %3</source>
        <translation>Ticket %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Time left: %1</source>
        <translation>Time left: %1</translation>
    </message>
    <message>
        <source>includes %1 min extra time</source>
        <translation>includes %1 min extra time</translation>
    </message>
    <message>
        <source>Online · all saved to the server</source>
        <translation>Online · all saved to the server</translation>
    </message>
    <message numerus="yes">
        <source>Online · sending %n answer(s)</source>
        <translation>
            <numerusform>Online · sending %n answer</numerusform>
            <numerusform>Online · sending %n answers</numerusform>
        </translation>
    </message>
    <message>
        <source>Online · answers on the server · syncing</source>
        <translation>Online · answers on the server · syncing</translation>
    </message>
    <message numerus="yes">
        <source>Offline · %n answer(s) waiting · safe on this PC</source>
        <translation>
            <numerusform>Offline · %n answer waiting · safe on this PC</numerusform>
            <numerusform>Offline · %n answers waiting · safe on this PC</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline · no answer waiting · safe on this PC</source>
        <translation>Offline · no answer waiting · safe on this PC</translation>
    </message>
    <message>
        <source>%1 answer(s) and %2 other record(s) not yet on the server</source>
        <translation>%1 answer(s) and %2 other record(s) not yet on the server</translation>
    </message>
    <message>
        <source>● Monitoring on</source>
        <translation>● Monitoring on</translation>
    </message>
    <message>
        <source>○ Monitoring off</source>
        <translation>○ Monitoring off</translation>
    </message>
</context>
<context>
    <name>ExamPage</name>
    <message>
        <source>← Previous</source>
        <translation>← Previous</translation>
    </message>
    <message>
        <source>Previous question</source>
        <translation>Previous question</translation>
    </message>
    <message>
        <source>Flag for review (F)</source>
        <translation>Flag for review (F)</translation>
    </message>
    <message>
        <source>Flag for review</source>
        <translation>Flag for review</translation>
    </message>
    <message>
        <source>Next →</source>
        <translation>Next →</translation>
    </message>
    <message>
        <source>Next question</source>
        <translation>Next question</translation>
    </message>
    <message>
        <source>Save status</source>
        <translation>Save status</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>Questions</translation>
    </message>
    <message>
        <source>Keys: A–D or 1–4 choose · ← → previous/next · F flag</source>
        <translation>Keys: A–D or 1–4 choose · ← → previous/next · F flag</translation>
    </message>
    <message>
        <source>Submit the paper…</source>
        <translation>Submit the paper…</translation>
    </message>
    <message>
        <source>Question %1 of %2 · %3 · %4 points</source>
        <translation>Question %1 of %2 · %3 · %4 points</translation>
    </message>
    <message>
        <source>✓ Saved</source>
        <translation>✓ Saved</translation>
    </message>
    <message>
        <source>Typing… (saves when you pause)</source>
        <translation>Typing… (saves when you pause)</translation>
    </message>
    <message>
        <source>✗ Not saved: %1</source>
        <translation>✗ Not saved: %1</translation>
    </message>
    <message>
        <source>✓ Saved %1</source>
        <translation>✓ Saved %1</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) left. Your answers are saved; the paper is submitted automatically at zero.</source>
        <translation>
            <numerusform>%n minute left. Your answers are saved; the paper is submitted automatically at zero.</numerusform>
            <numerusform>%n minutes left. Your answers are saved; the paper is submitted automatically at zero.</numerusform>
        </translation>
    </message>
    <message>
        <source>Message from the proctor: %1</source>
        <translation>Message from the proctor: %1</translation>
    </message>
    <message numerus="yes">
        <source>The proctor granted %n extra minute(s).</source>
        <translation>
            <numerusform>The proctor granted %n extra minute.</numerusform>
            <numerusform>The proctor granted %n extra minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 The proctor has been notified.</source>
        <translation>%1 The proctor has been notified.</translation>
    </message>
    <message>
        <source>We cannot see your face. Please sit in front of the camera.</source>
        <translation>We cannot see your face. Please sit in front of the camera.</translation>
    </message>
    <message>
        <source>More than one person is in the camera picture. Only you may be in the room.</source>
        <translation>More than one person is in the camera picture. Only you may be in the room.</translation>
    </message>
    <message>
        <source>Please face the screen.</source>
        <translation>Please face the screen.</translation>
    </message>
    <message>
        <source>Your face is covered. Please keep your hands away from your face.</source>
        <translation>Your face is covered. Please keep your hands away from your face.</translation>
    </message>
    <message>
        <source>Please move so that your whole face is in the camera picture.</source>
        <translation>Please move so that your whole face is in the camera picture.</translation>
    </message>
    <message>
        <source>The camera picture is black or covered. Please uncover the camera.</source>
        <translation>The camera picture is black or covered. Please uncover the camera.</translation>
    </message>
    <message>
        <source>The camera picture is not changing. Please check the camera.</source>
        <translation>The camera picture is not changing. Please check the camera.</translation>
    </message>
    <message>
        <source>Your room is too dark for the camera. Please turn on a light.</source>
        <translation>Your room is too dark for the camera. Please turn on a light.</translation>
    </message>
    <message>
        <source>The camera stopped working. Please check that it is connected.</source>
        <translation>The camera stopped working. Please check that it is connected.</translation>
    </message>
    <message>
        <source>Another program is using the camera. Please close that program.</source>
        <translation>Another program is using the camera. Please close that program.</translation>
    </message>
    <message>
        <source>Talking was heard. The exam must be taken alone and in silence.</source>
        <translation>Talking was heard. The exam must be taken alone and in silence.</translation>
    </message>
    <message>
        <source>A loud noise was heard.</source>
        <translation>A loud noise was heard.</translation>
    </message>
    <message>
        <source>The microphone is muted. Please switch it on.</source>
        <translation>The microphone is muted. Please switch it on.</translation>
    </message>
    <message>
        <source>The microphone stopped working. Please check that it is connected.</source>
        <translation>The microphone stopped working. Please check that it is connected.</translation>
    </message>
    <message>
        <source>The exam monitor noticed something (%1).</source>
        <translation>The exam monitor noticed something (%1).</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>ExamDesk exam client</source>
        <translation>ExamDesk exam client</translation>
    </message>
    <message>
        <source>Switch language</source>
        <translation>Switch language</translation>
    </message>
    <message>
        <source>Customer Contact Consultant vocational certification</source>
        <translation>Customer Contact Consultant vocational certification</translation>
    </message>
    <message>
        <source>(not configured)</source>
        <translation>(not configured)</translation>
    </message>
    <message>
        <source>Exam server address</source>
        <translation>Exam server address</translation>
    </message>
    <message>
        <source>Exam server</source>
        <translation>Exam server</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <source>ID card number</source>
        <translation>ID card number</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>ticket number</source>
        <translation>ticket number</translation>
    </message>
    <message>
        <source>password</source>
        <translation>password</translation>
    </message>
    <message>
        <source>Please enter your %1.</source>
        <translation>Please enter your %1.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>Logging in…</translation>
    </message>
    <message numerus="yes">
        <source>Please try again in %n minute(s).</source>
        <translation>
            <numerusform>Please try again in %n minute.</numerusform>
            <numerusform>Please try again in %n minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>Check the ticket number, ID card number and password on your admission ticket.</source>
        <translation>Check the ticket number, ID card number and password on your admission ticket.</translation>
    </message>
    <message>
        <source>Cannot reach the exam server at %1.</source>
        <translation>Cannot reach the exam server at %1.</translation>
    </message>
    <message>
        <source>Check your network cable or Wi-Fi, then try again. If it persists, call the exam centre.</source>
        <translation>Check your network cable or Wi-Fi, then try again. If it persists, call the exam centre.</translation>
    </message>
</context>
<context>
    <name>MockResultPage</name>
    <message>
        <source>Mock exam result</source>
        <translation>Mock exam result</translation>
    </message>
    <message>
        <source>Answers and explanations</source>
        <translation>Answers and explanations</translation>
    </message>
    <message>
        <source>Back to the waiting room</source>
        <translation>Back to the waiting room</translation>
    </message>
    <message>
        <source>Submitting the practice paper… (it needs the network)</source>
        <translation>Submitting the practice paper… (it needs the network)</translation>
    </message>
    <message>
        <source>Objective questions: %1 of %2 points.</source>
        <translation>Objective questions: %1 of %2 points.</translation>
    </message>
    <message>
        <source>Essays (%1 points) are not marked in the mock exam.</source>
        <translation>Essays (%1 points) are not marked in the mock exam.</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Your answer</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Right answer</source>
        <translation>Right answer</translation>
    </message>
    <message>
        <source>(marked by hand)</source>
        <translation>(marked by hand)</translation>
    </message>
</context>
<context>
    <name>NavigatorGrid</name>
    <message>
        <source>Green: answered · Blue frame: current · Orange corner: flagged</source>
        <translation>Green: answered · Blue frame: current · Orange corner: flagged</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>answered</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>not answered</translation>
    </message>
    <message>
        <source>flagged</source>
        <translation>flagged</translation>
    </message>
    <message>
        <source>current</source>
        <translation>current</translation>
    </message>
    <message>
        <source>Question %1: %2</source>
        <translation>Question %1: %2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Answered %1 of %2</source>
        <translation>Answered %1 of %2</translation>
    </message>
</context>
<context>
    <name>PhoneLight</name>
    <message>
        <source>press to pair the phone again</source>
        <translation>press to pair the phone again</translation>
    </message>
    <message>
        <source>Press to pair the phone again</source>
        <translation>Press to pair the phone again</translation>
    </message>
</context>
<context>
    <name>PhoneLiveView</name>
    <message>
        <source>The phone's live picture</source>
        <translation>The phone's live picture</translation>
    </message>
</context>
<context>
    <name>PhonePairDialog</name>
    <message>
        <source>Second camera (phone)</source>
        <translation>Second camera (phone)</translation>
    </message>
    <message>
        <source>Scan the new code with your phone, put the phone back behind you to one side (45°, at least 1.5 m), and check the picture below. The exam time keeps running.</source>
        <translation>Scan the new code with your phone, put the phone back behind you to one side (45°, at least 1.5 m), and check the picture below. The exam time keeps running.</translation>
    </message>
    <message>
        <source>Back to the paper</source>
        <translation>Back to the paper</translation>
    </message>
</context>
<context>
    <name>PhonePairingPanel</name>
    <message>
        <source>Scan the code with the phone's camera (or WeChat / a browser). On the page that opens, tap “Start the camera” and allow the camera.</source>
        <translation>Scan the code with the phone's camera (or WeChat / a browser). On the page that opens, tap “Start the camera” and allow the camera.</translation>
    </message>
    <message>
        <source>Show a new code</source>
        <translation>Show a new code</translation>
    </message>
    <message>
        <source>Getting a code from the exam server…</source>
        <translation>Getting a code from the exam server…</translation>
    </message>
    <message>
        <source>The exam server is not using HTTPS: phones give the camera only to secure pages. Ask the exam centre.</source>
        <translation>The exam server is not using HTTPS: phones give the camera only to secure pages. Ask the exam centre.</translation>
    </message>
    <message>
        <source>The phone is paired. To use another phone, press “Show a new code”.</source>
        <translation>The phone is paired. To use another phone, press “Show a new code”.</translation>
    </message>
    <message>
        <source>This code has expired. Press “Show a new code”.</source>
        <translation>This code has expired. Press “Show a new code”.</translation>
    </message>
    <message>
        <source>The code works once, for %1 more.</source>
        <translation>The code works once, for %1 more.</translation>
    </message>
</context>
<context>
    <name>PhoneTexts</name>
    <message>
        <source>Phone: battery low</source>
        <translation>Phone: battery low</translation>
    </message>
    <message>
        <source>Phone: live</source>
        <translation>Phone: live</translation>
    </message>
    <message>
        <source>Phone: page hidden</source>
        <translation>Phone: page hidden</translation>
    </message>
    <message>
        <source>Phone: feed stopped</source>
        <translation>Phone: feed stopped</translation>
    </message>
    <message>
        <source>Phone: picture frozen</source>
        <translation>Phone: picture frozen</translation>
    </message>
    <message>
        <source>Phone: connecting</source>
        <translation>Phone: connecting</translation>
    </message>
    <message>
        <source>Phone: not paired</source>
        <translation>Phone: not paired</translation>
    </message>
    <message>
        <source>Phone: unknown</source>
        <translation>Phone: unknown</translation>
    </message>
    <message>
        <source>Check the phone behind you; if its page is closed or shows an error, press the Phone button at the top and scan the new code with it.</source>
        <translation>Check the phone behind you; if its page is closed or shows an error, press the Phone button at the top and scan the new code with it.</translation>
    </message>
    <message>
        <source>The second camera (your phone) stopped sending pictures.</source>
        <translation>The second camera (your phone) stopped sending pictures.</translation>
    </message>
    <message>
        <source>The exam page on your phone is no longer in front (another app, a locked screen or a call). Bring it back to the front on the phone.</source>
        <translation>The exam page on your phone is no longer in front (another app, a locked screen or a call). Bring it back to the front on the phone.</translation>
    </message>
    <message>
        <source>The second camera's picture is frozen.</source>
        <translation>The second camera's picture is frozen.</translation>
    </message>
    <message>
        <source>Your phone's battery is low: plug in its charger without moving it.</source>
        <translation>Your phone's battery is low: plug in its charger without moving it.</translation>
    </message>
    <message>
        <source>This exam needs the second camera (your phone). Press the Phone button at the top and scan the code with your phone.</source>
        <translation>This exam needs the second camera (your phone). Press the Phone button at the top and scan the code with your phone.</translation>
    </message>
</context>
<context>
    <name>PhoneWaitingCard</name>
    <message>
        <source>Second camera (phone)</source>
        <translation>Second camera (phone)</translation>
    </message>
    <message>
        <source>Keep the phone behind you to one side (45°, at least 1.5 m), sideways, charging, its page in front.</source>
        <translation>Keep the phone behind you to one side (45°, at least 1.5 m), sideways, charging, its page in front.</translation>
    </message>
    <message>
        <source>Check the phone's picture…</source>
        <translation>Check the phone's picture…</translation>
    </message>
</context>
<context>
    <name>PlacementGuide</name>
    <message>
        <source>Where the phone goes: behind you to one side at 45°, at least 1.5 m away</source>
        <translation>Where the phone goes: behind you to one side at 45°, at least 1.5 m away</translation>
    </message>
</context>
<context>
    <name>PreflightDialog</name>
    <message>
        <source>Before the exam starts</source>
        <translation>Before the exam starts</translation>
    </message>
    <message>
        <source>Before the exam can start</source>
        <translation>Before the exam can start</translation>
    </message>
    <message>
        <source>Fix what is listed below, then check again. Once the start time has passed, the exam time is running.</source>
        <translation>Fix what is listed below, then check again. Once the start time has passed, the exam time is running.</translation>
    </message>
    <message>
        <source>What must be fixed</source>
        <translation>What must be fixed</translation>
    </message>
    <message>
        <source>Programs that must be closed:</source>
        <translation>Programs that must be closed:</translation>
    </message>
    <message>
        <source>Programs that must be closed</source>
        <translation>Programs that must be closed</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Close these programs</source>
        <translation>Close these programs</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Closing programs…</source>
        <translation>Closing programs…</translation>
    </message>
    <message>
        <source>Some programs could not be closed: %1. Close them yourself, or ask the exam centre for help.</source>
        <translation>Some programs could not be closed: %1. Close them yourself, or ask the exam centre for help.</translation>
    </message>
    <message>
        <source>Close programs</source>
        <translation>Close programs</translation>
    </message>
    <message>
        <source>These programs did not close: %1. End them now? Anything unsaved in them is lost.</source>
        <translation>These programs did not close: %1. End them now? Anything unsaved in them is lost.</translation>
    </message>
</context>
<context>
    <name>QrCodeView</name>
    <message>
        <source>QR code for the phone</source>
        <translation>QR code for the phone</translation>
    </message>
</context>
<context>
    <name>QuestionView</name>
    <message>
        <source>Single choice</source>
        <translation>Single choice</translation>
    </message>
    <message>
        <source>Multiple choice</source>
        <translation>Multiple choice</translation>
    </message>
    <message>
        <source>True or false</source>
        <translation>True or false</translation>
    </message>
    <message>
        <source>Fill in the blanks</source>
        <translation>Fill in the blanks</translation>
    </message>
    <message>
        <source>Essay</source>
        <translation>Essay</translation>
    </message>
    <message>
        <source>Option %1: %2</source>
        <translation>Option %1: %2</translation>
    </message>
    <message>
        <source>A.  True</source>
        <translation>A.  True</translation>
    </message>
    <message>
        <source>B.  False</source>
        <translation>B.  False</translation>
    </message>
    <message>
        <source>Blank %1</source>
        <translation>Blank %1</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Your answer</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 characters</translation>
    </message>
</context>
<context>
    <name>ReceiptPage</name>
    <message>
        <source>Your paper is sealed</source>
        <translation>Your paper is sealed</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>Upload progress</translation>
    </message>
    <message>
        <source>Export sealed file…</source>
        <translation>Export sealed file…</translation>
    </message>
    <message>
        <source>Documents…</source>
        <translation>Documents…</translation>
    </message>
    <message>
        <source>Close ExamDesk</source>
        <translation>Close ExamDesk</translation>
    </message>
    <message>
        <source>The time is up. Your answers were saved and the paper was sealed automatically.</source>
        <translation>The time is up. Your answers were saved and the paper was sealed automatically.</translation>
    </message>
    <message>
        <source>The proctor ended your exam. Your answers were saved and sealed.</source>
        <translation>The proctor ended your exam. Your answers were saved and sealed.</translation>
    </message>
    <message>
        <source>You submitted the paper. Your answers are sealed.</source>
        <translation>You submitted the paper. Your answers are sealed.</translation>
    </message>
    <message>
        <source>Your paper was received</source>
        <translation>Your paper was received</translation>
    </message>
    <message>
        <source>Submission number: %1</source>
        <translation>Submission number: %1</translation>
    </message>
    <message>
        <source>Received at: %1 (server time)</source>
        <translation>Received at: %1 (server time)</translation>
    </message>
    <message>
        <source>Answer chain hash: %1</source>
        <translation>Answer chain hash: %1</translation>
    </message>
    <message>
        <source>Signature: %1</source>
        <translation>Signature: %1</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>verified</translation>
    </message>
    <message>
        <source>NOT verified</source>
        <translation>NOT verified</translation>
    </message>
    <message>
        <source>Waiting for the exam server to confirm…</source>
        <translation>Waiting for the exam server to confirm…</translation>
    </message>
    <message>
        <source>Everything has been received by the exam centre. You may now close ExamDesk.</source>
        <translation>Everything has been received by the exam centre. You may now close ExamDesk.</translation>
    </message>
    <message numerus="yes">
        <source>Uploading: %n item(s) left. Please keep ExamDesk open until this reaches zero.</source>
        <translation>
            <numerusform>Uploading: %n item left. Please keep ExamDesk open until this reaches zero.</numerusform>
            <numerusform>Uploading: %n items left. Please keep ExamDesk open until this reaches zero.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offline. Your answers are sealed on this computer and will upload automatically when the network returns (%n item(s) waiting). Keep ExamDesk open, or export the sealed file and hand it to the exam centre.</source>
        <translation>
            <numerusform>Offline. Your answers are sealed on this computer and will upload automatically when the network returns (%n item waiting). Keep ExamDesk open, or export the sealed file and hand it to the exam centre.</numerusform>
            <numerusform>Offline. Your answers are sealed on this computer and will upload automatically when the network returns (%n items waiting). Keep ExamDesk open, or export the sealed file and hand it to the exam centre.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export sealed file</source>
        <translation>Export sealed file</translation>
    </message>
    <message>
        <source>Sealed exam file (*.json)</source>
        <translation>Sealed exam file (*.json)</translation>
    </message>
    <message>
        <source>Sealed file saved to %1. Hand it to the exam centre.</source>
        <translation>Sealed file saved to %1. Hand it to the exam centre.</translation>
    </message>
</context>
<context>
    <name>SelfCheckPlaceholder</name>
    <message>
        <source>Equipment self-check</source>
        <translation>Equipment self-check</translation>
    </message>
    <message>
        <source>The equipment self-check is not available in this build. Make sure your camera, microphone and network work before the exam.</source>
        <translation>The equipment self-check is not available in this build. Make sure your camera, microphone and network work before the exam.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continue</translation>
    </message>
</context>
<context>
    <name>SubmitDialog</name>
    <message>
        <source>Submit the paper</source>
        <translation>Submit the paper</translation>
    </message>
    <message>
        <source>Submit the paper now?</source>
        <translation>Submit the paper now?</translation>
    </message>
    <message>
        <source>Answered %1 of %2 · Unanswered: %3 · Flagged for review: %4</source>
        <translation>Answered %1 of %2 · Unanswered: %3 · Flagged for review: %4</translation>
    </message>
    <message>
        <source>Not answered (click a number to go back to it):</source>
        <translation>Not answered (click a number to go back to it):</translation>
    </message>
    <message>
        <source>Flagged for review:</source>
        <translation>Flagged for review:</translation>
    </message>
    <message>
        <source>Go to question %1</source>
        <translation>Go to question %1</translation>
    </message>
    <message>
        <source>Every question has an answer.</source>
        <translation>Every question has an answer.</translation>
    </message>
    <message>
        <source>After submitting you cannot change any answer.</source>
        <translation>After submitting you cannot change any answer.</translation>
    </message>
    <message>
        <source>Back to the paper</source>
        <translation>Back to the paper</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Submit</translation>
    </message>
</context>
<context>
    <name>WaitingRoomPage</name>
    <message>
        <source>Waiting room</source>
        <translation>Waiting room</translation>
    </message>
    <message>
        <source>Exam</source>
        <translation>Exam</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Attempt</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Starts at</source>
        <translation>Starts at</translation>
    </message>
    <message>
        <source>Time until the exam starts</source>
        <translation>Time until the exam starts</translation>
    </message>
    <message>
        <source>Documents…</source>
        <translation>Documents…</translation>
    </message>
    <message>
        <source>Practice with the mock exam</source>
        <translation>Practice with the mock exam</translation>
    </message>
    <message>
        <source>Start the exam</source>
        <translation>Start the exam</translation>
    </message>
    <message>
        <source>No exam is scheduled for you now.</source>
        <translation>No exam is scheduled for you now.</translation>
    </message>
    <message>
        <source>Retake (attempt %1)</source>
        <translation>Retake (attempt %1)</translation>
    </message>
    <message>
        <source>First attempt</source>
        <translation>First attempt</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 minutes</translation>
    </message>
    <message>
        <source>Starts in %1</source>
        <translation>Starts in %1</translation>
    </message>
    <message>
        <source>The Start button unlocks at the start time.</source>
        <translation>The Start button unlocks at the start time.</translation>
    </message>
    <message>
        <source>Meanwhile you may try the mock exam; submit it to come back here. The formal exam's time starts at its start time whatever you are doing.</source>
        <translation>Meanwhile you may try the mock exam; submit it to come back here. The formal exam's time starts at its start time whatever you are doing.</translation>
    </message>
    <message>
        <source>The exam has started · %1 left</source>
        <translation>The exam has started · %1 left</translation>
    </message>
    <message>
        <source>The formal exam's time is running now. Press Start.</source>
        <translation>The formal exam's time is running now. Press Start.</translation>
    </message>
    <message>
        <source>The mock exam is closed once the formal exam has started.</source>
        <translation>The mock exam is closed once the formal exam has started.</translation>
    </message>
    <message>
        <source>The exam time is over</source>
        <translation>The exam time is over</translation>
    </message>
    <message>
        <source>The time for this exam has run out. If you think this is wrong, call the exam centre.</source>
        <translation>The time for this exam has run out. If you think this is wrong, call the exam centre.</translation>
    </message>
</context>
</TS>