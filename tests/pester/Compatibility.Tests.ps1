# What WeCom does today to secrets and networks that used to work, end to end against the emulator
# as a user runs the module: the contacts-sync secret may no longer export members or departments
# (48009) but still gets a token and the tag export; an IP missing from the app's trusted IPs is
# reported at the first export call (60020), not retried; an -ApiBaseUri carrying a password is
# refused without showing it. Every error record this file makes must have a catalogued ErrorId.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:ErrorMark = Get-ErrorMark
    # Corp 0's secret is the contacts-sync secret; corp 1 keeps a self-built app's secret.
    $script:Emulator = Start-TestEmulator -Members 300 -Corps 2 -ExtraArguments '--contact-assistant-corps', '0', '--job-delay', '50'
    $script:AssistantCorp = $Emulator.Corps[0]
    $script:AppCorp = $Emulator.Corps[1]

    function Set-FastRetry {
        <# The retry count stays the module's own; only the wait between retries shrinks. #>
        param([Parameter(Mandatory, ValueFromPipeline)] $Session)
        process {
            $Session.RetryPolicy.BaseDelay = [TimeSpan]::FromMilliseconds(20)
            $Session.RetryPolicy.FrequencyLimitDelay = [TimeSpan]::FromMilliseconds(20)
            $Session
        }
    }

    function Get-CorpCredential {
        <# What a user keeps for a corp: a PSCredential with UserName = CorpID and Password = secret. #>
        param([Parameter(Mandatory)] [int] $Index)
        $corp = $Emulator.Corps[$Index]
        [pscredential]::new($corp.corpId, (ConvertTo-SecureString $corp.secret -AsPlainText -Force))
    }

    function Assert-MatchesTruth {
        param([object[]] $Records, [string] $CorpId, [string] $Kind, [long] $TagId)
        $truth = Get-EmulatorTruth $Emulator -CorpId $CorpId -Kind $Kind -TagId $TagId
        $truth.count | Should -BeGreaterThan 0 -Because 'an empty truth would make the comparison vacuous'
        $summary = Get-ExportSummary -Records @($Records)
        $summary.Count | Should -Be $truth.count
        $summary.UniqueCount | Should -Be $truth.count
        $summary.IdsSha256 | Should -Be $truth.idsSha256
    }
}

AfterAll {
    Disconnect-WeCom -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:Emulator
}

