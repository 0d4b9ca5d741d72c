; ExamDesk Windows installer (NSIS 3, Unicode, 64-bit). This file is UTF-8: give makensis -INPUTCHARSET UTF8
; (Linux) or /INPUTCHARSET UTF8 (Windows). Built by tools/build-installer.sh and installer/build-windows.ps1:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DBUILD_DIR=dist/ExamDesk -DOUTFILE=Setup.exe -DLEGACY installer/examdesk.nsi
; Per user, no administrator rights, no policy (promise 4): files under %LOCALAPPDATA%\Programs\ExamDesk, two
; Start-menu shortcuts, the uninstall entry under HKCU; the uninstaller removes all of them, and the exam data
; (%LOCALAPPDATA%\ExamDesk) only when the candidate ticks it (silent: Uninstall.exe /S /REMOVEDATA).
; Exit codes besides NSIS' own (0 done, 1 cancelled, 2 aborted): 10 Windows too old, 11 Windows too new for
; this build, 12 Windows 7 without the Universal C Runtime (KB2999226), 13 without KB2533623, 14 not 64-bit.
Unicode true
Target amd64-unicode
!ifndef VERSION
  !error "give -DVERSION=x.y.z (tools/build-installer.sh reads it from pyproject.toml)"
!endif
!ifndef BUILD_DIR
  !define BUILD_DIR "..\dist\ExamDesk"
!endif
!ifdef LEGACY
  !define EDITION "Windows 7"
  !define MIN_BUILD 7601         ; Windows 7 SP1
  !define MAX_BUILD 10240        ; Windows 10 and 11 get the Windows 10/11 build
  !ifndef OUTFILE
    !define OUTFILE "..\dist\ExamDesk-${VERSION}-Win7-Setup.exe"
  !endif
!else
  !define EDITION "Windows 10/11"
  !define MIN_BUILD 17763        ; Qt 6: Windows 10 1809 or later
  !ifndef OUTFILE
    !define OUTFILE "..\dist\ExamDesk-${VERSION}-Setup.exe"
  !endif
!endif
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ExamDesk"
!define DATA_DIR "$LOCALAPPDATA\ExamDesk"
; code signing (tools/build-installer.sh --sign-cmd / build-windows.ps1 -SignCommand): "%1" is the file
!ifdef SIGN_CMD
  !finalize '${SIGN_CMD} "%1"' = 0
  !uninstfinalize '${SIGN_CMD} "%1"' = 0
!endif

Name "ExamDesk ${VERSION}"
Caption "ExamDesk ${VERSION} (${EDITION})"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\ExamDesk"
RequestExecutionLevel user
SetCompressor /SOLID lzma
ManifestDPIAware true
BrandingText "ExamDesk ${VERSION} · ${EDITION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "ExamDesk"
VIAddVersionKey /LANG=0 "FileDescription" "ExamDesk ${VERSION} installer (${EDITION})"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "ExamDesk"

!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"
!include "MUI2.nsh"

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\ExamDesk.exe"
!define MUI_FINISHPAGE_RUN_PARAMETERS "check"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunSelfCheck)"
!define MUI_FINISHPAGE_RUN_NOTCHECKED
!insertmacro MUI_PAGE_FINISH
!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString RunSelfCheck ${LANG_SIMPCHINESE} "现在运行设备自检"
LangString RunSelfCheck ${LANG_ENGLISH} "Run the equipment self-check now"
LangString ProgramSection ${LANG_SIMPCHINESE} "ExamDesk 程序与开始菜单快捷方式"
LangString ProgramSection ${LANG_ENGLISH} "ExamDesk program and Start-menu shortcuts"
LangString DataSection ${LANG_SIMPCHINESE} "同时删除本机的考试数据（仅在考试结束、答案已提交后勾选）"
LangString DataSection ${LANG_ENGLISH} "Also delete the exam data on this PC (tick only after your exam is over and submitted)"

