<#
.SYNOPSIS
    Runs the Pester suite against a published module folder; build.ps1 starts it in a fresh pwsh.
    Writes {Passed, Failed, Skipped} to -ResultPath and exits non-zero on failure or when nothing ran.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    # The .nupkg of build.ps1 Package, which Package.Tests.ps1 installs from a local repository.
    [Parameter(Mandatory)] [string] $PackagePath,
    [Parameter(Mandatory)] [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The test files read these to find what they test; nothing is imported from the source tree.
$env:WECOM_TEST_MODULE = (Resolve-Path $ModulePath).Path
$env:WECOM_TEST_EMULATOR = (Resolve-Path $EmulatorPath).Path
$env:WECOM_TEST_PACKAGE = (Resolve-Path $PackagePath).Path

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
if ($env:NO_COLOR) { $config.Output.RenderMode = 'Plaintext' }
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = [IO.Path]::ChangeExtension($ResultPath, '.xml')
$result = Invoke-Pester -Configuration $config
if (-not $result) { throw 'Invoke-Pester returned no result.' }

[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -LiteralPath $ResultPath -Encoding utf8

if ($result.Result -ne 'Passed' -or $result.PassedCount -eq 0) { exit 1 }
exit 0
