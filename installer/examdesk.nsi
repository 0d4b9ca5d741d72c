; ExamDesk Windows installer (NSIS 3, Unicode). Per-user install: no admin rights, no registry policy
; (promise 4): only the uninstall entry under HKCU and a Start-menu shortcut, both removed by the uninstaller.
Unicode true
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef BUILD_DIR
  !define BUILD_DIR "..\dist\ExamDesk"
!endif
!ifdef AMD64
  Target amd64-unicode
!endif
Name "ExamDesk ${VERSION}"
OutFile "..\dist\ExamDesk-${VERSION}-Setup.exe"
InstallDir "$LOCALAPPDATA\Programs\ExamDesk"
RequestExecutionLevel user
SetCompressor /SOLID lzma
!include "MUI2.nsh"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Section "ExamDesk"
  SetOutPath "$INSTDIR"
  File /r "${BUILD_DIR}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateShortCut "$SMPROGRAMS\ExamDesk.lnk" "$INSTDIR\ExamDesk.exe"
  CreateShortCut "$SMPROGRAMS\ExamDesk 设备自检.lnk" "$INSTDIR\ExamDesk.exe" "check"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\ExamDesk" "DisplayName" "ExamDesk"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\ExamDesk" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\ExamDesk" "DisplayVersion" "${VERSION}"
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\ExamDesk.lnk"
  Delete "$SMPROGRAMS\ExamDesk 设备自检.lnk"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\ExamDesk"
SectionEnd
