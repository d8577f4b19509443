# What goes wrong, end to end against the real emulator: parameter checks that fire before any
# request, every errcode the emulator produces, transient faults that must be absorbed (and the same
# faults past the retry limit, which must surface), failed and slow jobs, damaged downloads and
# tokens that die mid-export. Each error is checked for its ErrorId AND its category, and for the
# pipeline going on with the other items.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    # Every error this file makes is checked against the catalogue at the end ($Error keeps them all).
    $script:ErrorMark = Get-ErrorMark
    $script:Emulator = Start-TestEmulator -Members 2000 -ExtraArguments '--job-delay', '50'
    $script:Corp = $Emulator.Corps[0]
    $script:Session = Connect-TestCorp $Emulator
    # The retry count stays the module's own; only the wait between retries shrinks, to keep the suite fast.
    $Session.RetryPolicy.BaseDelay = [TimeSpan]::FromMilliseconds(20)
    $Session.RetryPolicy.FrequencyLimitDelay = [TimeSpan]::FromMilliseconds(20)
    $script:MaxRetries = $Session.RetryPolicy.MaxRetries

    function Receive-Completely {
        <# Start (given), wait and receive one export; returns the records. #>
        param([Parameter(Mandatory, ValueFromPipeline)] $Job)
        process { $Job | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop | Receive-WeComExport -ErrorAction Stop }
    }

    function Assert-MatchesTruth {
        param([object[]] $Records, [string] $Kind, [long] $TagId)
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind $Kind -TagId $TagId
        $summary = Get-ExportSummary -Records @($Records)
        $summary.Count | Should -Be $truth.count
        $summary.UniqueCount | Should -Be $truth.count
        $summary.IdsSha256 | Should -Be $truth.idsSha256
    }

    function New-HostlessPowerShell {
        <# A new runspace in this process, without a host (so a missing mandatory parameter is an error, not a prompt) and without a current session. #>
        $ps = [powershell]::Create()
        $null = $ps.AddCommand('Import-Module').AddArgument((Join-Path (Get-TestModulePath) 'WeComExport.psd1')).Invoke()
        $ps.Commands.Clear()
        $ps
    }
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
}

