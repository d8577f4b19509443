<#
.SYNOPSIS
    Measures (5) of build.ps1 Bench in this fresh pwsh: Export-WeComDirectory -Detailed -Format Csv.
.DESCRIPTION
    A full export as a user runs it: it starts its own member and department jobs, waits for the emulator to
    prepare them (polling as the cmdlet does by default), downloads and writes the CSV snapshot. So its time
    includes the emulator's preparation of the jobs: reported as is. The snapshot folder is deleted afterwards.
    Prints one JSON line; bytes is the member job's ciphertext of the same size (departments not counted).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $JobFile,
    [Parameter(Mandatory)] [string] $SnapshotPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $ModulePath 'WeComExport.psd1')
$job = Get-Content -LiteralPath $JobFile -Raw | ConvertFrom-Json
$secret = ConvertTo-SecureString $job.secret -AsPlainText -Force
Connect-WeCom -CorpId $job.corpId -Secret $secret -ApiBaseUri $job.baseUri

try {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $summary = Export-WeComDirectory -Path $SnapshotPath -Detailed -Format Csv -BlockSize ([int]$job.blockSize) -Timeout 7200
    $clock.Stop()
    $me = [Diagnostics.Process]::GetCurrentProcess()
    $me.Refresh()
    [ordered]@{
        measure = 'directory'; seconds = $clock.Elapsed.TotalSeconds; records = [long]$summary.Members; bytes = [long]$job.bytes
        blocks = [int]$job.blocks; peakWorkingSet = $me.PeakWorkingSet64; runtime = [Environment]::Version.ToString()
    } | ConvertTo-Json -Compress
}
finally {
    Remove-Item -LiteralPath $SnapshotPath -Recurse -Force -ErrorAction SilentlyContinue
}
