<#
.SYNOPSIS
    The harness of build.ps1 Bench (issue 11): the module against the transport floor, the engine alone, the
    pipeline, CSV, a full directory export and a hand-written script, on one emulator, in one run.
.DESCRIPTION
    For each -Sizes member count it starts the emulator in its own process (out/emulator; long URL, job and token
    lifetimes so nothing expires during the run), starts one member-detail export per -BlockSizes once, waits for it,
    and writes its id and key to a job file every measurement reuses. Each measurement runs in a fresh process
    (its peak working set is its own) and prints one JSON line:
      (1) floor     C#, tests/WeComExport.Bench floor: HTTP → MD5 + AES → bare Utf8JsonReader scan, no spool, no records
      (2) engine    C#, tests/WeComExport.Bench engine: ExportReceiver.ReceiveRecordsAsync with a counting emit
      (3) receive   Measure-Receive.ps1 -Output MeasureObject
      (4) csv       Measure-Receive.ps1 -Output Csv;  (4b) csvBuilt: -Output BuiltCsv, only at sizes ≤ -BuiltCsvMaxSize
                    whose records fit in half the free memory (about 2.2 KB each held, 5 KB counted to be safe)
      (5) directory Measure-Directory.ps1 (starts its own jobs: includes the emulator's preparation)
      (6) script    Measure-Script.ps1, with -ScriptTimeLimit and a -ScriptMemoryLimitGB watchdog
    Runs are interleaved (run 1 of every measure, then run 2, ...), so a burst of load hits them alike; figures
    are medians. At sizes ≥ 1,000,000, (5) and (6) run -SlowRuns times (1 by default). Results: a JSON file in
    -ResultDirectory, markdown on stdout, and, with -DocPath, the marked section of docs/performance.md.
    Exits 1 when a measure failed (a wrong count, a crash); (6) dying by the watchdog is a result, not a failure.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/bench/Invoke-Bench.ps1 -ModulePath out/WeComExport -EmulatorPath out/emulator `
        -BenchDll tests/WeComExport.Bench/bin/Release/net10.0/WeComExport.Bench.dll -Sizes 20000 -Runs 1
    (With -File every argument is one string: pass lists such as -Measures floor,engine from -Command or a pwsh
    prompt, as build.ps1 does.)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [Parameter(Mandatory)] [string] $BenchDll,
    [ValidateRange(1, 10000000)] [int[]] $Sizes = @(100000, 1000000),
    [ValidateRange(10000, 1000000)] [int[]] $BlockSizes = @(1000000, 10000),
    [ValidateRange(1, 100)] [int] $Runs = 3,
    [ValidateRange(1, 100)] [int] $SlowRuns = 1,
    [ValidateSet('floor', 'engine', 'receive', 'csv', 'csvBuilt', 'directory', 'script')]
    [string[]] $Measures = @('floor', 'engine', 'receive', 'csv', 'csvBuilt', 'directory', 'script'),
    [int] $BuiltCsvMaxSize = 1000000,
    [int] $ScriptTimeLimit = 600,
    [double] $ScriptMemoryLimitGB = 6,
    [int] $ChildTimeLimit = 3600,
    [string] $ResultDirectory = (Join-Path $PSScriptRoot '../../out/bench'),
    [string] $DocPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot '../../examples/WeComEmulator.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchChild.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchReport.psm1') -Force

$ModulePath = (Resolve-Path $ModulePath).Path
$EmulatorPath = (Resolve-Path $EmulatorPath).Path
$BenchDll = (Resolve-Path $BenchDll).Path
$dotnet = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { [Environment]::ProcessPath }
# A fresh pwsh is the same pwsh.dll that `dotnet pwsh` runs, started without the dotnet CLI's launcher process in
# between, so the watchdog samples and kills pwsh itself and "process s" is pwsh's own start, import and run.
$pwshArguments = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File')
$work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-bench-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $work
# The job files hold the (emulator's) corp secret and the export key: the owner's only, removed at the end.
if (-not $IsWindows) { [IO.File]::SetUnixFileMode($work, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute') }
$null = New-Item -ItemType Directory -Force $ResultDirectory
# The script's watchdog: -ScriptMemoryLimitGB, but never more than half of what the machine has free now.
$available = if (Test-Path /proc/meminfo) { [long](((Get-Content /proc/meminfo) -match '^MemAvailable:' -split '\s+')[1]) * 1KB } else { 16GB }
$scriptMemoryLimit = [long][Math]::Min($ScriptMemoryLimitGB * 1GB, $available / 2)
# (4b) holds every record (2.2 GB peak at 10^6): skipped where that could push the machine into swap.
$builtCsvLimit = [Math]::Min($BuiltCsvMaxSize, [long]($available / 2 / 5KB))

function Get-LoadAverage { if (Test-Path /proc/loadavg) { @((Get-Content /proc/loadavg).Split(' ')[0..2]) } else { @() } }

function Get-Machine {
    $memory = if (Test-Path /proc/meminfo) { [long](((Get-Content /proc/meminfo) -match '^MemTotal:' -split '\s+')[1]) * 1KB } else { 0 }
    $os = if (Test-Path /etc/os-release) { ((Get-Content /etc/os-release) -match '^PRETTY_NAME=' -replace '^PRETTY_NAME=|"', '') } else { [Runtime.InteropServices.RuntimeInformation]::OSDescription }
    [ordered]@{
        cores = [Environment]::ProcessorCount; memoryGB = $memory / 1GB; os = "$os, Linux $(if (Test-Path /proc/sys/kernel/osrelease) { (Get-Content /proc/sys/kernel/osrelease) } else { '?' })"
        dotnet = [Environment]::Version.ToString(); pwsh = $PSVersionTable.PSVersion.ToString()
    }
}

function New-EncodingAesKey {
    $chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    -join (1..43 | ForEach-Object { $chars[[Security.Cryptography.RandomNumberGenerator]::GetInt32($chars.Length)] })
}

function Start-BenchJob {
    <# Starts one member-detail export by raw API calls, waits until it is done, and writes the job file the children read. #>
    param($Emulator, [int] $Members, [int] $BlockSize)
    $corp = $Emulator.Corps[0]
    $api = "$($Emulator.BaseUri)/cgi-bin"
    $token = (Invoke-RestMethod "$api/gettoken?corpid=$($corp.corpId)&corpsecret=$([uri]::EscapeDataString($corp.secret))").access_token
    $key = New-EncodingAesKey
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $started = Invoke-RestMethod -Method Post "$api/export/user?access_token=$token" -ContentType 'application/json' -Body (@{ encoding_aeskey = $key; block_size = $BlockSize } | ConvertTo-Json)
    if ($started.errcode -ne 0) { throw "export/user: $($started.errmsg)" }
    do {
        Start-Sleep -Milliseconds 200
        $result = Invoke-RestMethod "$api/export/get_result?access_token=$token&jobid=$($started.jobid)"
        if ($result.errcode -ne 0 -or $result.status -eq 3) { throw "get_result: $($result | ConvertTo-Json -Compress)" }
    } until ($result.status -eq 2)
    $job = [ordered]@{
        baseUri = $Emulator.BaseUri; corpId = $corp.corpId; secret = $corp.secret; jobId = $started.jobid; key = $key
        members = $Members; blockSize = $BlockSize; blocks = @($result.data_list).Count
        bytes = [long]($result.data_list | Measure-Object size -Sum).Sum; prepareSeconds = $clock.Elapsed.TotalSeconds
    }
    $path = Join-Path $work "job-$Members-$BlockSize.json"
    $job | ConvertTo-Json | Set-Content -LiteralPath $path -Encoding utf8NoBOM
    $job.path = $path
    [pscustomobject]$job
}

function Invoke-Measure {
    <# Runs one measure once against one job; returns its run record (with died/error set when it did not finish). #>
    param([string] $Measure, $Job, [int] $Run)
    $csvPath = Join-Path $work "out-$Measure.csv"
    $memoryLimit = 0L
    $timeLimit = $ChildTimeLimit
    $arguments = switch ($Measure) {
        'floor' { @($BenchDll, 'floor', $Job.path) }
        'engine' { @($BenchDll, 'engine', $Job.path) }
        'receive' { $pwshArguments + @((Join-Path $PSScriptRoot 'Measure-Receive.ps1'), '-ModulePath', $ModulePath, '-JobFile', $Job.path, '-Output', 'MeasureObject') }
        'csv' { $pwshArguments + @((Join-Path $PSScriptRoot 'Measure-Receive.ps1'), '-ModulePath', $ModulePath, '-JobFile', $Job.path, '-Output', 'Csv', '-CsvPath', $csvPath) }
        'csvBuilt' { $pwshArguments + @((Join-Path $PSScriptRoot 'Measure-Receive.ps1'), '-ModulePath', $ModulePath, '-JobFile', $Job.path, '-Output', 'BuiltCsv', '-CsvPath', $csvPath) }
        'directory' { $pwshArguments + @((Join-Path $PSScriptRoot 'Measure-Directory.ps1'), '-ModulePath', $ModulePath, '-JobFile', $Job.path, '-SnapshotPath', (Join-Path $work 'snapshot')) }
        'script' {
            $memoryLimit = $scriptMemoryLimit
            $timeLimit = $ScriptTimeLimit
            $pwshArguments + @((Join-Path $PSScriptRoot 'Measure-Script.ps1'), '-JobFile', $Job.path)
        }
    }
    $child = Invoke-BenchChild -FilePath $dotnet -Arguments $arguments -TimeLimitSeconds $timeLimit -MemoryLimitBytes $memoryLimit
    $r = $child.Result
    $problem = $null
    if (-not $child.Died) {
        if (-not $r -and $Measure -eq 'script' -and $child.ErrorTail -match 'OutOfMemory|Insufficient memory|Array dimensions exceeded|exceeds the maximum') {
            # The script asked .NET for more than one array or string can hold before the watchdog saw the memory.
            $child.Died = "died: out of memory (.NET refused an allocation: $($Matches[0]))"
        }
        elseif (-not $r) { $problem = "exit code $($child.ExitCode), no result line: $($child.ErrorTail)" }
        else {
            if ($Measure -eq 'csv') { $r.records = [long](& $dotnet $BenchDll csvrows $csvPath) }
            if ($r.records -ne $Job.members) { $problem = "counted $($r.records) records, expected $($Job.members)" }
        }
    }
    Remove-Item -LiteralPath $csvPath -Force -ErrorAction SilentlyContinue
    [pscustomobject][ordered]@{
        members = $Job.members; blockSize = $Job.blockSize; blocks = $Job.blocks; bytes = $Job.bytes; measure = $Measure; run = $Run
        seconds = if ($r -and -not $problem) { [double]$r.seconds } else { $null }
        processSeconds = $child.ProcessSeconds
        records = if ($r) { $r.records } else { $null }
        peakWorkingSet = if ($r -and $r.peakWorkingSet) { [long]$r.peakWorkingSet } else { $child.SampledPeakWorkingSet }
        sampledPeakWorkingSet = $child.SampledPeakWorkingSet
        died = $child.Died; error = $problem
    }
}

$date = Get-Date
$clock = [Diagnostics.Stopwatch]::StartNew()
$loadBefore = Get-LoadAverage
$allRuns = [Collections.Generic.List[object]]::new()
$jobs = [Collections.Generic.List[object]]::new()
try {
    foreach ($size in $Sizes) {
        $lifetime = '86400' # one day: no URL, token or job expires during a run, however slow the machine
        $emulator = Start-WeComEmulator -EmulatorPath $EmulatorPath -Members $size -ExtraArguments @(
            '--job-delay', '0', '--url-lifetime', $lifetime, '--job-lifetime', $lifetime, '--token-lifetime', $lifetime)
        try {
            $sizeJobs = foreach ($blockSize in $BlockSizes) {
                $job = Start-BenchJob -Emulator $emulator -Members $size -BlockSize $blockSize
                Write-Host ('setup: {0:N0} members in {1} block(s) of {2:N0}: {3:N1} MB ciphertext, prepared by the emulator in {4:N1} s' -f $size, $job.blocks, $blockSize, ($job.bytes / 1e6), $job.prepareSeconds)
                $jobs.Add($job)
                $job
            }
            foreach ($job in $sizeJobs) {
                for ($run = 1; $run -le $Runs; $run++) {
                    foreach ($measure in $Measures) {
                        if ($measure -eq 'csvBuilt' -and $size -gt $builtCsvLimit) { continue }
                        if ($measure -in 'directory', 'script' -and $size -ge 1000000 -and $run -gt $SlowRuns) { continue }
                        $one = Invoke-Measure -Measure $measure -Job $job -Run $run
                        $allRuns.Add($one)
                        $what = if ($one.seconds) { '{0:N2} s, process {1:N1} s, peak {2:N0} MB' -f $one.seconds, $one.processSeconds, ($one.peakWorkingSet / 1MB) } elseif ($one.died) { $one.died } else { "FAILED: $($one.error)" }
                        Write-Host ('  {0,9:N0} / {1,9:N0} run {2} {3,-9} {4}' -f $size, $job.blockSize, $run, $measure, $what)
                    }
                }
            }
        }
        finally {
            $emulator | Stop-WeComEmulator
        }
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

$summary = @(Get-BenchSummary -Runs $allRuns)
$report = [ordered]@{
    date = $date.ToString('yyyy-MM-dd HH:mm:ss K'); durationSeconds = $clock.Elapsed.TotalSeconds
    machine = Get-Machine; loadBefore = $loadBefore; loadAfter = Get-LoadAverage
    settings = [ordered]@{ sizes = $Sizes; blockSizes = $BlockSizes; runs = $Runs; slowRuns = $SlowRuns; measures = $Measures; scriptTimeLimitSeconds = $ScriptTimeLimit; scriptMemoryLimitBytes = $scriptMemoryLimit; builtCsvMaxSize = $BuiltCsvMaxSize }
    jobs = @($jobs | Select-Object members, blockSize, blocks, bytes, prepareSeconds)
    summary = $summary
    targets = @(Get-BenchTargets -Summary $summary)
    runs = $allRuns
}
$markdown = Format-BenchMarkdown -Report $report
$resultPath = Join-Path $ResultDirectory ('bench-{0:yyyyMMdd-HHmmss}.json' -f $date)
$report | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $resultPath -Encoding utf8NoBOM
Write-Host ''
Write-Host $markdown
Write-Host ''
Write-Host "results: $resultPath"
if ($DocPath) {
    Update-PerformanceDoc -Path $DocPath -Markdown $markdown
    Write-Host "updated: $DocPath"
}
$failed = @($allRuns | Where-Object error)
Write-Host ('bench: {0} measurements, {1} failed, {2} died (watchdog), {3:0} s' -f $allRuns.Count, $failed.Count, @($allRuns | Where-Object died).Count, $clock.Elapsed.TotalSeconds)
if ($failed.Count -gt 0) { exit 1 }
