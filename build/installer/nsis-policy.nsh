; Sealmail NSIS additions (electron-builder "nsis.include"). IT deploys silently, per machine:
;   Sealmail-Setup.exe /S /POLICY=\\server\share\sealmail\policies.json
; copies that policy to %ProgramData%\Sealmail\policies.json (issue 7), where Sealmail reads it.
; Without /POLICY, an existing policy is left as it is: upgrading must not drop IT's settings.
!include "FileFunc.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/POLICY=" $R1
  ${IfNot} ${Errors}
    CreateDirectory "$COMMONPROGRAMDATA\Sealmail"
    CopyFiles /SILENT "$R1" "$COMMONPROGRAMDATA\Sealmail\policies.json"
    ${If} ${Errors}
      ; A silent install has no one to ask: fail visibly in the exit code rather than run unmanaged.
      SetErrorLevel 2
      DetailPrint "Sealmail: could not copy the policy file $R1"
    ${EndIf}
  ${EndIf}
!macroend
