<#
.SYNOPSIS
    Measures what Receive-WeComExport costs in memory on one big block (a measurement, not a test).
.DESCRIPTION
    Starts the emulator with -Members members (100,000 by default), exports member details in ONE
    block (BlockSize 1000000), receives it piped straight into Measure-Object (nothing collected) and
    prints: the block's ciphertext size, the record count (checked against the emulator's truth),
    the elapsed time, and this pwsh process's peak working set before and after the receive. If
    Receive held the whole block (or all its records) in memory, the peak would grow by at least
    the block's size; streaming keeps the growth far below it.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/pester/Measure-ReceiveMemory.ps1 -ModulePath out/WeComExport -EmulatorPath out/emulator
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [ValidateRange(1, 1000000)] [int] $Members = 100000
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$env:WECOM_TEST_EMULATOR = (Resolve-Path $EmulatorPath).Path
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'WeComExport.psd1') -Force

function Format-MiB([long] $Bytes) { '{0:N1} MiB' -f ($Bytes / 1MB) }

$emulator = Start-TestEmulator -Members $Members -ExtraArguments '--job-delay', '50'
try {
    $session = Connect-TestCorp $emulator
    $prepare = [Diagnostics.Stopwatch]::StartNew()
    $job = Start-WeComUserExport -Detailed -BlockSize 1000000 -Session $session | Wait-WeComExport -PollInterval 0.5
    $prepare.Stop()
    if ($job.LastResult.BlockCount -ne 1) { throw "Expected one block, got $($job.LastResult.BlockCount)." }
    $ciphertext = $job.LastResult.TotalSize

    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    $me = [Diagnostics.Process]::GetCurrentProcess()
    $me.Refresh()
    $peakBefore = $me.PeakWorkingSet64
    $workingBefore = $me.WorkingSet64

    $receive = [Diagnostics.Stopwatch]::StartNew()
    $measured = $job | Receive-WeComExport | Measure-Object
    $receive.Stop()

    $me.Refresh()
    $peakAfter = $me.PeakWorkingSet64
    $truth = Get-EmulatorTruth $emulator -CorpId $emulator.Corps[0].corpId -Kind user

    $growth = $peakAfter - $peakBefore
    $figures = [ordered]@{
        'members (truth)'                 = $truth.count
        'records received'                = $measured.Count
        'blocks'                          = $job.LastResult.BlockCount
        'block ciphertext size'           = '{0} ({1:N0} bytes)' -f (Format-MiB $ciphertext), $ciphertext
        'job preparation (Start + Wait)'  = '{0:N1} s' -f $prepare.Elapsed.TotalSeconds
        'receive elapsed'                 = '{0:N1} s ({1:N0} records/s)' -f $receive.Elapsed.TotalSeconds, ($measured.Count / $receive.Elapsed.TotalSeconds)
        'working set before receive'      = Format-MiB $workingBefore
        'peak working set before receive' = Format-MiB $peakBefore
        'peak working set after receive'  = Format-MiB $peakAfter
        'peak growth during receive'      = '{0} = {1:P0} of the block size' -f (Format-MiB $growth), ($growth / $ciphertext)
        'pwsh'                            = "$($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"
    }
    $figures.GetEnumerator() | ForEach-Object { '{0,-33} {1}' -f $_.Key, $_.Value }

    if ($measured.Count -ne $truth.count) { throw "Received $($measured.Count) records, the truth has $($truth.count)." }
    Disconnect-WeCom -Session $session
}
finally {
    Stop-TestEmulator $emulator
}
