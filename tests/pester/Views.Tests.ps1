# What people see: the list views of the records (a few properties first; Format-List * shows all),
# the block files of Receive-WeComExport -OutputDirectory with their sizes, and -WhatIf texts that
# name a tag by its name as well as its id.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 300
    $script:Corp = $Emulator.Corps[0]
    $script:Session = Connect-TestCorp $Emulator
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
}

Describe 'List views of the records' {
    BeforeAll {
        $script:User = Start-WeComUserExport -Detailed -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport |
            Where-Object { $_.Department.Count -ge 2 -and $_.ThumbAvatar } | Select-Object -First 1
    }

    It 'a user shows the properties people read first, departments as 1;2' {
        $text = $User | Format-List | Out-String -Width 300
        foreach ($name in 'UserId', 'Name', 'Department', 'Position', 'Mobile', 'Email', 'Status', 'MainDepartment', 'CorpId') {
            $text | Should -Match "(?m)^$name\s+:" -Because "$name is in the list view"
        }
        $text | Should -Match ([regex]::Escape(': ' + ($User.Department -join ';')))
        $text | Should -Not -Match 'ThumbAvatar'
        $text | Should -Not -Match 'ExternalProfile'
    }

    It 'Format-List * still shows every property' {
        $text = $User | Format-List * | Out-String -Width 300
        $text | Should -Match '(?m)^ThumbAvatar\s+:'
        $text | Should -Match '(?m)^ExternalProfile\s+:'
    }

    It 'a department and a tag member have list views too' {
        $department = Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport | Select-Object -First 1
        $text = $department | Format-List | Out-String -Width 300
        foreach ($name in 'Id', 'Name', 'ParentId', 'Order', 'DepartmentLeader', 'CorpId') { $text | Should -Match "(?m)^$name\s+:" }
        $text | Should -Not -Match 'AdditionalFields'

        $member = Start-WeComTagUserExport -TagId 1 -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport | Select-Object -First 1
        $text = $member | Format-List | Out-String -Width 300
        foreach ($name in 'TagId', 'TagName', 'MemberType', 'UserId', 'CorpId') { $text | Should -Match "(?m)^$name\s+:" }
        $text | Should -Not -Match 'AdditionalFields'
    }
}

Describe 'Block files from Receive-WeComExport -OutputDirectory' {
    It 'show their name, size and time; other FileInfo objects keep PowerShell''s view' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) ("wecom-view-" + [guid]::NewGuid().ToString('N'))
        try {
            $files = @(Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -OutputDirectory $folder -ErrorAction Stop)
            $files.Count | Should -BeGreaterThan 0
            $files[0] | Should -BeOfType [IO.FileInfo]
            $files[0].PSObject.TypeNames[0] | Should -Be 'WeComExport.BlockFile'
            $table = $files | Format-Table | Out-String -Width 300
            $table | Should -Match 'Length'
            foreach ($file in $files) {
                $table | Should -Match ("(?m)^{0}\s+{1}\s" -f [regex]::Escape($file.Name), $file.Length)
            }
            (Get-Item -LiteralPath $files[0].FullName).PSObject.TypeNames | Should -Not -Contain 'WeComExport.BlockFile'
        }
        finally { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'The -WhatIf text of a tag export names the tag' {
    BeforeAll {
        # -WhatIf writes to the host, not to a stream: run it in a fresh pwsh and read its output.
        $script:Connect = @"
Import-Module '$(Join-Path (Get-TestModulePath) 'WeComExport.psd1')'
`$null = Connect-WeCom -CorpId '$($Corp.corpId)' -Secret (ConvertTo-SecureString '$($Corp.secret)' -AsPlainText -Force) -ApiBaseUri '$($Emulator.BaseUri)'
"@
        $script:Tags = @(Get-WeComTag -Session $Session)
    }

    It 'by id: the name is looked up with one tag/list call for the whole command' {
        Clear-EmulatorState $Emulator
        $run = Invoke-FreshPwsh ($Connect + "`nStart-WeComTagUserExport -TagId 1, 2 -WhatIf")
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        $text | Should -Match ([regex]::Escape("tag 1 ($(($Tags | Where-Object TagId -EQ 1).TagName))"))
        $text | Should -Match ([regex]::Escape("tag 2 ($(($Tags | Where-Object TagId -EQ 2).TagName))"))
        $text | Should -Match ([regex]::Escape('tag 1 (乒乓球协会)'))
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/tag/list' | Should -Be 1
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/export/taguser' | Should -Be 0
    }

    It 'piped from Get-WeComTag: the tag''s own name, no second lookup' {
        Clear-EmulatorState $Emulator
        $run = Invoke-FreshPwsh ($Connect + "`nGet-WeComTag -Name Managers | Start-WeComTagUserExport -WhatIf")
        $run.ExitCode | Should -Be 0
        ($run.Output -join "`n") | Should -Match ([regex]::Escape('tag 2 (Managers)'))
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/tag/list' | Should -Be 1 -Because 'only Get-WeComTag reads the list'
    }

    It 'a -TagName typed by hand is not trusted: the text names the tag''s real name' {
        Clear-EmulatorState $Emulator
        $run = Invoke-FreshPwsh ($Connect + "`nStart-WeComTagUserExport -TagId 2 -TagName Bogus -WhatIf`n2 | Start-WeComTagUserExport -TagName Bogus -WhatIf")
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        ([regex]::Matches($text, [regex]::Escape('tag 2 (Managers)'))).Count | Should -Be 2
        $text | Should -Not -Match 'Bogus'
    }

    It 'when tag/list fails, the text names the id alone and the command does not fail' {
        Clear-EmulatorState $Emulator
        $null = Add-EmulatorFault $Emulator 'ip-not-allowed' -Count 1 -Path '/cgi-bin/tag/list'
        $run = Invoke-FreshPwsh ($Connect + "`nStart-WeComTagUserExport -TagId 1 -WhatIf -ErrorAction Stop; 'done'")
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        $text | Should -Match 'tag 1"'
        $text | Should -Match '(?m)^done$'
        Clear-EmulatorState $Emulator
    }

    It 'without -WhatIf or -Confirm no tag/list call is made' {
        Clear-EmulatorState $Emulator
        $job = Start-WeComTagUserExport -TagId 1 -Session $Session -ErrorAction Stop
        $job | Should -Not -BeNullOrEmpty
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/tag/list' | Should -Be 0
    }
}
