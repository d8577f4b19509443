# Secrets never show: the corp secret, the access token and the export key must not appear in any
# stream (output, error, warning, verbose, debug, information), in formatted or serialized objects,
# or in error records, through a whole export with -Verbose -Debug.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 300 -ExtraArguments '--job-delay', '50'
    $script:Corp = $Emulator.Corps[0]

    function Get-TokenDirectly {
        Invoke-RestMethod "$($Emulator.BaseUri)/cgi-bin/gettoken?corpid=$($Corp.corpId)&corpsecret=$([uri]::EscapeDataString($Corp.secret))"
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
}

Describe 'Secrets in output, logs, objects and errors' {
    BeforeAll {
        # The emulator, like WeCom, answers the same token while it is valid: the token we fetch
        # here is the one the module will be given and use.
        $script:First = Get-TokenDirectly
        $script:Token = $First.access_token
        $script:PlainKey = New-WeComEncodingAesKey -AsPlainText

        $script:Captured = & {
            # Preferences set here hold inside this block only (not for our own direct gettoken calls).
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $InformationPreference = 'Continue'
            $WarningPreference = 'Continue'
            $secret = ConvertTo-SecureString $Corp.secret -AsPlainText -Force
            $session = Connect-WeCom -CorpId $Corp.corpId -Secret $secret -ApiBaseUri $Emulator.BaseUri -PassThru -Verbose -Debug
            $session
            $session | Format-List * -Force
            $session | Format-Table
            Get-WeComSession | Format-List *
            "$session"
            [Management.Automation.PSSerializer]::Serialize($session, 3)

            $key = ConvertTo-SecureString $PlainKey -AsPlainText -Force
            $job = Start-WeComUserExport -Detailed -EncodingAesKey $key -Verbose -Debug
            $job = $job | Wait-WeComExport -PollInterval 0.1 -Verbose -Debug
            $job | Format-List * -Force
            $job | Format-Table
            $job | ConvertTo-Json -Depth 3
            "$job"
            [Management.Automation.PSSerializer]::Serialize($job, 3)
            Get-WeComExportResult -Job $job -Verbose -Debug | Format-List * -Force

            $job | Receive-WeComExport -Verbose -Debug | Select-Object -First 3 | Format-List *
            Receive-WeComExport -JobId $job.JobId -EncodingAesKey $key -Verbose -Debug | Select-Object -Last 1

            # Failures write their messages and hints too.
            Start-WeComTagUserExport -TagId 424242 -Verbose -Debug -ErrorAction Continue
            Receive-WeComExport -JobId 'jobid_unknown' -EncodingAesKey $key -Verbose -Debug -ErrorAction Continue
            try { Connect-WeCom -CorpId $Corp.corpId -Secret (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force) -ApiBaseUri $Emulator.BaseUri -Verbose -Debug -ErrorAction Stop }
            catch { $_ | Format-List * -Force; $_.Exception | Format-List * -Force; $_.ErrorDetails }
            Disconnect-WeCom -Verbose
        } *>&1 | Out-String -Width 4096
        $script:Second = Get-TokenDirectly
    }

    It 'the token fetched directly is the one the module used (the emulator answers the same token while valid)' {
        $Token | Should -Not -BeNullOrEmpty
        $Second.access_token | Should -BeExactly $Token
        $Second.expires_in | Should -BeLessOrEqual $First.expires_in
    }

    It 'the capture is real: it holds verbose and debug lines of the HTTP calls and the records' {
        $Captured | Should -Match 'gettoken'
        # The very lines that would carry the secrets are there, masked.
        $Captured | Should -Match 'corpsecret=\*\*\*'
        $Captured | Should -Match 'access_token=\*\*\*'
        $Captured | Should -Match '"encoding_aeskey":\s*"\*\*\*"'
        $Captured | Should -Match 'export/user'
        $Captured | Should -Match 'get_result'
        $Captured | Should -Match 'answered'
        $Captured | Should -Match 'errcode 40068'
        $Captured | Should -Match 'WeCom\.40001'
        $Captured | Should -Match 'UserId'
        $Captured | Should -Match ([regex]::Escape($Corp.corpId))
    }

    It 'holds no corp secret' {
        $Captured | Should -Not -Match ([regex]::Escape($Corp.secret))
        $Captured | Should -Not -Match 'not-the-secret'
    }

    It 'holds no access token' {
        $Captured | Should -Not -Match ([regex]::Escape($Token))
    }

    It 'holds no export key' {
        $Captured | Should -Not -Match ([regex]::Escape($PlainKey))
    }
}
