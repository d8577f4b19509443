#Requires -Version 7.2
<#
.SYNOPSIS
    The one entry point for building, testing and demonstrating WeComExport.
.DESCRIPTION
    Build  compiles every project and lays out the shippable module folder out/WeComExport/
           (manifest, dlls, format and help files - MAML built from docs/help by tools/New-MamlHelp.ps1 -, LICENSE, CHANGELOG.md) plus the emulator in out/emulator/.
           The version is the manifest's ModuleVersion (Directory.Build.props reads it for the dlls);
           the published manifest's ReleaseNotes become that version's CHANGELOG.md section.
    Package  builds, then packs out/WeComExport into out/WeComExport.<version>.nupkg for a PowerShell
           repository (Compress-PSResource; install with Register-PSResourceRepository + Install-PSResource).
    Test   builds and packages, runs the xunit suite, then Pester against the published module in a fresh pwsh;
           prints one "N passed, N failed, N skipped" line per suite and a total, and exits
           non-zero on any failure or when no test ran.
    Demo   the main job against the local emulator.
    Soak   builds, then runs the chaos runner (tests/chaos/Invoke-ChaosRun.ps1) for -Runs member-detail
           exports against a faulty emulator; prints "soak: N runs, E exact, C clear errors, S silent wrong, X s"
           and exits non-zero when any run is silently wrong or fewer than 95 % are exact (docs/chaos.md).
    Bench  builds, then runs the performance harness (tests/bench/Invoke-Bench.ps1, issue 11) in a fresh pwsh: for
           -BenchSizes member details in blocks of -BenchBlockSizes, the transport floor, the engine, Receive into
           Measure-Object and Export-Csv, Export-WeComDirectory and a hand-written script, each in its own process,
           medians of -BenchRuns runs, and the issue's target ratios. Writes out/bench/bench-<date>.json; a run at the
           default sizes also regenerates the marked section of docs/performance.md. Takes about 15 minutes at the
           default sizes (2 cores); `-BenchSizes 20000 -BenchRuns 1` checks the harness in about a minute and a half.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Soak -Runs 1000
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench -BenchSizes 20000 -BenchRuns 1
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Soak', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Soak only: how many chaos runs.
    [ValidateRange(1, 1000000)]
    [int] $Runs = 500,

    # Bench only: member counts, block sizes (records per block) and runs per measure (medians).
    [ValidateRange(1, 10000000)]
    [int[]] $BenchSizes = @(100000, 1000000),

    [ValidateRange(10000, 1000000)]
    [int[]] $BenchBlockSizes = @(1000000, 10000),

    [ValidateRange(1, 100)]
    [int] $BenchRuns = 3
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'WeComExport'
$EmulatorDir = Join-Path $Out 'emulator'
$ResultsDir = Join-Path $Out 'test-results'
$PesterVersion = '5.7.1'

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $FilePath, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Invoke-Native dotnet build (Join-Path $Root 'WeComExport.sln') --configuration $Configuration --nologo --verbosity quiet
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    Invoke-Native dotnet publish (Join-Path $Root 'src/WeComExport/WeComExport.csproj') --configuration $Configuration --no-build --nologo --verbosity quiet --output $ModuleDir
    # Only what a user's session should load ships: the reference System.Management.Automation
    # must never ship (it would shadow the real one); symbols, deps and XML doc files are build leftovers.
    Get-ChildItem $ModuleDir -File | Where-Object {
        $_.Name -eq 'System.Management.Automation.dll' -or $_.Extension -in '.pdb', '.json', '.xml'
    } | Remove-Item -Force
    if (Test-Path $EmulatorDir) { Remove-Item $EmulatorDir -Recurse -Force }
    Copy-Item (Join-Path $Root 'LICENSE'), (Join-Path $Root 'CHANGELOG.md') -Destination $ModuleDir
    Set-PublishedReleaseNotes
    # MAML help from docs/help/*.md and the built cmdlets' own metadata; in a fresh pwsh, so this process never
    # loads the module (it could not load a rebuilt dll again). Fails the build on a stale help source.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/New-MamlHelp.ps1') `
        -SourcePath (Join-Path $Root 'docs/help') -ModulePath $ModuleDir -OutputPath (Join-Path $ModuleDir 'en-US/WeComExport.dll-Help.xml')
    if ($LASTEXITCODE -ne 0) { throw "tools/New-MamlHelp.ps1 failed (exit code $LASTEXITCODE): the help sources in docs/help do not match the module." }
    Invoke-Native dotnet publish (Join-Path $Root 'src/WeComExport.Emulator/WeComExport.Emulator.csproj') --configuration $Configuration --no-build --nologo --verbosity quiet --output $EmulatorDir
    Write-Host "module: $ModuleDir"
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile (Join-Path $Root 'WeComExport.psd1')).ModuleVersion
}

