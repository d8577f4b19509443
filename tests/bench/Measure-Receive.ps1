<#
.SYNOPSIS
    Measures (3), (4) and (4b) of build.ps1 Bench in this fresh pwsh: Receive-WeComExport of an existing job.
.DESCRIPTION
    -Output MeasureObject (3): Receive-WeComExport | Measure-Object.
    -Output Csv (4): Receive-WeComExport | Export-Csv into -CsvPath.
    -Output BuiltCsv (4b): the records are received into memory first (untimed), then only
        $records | Export-Csv is timed; it holds every record, so the harness runs it at small sizes only.
    The clock runs from the start of the Receive (or of Export-Csv for BuiltCsv) to the end; Import-Module and
    Connect-WeCom come before it. Prints one JSON line: measure, seconds, records, bytes, blocks, peakWorkingSet.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $JobFile,
    [Parameter(Mandatory)] [ValidateSet('MeasureObject', 'Csv', 'BuiltCsv')] [string] $Output,
    [string] $CsvPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $ModulePath 'WeComExport.psd1')
$job = Get-Content -LiteralPath $JobFile -Raw | ConvertFrom-Json
$secret = ConvertTo-SecureString $job.secret -AsPlainText -Force
$key = ConvertTo-SecureString $job.key -AsPlainText -Force
Connect-WeCom -CorpId $job.corpId -Secret $secret -ApiBaseUri $job.baseUri

$records = 0
$clock = [Diagnostics.Stopwatch]::new()
switch ($Output) {
    'MeasureObject' {
        $clock.Start()
        $records = (Receive-WeComExport -JobId $job.jobId -EncodingAesKey $key -ExportKind User | Measure-Object).Count
        $clock.Stop()
    }
    'Csv' {
        $clock.Start()
        Receive-WeComExport -JobId $job.jobId -EncodingAesKey $key -ExportKind User | Export-Csv -LiteralPath $CsvPath -NoTypeInformation
        $clock.Stop()
        $records = -1 # counted by the harness from the file, outside the clock
    }
    'BuiltCsv' {
        $built = Receive-WeComExport -JobId $job.jobId -EncodingAesKey $key -ExportKind User
        $records = $built.Count
        $clock.Start()
        $built | Export-Csv -LiteralPath $CsvPath -NoTypeInformation
        $clock.Stop()
    }
}

$me = [Diagnostics.Process]::GetCurrentProcess()
$me.Refresh()
$measure = @{ MeasureObject = 'receive'; Csv = 'csv'; BuiltCsv = 'csvBuilt' }[$Output]
[ordered]@{
    measure = $measure; seconds = $clock.Elapsed.TotalSeconds; records = $records; bytes = [long]$job.bytes
    blocks = [int]$job.blocks; peakWorkingSet = $me.PeakWorkingSet64; runtime = [Environment]::Version.ToString()
} | ConvertTo-Json -Compress
