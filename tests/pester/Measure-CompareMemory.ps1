<#
.SYNOPSIS
    Measures what Compare-WeComExport costs in time and memory on two big snapshots (a measurement, not a test).
.DESCRIPTION
    Writes two synthetic snapshot folders of -Members simple members each (block files of up to 1,000,000
    members, as WeCom's default block size, plus a manifest.json with each file's SHA-256), the second with
    about -ChangePercent % of the members changed: a third of them removed, a third renamed, and as many
    new ones added. Then, in a fresh pwsh (so nothing of the generation counts), runs
        Compare-WeComExport <A> <B> | Group-Object ChangeType
    and prints the counts (checked against what was written), the elapsed time, and that process's working
    set and peak working set before and after the comparison. Compare keeps a 128-bit hash of each reference
    record's id and content, not the records: the peak grows with the member count (tens of bytes per member)
    and the changes, never with the size of the files.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/pester/Measure-CompareMemory.ps1 -ModulePath out/WeComExport -Members 100000
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/pester/Measure-CompareMemory.ps1 -ModulePath out/WeComExport -Members 1000000
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(1000, 10000000)] [int] $Members = 100000,
    [ValidateRange(0.1, 50)] [double] $ChangePercent = 1,
    # Where the two snapshots are written (a new folder under the system temp folder by default); deleted afterwards unless -Keep.
    [string] $WorkDirectory,
    [switch] $Keep
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
$module = Join-Path (Resolve-Path $ModulePath).Path 'WeComExport.psd1'
Import-Module $module -Force
if (-not $WorkDirectory) { $WorkDirectory = Join-Path ([IO.Path]::GetTempPath()) ('wecom-compare-memory-' + [guid]::NewGuid().ToString('N')) }
$null = New-Item -ItemType Directory -Force $WorkDirectory
$BlockMembers = 1000000
# Every Period-th member is removed, every Period-th (offset by half) is renamed, and Members/Period new ones join.
$Period = [Math]::Max(3, [int] [Math]::Round(300 / $ChangePercent))

function Format-MiB([long] $Bytes) { '{0:N1} MiB' -f ($Bytes / 1MB) }

function Write-Snapshot([string] $Folder, [bool] $Changed) {
    $null = New-Item -ItemType Directory -Force $Folder
    $encoding = [Text.UTF8Encoding]::new($false)
    $names = [Collections.Generic.List[string]]::new()
    $writer = $null
    $inBlock = 0
    $total = $Members + $(if ($Changed) { [Math]::Floor($Members / $Period) } else { 0 })
    for ($i = 1; $i -le $total; $i++) {
        if ($Changed -and $i -le $Members -and $i % $Period -eq 0) { continue }
        if ($null -eq $writer -or $inBlock -eq $BlockMembers) {
            if ($writer) { $writer.Write(']}'); $writer.Dispose() }
            $name = 'simple_user.block{0:D4}.json' -f $names.Count
            $names.Add($name)
            $writer = [IO.StreamWriter]::new((Join-Path $Folder $name), $false, $encoding, 1MB)
            $writer.Write('{"userlist":[')
            $inBlock = 0
        }
        if ($inBlock -gt 0) { $writer.Write(',') }
        $id = if ($i -le $Members) { 'member{0:D8}' -f $i } else { 'newcomer{0:D8}' -f $i }
        $name = if ($Changed -and $i -le $Members -and $i % $Period -eq [int] ($Period / 2)) { "成员$i（改名）" } else { "成员$i" }
        $writer.Write('{"userid":"' + $id + '","name":"' + $name + '","department":[1,' + (2 + $i % 500) + '],"open_userid":"wo' + $id + '"}')
        $inBlock++
    }
    $writer.Write(']}')
    $writer.Dispose()
    Write-TestSnapshotManifest -Folder $Folder -CorpId 'wwmeasurecorp0001' -Exports @(@{ Kind = 'SimpleUser'; JobId = 'measure'; Files = $names.ToArray() })
}