; both languages in every refusal: the message may be read on a PC set to either
!define MSG_OLD "此版本的 ExamDesk 需要 ${EDITION}（64 位）。$\r$\n请向考点索取适合本电脑的安装程序。$\r$\n$\r$\nThis ExamDesk build needs ${EDITION} (64-bit).$\r$\nAsk the exam centre for the installer that fits this PC."
!define MSG_NEW "这是 Windows 7 专用版本。本电脑是 Windows 10 或 11，请改用 ExamDesk-${VERSION}-Setup.exe（Windows 10/11 版）。$\r$\n$\r$\nThis build is for Windows 7. This PC runs Windows 10 or 11: please use ExamDesk-${VERSION}-Setup.exe (the Windows 10/11 build)."
!define MSG_UCRT "本电脑缺少 Windows 更新 KB2999226（Windows 通用 C 运行库），ExamDesk 无法运行。$\r$\n请通过“Windows 更新”安装全部重要更新，或从微软网站下载 KB2999226：$\r$\nhttps://support.microsoft.com/kb/2999226$\r$\n安装后重新启动电脑，再运行本安装程序。$\r$\n$\r$\nThis PC lacks Windows update KB2999226 (Universal C Runtime in Windows); ExamDesk cannot run without it.$\r$\nInstall all important updates through Windows Update, or download KB2999226 from Microsoft:$\r$\nhttps://support.microsoft.com/kb/2999226$\r$\nRestart the PC, then run this installer again."
!define MSG_KB2533623 "本电脑缺少 Windows 更新 KB2533623（安全加载 DLL），ExamDesk 无法运行。$\r$\n请通过“Windows 更新”安装全部重要更新（或 KB2533623），重新启动后再运行本安装程序。$\r$\n$\r$\nThis PC lacks Windows update KB2533623 (safe DLL loading); ExamDesk cannot run without it.$\r$\nInstall all important updates through Windows Update (or KB2533623), restart, then run this installer again."

Function Refuse  ; $0 = message, $1 = exit code
  MessageBox MB_ICONSTOP|MB_OK "$0" /SD IDOK
  SetErrorLevel $1
  Quit
FunctionEnd

Function .onInit
  SetShellVarContext current
  ${IfNot} ${RunningX64}
    StrCpy $0 "${MSG_OLD}"
    StrCpy $1 14
    Call Refuse
  ${EndIf}
  ${WinVerGetBuild} $2
  ${If} $2 < ${MIN_BUILD}
    StrCpy $0 "${MSG_OLD}"
    StrCpy $1 10
    Call Refuse
  ${EndIf}
!ifdef LEGACY
  ${If} $2 >= ${MAX_BUILD}
    StrCpy $0 "${MSG_NEW}"
    StrCpy $1 11
    Call Refuse
  ${EndIf}
  ; CPython 3.8 and its extension modules import the Universal C Runtime, which Windows 7 gets from KB2999226
  ${IfNot} ${FileExists} "$SYSDIR\ucrtbase.dll"
    StrCpy $0 "${MSG_UCRT}"
    StrCpy $1 12
    Call Refuse
  ${EndIf}
  ; CPython 3.8 loads its DLLs with AddDllDirectory, which Windows 7 gets from KB2533623
  System::Call 'kernel32::GetModuleHandleW(w "kernel32.dll") p.r3'
  System::Call 'kernel32::GetProcAddress(p r3, m "AddDllDirectory") p.r4'
  ${If} $4 P= 0
    StrCpy $0 "${MSG_KB2533623}"
    StrCpy $1 13
    Call Refuse
  ${EndIf}
!endif
FunctionEnd

Section "$(ProgramSection)" SecProgram
  SectionIn RO
  SetShellVarContext current
  ; an earlier build's files must not mix with this one's (an upgrade, or the Windows 7 build before)
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUILD_DIR}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateShortCut "$SMPROGRAMS\ExamDesk.lnk" "$INSTDIR\ExamDesk.exe" "" "$INSTDIR\ExamDesk.exe" 0 SW_SHOWNORMAL "" "ExamDesk 考试 / exam"
  CreateShortCut "$SMPROGRAMS\ExamDesk 设备自检.lnk" "$INSTDIR\ExamDesk.exe" "check" "$INSTDIR\ExamDesk.exe" 0 SW_SHOWNORMAL "" "ExamDesk 设备自检 / equipment self-check"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "ExamDesk"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "ExamDesk"
  WriteRegStr HKCU "${UNINST_KEY}" "Comments" "${EDITION}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\ExamDesk.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.$(ProgramSection)" UnSecProgram
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\ExamDesk.lnk"
  Delete "$SMPROGRAMS\ExamDesk 设备自检.lnk"
  ; only our own files: the folder may have been chosen by hand and hold other things
  Delete "$INSTDIR\ExamDesk.exe"
  Delete "$INSTDIR\ExamDesk-console.exe"
  Delete "$INSTDIR\examdesk-defaults.json"
  Delete "$INSTDIR\examdesk-ca.pem"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; this uninstaller runs from its own copy in %TEMP%\~nsuN.tmp, which Windows deletes at the next restart
  ; (NSIS schedules the folder before the file): schedule the folder again, after the file
  ${GetFileName} "$EXEDIR" $0
  StrCpy $0 $0 4
  ${If} $0 == "~nsu"
    RMDir /REBOOTOK "$EXEDIR"
  ${EndIf}
SectionEnd

Section /o "un.$(DataSection)" UnSecData
  SetShellVarContext current
  RMDir /r "${DATA_DIR}"
SectionEnd

Function un.onInit
  SetShellVarContext current
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd
