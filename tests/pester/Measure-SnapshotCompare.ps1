<#
.SYNOPSIS
    Compare-WeComExport on two emulator snapshots of member details: time and peak memory (a measurement, not a test).
.DESCRIPTION
    Starts the emulator with -Members members, writes a snapshot (Export-WeComDirectory -Detailed), changes the
    directory (the emulator's random changes: members added, removed, edited, moved; departments renamed and added),
    writes a second snapshot, then in a fresh pwsh (so nothing of the exports counts) runs
        Compare-WeComExport <before> <after>
    and prints the elapsed time, the change count against the emulator's ground truth, and that process's peak
    working set before and after the comparison. The snapshots are deleted afterwards.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/pester/Measure-SnapshotCompare.ps1 -ModulePath out/WeComExport -EmulatorPath out/emulator -Members 1000000
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [ValidateRange(1000, 1000000)] [int] $Members = 100000
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$module = Join-Path (Resolve-Path $ModulePath).Path 'WeComExport.psd1'
Import-Module (Join-Path $PSScriptRoot '../../examples/WeComEmulator.psm1') -Force
Import-Module $module -Force
$emulator = Start-WeComEmulator -EmulatorPath (Resolve-Path $EmulatorPath).Path -Members $Members
$work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-measure-compare-' + [guid]::NewGuid().ToString('N'))
try {
    $session = Connect-WeCom -Credential (Get-WeComEmulatorCredential $emulator) -ApiBaseUri $emulator.BaseUri -PassThru
    $before = Join-Path $work 'before'
    $after = Join-Path $work 'after'
    $null = Export-WeComDirectory -Path $before -Detailed -Session $session -Timeout 1800
    $made = @(Update-WeComEmulatorDirectory $emulator -Random @{ seed = 5; addMembers = 100; removeMembers = 100; editMembers = 300; moveMembers = 100; renameDepartments = 20; addDepartments = 10 })
    $null = Export-WeComDirectory -Path $after -Detailed -Session $session -Timeout 1800
    Disconnect-WeCom -Session $session
    $expected = @($made | Where-Object kind -ne 'TagUser').Count

    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module'
`$me = [Diagnostics.Process]::GetCurrentProcess()
[GC]::Collect(); `$me.Refresh(); `$peakBefore = `$me.PeakWorkingSet64
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$count = (Compare-WeComExport -ReferencePath '$before' -DifferencePath '$after' | Measure-Object).Count
`$seconds = `$clock.Elapsed.TotalSeconds
`$me.Refresh()
'{0}|{1}|{2}|{3}' -f `$count, `$seconds, `$peakBefore, `$me.PeakWorkingSet64
"@
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
    $line = (& dotnet pwsh -NoProfile -NonInteractive -EncodedCommand $encoded | Select-Object -Last 1)
    $count, $seconds, $peakBefore, $peakAfter = $line -split '\|'
    $figures = [ordered]@{
        'command'                        = 'Compare-WeComExport -ReferencePath <before> -DifferencePath <after>'
        'members (member details)'       = '{0:N0}' -f $Members
        'changes found / made'           = "$count / $expected"
        'snapshot size on disk'          = '{0:N1} MiB' -f ((Get-ChildItem -LiteralPath $before -File | Measure-Object Length -Sum).Sum / 1MB)
        'compare time'                   = '{0:N1} s' -f [double]::Parse($seconds, [Globalization.CultureInfo]::InvariantCulture)
        'peak working set before/after'  = '{0:N1} MiB / {1:N1} MiB' -f ([long]$peakBefore / 1MB), ([long]$peakAfter / 1MB)
        'load average (1, 5, 15 min)'    = if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ', ' } else { 'n/a' }
    }
    $figures.GetEnumerator() | ForEach-Object { '{0,-32} {1}' -f $_.Key, $_.Value }
    if ([int]$count -ne $expected) { throw "Compare found $count changes; the emulator made $expected (members and departments)." }
}
finally {
    $emulator | Stop-WeComEmulator
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
