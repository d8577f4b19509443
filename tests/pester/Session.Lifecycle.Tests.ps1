# A job outlives the session that started it; Disconnect forgets credentials; Get-WeComTag -Name
# with an exact name that matches nothing is an error a runbook stops on. All against the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 300 -Corps 2 -ExtraArguments '--job-delay', '50'
    $script:Tags = @(Connect-TestCorp $Emulator | ForEach-Object { Get-WeComTag -Session $_; Disconnect-WeCom -Session $_ })
}

AfterAll {
    Disconnect-WeCom -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:Emulator
}

Describe 'A job outlives its session' {
    It 'Start; Disconnect; Connect to the same corp; Wait and Receive use the new session' {
        $null = Connect-TestCorp $Emulator
        $job = Start-WeComDepartmentExport
        Disconnect-WeCom
        $null = Connect-TestCorp $Emulator
        $records = @($job | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop | Receive-WeComExport -ErrorAction Stop)
        (Get-ExportSummary -Records $records).IdsSha256 | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Emulator.Corps[0].corpId -Kind department).idsSha256
        Disconnect-WeCom
    }

    It 'a disconnected job session with the current session on another corp is WeComSessionCorpMismatch naming both corps' {
        $null = Connect-TestCorp $Emulator -Index 0
        $job = Start-WeComDepartmentExport
        Disconnect-WeCom
        $null = Connect-TestCorp $Emulator -Index 1
        try {
            $e = { $job | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop } | Should -Throw -ErrorId 'WeComSessionCorpMismatch,*' -PassThru
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.Exception.Message | Should -Match ([regex]::Escape($Emulator.Corps[0].corpId))
            $e.Exception.Message | Should -Match ([regex]::Escape($Emulator.Corps[1].corpId))
        }
        finally { Disconnect-WeCom }
    }

    It 'an explicit -Session of another corp is WeComSessionCorpMismatch before anything is asked of WeCom' {
        $first = Connect-TestCorp $Emulator -Index 0
        $second = Connect-TestCorp $Emulator -Index 1
        try {
            $job = Start-WeComDepartmentExport -Session $first
            $null = Invoke-EmulatorControl $Emulator DELETE requests
            $e = { $job | Get-WeComExportResult -Session $second -ErrorAction Stop } | Should -Throw -ErrorId 'WeComSessionCorpMismatch,*' -PassThru
            $e.Exception.Message | Should -Match ([regex]::Escape($Emulator.Corps[0].corpId))
            $e.Exception.Message | Should -Match ([regex]::Escape($Emulator.Corps[1].corpId))
            Get-EmulatorRequestCount $Emulator | Should -Be 0
        }
        finally {
            Disconnect-WeCom -Session $first
            Disconnect-WeCom -Session $second
        }
    }

    It 'a job known only by id with another corp''s CorpId (a notification''s) is WeComSessionCorpMismatch before anything is asked' {
        $first = Connect-TestCorp $Emulator -Index 0
        $second = Connect-TestCorp $Emulator -Index 1
        try {
            $job = Start-WeComDepartmentExport -Session $first
            $null = Invoke-EmulatorControl $Emulator DELETE requests
            # What ConvertFrom-WeComExportNotification writes: JobId, CorpId (and ExportKind) bind by property name.
            $notification = [pscustomobject]@{ JobId = $job.JobId; CorpId = $Emulator.Corps[0].corpId; ExportKind = 'Department' }
            $key = New-WeComEncodingAesKey
            $e = { $notification | Receive-WeComExport -Session $second -EncodingAesKey $key -ErrorAction Stop } | Should -Throw -ErrorId 'WeComSessionCorpMismatch,*' -PassThru
            $e.Exception.Message | Should -Match ([regex]::Escape($Emulator.Corps[0].corpId))
            { $notification | Wait-WeComExport -Session $second -PollInterval 0.1 -ErrorAction Stop } | Should -Throw -ErrorId 'WeComSessionCorpMismatch,*'
            Get-EmulatorRequestCount $Emulator | Should -Be 0
            # One job of another corp among those piped in is an error for it alone: the others are still waited for.
            $ofSecond = Start-WeComDepartmentExport -Session $second
            $waited = @($notification, $ofSecond | Wait-WeComExport -Session $second -PollInterval 0.1 -ErrorVariable problems -ErrorAction SilentlyContinue)
            $waited.JobId | Should -Be $ofSecond.JobId
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComSessionCorpMismatch,*'
            # Its own corp's session receives it.
            @($notification | Wait-WeComExport -Session $first -PollInterval 0.1 -ErrorAction Stop).JobId | Should -Be $job.JobId
        }
        finally {
            Disconnect-WeCom -Session $first
            Disconnect-WeCom -Session $second
        }
    }

    It 'with no session at all it stays WeComSessionDisconnected' {
        $null = Connect-TestCorp $Emulator
        $job = Start-WeComDepartmentExport
        Disconnect-WeCom
        $e = { $job | Get-WeComExportResult } | Should -Throw -ErrorId 'WeComSessionDisconnected,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'Disconnect-WeCom leaves no token in the session' {
        $session = Connect-TestCorp $Emulator
        $session.TokenExpiresAt | Should -Not -BeNullOrEmpty
        Disconnect-WeCom
        $session.IsDisconnected | Should -BeTrue
        $session.TokenExpiresAt | Should -BeNullOrEmpty
    }
}

