# Build the ExamDesk client and its installer on Windows (PowerShell 5.1 or 7, from the repository root).
# The same spec, pins (tools/wine-lane/lanes.py), bundle check and NSIS script as tools/build-installer.sh on Linux.
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1                # Windows 10/11: CPython 3.11, PySide6
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 -Legacy        # Windows 7: CPython 3.8, PySide2
# Options:
#   -Python PATH        the CPython to build with (default: py -3.11, or py -3.8 with -Legacy)
#   -HostPython PATH    a CPython >= 3.11 for the build tools (default: py -3.11)
#   -ServerUrl URL -CaCert PEM   baked in as examdesk-defaults.json (+ examdesk-ca.pem)
#   -SignThumbprint SHA1 [-TimestampUrl URL]   sign with signtool and the exam centre's certificate from the
#                       certificate store (CurrentUser\My); without it the build says UNSIGNED
#   -Makensis PATH      makensis.exe (default: NSIS' usual install folder)
# Every step's failure fails the build: native programs' exit codes are checked ($LASTEXITCODE; PowerShell 5.1
# does not stop on them), and the GUI-subsystem ExamDesk.exe is waited for with Start-Process -Wait -PassThru.
param(
  [switch]$Legacy,
  [string]$Python = "",
  [string]$HostPython = "",
  [string]$ServerUrl = "",
  [string]$CaCert = "",
  [string]$SignThumbprint = "",
  [string]$TimestampUrl = "http://timestamp.digicert.com",
  [string]$Makensis = "${env:ProgramFiles(x86)}\NSIS\makensis.exe"
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version 2.0
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root

function Invoke-Native {
  # run a console program; throw when it fails (PowerShell 5.1 ignores native exit codes)
  param([string]$Exe, [string[]]$Arguments)
  Write-Host "> $Exe $($Arguments -join ' ')"
  & $Exe @Arguments
  if ($LASTEXITCODE -ne 0) { throw "$Exe failed with exit code $LASTEXITCODE" }
}

function Resolve-Python {
  param([string]$Given, [string]$Version)
  if ($Given) { return $Given }
  $found = & py "-$Version" -c "import sys; print(sys.executable)"
  if ($LASTEXITCODE -ne 0 -or -not $found) { throw "Python $Version not found (install it or give -Python)" }
  return $found.Trim()
}

$lane = if ($Legacy) { "win7" } else { "win10" }
$HostPython = Resolve-Python $HostPython "3.11"
$Python = Resolve-Python $Python $(if ($Legacy) { "3.8" } else { "3.11" })
if (-not (Test-Path $Makensis)) { throw "makensis not found at $Makensis (install NSIS 3 or give -Makensis)" }

# version and pins from one place
Invoke-Native $HostPython @("-m", "pip", "install", "--quiet", "packaging")
$show = & $HostPython tools\wine-lane\lanes.py show $lane
if ($LASTEXITCODE -ne 0) { throw "lanes.py show failed" }
$version = (($show | Where-Object { $_ -like "VERSION=*" }) -replace "^VERSION=", "").Trim()
New-Item -ItemType Directory -Force -Path build\windows | Out-Null
& $HostPython tools\wine-lane\lanes.py requirements $lane | Set-Content -Encoding ascii build\windows\requirements.txt
if ($LASTEXITCODE -ne 0) { throw "lanes.py requirements failed" }
& $HostPython tools\wine-lane\lanes.py constraints $lane | Set-Content -Encoding ascii build\windows\constraints.txt
if ($LASTEXITCODE -ne 0) { throw "lanes.py constraints failed" }

# a clean build environment: the runtime dependencies of pyproject.toml + PyInstaller, nothing else
if (Test-Path .venv-build) { Remove-Item -Recurse -Force .venv-build }
Invoke-Native $Python @("-m", "venv", ".venv-build")
$venvPy = Join-Path $root ".venv-build\Scripts\python.exe"
Invoke-Native $venvPy @("-m", "pip", "install", "--quiet", "--upgrade", "pip<25")
Invoke-Native $venvPy @("-m", "pip", "install", "--quiet", "--only-binary=:all:", "-r", "build\windows\requirements.txt",
                        "-c", "build\windows\constraints.txt")

if (Test-Path dist\ExamDesk) { Remove-Item -Recurse -Force dist\ExamDesk }
Invoke-Native $venvPy @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", "installer\examdesk.spec")
$bundle = Join-Path $root "dist\ExamDesk"

if ($ServerUrl -or $CaCert) {
  Invoke-Native $HostPython @("-m", "pip", "install", "--quiet", "cryptography")
  Invoke-Native $HostPython @("installer\bake.py", $bundle, "--server-url", $ServerUrl, "--ca-cert", $CaCert)
}
Invoke-Native $HostPython @("installer\bundle_check.py", $bundle, "--system-dir", "$env:SystemRoot\System32")

# the frozen build's self-test: the GUI program is waited for and its exit code checked; the console twin prints
$run = Start-Process -FilePath (Join-Path $bundle "ExamDesk.exe") -ArgumentList "--self-test" -Wait -PassThru -NoNewWindow
if ($run.ExitCode -ne 0) { throw "ExamDesk.exe --self-test failed with exit code $($run.ExitCode)" }
Invoke-Native (Join-Path $bundle "ExamDesk-console.exe") @("--self-test")

# code signing: signtool with the exam centre's certificate; NSIS signs the uninstaller and the installer
$nsisSign = @()
if ($SignThumbprint) {
  $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" | Sort-Object FullName | Select-Object -Last 1
  if (-not $signtool) { throw "signtool.exe not found (Windows SDK)" }
  $sign = "`"$($signtool.FullName)`" sign /sha1 $SignThumbprint /fd SHA256 /tr $TimestampUrl /td SHA256"
  foreach ($exe in @("ExamDesk.exe", "ExamDesk-console.exe")) {
    Invoke-Native $signtool.FullName @("sign", "/sha1", $SignThumbprint, "/fd", "SHA256", "/tr", $TimestampUrl, "/td", "SHA256",
                                       (Join-Path $bundle $exe))
  }
  $nsisSign = @("/DSIGN_CMD=$sign")
} else {
  Write-Warning "UNSIGNED build: no -SignThumbprint given (Windows SmartScreen will warn candidates; sign release builds)"
}

New-Item -ItemType Directory -Force -Path dist\installers | Out-Null
$setupName = if ($Legacy) { "ExamDesk-$version-Win7-Setup.exe" } else { "ExamDesk-$version-Setup.exe" }
$setup = Join-Path $root "dist\installers\$setupName"
$nsisArgs = @("/V2", "/INPUTCHARSET", "UTF8", "/DVERSION=$version", "/DBUILD_DIR=$bundle", "/DOUTFILE=$setup") + $nsisSign
if ($Legacy) { $nsisArgs += "/DLEGACY" }
Invoke-Native $Makensis ($nsisArgs + @("installer\examdesk.nsi"))
if ($SignThumbprint) {
  Invoke-Native $signtool.FullName @("verify", "/pa", $setup)
}
$mb = [math]::Round((Get-Item $setup).Length / 1MB, 1)
Write-Host "built $setup ($mb MB)"
