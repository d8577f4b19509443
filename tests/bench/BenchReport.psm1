<#
    Turns the runs of build.ps1 Bench into figures: medians per (members, block size, measure), the issue's
    target ratios (met or not), a markdown report, and the regenerated section of docs/performance.md.
#>

$script:MeasureTitles = [ordered]@{
    floor     = '(1) floor: HTTP → MD5 + AES → Utf8JsonReader scan (C#)'
    engine    = '(2) engine: ReceiveRecordsAsync, emit counts (C#)'
    receive   = '(3) Receive-WeComExport | Measure-Object'
    csv       = '(4) Receive-WeComExport | Export-Csv'
    csvBuilt  = '(4b) built records | Export-Csv'
    directory = '(5) Export-WeComDirectory -Detailed -Format Csv'
    script    = '(6) hand-written script'
}

function Get-Median([double[]] $Values) {
    if (-not $Values -or $Values.Count -eq 0) { return $null }
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Get-BenchSummary {
    <# One row per (members, block size, measure): medians of the completed runs, or how it died. #>
    param([Parameter(Mandatory)] [object[]] $Runs)
    $groups = $Runs | Group-Object { '{0}|{1}|{2}' -f $_.members, $_.blockSize, $_.measure }
    foreach ($group in $groups) {
        $first = $group.Group[0]
        $done = @($group.Group | Where-Object { -not $_.died -and -not $_.error })
        $seconds = Get-Median @($done | ForEach-Object seconds)
        $bytes = [double]$first.bytes
        [pscustomobject][ordered]@{
            members           = $first.members
            blockSize         = $first.blockSize
            blocks            = $first.blocks
            measure           = $first.measure
            runs              = $group.Count
            completed         = $done.Count
            died              = @($group.Group | Where-Object died | ForEach-Object died | Select-Object -Unique) -join '; '
            error             = @($group.Group | Where-Object error | ForEach-Object error | Select-Object -Unique) -join '; '
            seconds           = $seconds
            processSeconds    = Get-Median @($done | ForEach-Object processSeconds)
            recordsPerSecond  = if ($seconds) { $first.members / $seconds } else { $null }
            megabytesPerSecond = if ($seconds) { $bytes / 1e6 / $seconds } else { $null }
            peakWorkingSetMB  = Get-Median @($group.Group | ForEach-Object { $_.peakWorkingSet / 1MB })
        }
    }
}

function Find-Row($Summary, [long] $Members, [long] $BlockSize, [string] $Measure) {
    $Summary | Where-Object { $_.members -eq $Members -and $_.blockSize -eq $BlockSize -and $_.measure -eq $Measure } | Select-Object -First 1
}

function Get-BenchTargets {
    <# The issue's targets, each with its figure and whether it is met; a target whose measures did not run is left out. #>
    param([Parameter(Mandatory)] [object[]] $Summary)
    $pairs = $Summary | Select-Object members, blockSize -Unique | Sort-Object members, blockSize
    function Target($Name, $Figure, $Met) { [pscustomobject][ordered]@{ target = $Name; figure = $Figure; met = if ($null -eq $Met) { $null } else { [bool]$Met } } }
    function Label($Members, $BlockSize) { '{0:N0} in blocks of {1:N0}' -f $Members, $BlockSize }
    foreach ($p in $pairs) {
        $floor = Find-Row $Summary $p.members $p.blockSize floor
        $receive = Find-Row $Summary $p.members $p.blockSize receive
        if ($floor.seconds -and $receive.seconds) {
            $ratio = $receive.seconds / $floor.seconds
            Target "(3) ≤ 2 × (1), $(Label $p.members $p.blockSize)" ('{0:0.00} × ({1:0.00} s / {2:0.00} s)' -f $ratio, $receive.seconds, $floor.seconds) ($ratio -le 2)
        }
    }
    foreach ($p in $pairs | Where-Object blockSize -eq 10000) {
        $receive = Find-Row $Summary $p.members $p.blockSize receive
        $script = Find-Row $Summary $p.members $p.blockSize script
        $want = if ($p.members -ge 1000000) { 30 } else { 20 }
        if ($receive.seconds -and $script) {
            if ($script.seconds) {
                $ratio = $script.seconds / $receive.seconds
                Target "(6) / (3) ≥ $want, $(Label $p.members $p.blockSize)" ('{0:0.0} × ({1:0.00} s / {2:0.00} s)' -f $ratio, $script.seconds, $receive.seconds) ($ratio -ge $want)
            }
            else { Target "(6) / (3) ≥ $want, $(Label $p.members $p.blockSize)" "(6) $($script.died)$($script.error): no ratio" $null }
        }
    }
    foreach ($p in $pairs | Where-Object { $_.blockSize -eq 1000000 -and $_.members -ge 1000000 }) {
        $receive = Find-Row $Summary $p.members $p.blockSize receive
        $script = Find-Row $Summary $p.members $p.blockSize script
        if ($receive) {
            $scriptSays = if (-not $script) { '(6) not run' } elseif ($script.seconds) { '(6) also finished in {0:0.0} s' -f $script.seconds } else { "(6) $($script.died)$($script.error)" }
            Target "(3) finishes $('{0:N0}' -f $p.members) in one block where (6) dies" ('(3) {0}; {1}' -f $(if ($receive.seconds) { 'finished in {0:0.0} s' -f $receive.seconds } else { 'did not finish' }), $scriptSays) ($receive.seconds -and $script -and -not $script.seconds)
        }
    }
    foreach ($p in $pairs) {
        $csv = Find-Row $Summary $p.members $p.blockSize csv
        $directory = Find-Row $Summary $p.members $p.blockSize directory
        if ($csv.seconds -and $directory.seconds) {
            $ratio = $csv.seconds / $directory.seconds
            Target "(4) / (5) ≥ 5, $(Label $p.members $p.blockSize)" ('{0:0.00} × ({1:0.00} s / {2:0.00} s)' -f $ratio, $csv.seconds, $directory.seconds) ($ratio -ge 5)
        }
        $built = Find-Row $Summary $p.members $p.blockSize csvBuilt
        if ($csv.seconds -and $built.seconds) {
            $ratio = $csv.seconds / $built.seconds
            Target "(4) ≤ 1.2 × (4b), $(Label $p.members $p.blockSize)" ('{0:0.00} × ({1:0.00} s / {2:0.00} s)' -f $ratio, $csv.seconds, $built.seconds) ($ratio -le 1.2)
        }
    }
    $sizes = @($pairs | ForEach-Object members | Sort-Object -Unique)
    foreach ($p in $pairs | Where-Object members -ge 1000000) {
        $receive = Find-Row $Summary $p.members $p.blockSize receive
        if (-not $receive.peakWorkingSetMB) { continue }
        Target "peak WS of (3) ≤ 300 MB, $(Label $p.members $p.blockSize)" ('{0:0} MB' -f $receive.peakWorkingSetMB) ($receive.peakWorkingSetMB -le 300)
        $smaller = $sizes | Where-Object { $_ -lt $p.members } | Select-Object -Last 1
        $base = if ($smaller) { Find-Row $Summary $smaller $p.blockSize receive }
        if ($base.peakWorkingSetMB) {
            $ratio = $receive.peakWorkingSetMB / $base.peakWorkingSetMB
            Target "peak WS of (3) at $('{0:N0}' -f $p.members) ≤ 1.2 × at $('{0:N0}' -f $smaller), blocks of $('{0:N0}' -f $p.blockSize)" ('{0:0.00} × ({1:0} MB / {2:0} MB)' -f $ratio, $receive.peakWorkingSetMB, $base.peakWorkingSetMB) ($ratio -le 1.2)
        }
    }
}

function Format-BenchMarkdown {
    <# The results as markdown: the machine, one table of measures and one of targets. #>
    param([Parameter(Mandatory)] $Report)
    $m = $Report.machine
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add("Run of $($Report.date) ($('{0:0}' -f ($Report.durationSeconds / 60)) min): $($m.cores) cores, $('{0:0.0}' -f $m.memoryGB) GB RAM, $($m.os); .NET $($m.dotnet), pwsh $($m.pwsh). Load average (1, 5, 15 min) before: $($Report.loadBefore -join ', '); after: $($Report.loadAfter -join ', ').")
    $lines.Add('')
    $lines.Add('| members | block size (blocks) | measure | runs | time s (median) | process s | records/s | MB/s | peak WS MB |')
    $lines.Add('|---|---|---|---|---|---|---|---|---|')
    $order = @($script:MeasureTitles.Keys)
    foreach ($row in $Report.summary | Sort-Object members, @{ Expression = 'blockSize'; Descending = $true }, { $order.IndexOf($_.measure) }) {
        $time = if ($row.seconds) { '{0:0.00}' -f $row.seconds } elseif ($row.died) { "**$($row.died)**" } else { "**failed: $($row.error)**" }
        $lines.Add(('| {0:N0} | {1:N0} ({2}) | {3} | {4} | {5} | {6} | {7} | {8} | {9} |' -f $row.members, $row.blockSize, $row.blocks, ($script:MeasureTitles[$row.measure] -replace '\|', '\|'),
                $(if ($row.completed -ne $row.runs) { "$($row.completed) of $($row.runs)" } else { $row.runs }), $time,
                $(if ($row.processSeconds) { '{0:0.00}' -f $row.processSeconds } else { '—' }),
                $(if ($row.recordsPerSecond) { '{0:N0}' -f $row.recordsPerSecond } else { '—' }),
                $(if ($row.megabytesPerSecond) { '{0:0.0}' -f $row.megabytesPerSecond } else { '—' }),
                $(if ($row.peakWorkingSetMB) { '{0:0}' -f $row.peakWorkingSetMB } else { '—' })))
    }
    $lines.Add('')
    $lines.Add('| target | figure | met |')
    $lines.Add('|---|---|---|')
    foreach ($t in $Report.targets) { $lines.Add("| $($t.target -replace '\|', '\|') | $($t.figure) | $(if ($null -eq $t.met) { 'n/a' } elseif ($t.met) { 'yes' } else { '**no**' }) |") }
    $lines -join "`n"
}

function Update-PerformanceDoc {
    <# Replaces the marked section of docs/performance.md with the markdown; the hand-written text around it stays. #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Markdown)
    $begin = '<!-- bench:begin (written by build.ps1 Bench; edit the text outside these markers) -->'
    $end = '<!-- bench:end -->'
    $text = Get-Content -LiteralPath $Path -Raw
    $at = $text.IndexOf('<!-- bench:begin')
    $stop = $text.IndexOf($end)
    if ($at -lt 0 -or $stop -lt $at) { throw "$Path has no '<!-- bench:begin ... -->' / '$end' markers." }
    $new = $text.Substring(0, $at) + $begin + "`n" + $Markdown + "`n" + $text.Substring($stop)
    Set-Content -LiteralPath $Path -Value $new -NoNewline -Encoding utf8NoBOM
}

Export-ModuleMember -Function Get-BenchSummary, Get-BenchTargets, Format-BenchMarkdown, Update-PerformanceDoc