Describe 'A corp whose secret is the contacts-sync secret (48009)' {
    BeforeAll {
        Clear-EmulatorState $Emulator
        $script:AppSession = Connect-WeCom -Credential (Get-CorpCredential -Index 1) -ApiBaseUri $Emulator.BaseUri -PassThru -ErrorAction Stop | Set-FastRetry
        # Connected last, as a user would: the current session, which the cmdlets below use without -Session.
        $script:AssistantSession = Connect-WeCom -Credential (Get-CorpCredential -Index 0) -ApiBaseUri $Emulator.BaseUri -PassThru -ErrorAction Stop | Set-FastRetry
    }
    AfterAll { $AppSession, $AssistantSession | Where-Object { $_ } | ForEach-Object { Disconnect-WeCom -Session $_ } }

    It 'the emulator really treats corp 0 as contacts-sync and corp 1 as a self-built app' {
        $corps = (Invoke-EmulatorControl $Emulator GET corps).corps
        ($corps | Where-Object corpId -EQ $AssistantCorp.corpId).contactAssistant | Should -BeTrue
        ($corps | Where-Object corpId -EQ $AppCorp.corpId).contactAssistant | Should -BeFalse
    }

    It 'Connect-WeCom succeeds with the contacts-sync secret: gettoken works' {
        $AssistantSession.CorpId | Should -Be $AssistantCorp.corpId
        $AssistantSession.IsDisconnected | Should -BeFalse
        $AssistantSession.TokenExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
        (Get-WeComSession).CorpId | Should -Be $AssistantCorp.corpId
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/gettoken' | Should -Be 2 -Because 'one token for each corp, and nothing refused'
    }

    It '<Name> is WeCom.48009 (PermissionDenied), recommends a self-built app, is not retried and leaves no job' -ForEach @(
        @{ Name = 'Start-WeComUserExport'; Command = 'Start-WeComUserExport'; Extra = @{}; Path = '/cgi-bin/export/simple_user' }
        @{ Name = 'Start-WeComUserExport -Detailed'; Command = 'Start-WeComUserExport'; Extra = @{ Detailed = $true }; Path = '/cgi-bin/export/user' }
        @{ Name = 'Start-WeComDepartmentExport'; Command = 'Start-WeComDepartmentExport'; Extra = @{}; Path = '/cgi-bin/export/department' }
    ) {
        $null = Invoke-EmulatorControl $Emulator DELETE requests
        $waited = @(& $Command @Extra -OutVariable started -ErrorVariable problems -ErrorAction SilentlyContinue | Wait-WeComExport -PollInterval 0.1)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeCom.48009,*'
        $problems[0].Exception.ErrCode | Should -Be 48009
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'self-built'
        @($started).Count | Should -Be 0 -Because 'no job may be handed on'
        $waited.Count | Should -Be 0
        Get-EmulatorRequestCount $Emulator -Path $Path | Should -Be 1 -Because 'a refused secret does not get better by asking again'
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/get_result' | Should -Be 0
    }

    It 'a runbook (-ErrorAction Stop) stops on WeCom.48009 with the same advice' {
        $e = { Start-WeComUserExport -Detailed -ErrorAction Stop } | Should -Throw -ErrorId 'WeCom.48009,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e.ErrorDetails.RecommendedAction | Should -Match 'self-built'
    }

    It 'Get-WeComTag | Start-WeComTagUserExport | Wait | Receive works on the same corp, and the records are the emulator''s truth' {
        $null = Invoke-EmulatorControl $Emulator DELETE requests
        $records = @(Get-WeComTag -Name '乒乓球协会' -ErrorAction Stop |
                Start-WeComTagUserExport -ErrorAction Stop |
                Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop |
                Receive-WeComExport -ErrorAction Stop)
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/taguser' | Should -Be 1

        $truth = Invoke-EmulatorControl $Emulator GET truth -Query @{ corpid = $AssistantCorp.corpId; kind = 'taguser'; tagid = 1; full = 'true' }
        $truth.count | Should -BeGreaterThan 0
        # Users as userid and name, departments as ids: the whole content, not only the ids.
        $expected = [string[]] @(foreach ($item in $truth.records) {
                if ($item -is [ValueType]) { "party:$item" } else { "user:$($item.userid)|$($item.name)" }
            })
        $actual = [string[]] @(foreach ($r in $records) {
                if ("$($r.MemberType)" -eq 'User') { "user:$($r.UserId)|$($r.Name)" } else { "party:$($r.DepartmentId)" }
            })
        [Array]::Sort($expected, [StringComparer]::Ordinal)
        [Array]::Sort($actual, [StringComparer]::Ordinal)
        $actual.Count | Should -Be $truth.count
        $actual | Should -BeExactly $expected
        $records.TagId | Sort-Object -Unique | Should -Be 1
        $records.TagName | Sort-Object -Unique | Should -BeExactly '乒乓球协会'
        Assert-MatchesTruth -Records $records -CorpId $AssistantCorp.corpId -Kind taguser -TagId 1
    }

    It 'the other corp (a self-built app''s secret) exports <Kind> completely' -ForEach @(
        @{ Kind = 'simple_user' }, @{ Kind = 'user' }, @{ Kind = 'department' }
    ) {
        $records = @(Start-TestExport $Kind -Session $AppSession |
                Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop |
                Receive-WeComExport -ErrorAction Stop)
        Assert-MatchesTruth -Records $records -CorpId $AppCorp.corpId -Kind $Kind
    }
}

Describe 'This machine''s IP is not in the app''s trusted IPs (60020)' {
    BeforeAll {
        Clear-EmulatorState $Emulator
        # A lasting corp mode, as WeCom behaves with a wrong trusted-IP list: every call with a token, never gettoken.
        $null = Invoke-EmulatorControl $Emulator POST faults @{ kind = 'ip-not-allowed'; probability = 1; corpid = $AppCorp.corpId }
    }
    AfterAll { Clear-EmulatorState $Emulator }

    It 'Connect-WeCom works, then Start-WeComDepartmentExport is WeCom.60020 (PermissionDenied) advising trusted IPs, sent once' {
        $session = Connect-WeCom -Credential (Get-CorpCredential -Index 1) -ApiBaseUri $Emulator.BaseUri -PassThru -ErrorAction Stop | Set-FastRetry
        $session.CorpId | Should -Be $AppCorp.corpId
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/gettoken' | Should -Be 1

        $e = { Start-WeComDepartmentExport -ErrorAction Stop } | Should -Throw -ErrorId 'WeCom.60020,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e.Exception.ErrCode | Should -Be 60020
        $e.ErrorDetails.RecommendedAction | Should -Match 'trusted IP'
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/department' | Should -Be 1 -Because 'a missing trusted IP is not transient'
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/gettoken' | Should -Be 1 -Because '60020 is not a token problem'
        ((Invoke-EmulatorControl $Emulator GET faults).faults | Where-Object kind -EQ 'ip-not-allowed').fired | Should -Be 1
        Disconnect-WeCom -Session $session
    }
}