Describe 'Parameter checks fail before any request is sent' {
    BeforeEach { Clear-EmulatorState $Emulator }
    AfterEach { Get-EmulatorRequestCount $Emulator | Should -Be 0 -Because 'nothing may reach WeCom' }

    It '-BlockSize <Size> is refused, naming the bound <Bound>' -ForEach @(@{ Size = 9999; Bound = 10000 }, @{ Size = 1000001; Bound = 1000000 }) {
        $e = { Start-WeComUserExport -Session $Session -BlockSize $Size } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -PassThru
        $e.Exception.Message | Should -Match 'BlockSize'
        $e.Exception.Message | Should -Match "\b$Bound\b"
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It '-EncodingAesKey <Why> is refused with WeComInvalidEncodingAesKey, without echoing the key' -ForEach @(
        @{ Why = 'of 42 characters'; Key = 'IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg'; Says = '43' }
        @{ Why = 'of 44 characters'; Key = 'IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg22'; Says = '43' }
        @{ Why = 'with + and /'; Key = 'IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9w+/2'; Says = 'a-z, A-Z and 0-9' }
        @{ Why = 'with a non-ASCII letter'; Key = 'IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfgé'; Says = 'a-z, A-Z and 0-9' }
    ) {
        $secure = ConvertTo-SecureString $Key -AsPlainText -Force
        $e = { Start-WeComDepartmentExport -Session $Session -EncodingAesKey $secure } | Should -Throw -ErrorId 'WeComInvalidEncodingAesKey,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match ([regex]::Escape($Says))
        ($e | Out-String) + $e.ErrorDetails | Should -Not -Match ([regex]::Escape($Key))
    }

    It 'a bad key is refused by Receive-WeComExport too' {
        $secure = ConvertTo-SecureString 'short' -AsPlainText -Force
        { Receive-WeComExport -JobId 'jobid_whatever' -EncodingAesKey $secure -Session $Session } | Should -Throw -ErrorId 'WeComInvalidEncodingAesKey,*'
    }

    It '-TagId <TagId> is refused' -ForEach @(@{ TagId = 0 }, @{ TagId = -5 }) {
        $e = { Start-WeComTagUserExport -TagId $TagId -Session $Session } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -PassThru
        $e.Exception.Message | Should -Match 'TagId'
    }

    It 'Connect-WeCom refuses plain http:// to a non-loopback address <Uri>' -ForEach @(
        @{ Uri = 'http://qyapi.weixin.qq.com' }
        @{ Uri = 'http://192.0.2.10:8080' }
    ) {
        $secret = ConvertTo-SecureString $Corp.secret -AsPlainText -Force
        $e = { Connect-WeCom -CorpId $Corp.corpId -Secret $secret -ApiBaseUri $Uri } | Should -Throw -ErrorId 'WeComInvalidApiBaseUri,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'HTTPS'
    }

    It 'a job known only by id without -EncodingAesKey is WeComEncodingAesKeyRequired before any request, also from the pipeline' {
        Clear-EmulatorState $Emulator
        $problems = @()
        $null = Receive-WeComExport -JobId 'jobid_whatever' -Session $Session -ErrorVariable +problems -ErrorAction SilentlyContinue
        # What a notification, or a job read back with Import-Clixml, brings: properties that bind by name.
        $null = [pscustomobject]@{ JobId = 'jobid_whatever'; ExportKind = 'User' } | Receive-WeComExport -Session $Session -ErrorVariable +problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 2
        foreach ($problem in $problems) {
            $problem.FullyQualifiedErrorId | Should -BeLike 'WeComEncodingAesKeyRequired,*'
            $problem.ErrorDetails.RecommendedAction | Should -Match '-EncodingAesKey'
        }
        Get-EmulatorRequestCount $Emulator | Should -Be 0
    }

    It 'a job object that carries no key gives WeComEncodingAesKeyRequired' {
        $job = [WeComExport.Export.WeComExportJob]::new('jobid_withoutkey', [WeComExport.Export.ExportKind]::SimpleUser, $Corp.corpId)
        $records = @($job | Receive-WeComExport -Session $Session -ErrorVariable problems -ErrorAction SilentlyContinue)
        $records.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComEncodingAesKeyRequired,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].Exception.Message | Should -Match 'jobid_withoutkey'
    }

    It 'a disconnected session is WeComSessionDisconnected (ConnectionError)' {
        $closed = Connect-TestCorp $Emulator
        Disconnect-WeCom -Session $closed
        $null = Invoke-EmulatorControl $Emulator DELETE requests
        $e = { Start-WeComUserExport -Session $closed } | Should -Throw -ErrorId 'WeComSessionDisconnected,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        # Connect-TestCorp made it current; the file's own session goes on working.
        Get-WeComSession | Should -BeNullOrEmpty
    }

    It '-FromEnvironment without the variables is WeComEnvironmentIncomplete (InvalidArgument)' {
        $saved = $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET
        $env:WECOM_CORP_ID = $env:WECOM_CORP_SECRET = $null
        try {
            $e = { Connect-WeCom -FromEnvironment } | Should -Throw -ErrorId 'WeComEnvironmentIncomplete,*' -PassThru
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.Exception.Message | Should -Match 'WECOM_CORP_SECRET'
        }
        finally { $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET = $saved }
    }

    It 'without a session, cmdlets say WeComNotConnected' {
        $ps = New-HostlessPowerShell
        try {
            $null = $ps.AddCommand('Start-WeComUserExport')
            $e = { $ps.Invoke() } | Should -Throw -PassThru
            $e.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId | Should -BeLike 'WeComNotConnected,*'
            $e.Exception.InnerException.ErrorRecord.CategoryInfo.Category | Should -Be 'ConnectionError'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'WeCom errcodes become error records' {
    BeforeEach { Clear-EmulatorState $Emulator }

    It 'a bad CorpID on Connect is WeCom.40013 (AuthenticationError)' {
        $secret = ConvertTo-SecureString $Corp.secret -AsPlainText -Force
        $e = { Connect-WeCom -CorpId 'wwnotacorp0000000' -Secret $secret -ApiBaseUri $Emulator.BaseUri } | Should -Throw -ErrorId 'WeCom.40013,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $e.Exception.ErrCode | Should -Be 40013
        "$e $($e.ErrorDetails)" | Should -Not -Match ([regex]::Escape($Corp.secret))
    }

    It 'a bad secret on Connect is WeCom.40001 (AuthenticationError), and the secret is not echoed' {
        $wrong = 'WrongSecret-' + [guid]::NewGuid().ToString('N')
        $e = { Connect-WeCom -CorpId $Corp.corpId -Secret (ConvertTo-SecureString $wrong -AsPlainText -Force) -ApiBaseUri $Emulator.BaseUri } |
            Should -Throw -ErrorId 'WeCom.40001,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($e | Format-List * -Force | Out-String) + $e.ErrorDetails.RecommendedAction | Should -Not -Match ([regex]::Escape($wrong))
    }

    It 'an unknown tag is WeCom.40068 (ObjectNotFound) for that tag only; the next tag still starts' {
        $jobs = @(999, 1 | Start-WeComTagUserExport -Session $Session -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeCom.40068,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 999
        $jobs.Count | Should -Be 1
        $jobs[0].TagId | Should -Be 1
        Assert-MatchesTruth -Records ($jobs | Receive-Completely) -Kind taguser -TagId 1
    }

    It 'an unknown job id is WeCom.40088 (ObjectNotFound) from <Command>' -ForEach @(
        @{ Command = 'Get-WeComExportResult'; Extra = @{} }
        @{ Command = 'Wait-WeComExport'; Extra = @{ PollInterval = 0.1 } }
        @{ Command = 'Receive-WeComExport'; Extra = @{ EncodingAesKey = 'generate' } }
    ) {
        if ($Extra.EncodingAesKey) { $Extra.EncodingAesKey = New-WeComEncodingAesKey }
        $output = @(& $Command -JobId 'jobid_doesnotexist' -Session $Session @Extra -ErrorVariable problems -ErrorAction SilentlyContinue)
        $output.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeCom.40088,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($problems[0].TargetObject)" | Should -Be 'jobid_doesnotexist'
    }

    It 'Wait-WeComExport reports the unknown job and still returns the good one' {
        $good = Start-WeComDepartmentExport -Session $Session
        $done = @('jobid_doesnotexist', $good.JobId | Wait-WeComExport -Session $Session -PollInterval 0.1 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeCom.40088,*'
        $done.JobId | Should -Be $good.JobId
    }
}

Describe 'Transient errors: bursts within the retry limit are absorbed' {
    BeforeEach { Clear-EmulatorState $Emulator }

    It '<Kind> x MaxRetries on get_result and on the start call: the export is still complete' -ForEach @(
        @{ Kind = 'system-busy' }, @{ Kind = 'frequency-limit' }, @{ Kind = 'concurrency-limit' }
    ) {
        $null = Add-EmulatorFault $Emulator $Kind -Count $MaxRetries -Path '/cgi-bin/export/simple_user'
        $null = Add-EmulatorFault $Emulator $Kind -Count $MaxRetries -Path '/cgi-bin/export/get_result'
        $records = Start-WeComUserExport -Session $Session -ErrorAction Stop | Receive-Completely
        Assert-MatchesTruth -Records $records -Kind simple_user
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/simple_user' | Should -Be ($MaxRetries + 1)
        (Invoke-EmulatorControl $Emulator GET faults).faults | Should -BeNullOrEmpty -Because 'every injected error was met and retried'
    }

    It 'HTTP 500 on the start, on get_result and on the download is absorbed' {
        # A start changes nothing in the directory: resending it at worst makes a second, unread job.
        $null = Add-EmulatorFault $Emulator 'http-500' -Count 2 -Path '/cgi-bin/export/department'
        $null = Add-EmulatorFault $Emulator 'http-500' -Count 2 -Path '/cgi-bin/export/get_result'
        $null = Add-EmulatorFault $Emulator 'http-500' -Count 2 -Path '/downloadobject'
        $records = Start-WeComDepartmentExport -Session $Session -ErrorAction Stop | Receive-Completely
        Assert-MatchesTruth -Records $records -Kind department
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/department' | Should -Be 3
        Get-EmulatorRequestCount $Emulator -Path '/downloadobject' | Should -Be 3
    }

    It 'a block that arrives <Fault> once is downloaded again; the records are complete and correct' -ForEach @(
        @{ Fault = 'corrupt-byte' }, @{ Fault = 'truncate' }, @{ Fault = 'drop-connection' }
    ) {
        $job = Start-WeComUserExport -Detailed -Session $Session | Wait-WeComExport -PollInterval 0.1
        $null = Add-EmulatorFault $Emulator $Fault -Count 1 -Path '/downloadobject'
        $records = @($job | Receive-WeComExport -ErrorAction Stop)
        Assert-MatchesTruth -Records $records -Kind user
        Get-EmulatorRequestCount $Emulator -Path '/downloadobject' | Should -Be ($job.LastResult.BlockCount + 1)
    }

    It 'a token revoked between Start and Receive is refreshed once, transparently' {
        $job = Start-WeComUserExport -Session $Session | Wait-WeComExport -PollInterval 0.1
        $null = Add-EmulatorFault $Emulator 'revoke-token' -Count 1
        $records = @($job | Receive-WeComExport -ErrorAction Stop)
        Assert-MatchesTruth -Records $records -Kind simple_user
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/gettoken' | Should -Be 1
    }
}

Describe 'Transient errors past the retry limit surface' {
    BeforeEach { Clear-EmulatorState $Emulator }

    It '<Kind> x (MaxRetries + 1) is <ErrorId> (<Category>) for that tag; the next tag still starts' -ForEach @(
        @{ Kind = 'system-busy'; ErrorId = 'WeCom.-1'; Category = 'ResourceBusy' }
        @{ Kind = 'frequency-limit'; ErrorId = 'WeCom.45009'; Category = 'LimitsExceeded' }
        @{ Kind = 'concurrency-limit'; ErrorId = 'WeCom.45033'; Category = 'LimitsExceeded' }
    ) {
        $null = Add-EmulatorFault $Emulator $Kind -Count ($MaxRetries + 1) -Path '/cgi-bin/export/taguser'
        $jobs = @(1, 2 | Start-WeComTagUserExport -Session $Session -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $problems[0].CategoryInfo.Category | Should -Be $Category
        $problems[0].TargetObject | Should -Be 1
        $jobs.TagId | Should -Be 2
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/taguser' | Should -Be ($MaxRetries + 2)
    }

    It 'HTTP 500 x (MaxRetries + 1) on a start is WeComHttpError (ConnectionError), after MaxRetries resends' {
        $null = Add-EmulatorFault $Emulator 'http-500' -Count ($MaxRetries + 1) -Path '/cgi-bin/export/department'
        $before = Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/department'
        $output = @(Start-WeComDepartmentExport -Session $Session -ErrorVariable problems -ErrorAction SilentlyContinue)
        $output.Count | Should -Be 0
        (Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/department') - $before | Should -Be ($MaxRetries + 1)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComHttpError,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'a block corrupted on every download is an InvalidData error, and no record of it is emitted' {
        $job = Start-WeComUserExport -Session $Session | Wait-WeComExport -PollInterval 0.1
        $null = Add-EmulatorFault $Emulator 'corrupt-byte' -Count ($MaxRetries + 1) -Path '/downloadobject'
        $records = @($job | Receive-WeComExport -ErrorVariable problems -ErrorAction SilentlyContinue)
        $records.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].Exception.Message | Should -Match 'MD5'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'an expired download URL is renewed from get_result and the export is complete' {
        $job = Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1
        $null = Add-EmulatorFault $Emulator 'expire-url' -Count 1 -Path '/downloadobject'
        $before = Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/get_result'
        $records = @($job | Receive-WeComExport -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 0
        # One get_result to start the receive, one more for the fresh URL.
        (Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/get_result') - $before | Should -Be 2
        Assert-MatchesTruth -Records $records -Kind department
    }

    It 'an error page answered 200 in place of a block is a refused link: fresh URLs from get_result, and the export is complete' {
        $job = Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1
        $null = Add-EmulatorFault $Emulator 'error-page' -Count 1 -Path '/downloadobject'
        $before = Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/get_result'
        $records = @($job | Receive-WeComExport -ErrorVariable problems -ErrorAction SilentlyContinue -Verbose 4>&1)
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $problems.Count | Should -Be 0
        (Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/get_result') - $before | Should -Be 2
        ($verbose.Message -join "`n") | Should -Match ([regex]::Escape("answered HTTP 200 with a JSON error (errcode -1: 'download url expired')"))
        Assert-MatchesTruth -Records @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) -Kind department
    }

    It 'a download URL refused even when fresh is WeComDownloadRefused (PermissionDenied) that says 403, and the next job is still received' {
        $expired = Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1
        $fine = Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1
        # The first try and each of the 3 renewals are refused.
        $null = Add-EmulatorFault $Emulator 'expire-url' -Count 4 -Path '/downloadobject'
        $records = @($expired, $fine | Receive-WeComExport -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComDownloadRefused,*'
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problems[0].Exception.Message | Should -Match '403'
        # One next step, not the network advice of a connection that failed.
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'Start the export again'
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -Match 'proxy, firewall'
        "$($problems[0].TargetObject)" | Should -Be $expired.JobId
        Assert-MatchesTruth -Records $records -Kind department
    }
}

Describe 'Failed jobs' {
    BeforeEach { Clear-EmulatorState $Emulator }

    It 'a result piped into Receive is WeComEncodingAesKeyRequired saying only the job object holds the key' {
        $job = Start-WeComDepartmentExport -Session $Session
        $problems = @()
        $null = $job | Wait-WeComExport -PollInterval 0.1 | Get-WeComExportResult | Receive-WeComExport -Session $Session -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComEncodingAesKeyRequired,*'
        $problems[0].Exception.Message | Should -Match 'Only the job object a Start cmdlet writes holds the key; a job id, a result'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'pipe the job object'
        @($job | Receive-WeComExport).Count | Should -BeGreaterThan 0
    }

    It 'a job that ends in status 3 is WeComExportFailed (InvalidResult) from Wait; the other job completes' {
        $null = Add-EmulatorFault $Emulator 'fail-job' -Count 1 -Path '/cgi-bin/export/simple_user'
        $failed = Start-WeComUserExport -Session $Session
        $fine = Start-WeComDepartmentExport -Session $Session
        $done = @($failed, $fine | Wait-WeComExport -PollInterval 0.1 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComExportFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        "$($problems[0].TargetObject)" | Should -Be $failed.JobId
        $done.JobId | Should -Be $fine.JobId
        Assert-MatchesTruth -Records ($done | Receive-WeComExport -ErrorAction Stop) -Kind department
    }

    It 'Receive of a failed job is WeComExportFailed too' {
        $null = Add-EmulatorFault $Emulator 'fail-job' -Count 1
        $failed = Start-WeComDepartmentExport -Session $Session
        $null = $failed | Wait-WeComExport -PollInterval 0.1 -ErrorAction SilentlyContinue
        $records = @($failed | Receive-WeComExport -ErrorVariable problems -ErrorAction SilentlyContinue)
        $records.Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComExportFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidResult'
    }
}

Describe 'Slow jobs and short-lived tokens' {
    BeforeAll {
        # Jobs stay 4 s in status 0 and tokens live 2 s: every export outlives the token it started with.
        $script:Slow = Start-TestEmulator -Members 500 -ExtraArguments '--job-delay', '4000', '--token-lifetime', '2'
        $script:SlowSession = Connect-TestCorp $Slow
    }
    AfterAll {
        if ($script:SlowSession) { Disconnect-WeCom -Session $script:SlowSession }
        Stop-TestEmulator $script:Slow
    }

    It 'Wait -Timeout 1 on a slow job is WeComExportTimeout (OperationTimeout), while a finished job in the same pipeline completes' {
        $finished = Start-WeComDepartmentExport -Session $SlowSession | Wait-WeComExport -PollInterval 0.2 -ErrorAction Stop
        $slowJob = Start-WeComDepartmentExport -Session $SlowSession
        $done = @($slowJob, $finished | Wait-WeComExport -Timeout 1 -PollInterval 0.2 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComExportTimeout,*'
        $problems[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        "$($problems[0].TargetObject)" | Should -Be $slowJob.JobId
        $done.JobId | Should -Be $finished.JobId
    }

    It 'Wait -Timeout ends by the timeout even while a get_result call is still unanswered' {
        $job = Start-WeComDepartmentExport -Session $SlowSession
        $null = Add-EmulatorFault $Slow 'slow' -Count 5 -Path '/cgi-bin/export/get_result' -DelayMs 20000
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $e = { $job | Wait-WeComExport -Timeout 2 -PollInterval 0.2 -ErrorAction Stop } | Should -Throw -ErrorId 'WeComExportTimeout,*' -PassThru
        $clock.Stop()
        $e.Exception.Message | Should -Match 'had not answered'
        # The call alone would take 20 s; a poll is given at least 10 s.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 16
        $null = Invoke-EmulatorControl $Slow DELETE faults
    }

    It 'a timeout that passes while a failed get_result waits to be retried says what failed; a huge -Timeout is accepted' {
        $job = Start-WeComDepartmentExport -Session $SlowSession
        # 45009 is retried after a minute: the timeout (and the poll's 10 s) passes first.
        $null = Add-EmulatorFault $Slow 'frequency-limit' -Count 1 -Path '/cgi-bin/export/get_result'
        $e = { $job | Wait-WeComExport -Timeout 2 -PollInterval 0.2 -ErrorAction Stop } | Should -Throw -ErrorId 'WeComExportTimeout,*' -PassThru
        $e.Exception.Message | Should -Match 'kept failing'
        $e.Exception.Message | Should -Match '45009'
        $null = Invoke-EmulatorControl $Slow DELETE faults
        @($job | Wait-WeComExport -Timeout ([int]::MaxValue) -PollInterval 0.2 -ErrorAction Stop).JobId | Should -Be $job.JobId
    }

    It 'Receive of a job still in status 0 is WeComExportNotReady, and receives once Wait is done' {
        $job = Start-WeComDepartmentExport -Session $SlowSession
        $records = @($job | Receive-WeComExport -ErrorVariable problems -ErrorAction SilentlyContinue)
        $records.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComExportNotReady,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'Wait-WeComExport'
        $records = @($job | Wait-WeComExport -PollInterval 0.2 | Receive-WeComExport -ErrorAction Stop)
        $records.Count | Should -Be (Get-EmulatorTruth $Slow -CorpId $Slow.Corps[0].corpId -Kind department).count
    }

    It 'a token that expires mid-export is refreshed transparently: the export is complete' {
        $null = Invoke-EmulatorControl $Slow DELETE requests
        $job = Start-WeComUserExport -Detailed -Session $SlowSession
        $done = $job | Wait-WeComExport -PollInterval 0.5 -ErrorAction Stop
        Start-Sleep -Seconds 2.5 # the token in the cache is now past its lifetime
        $records = @($done | Receive-WeComExport -ErrorAction Stop)
        $truth = Get-EmulatorTruth $Slow -CorpId $Slow.Corps[0].corpId -Kind user
        $summary = Get-ExportSummary -Records $records
        $summary.Count | Should -Be $truth.count
        $summary.IdsSha256 | Should -Be $truth.idsSha256
        Get-EmulatorRequestCount $Slow -Path '/cgi-bin/gettoken' | Should -BeGreaterOrEqual 2 -Because 'the 2-second token had to be renewed'
    }
}

Describe 'Errors thrown downstream stay the caller''s' {
    BeforeEach { Clear-EmulatorState $Emulator }

    It 'a throw after Receive-WeComExport reaches the caller''s catch, and nothing after it runs' {
        $jobs = @(1, 2 | ForEach-Object { Start-WeComDepartmentExport -Session $Session }) | Wait-WeComExport -PollInterval 0.1
        $caught = $null
        $after = $false
        try {
            $jobs | Receive-WeComExport | ForEach-Object { throw 'downstream failed' }
            $after = $true
        }
        catch { $caught = $_ }
        $caught.Exception.Message | Should -Be 'downstream failed'
        $after | Should -BeFalse
    }

    It 'a throw after Start-WeComTagUserExport stops the starts that were still to come' {
        $before = Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/taguser'
        { Start-WeComTagUserExport -TagId 1, 2, 3 -Session $Session | ForEach-Object { throw 'downstream failed' } } |
            Should -Throw 'downstream failed'
        (Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/taguser') - $before | Should -Be 1
    }

    It 'an object that is not a job is refused as a job id before any request' {
        $before = Get-EmulatorRequestCount $Emulator
        { [pscustomobject]@{ TagId = 1; TagName = '乒乓球协会' } | Get-WeComExportResult -Session $Session -ErrorAction Stop } | Should -Throw
        Get-EmulatorRequestCount $Emulator | Should -Be $before
    }
}

Describe 'Secret parameters take SecureString only' {
    It '<Command> -<Parameter> refuses plain text without echoing it' -ForEach @(
        @{ Command = 'Start-WeComUserExport'; Parameter = 'EncodingAesKey' }
        @{ Command = 'Receive-WeComExport'; Parameter = 'EncodingAesKey' }
        @{ Command = 'Connect-WeCom'; Parameter = 'Secret' }
    ) {
        $plain = 'PlainTextSecretValue' + ('Q' * 23)
        $arguments = @{ $Parameter = $plain }
        if ($Command -eq 'Receive-WeComExport') { $arguments.JobId = 'jobid_x' }
        if ($Command -eq 'Connect-WeCom') { $arguments.CorpId = 'wwx' }
        $e = { & $Command @arguments -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError*'
        ($e | Out-String) + $e.Exception.ToString() | Should -Not -Match $plain
        $e.Exception.Message | Should -Match 'SecureString'
    }
}

Describe 'Every error record this file made' {
    # Runs last and reads $Error: run the whole file, not this test alone.
    It 'has an ErrorId from the error catalogue (WeComErrors)' {
        $records = @(Get-ModuleErrorRecord -Mark $ErrorMark)
        $records | Assert-CataloguedError
        # The collection is real: it holds errors that reached the tests by each route (written
        # with -ErrorVariable, thrown into Should -Throw, thrown out of [powershell]::Invoke()).
        $ids = @($records | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object -Unique)
        foreach ($expected in 'WeCom.40068', 'WeCom.40013', 'WeComHttpError', 'WeComBlockIntegrityFailed', 'WeComInvalidApiBaseUri', 'WeComNotConnected') {
            $ids | Should -Contain $expected
        }
    }
}