function Set-PublishedReleaseNotes {
    # The release notes are written once, in CHANGELOG.md: the published manifest gets this version's
    # section (without its heading). A version without a section fails the build, so no release ships
    # without its notes.
    $version = Get-ModuleVersion
    $changelog = Get-Content -LiteralPath (Join-Path $Root 'CHANGELOG.md') -Raw
    $match = [regex]::Match($changelog, '(?ms)^## \[' + [regex]::Escape($version) + '\][^\n]*\n(.*?)(?=^## |\z)')
    if (-not $match.Success -or -not $match.Groups[1].Value.Trim()) { throw "CHANGELOG.md has no section '## [$version]' for the manifest's ModuleVersion." }
    $notes = $match.Groups[1].Value.Trim() -replace "`r", '' -replace "'", "''"
    $manifest = Join-Path $ModuleDir 'WeComExport.psd1'
    $text = Get-Content -LiteralPath $manifest -Raw
    $placeholder = "ReleaseNotes = 'See CHANGELOG.md in the module folder.'"
    if (-not $text.Contains($placeholder)) { throw "The manifest has no line $placeholder for the build to fill in." }
    Set-Content -LiteralPath $manifest -Value $text.Replace($placeholder, "ReleaseNotes = '$notes'") -Encoding utf8BOM -NoNewline
}

function Invoke-PackageStep {
    # Packs the module folder as it was just built; the package carries exactly what the folder holds.
    Get-ChildItem $Out -Filter 'WeComExport.*.nupkg' -File | Remove-Item -Force
    $null = Compress-PSResource -Path $ModuleDir -DestinationPath $Out
    $package = Join-Path $Out "WeComExport.$(Get-ModuleVersion).nupkg"
    if (-not (Test-Path -LiteralPath $package)) { throw "Compress-PSResource did not write $package." }
    Write-Host "package: $package"
    $package
}

function Get-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function Format-Counts {
    param([string] $Suite, $Counts)
    "{0}: {1} passed, {2} failed, {3} skipped" -f $Suite, $Counts.Passed, $Counts.Failed, $Counts.Skipped
}