Describe '-ApiBaseUri with a user name and password' {
    BeforeAll {
        $script:Password = 'S3cretPw'
        $port = ([uri] $Emulator.BaseUri).Port
        $script:UserInfoUri = "http://user:$($Password)@127.0.0.1:$port/"
        $script:PreviousSession = Connect-WeCom -Credential (Get-CorpCredential -Index 1) -ApiBaseUri $Emulator.BaseUri -PassThru -ErrorAction Stop
    }
    AfterAll { if ($PreviousSession) { Disconnect-WeCom -Session $PreviousSession } }

    It 'Connect-WeCom <How> is refused with WeComInvalidApiBaseUri before any request, and the password shows nowhere in the error' -ForEach @(
        @{ How = '-ApiBaseUri' }
        @{ How = '-FromEnvironment (WECOM_API_BASE_URI)' }
    ) {
        Clear-EmulatorState $Emulator
        $saved = $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET, $env:WECOM_API_BASE_URI
        try {
            $e = if ($How -eq '-ApiBaseUri') {
                { Connect-WeCom -Credential (Get-CorpCredential -Index 1) -ApiBaseUri $UserInfoUri } |
                    Should -Throw -ErrorId 'WeComInvalidApiBaseUri,*' -PassThru
            }
            else {
                $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET, $env:WECOM_API_BASE_URI = $AppCorp.corpId, $AppCorp.secret, $UserInfoUri
                { Connect-WeCom -FromEnvironment } | Should -Throw -ErrorId 'WeComInvalidApiBaseUri,*' -PassThru
            }
        }
        finally { $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET, $env:WECOM_API_BASE_URI = $saved }

        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-EmulatorRequestCount $Emulator | Should -Be 0 -Because 'credentials may not travel to an address that was refused'
        $pattern = [regex]::Escape($Password)
        $e.Exception.Message | Should -Not -Match $pattern
        "$($e.TargetObject)" | Should -Not -Match $pattern
        "$($e.ErrorDetails.Message) $($e.ErrorDetails.RecommendedAction)" | Should -Not -Match $pattern
        $e.ToString() | Should -Not -Match $pattern
        $e.Exception.ToString() | Should -Not -Match $pattern
        $e | Format-List * -Force | Out-String -Width 4096 | Should -Not -Match $pattern
        # The refused address did not replace the session that was current.
        (Get-WeComSession).Id | Should -Be $PreviousSession.Id
    }

    It 'the whole output of the attempt with -Verbose -Debug (*>&1) holds no password' {
        $captured = & {
            $ErrorActionPreference = 'Continue'
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $InformationPreference = 'Continue'
            $credential = Get-CorpCredential -Index 1
            # Inside Pester's try a refusal would leave this block: written back to the error stream, as a prompt shows it.
            try { Connect-WeCom -Credential $credential -ApiBaseUri $UserInfoUri -PassThru -Verbose -Debug }
            catch { Write-Error -ErrorRecord $_ }
            try { Connect-WeCom -Credential $credential -ApiBaseUri $UserInfoUri -PassThru -Verbose -Debug -ErrorAction Stop }
            catch { $_ | Format-List * -Force; $_.Exception | Format-List * -Force; $_.ErrorDetails; $_.InvocationInfo | Format-List * -Force }
            Get-WeComSession | Format-List * -Force
        } *>&1 | Out-String -Width 4096
        $captured | Should -Not -Match ([regex]::Escape($Password))
        # The capture is real: the refusal and the current session are in it.
        $captured | Should -Match 'WeComInvalidApiBaseUri'
        $captured | Should -Match ([regex]::Escape($AppCorp.corpId))
    }
}

Describe 'Every error record this file made' {
    It 'has an ErrorId from the error catalogue' {
        $records = @(Get-ModuleErrorRecord -Mark $ErrorMark)
        $records | Assert-CataloguedError
        # The collection is real: the errors this file provokes on purpose are in it.
        $ids = @($records | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object -Unique)
        $ids | Should -Contain 'WeCom.48009'
        $ids | Should -Contain 'WeCom.60020'
        $ids | Should -Contain 'WeComInvalidApiBaseUri'
    }
}
