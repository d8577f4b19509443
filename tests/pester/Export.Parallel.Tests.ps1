# Many corps at once: two corps exported at the same time from ForEach-Object -Parallel, each
# runspace with its own session, must each get exactly their own corp's records.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Manifest = Join-Path (Get-TestModulePath) 'WeComExport.psd1'
    Import-Module $Manifest -Force
    # 12,000 members per corp: each detailed export is 2 blocks at BlockSize 10000, long enough to overlap.
    $script:Emulator = Start-TestEmulator -Members 12000 -Corps 2 -ExtraArguments '--job-delay', '50'
    $script:Truths = @{}
    foreach ($corp in $Emulator.Corps) {
        $Truths[$corp.corpId] = Get-EmulatorTruth $Emulator -CorpId $corp.corpId -Kind user
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
}

Describe 'Two corps exported at the same time with ForEach-Object -Parallel' {
    It 'the two corps have different directories (else this test could not tell them apart)' {
        $Emulator.Corps.Count | Should -Be 2
        $Truths[$Emulator.Corps[0].corpId].idsSha256 | Should -Not -Be $Truths[$Emulator.Corps[1].corpId].idsSha256
    }

    It 'Connect-WeCom -PassThru inside each runspace: each result equals its own corp''s truth' {
        $baseUri = $Emulator.BaseUri
        $manifest = $Manifest
        $results = $Emulator.Corps | ForEach-Object -ThrottleLimit 2 -Parallel {
            $corp = $_
            Import-Module $using:manifest
            $session = Connect-WeCom -CorpId $corp.corpId -Secret (ConvertTo-SecureString $corp.secret -AsPlainText -Force) -ApiBaseUri $using:baseUri -PassThru
            # No -Session below: each runspace's current session must be its own.
            $records = @(Start-WeComUserExport -Detailed -BlockSize 10000 | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport)
            [pscustomobject]@{
                CorpId        = $corp.corpId
                CurrentCorpId = (Get-WeComSession).CorpId
                SessionId     = $session.Id
                Records       = $records
                Errors        = @($Error)
            }
            Disconnect-WeCom
        }

        $results.Count | Should -Be 2
        $results.CorpId | Sort-Object | Should -Be ($Emulator.Corps.corpId | Sort-Object)
        $results[0].SessionId | Should -Not -Be $results[1].SessionId
        foreach ($result in $results) {
            $result.Errors | Should -BeNullOrEmpty
            $result.CurrentCorpId | Should -Be $result.CorpId
            $truth = $Truths[$result.CorpId]
            $summary = Get-ExportSummary -Records $result.Records
            $summary.Count | Should -Be $truth.count
            $summary.UniqueCount | Should -Be $truth.count
            $summary.IdsSha256 | Should -Be $truth.idsSha256
        }
    }

    It 'sessions made here and passed in with -Session: each result equals its own corp''s truth' {
        $sessions = @{}
        foreach ($i in 0, 1) { $sessions[$Emulator.Corps[$i].corpId] = Connect-TestCorp $Emulator -Index $i }
        try {
            $results = $Emulator.Corps.corpId | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:Manifest
                $session = ($using:sessions)[$_]
                $job = Start-WeComUserExport -Session $session -BlockSize 10000
                $records = @($job | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport)
                [pscustomobject]@{ CorpId = $_; JobCorpId = $job.CorpId; Records = $records; Errors = @($Error) }
            }
            $results.Count | Should -Be 2
            foreach ($result in $results) {
                $result.Errors | Should -BeNullOrEmpty
                $result.JobCorpId | Should -Be $result.CorpId
                $truth = Get-EmulatorTruth $Emulator -CorpId $result.CorpId -Kind simple_user
                $summary = Get-ExportSummary -Records $result.Records
                $summary.Count | Should -Be $truth.count
                $summary.IdsSha256 | Should -Be $truth.idsSha256
            }
        }
        finally {
            $sessions.Values | ForEach-Object { Disconnect-WeCom -Session $_ }
        }
    }
}
