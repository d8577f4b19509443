# build.ps1 Bench's harness (tests/bench/Invoke-Bench.ps1) in its quick mode: a few seconds, three measures,
# so a change that breaks the harness or the JSON it writes shows in CI, not only when someone runs the hour-long bench.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepositoryRoot
    $benchDll = Get-ChildItem (Join-Path $root 'tests/WeComExport.Bench/bin') -Recurse -Filter 'WeComExport.Bench.dll' -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTime | Select-Object -Last 1
    $results = Join-Path ([IO.Path]::GetTempPath()) ('wecom-bench-test-' + [guid]::NewGuid().ToString('N'))
}

AfterAll {
    Remove-Item -LiteralPath $results -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'build.ps1 Bench harness, quick mode' {
    It 'runs floor, engine and receive on a small export and writes the JSON the report is built from' {
        $benchDll | Should -Not -BeNullOrEmpty -Because 'build.ps1 Build builds tests/WeComExport.Bench'
        $run = Invoke-FreshPwsh @"
& '$(Join-Path $root 'tests/bench/Invoke-Bench.ps1')' -ModulePath '$(Get-TestModulePath)' -EmulatorPath '$(Get-TestEmulatorPath)' ``
    -BenchDll '$($benchDll.FullName)' -Sizes 10000 -BlockSizes 10000 -Runs 1 -Measures floor, engine, receive -ResultDirectory '$results'
exit `$LASTEXITCODE
"@
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $file = @(Get-ChildItem -LiteralPath $results -Filter 'bench-*.json')
        $file.Count | Should -Be 1
        $report = Get-Content -LiteralPath $file[0].FullName -Raw | ConvertFrom-Json
        $report.machine.cores | Should -BeGreaterThan 0
        @($report.summary).Count | Should -Be 3
        foreach ($row in $report.summary) {
            $row.members | Should -Be 10000
            $row.blocks | Should -Be 1
            $row.seconds | Should -BeGreaterThan 0
            $row.peakWorkingSetMB | Should -BeGreaterThan 0
            $row.error | Should -BeNullOrEmpty
        }
        @($report.summary.measure | Sort-Object) | Should -Be @('engine', 'floor', 'receive')
        @($report.targets.target) | Should -Contain '(3) ≤ 2 × (1), 10,000 in blocks of 10,000'
        ($run.Output -join "`n") | Should -Match '\| target \| figure \| met \|'
    }
}
