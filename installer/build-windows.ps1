# Build the Windows client and its installer on a Windows machine (PowerShell, from the repository root):
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1            # Windows 10/11: Python 3.11+, PySide6
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 -Legacy    # Windows 7: Python 3.8, PySide2, cryptography<43
param([switch]$Legacy)
$ErrorActionPreference = "Stop"
$py = if ($Legacy) { "py -3.8" } else { "py -3" }
Invoke-Expression "$py -m venv .venv-build"
.\.venv-build\Scripts\python -m pip install --upgrade pip
.\.venv-build\Scripts\python -m pip install . "pyinstaller>=6"
.\.venv-build\Scripts\pyinstaller --noconfirm --clean installer\examdesk.spec
# self-test of the frozen build: imports Qt, cv2 cascades and the journal, then exits
.\dist\ExamDesk\ExamDesk.exe --self-test
& "C:\Program Files (x86)\NSIS\makensis.exe" /DAMD64 installer\examdesk.nsi
