<#
.SYNOPSIS
    The main job against the local emulator (build.ps1 Demo runs it): a corp of 100,000 members;
    Connect → Start (member details, departments, one tag) → Wait → Receive | Export-Csv.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [int] $Members = 100000
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'WeComExport.psd1')
Import-Module (Join-Path $PSScriptRoot 'WeComEmulator.psm1')

Write-Host "Starting the WeCom emulator with $Members members..."
$emulator = Start-WeComEmulator -EmulatorPath $EmulatorPath -Members $Members
try {
    $null = New-Item -ItemType Directory -Force $OutputDirectory
    $clock = [Diagnostics.Stopwatch]::StartNew()

    # What a runbook does with a credential asset: UserName = CorpID, Password = secret.
    Connect-WeCom -Credential (Get-WeComEmulatorCredential $emulator) -ApiBaseUri $emulator.BaseUri
    $tag = Get-WeComTag | Select-Object -First 1

    $jobs = @(
        Start-WeComUserExport -Detailed -BlockSize 50000
        Start-WeComDepartmentExport
        $tag | Start-WeComTagUserExport
    )
    $finished = $jobs | Wait-WeComExport -Timeout 600

    $files = @{ User = 'members.csv'; Department = 'departments.csv'; TagUser = "tag-$($tag.TagId).csv" }
    $summary = foreach ($job in $finished) {
        $path = Join-Path $OutputDirectory $files["$($job.Kind)"]
        $started = $clock.Elapsed
        $job | Receive-WeComExport | Export-Csv -LiteralPath $path -NoTypeInformation -Encoding utf8
        [pscustomobject]@{
            Kind     = $job.Kind
            Blocks   = $job.LastResult.BlockCount
            MB       = [math]::Round($job.LastResult.TotalSize / 1MB, 1)
            Records  = (Import-Csv -LiteralPath $path | Measure-Object).Count
            Seconds  = [math]::Round(($clock.Elapsed - $started).TotalSeconds, 1)
            File     = Resolve-Path -Relative -LiteralPath $path
        }
    }
    $summary | Format-Table -AutoSize | Out-String | Write-Host
    Write-Host ("Exported {0:N0} records in {1:0.0} s (connect, start, wait, receive, CSV)." -f ($summary | Measure-Object Records -Sum).Sum, $clock.Elapsed.TotalSeconds)
    Disconnect-WeCom
}
finally {
    $emulator | Stop-WeComEmulator
}
