<#
.SYNOPSIS
    The main job against the local emulator (build.ps1 Demo runs it): a corp of 100,000 members.
    Part 1: Connect → Start (member details, departments, one tag) → Wait → Receive | Export-Csv.
    Part 2: the nightly snapshot (Export-WeComDirectory), a change in the directory, tonight's snapshot,
    and Compare-WeComExport: who joined, who left, who moved.
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

    # Part 2: the nightly job. Yesterday's snapshot, a day of changes, tonight's snapshot, the difference.
    $snapshots = Join-Path $OutputDirectory 'snapshots'
    $yesterday = Join-Path $snapshots 'yesterday'
    $today = Join-Path $snapshots 'today'
    Write-Host "Snapshot of the directory (member details, departments, every tag, JSON and Excel-ready CSV)..."
    Export-WeComDirectory -Path $yesterday -Detailed -AllTags -Format Json, Csv -Timeout 600 | Format-Table -AutoSize | Out-String | Write-Host

    $made = @(Update-WeComEmulatorDirectory $emulator -Random @{ seed = 2026; addMembers = 12; removeMembers = 7; editMembers = 20; moveMembers = 9; renameDepartments = 3; addDepartments = 2 })
    Write-Host "A day passes in the emulator: $($made.Count) records changed. Tonight's snapshot..."
    Export-WeComDirectory -Path $today -Detailed -AllTags -Format Json, Csv -Timeout 600 | Format-Table -AutoSize | Out-String | Write-Host

    $compareClock = [Diagnostics.Stopwatch]::StartNew()
    $changes = @(Compare-WeComExport -ReferencePath $yesterday -DifferencePath $today)
    $changesFile = Join-Path $snapshots 'changes.csv'
    $changes | Select-Object ChangeType, Kind, Id, Name, @{ n = 'ChangedProperties'; e = { "$($_.ChangedProperties)" } } |
        Export-Csv -LiteralPath $changesFile -NoTypeInformation -Encoding utf8BOM
    $changes | Group-Object Kind, ChangeType | Sort-Object Name | Select-Object Count, Name | Format-Table -AutoSize | Out-String | Write-Host
    $changes | Where-Object Kind -eq 'User' | Group-Object ChangeType | ForEach-Object { $_.Group | Select-Object -First 3 } | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
    Write-Host ("Compared the two snapshots in {0:0.0} s: {1} changes (the emulator made {2}), written to {3}." -f $compareClock.Elapsed.TotalSeconds, $changes.Count, $made.Count, (Resolve-Path -Relative -LiteralPath $changesFile))
    if ($changes.Count -ne $made.Count) { throw "The compare found $($changes.Count) changes, but the emulator made $($made.Count)." }
    Disconnect-WeCom
}
finally {
    $emulator | Stop-WeComEmulator
}