function Invoke-TestTask {
    Invoke-BuildTask
    # Packed before the tests (a few seconds), so Pester can install it as a user would (Package.Tests.ps1).
    $package = Invoke-PackageStep
    if (Test-Path $ResultsDir) { Remove-Item $ResultsDir -Recurse -Force }
    $null = New-Item -ItemType Directory $ResultsDir

    $suites = [ordered]@{}

    # xunit: dotnet test's own exit code says pass/fail; the TRX file gives the counts.
    & dotnet test (Join-Path $Root 'tests/WeComExport.Tests/WeComExport.Tests.csproj') --configuration $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $ResultsDir `
        --blame-hang-timeout 10m --blame-hang-dump-type none
    $xunitExit = $LASTEXITCODE
    $trx = Join-Path $ResultsDir 'xunit.trx'
    $suites.xunit = if (Test-Path $trx) { Get-TrxCounts $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($xunitExit -ne 0 -and $suites.xunit.Failed -eq 0) { $suites.xunit.Failed = 1 }

    # Pester: restored from NuGet, run in a fresh pwsh so it loads the freshly published dlls.
    Invoke-Native dotnet restore (Join-Path $Root 'tests/pester/PesterRestore.proj') --nologo --verbosity quiet
    $pesterPsd1 = Join-Path $Root ".packages/pester/$PesterVersion/tools/Pester.psd1"
    $pesterResult = Join-Path $ResultsDir 'pester.json'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1') `
        -PesterPath $pesterPsd1 -ModulePath $ModuleDir -EmulatorPath $EmulatorDir -PackagePath $package -ResultPath $pesterResult
    $pesterExit = $LASTEXITCODE
    $suites.pester = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    if (Test-Path $pesterResult) {
        $counts = Get-Content $pesterResult -Raw | ConvertFrom-Json
        $suites.pester = [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Skipped = [int]$counts.Skipped }
    }
    if ($pesterExit -ne 0 -and $suites.pester.Failed -eq 0) { $suites.pester.Failed = 1 }

    $total = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($name in $suites.Keys) {
        Write-Host (Format-Counts $name $suites[$name])
        $total.Passed += $suites[$name].Passed
        $total.Failed += $suites[$name].Failed
        $total.Skipped += $suites[$name].Skipped
    }
    Write-Host (Format-Counts 'total' $total)
    $emptySuite = @($suites.Values | Where-Object { $_.Passed + $_.Failed -eq 0 })
    if ($total.Failed -gt 0 -or $emptySuite.Count -gt 0) {
        if ($emptySuite.Count -gt 0) { Write-Host 'A suite ran no tests.' }
        exit 1
    }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'examples/Demo.ps1') -ModulePath $ModuleDir -EmulatorPath $EmulatorDir -OutputDirectory (Join-Path $Out 'demo')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-SoakTask {
    Invoke-BuildTask
    $resultPath = Join-Path $Out 'soak.json'
    if (Test-Path $resultPath) { Remove-Item $resultPath -Force }
    # A fresh pwsh, as for Pester: it loads the freshly published dlls.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/chaos/Invoke-ChaosRun.ps1') `
        -Runs $Runs -ModulePath $ModuleDir -EmulatorPath $EmulatorDir -ResultPath $resultPath | Out-Null
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $resultPath)) {
        Write-Host 'soak: the chaos runner failed.'
        exit 1
    }
    $soak = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
    Write-Host ('soak: {0} runs, {1} exact, {2} clear errors, {3} silent wrong, {4:0} s' -f $soak.Runs, $soak.Exact, $soak.ClearErrors, $soak.SilentWrong, $soak.Duration)
    foreach ($histogram in 'ErrorIds', 'SilentWrongReasons', 'FaultsFired') {
        $pairs = @($soak.$histogram.PSObject.Properties | ForEach-Object { '{0} {1}' -f $_.Name, $_.Value })
        if ($pairs) { Write-Host ('  {0}: {1}' -f $histogram, ($pairs -join ', ')) }
    }
    Write-Host "  details: $resultPath"
    if ($soak.SilentWrong -gt 0 -or $soak.Exact -lt 0.95 * $soak.Runs) { exit 1 }
}

function Invoke-BenchTask {
    Invoke-BuildTask
    function Quote([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }
    $benchDll = Join-Path $Root "tests/WeComExport.Bench/bin/$Configuration/net10.0/WeComExport.Bench.dll"
    $command = "& {0} -ModulePath {1} -EmulatorPath {2} -BenchDll {3} -Sizes {4} -BlockSizes {5} -Runs {6} -ResultDirectory {7}" -f `
        (Quote (Join-Path $Root 'tests/bench/Invoke-Bench.ps1')), (Quote $ModuleDir), (Quote $EmulatorDir), (Quote $benchDll),
        ($BenchSizes -join ','), ($BenchBlockSizes -join ','), $BenchRuns, (Quote (Join-Path $Out 'bench'))
    # Only a run at the issue's sizes rewrites the published figures; a quick run leaves docs/performance.md alone.
    if (-not (Compare-Object @(100000, 1000000) $BenchSizes) -and -not (Compare-Object @(1000000, 10000) $BenchBlockSizes)) {
        $command += ' -DocPath ' + (Quote (Join-Path $Root 'docs/performance.md'))
    }
    # A fresh pwsh (-Command: the sizes are arrays): the harness's children load the freshly published dlls.
    & dotnet pwsh -NoProfile -NonInteractive -Command "$command; exit `$LASTEXITCODE"
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-BuildTask }
        'Package' { Invoke-BuildTask; $null = Invoke-PackageStep }
        'Test' { Invoke-TestTask }
        'Demo' { Invoke-DemoTask }
        'Soak' { Invoke-SoakTask }
        'Bench' { Invoke-BenchTask }
    }
}
finally {
    Pop-Location
}
