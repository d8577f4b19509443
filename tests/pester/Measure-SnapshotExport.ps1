<#
.SYNOPSIS
    Measures Export-WeComDirectory -Detailed against the emulator: time and peak memory (a measurement, not a test).
.DESCRIPTION
    Starts the emulator (examples/WeComEmulator.psm1) with -Members members (100,000 by default), runs
    Export-WeComDirectory -Detailed into a new folder in one fresh pwsh process, and prints: the time of the
    whole command, when the member export was ready on the emulator's side (the first download of its block),
    the snapshot's size, the record counts (checked against the emulator's truth) and this pwsh process's
    peak working set before and after. The snapshot folder is deleted afterwards.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/pester/Measure-SnapshotExport.ps1 -ModulePath out/WeComExport -EmulatorPath out/emulator
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [ValidateRange(1, 1000000)] [int] $Members = 100000,
    [string[]] $Format = 'Json'
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $PSScriptRoot '../../examples/WeComEmulator.psm1') -Force
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'WeComExport.psd1') -Force

function Format-MiB([long] $Bytes) { '{0:N1} MiB' -f ($Bytes / 1MB) }

$emulator = Start-WeComEmulator -EmulatorPath (Resolve-Path $EmulatorPath).Path -Members $Members
$work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-measure-snapshot-' + [guid]::NewGuid().ToString('N'))
try {
    $session = Connect-WeCom -Credential (Get-WeComEmulatorCredential $emulator) -ApiBaseUri $emulator.BaseUri -PassThru
    $me = [Diagnostics.Process]::GetCurrentProcess()
    [GC]::Collect()
    $me.Refresh()
    $peakBefore = $me.PeakWorkingSet64

    $log = [Collections.Generic.List[object]]::new()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $summary = Export-WeComDirectory -Path (Join-Path $work 'snapshot') -Detailed -Format $Format -Session $session -Timeout 1800 -Verbose 4>&1 |
        ForEach-Object {
            if ($_ -is [Management.Automation.VerboseRecord]) { $log.Add([pscustomobject]@{ At = $clock.Elapsed; Message = $_.Message }) } else { $_ }
        }
    $clock.Stop()
    $me.Refresh()
    $peakAfter = $me.PeakWorkingSet64

    $userJob = $summary.JobIds['user']
    $downloaded = $log | Where-Object { $_.Message -like "Block * of job $userJob*MD5 verified*" } | Select-Object -Last 1
    $checked = $log | Where-Object { $_.Message -like "Export user (job $userJob)*read back*" } | Select-Object -First 1
    $bytes = (Get-ChildItem -LiteralPath $summary.Path -File | Measure-Object Length -Sum).Sum
    $corp = $emulator.Corps[0].corpId
    $truthUsers = (Invoke-RestMethod "$($emulator.BaseUri)/_emulator/truth?corpid=$corp&kind=user").count
    $truthDepartments = (Invoke-RestMethod "$($emulator.BaseUri)/_emulator/truth?corpid=$corp&kind=department").count

    $figures = [ordered]@{
        'command'                            = "Export-WeComDirectory -Path <new folder> -Detailed -Format $($Format -join ',') -Timeout 1800"
        'members / departments (snapshot)'   = '{0:N0} / {1:N0}' -f $summary.Members, $summary.Departments
        'members / departments (truth)'      = '{0:N0} / {1:N0}' -f $truthUsers, $truthDepartments
        'snapshot size on disk'              = Format-MiB $bytes
        'whole command'                      = '{0:N1} s' -f $clock.Elapsed.TotalSeconds
        'member blocks downloaded (MD5 ok)'  = if ($downloaded) { '{0:N1} s (prepared by the emulator, then downloaded)' -f $downloaded.At.TotalSeconds } else { 'n/a' }
        'member blocks decrypted, read back' = if ($checked) { '{0:N1} s' -f $checked.At.TotalSeconds } else { 'n/a' }
        'peak working set before / after'    = '{0} / {1}' -f (Format-MiB $peakBefore), (Format-MiB $peakAfter)
        'load average (1, 5, 15 min)'        = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ', ' } else { 'n/a' }
        'pwsh'                               = "$($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"
    }
    $figures.GetEnumerator() | ForEach-Object { '{0,-36} {1}' -f $_.Key, $_.Value }

    if ($summary.Members -ne $truthUsers -or $summary.Departments -ne $truthDepartments) { throw 'The snapshot does not hold the truth.' }
    Disconnect-WeCom -Session $session
}
finally {
    $emulator | Stop-WeComEmulator
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
