# Chaos: member-detail exports of 5 blocks against an emulator that fails at random (HTTP 500,
# dropped connections, corrupted and truncated blocks, system busy, expired URLs, revoked tokens,
# slow answers). Every run must end exact or with a clear error, never silently wrong, and the
# classifier itself must catch damaged output. The runner is tests/chaos/Invoke-ChaosRun.ps1;
# docs/chaos.md says how to run it and the soak.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Runner = Join-Path (Get-RepositoryRoot) 'tests/chaos/Invoke-ChaosRun.ps1'
    $script:Paths = @{ ModulePath = Get-TestModulePath; EmulatorPath = Get-TestEmulatorPath }
}

Describe 'Chaos: 60 member-detail exports of 5 blocks with random faults' {
    BeforeAll {
        $script:Chaos = & $Runner -Runs 60 @Paths
        $script:NotExact = @($Chaos.RunDetails | Where-Object Outcome -NE 'Exact' | ForEach-Object {
                "run $($_.Run): $($_.Outcome) [$($_.ErrorIds -join ' ')] $($_.Reason) $($_.Messages -join ' | ')"
            }) -join "`n"
        $fired = @($Chaos.FaultsFired.Keys | ForEach-Object { "$_ $($Chaos.FaultsFired[$_])" }) -join ', '
        Write-Host ("chaos: {0} runs, {1} exact, {2} clear errors, {3} silent wrong, {4} s (faults fired: {5})" -f
            $Chaos.Runs, $Chaos.Exact, $Chaos.ClearErrors, $Chaos.SilentWrong, $Chaos.Duration, $fired)
        if ($NotExact) { Write-Host $NotExact }
    }

    It 'the faults did fire (the test is not passing on a quiet emulator)' {
        ($Chaos.FaultsFired.Values | Measure-Object -Sum).Sum | Should -BeGreaterThan 20
        @($Chaos.FaultsFired.Keys | Where-Object { $Chaos.FaultsFired[$_] -gt 0 }).Count | Should -BeGreaterOrEqual 6
    }

    It 'no run is silently wrong' {
        $Chaos.SilentWrong | Should -Be 0 -Because $NotExact
    }

    It 'every run that is not exact ends with a clear error' {
        $Chaos.Exact + $Chaos.ClearErrors | Should -Be $Chaos.Runs -Because $NotExact
    }

    It 'at least 95 % of the runs are exact' {
        $Chaos.Exact / $Chaos.Runs | Should -BeGreaterOrEqual 0.95 -Because $NotExact
    }
}

Describe 'The chaos classifier cannot be fooled' {
    It 'calls fault-free runs exact' {
        $clean = & $Runner -Runs 2 -Probability 0 @Paths
        $clean.Exact | Should -Be 2
        $clean.FaultMix | Should -BeNullOrEmpty
    }

    It 'calls output with <_> silently wrong' -ForEach 'DropRecord', 'DuplicateRecord', 'AlterField' {
        $damaged = & $Runner -Runs 2 -Probability 0 -Tamper $_ @Paths
        $damaged.SilentWrong | Should -Be 2
        $damaged.Exact | Should -Be 0
    }
}
