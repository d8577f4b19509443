<#
    Runs one measurement child process of build.ps1 Bench and collects its one JSON line, under a time limit
    and a memory watchdog: the parent samples the child's working set every 200 ms and kills the child (and
    its descendants) above -MemoryLimitBytes or after -TimeLimitSeconds, so no measurement can take the machine down.
#>

function Invoke-BenchChild {
    <#
    .SYNOPSIS
        Starts FilePath with Arguments, waits, and returns {Result (the parsed JSON line, or $null), ProcessSeconds,
        SampledPeakWorkingSet, Died (a reason, or $null), ExitCode, ErrorTail}.
    #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [Parameter(Mandatory)] [string[]] $Arguments,
        [int] $TimeLimitSeconds = 1800,
        [long] $MemoryLimitBytes = 0
    )
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $Arguments) { $psi.ArgumentList.Add($argument) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.Environment['NO_COLOR'] = '1'

    $clock = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $peak = 0L
        $died = $null
        while (-not $process.WaitForExit(200)) {
            try { $process.Refresh(); $peak = [Math]::Max($peak, $process.WorkingSet64) } catch { Write-Verbose "sample failed: $_" }
            if ($MemoryLimitBytes -gt 0 -and $peak -gt $MemoryLimitBytes) {
                $died = 'died: out of memory (> {0:0.#} GB working set)' -f ($MemoryLimitBytes / 1GB)
            }
            elseif ($clock.Elapsed.TotalSeconds -gt $TimeLimitSeconds) {
                $died = "died: time limit (> $TimeLimitSeconds s)"
            }
            if ($died) {
                $process.Kill($true)
                $null = $process.WaitForExit(30000)
                break
            }
        }
        $process.WaitForExit()
        $clock.Stop()
        $null = [Threading.Tasks.Task]::WaitAll(@($stdout, $stderr), 30000)
        $line = @($stdout.Result -split "`n" | Where-Object { $_.TrimStart().StartsWith('{') }) | Select-Object -Last 1
        $result = if ($line -and -not $died) { $line | ConvertFrom-Json } else { $null }
        $errorText = ([string]$stderr.Result).Trim()
        [pscustomobject]@{
            Result                = $result
            ProcessSeconds        = $clock.Elapsed.TotalSeconds
            SampledPeakWorkingSet = $peak
            Died                  = $died
            ExitCode              = $process.ExitCode
            ErrorTail             = if ($errorText.Length -gt 2000) { $errorText.Substring($errorText.Length - 2000) } else { $errorText }
        }
    }
    finally {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.Dispose()
    }
}

Export-ModuleMember -Function Invoke-BenchChild