try {
    $generate = [Diagnostics.Stopwatch]::StartNew()
    $a = Join-Path $WorkDirectory 'a'
    $b = Join-Path $WorkDirectory 'b'
    Write-Snapshot $a $false
    Write-Snapshot $b $true
    $generate.Stop()
    $bytes = (Get-ChildItem -LiteralPath $a -Filter '*.json' | Measure-Object Length -Sum).Sum
    $expected = [ordered]@{
        Added   = [Math]::Floor($Members / $Period)
        Removed = [Math]::Floor($Members / $Period)
        Changed = [Math]::Floor(($Members + $Period - [int] ($Period / 2)) / $Period)
    }

    $child = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$module'
`$me = [Diagnostics.Process]::GetCurrentProcess()
`$null = Compare-WeComExport -ReferenceObject @() -DifferenceObject @()   # the module's first-call cost is not what is measured
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); `$me.Refresh()
`$before = @{ WorkingSet = `$me.WorkingSet64; Peak = `$me.PeakWorkingSet64 }
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$counts = @{}
Compare-WeComExport -ReferencePath '$a' -DifferencePath '$b' | ForEach-Object { `$counts["`$(`$_.ChangeType)"]++ }
`$watch.Stop()
`$me.Refresh()
[pscustomobject]@{
    Seconds = `$watch.Elapsed.TotalSeconds; Counts = `$counts
    WorkingSetBefore = `$before.WorkingSet; PeakBefore = `$before.Peak; PeakAfter = `$me.PeakWorkingSet64
    ManagedHeapAfter = [GC]::GetTotalMemory(`$false)
} | ConvertTo-Json -Compress
"@
    $run = Invoke-FreshPwsh $child
    if ($run.ExitCode -ne 0) { throw "The comparison failed:`n$($run.Output -join "`n")" }
    $result = $run.Output[-1] | ConvertFrom-Json

    $figures = [ordered]@{
        'members per snapshot'              = '{0:N0} ({1} block file(s), {2} each)' -f $Members, @(Get-ChildItem -LiteralPath $a -Filter 'simple_user.*').Count, (Format-MiB $bytes)
        'changes expected'                  = ($expected.GetEnumerator() | ForEach-Object { '{0} {1:N0}' -f $_.Key, $_.Value }) -join ', '
        'changes found'                     = ('Added', 'Removed', 'Changed' | ForEach-Object { '{0} {1:N0}' -f $_, [int] $result.Counts.$_ }) -join ', '
        'snapshots written in'              = '{0:N1} s' -f $generate.Elapsed.TotalSeconds
        'Compare-WeComExport elapsed'       = '{0:N1} s ({1:N0} reference members/s)' -f $result.Seconds, ($Members / $result.Seconds)
        'working set before compare'        = Format-MiB $result.WorkingSetBefore
        'peak working set before compare'   = Format-MiB $result.PeakBefore
        'peak working set after compare'    = Format-MiB $result.PeakAfter
        'peak growth during compare'        = '{0} = {1:N0} bytes per reference member' -f (Format-MiB ($result.PeakAfter - $result.PeakBefore)), (($result.PeakAfter - $result.PeakBefore) / $Members)
        'managed heap after compare'        = Format-MiB $result.ManagedHeapAfter
        'pwsh'                              = "$($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::OSDescription), $([Environment]::ProcessorCount) cores"
    }
    $figures.GetEnumerator() | ForEach-Object { '{0,-35} {1}' -f $_.Key, $_.Value }

    foreach ($type in $expected.Keys) {
        if ([int] $result.Counts.$type -ne $expected[$type]) { throw "Expected $($expected[$type]) $type, found $([int] $result.Counts.$type)." }
    }
}
finally {
    if (-not $Keep) { Remove-Item -LiteralPath $WorkDirectory -Recurse -Force -ErrorAction SilentlyContinue }
}