Describe 'Get-WeComTag -Name' {
    BeforeAll { $script:Session = Connect-TestCorp $Emulator }
    AfterAll { Disconnect-WeCom -Session $script:Session }

    It 'an exact name that matches no tag is WeComTagNotFound (ObjectNotFound), naming it' {
        $tags = @(Get-WeComTag -Name 'NoSuchTagAnywhere' -ErrorVariable problems -ErrorAction SilentlyContinue)
        $tags.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComTagNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].Exception.Message | Should -Match 'NoSuchTagAnywhere'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'Get-WeComTag'
    }

    It 'stops a runbook under $ErrorActionPreference = Stop' {
        { $ErrorActionPreference = 'Stop'; Get-WeComTag -Name 'NoSuchTagAnywhere' | Start-WeComTagUserExport } | Should -Throw -ErrorId 'WeComTagNotFound,*'
    }

    It 'a wildcard that matches nothing stays silent' {
        $tags = @(Get-WeComTag -Name 'NoSuch*' -ErrorVariable problems)
        $tags.Count | Should -Be 0
        $problems.Count | Should -Be 0
    }

    It 'an exact name that exists returns its tag, and only the missing name of several is an error' {
        $name = $Tags[0].TagName
        $found = @(Get-WeComTag -Name $name, 'NoSuchTagAnywhere' -ErrorVariable problems -ErrorAction SilentlyContinue)
        $found.TagName | Should -Contain $name
        $problems.Count | Should -Be 1
        "$($problems[0].TargetObject)" | Should -Be 'NoSuchTagAnywhere'
    }
}

Describe 'Records say where they came from' {
    It 'every record of every kind carries the CorpId of its corp, so two corps can be grouped apart' {
        $first = Connect-TestCorp $Emulator -Index 0
        $second = Connect-TestCorp $Emulator -Index 1
        try {
            $records = @(
                Start-WeComDepartmentExport -Session $first | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop
                Start-WeComUserExport -Session $second | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop
                Start-WeComTagUserExport -TagId $Tags[0].TagId -Session $second | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop
            )
            $groups = $records | Group-Object CorpId
            ($groups.Name | Sort-Object) | Should -Be (@($Emulator.Corps[0].corpId, $Emulator.Corps[1].corpId) | Sort-Object)
            ($groups | Where-Object Name -eq $Emulator.Corps[0].corpId).Group | ForEach-Object { $_ | Should -BeOfType ([WeComExport.Records.WeComDepartment]) }
            ($groups | Where-Object Name -eq $Emulator.Corps[1].corpId).Count | Should -Be ($records.Count - ($records | Where-Object { $_ -is [WeComExport.Records.WeComDepartment] }).Count)
        }
        finally {
            Disconnect-WeCom -Session $first
            Disconnect-WeCom -Session $second
        }
    }
}
