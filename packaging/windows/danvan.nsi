; The Windows installer of danvan, built on Linux by scripts/windows-package.sh:
;   makensis -DVERSION=0.1.0 -DFILEVERSION=0.1.0.1 -DEXE=… -DICON=… -DLICENSE=… -DOUT=… danvan.nsi
;
; It installs for the current user only, into %LocalAppData%\Programs\danvan,
; so an officer without administrator rights can install and update it (the
; usual case on a commune PC). It adds Start-menu and desktop shortcuts and an
; entry in Settings → Apps. The uninstaller removes the program and the
; shortcuts and keeps the data folder %AppData%\danvan: the office's records
; must outlive the program, and a reinstall opens them again.

; A 64-bit installer, like the program: it starts wherever danvan.exe can,
; and under a 64-bit-only Wine (scripts/smoke-windows.sh).
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "WinVer.nsh"

!define APPNAME "Dân vận khéo"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\danvan"

Name "${APPNAME} ${VERSION}"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\danvan"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "danvan ${VERSION}"

VIProductVersion "${FILEVERSION}"
VIFileVersion "${FILEVERSION}"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} ${VERSION} — Setup"
VIAddVersionKey /LANG=0 "FileVersion" "${FILEVERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "danvan"
VIAddVersionKey /LANG=0 "LegalCopyright" "danvan"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\danvan.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_UNPAGE_FINISH

; Vietnamese first: Windows picks the language of the user's interface, and
; the first one when it has neither.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

LangString NeedsWin10 ${LANG_VIETNAMESE} "${APPNAME} cần Windows 10 hoặc mới hơn (64 bit). Máy này chạy phiên bản cũ hơn nên không cài được.$\r$\n$\r$\nHãy cài trên một máy Windows 10/11, hoặc hỏi cơ quan tổng hợp cách nhập số liệu khi chưa có máy phù hợp."
LangString NeedsWin10 ${LANG_ENGLISH} "${APPNAME} needs Windows 10 or later (64-bit). This PC runs an older version, so it cannot be installed here.$\r$\n$\r$\nInstall it on a Windows 10/11 PC, or ask the collecting office how to report until one is available."
LangString DataKept ${LANG_VIETNAMESE} "Dữ liệu của đơn vị trong thư mục $APPDATA\danvan được giữ nguyên. Cài lại chương trình sẽ mở lại dữ liệu này."
LangString DataKept ${LANG_ENGLISH} "The office's data in $APPDATA\danvan is kept. Installing the program again opens it again."

Function .onInit
  ; Go 1.26 programs start only on Windows 10 and later.
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP|MB_OK "$(NeedsWin10)" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Section "danvan" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=danvan.exe" "${EXE}"
  File "/oname=LICENSE-Tinos.txt" "${LICENSE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\danvan.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\danvan.exe"

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "danvan"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\danvan.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; Only what the installer wrote: never $APPDATA\danvan, the office's data.
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$INSTDIR\danvan.exe"
  Delete "$INSTDIR\LICENSE-Tinos.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DetailPrint "$(DataKept)"
  MessageBox MB_ICONINFORMATION|MB_OK "$(DataKept)" /SD IDOK
SectionEnd
