# What Receive-WeComExport refuses rather than giving a short result, and what it leaves on disk,
# end to end against the real emulator: a job received as another kind, and the -OutputDirectory
# folder (owner-only modes on Unix, no stale temporary files, file-system paths only).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 300 -ExtraArguments '--job-delay', '50'
    $script:Session = Connect-TestCorp $Emulator
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-safety-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $Work

    # A finished department job and its key (plain here, so it can be received by id).
    $script:Plain = New-WeComEncodingAesKey -AsPlainText
    $script:DepartmentJob = Start-WeComDepartmentExport -Session $Session -EncodingAesKey (ConvertTo-SecureString $Plain -AsPlainText -Force) |
        Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
    Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A job received as another kind' {
    It 'a department job received with -ExportKind User is one WeComExportKindMismatch error and no records' {
        $records = @(Receive-WeComExport -JobId $DepartmentJob.JobId -ExportKind User -Session $Session `
                -EncodingAesKey (ConvertTo-SecureString $Plain -AsPlainText -Force) -ErrorVariable problems -ErrorAction SilentlyContinue)
        $records.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComExportKindMismatch,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].Exception.Message | Should -Match 'export block 0'
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'the same into -OutputDirectory is the same error and writes no file' {
        $folder = Join-Path $Work 'mismatch'
        $files = @(Receive-WeComExport -JobId $DepartmentJob.JobId -ExportKind User -Session $Session -OutputDirectory $folder `
                -EncodingAesKey (ConvertTo-SecureString $Plain -AsPlainText -Force) -ErrorVariable problems -ErrorAction SilentlyContinue)
        $files.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComExportKindMismatch,*'
        @(Get-ChildItem -LiteralPath $folder -Force -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'received with its own kind, or with none, it gives its departments' {
        foreach ($kind in @('Department', $null)) {
            $extra = if ($kind) { @{ ExportKind = $kind } } else { @{} }
            $records = @(Receive-WeComExport -JobId $DepartmentJob.JobId -Session $Session @extra `
                    -EncodingAesKey (ConvertTo-SecureString $Plain -AsPlainText -Force) -ErrorAction Stop)
            $records.Count | Should -BeGreaterThan 0
            $records | ForEach-Object { $_ | Should -BeOfType ([WeComExport.Records.WeComDepartment]) }
        }
    }
}

Describe 'A done job whose block list is odd is never a silent result' {
    AfterEach { Clear-EmulatorState $Emulator }

    It 'no block at all: no record, and a warning that says WeCom listed none' {
        $null = Add-EmulatorFault $Emulator 'empty-result' -Count 100 -Path '/cgi-bin/export/get_result'
        $records = @(Receive-WeComExport -JobId $DepartmentJob.JobId -Session $Session -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue `
                -EncodingAesKey (ConvertTo-SecureString $Plain -AsPlainText -Force))
        $records.Count | Should -Be 0
        @($warned | Where-Object { "$_" -match 'listed no block' }).Count | Should -Be 1
    }

    It 'the same block under two links: its records twice, and a warning that names both blocks' {
        $once = @(Receive-WeComExport -JobId $DepartmentJob.JobId -Session $Session -ErrorAction Stop -EncodingAesKey (ConvertTo-SecureString $Plain -AsPlainText -Force))
        $null = Add-EmulatorFault $Emulator 'repeat-block' -Count 100 -Path '/cgi-bin/export/get_result'
        $records = @(Receive-WeComExport -JobId $DepartmentJob.JobId -Session $Session -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue `
                -EncodingAesKey (ConvertTo-SecureString $Plain -AsPlainText -Force))
        $records.Count | Should -Be (2 * $once.Count)
        @($warned | Where-Object { "$_" -match 'Blocks 0 and 1 .* same MD5' }).Count | Should -Be 1
    }
}

Describe '-OutputDirectory files and folders' {
    BeforeAll {
        # What the module names its temporary files: .{file}.{machine}.{pid}.{guid}.wecomexport.tmp (docs/design.md).
        $machine = [Environment]::MachineName -replace '[^A-Za-z0-9-]', '-'
        $script:Machine = $machine.Substring(0, [Math]::Min(32, $machine.Length))
        function New-TempName([string] $File, [int] $ProcessId) {
            '.{0}.{1}.{2}.{3}.wecomexport.tmp' -f $File, $Machine, $ProcessId, [guid]::NewGuid().ToString('N')
        }
    }

    It 'created folders are 0700 and the files 0600 on Unix' -Skip:$IsWindows {
        $folder = Join-Path $Work 'modes/nested'
        $files = @($DepartmentJob | Receive-WeComExport -OutputDirectory $folder -ErrorAction Stop)
        $files.Count | Should -Be 1
        [IO.File]::GetUnixFileMode($files[0].FullName) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite')
        [IO.File]::GetUnixFileMode($folder) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
        [IO.File]::GetUnixFileMode((Split-Path $folder)) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
    }

    It 'receiving again over a 0400 file keeps it 0400 on Unix' -Skip:$IsWindows {
        $folder = Join-Path $Work 'readonly'
        $first = $DepartmentJob | Receive-WeComExport -OutputDirectory $folder -ErrorAction Stop
        [IO.File]::SetUnixFileMode($first.FullName, [IO.UnixFileMode] 'UserRead')
        $again = $DepartmentJob | Receive-WeComExport -OutputDirectory $folder -ErrorAction Stop
        $again.FullName | Should -Be $first.FullName
        [IO.File]::GetUnixFileMode($again.FullName) | Should -Be ([IO.UnixFileMode] 'UserRead')
    }

    It 'a receive removes the temporary files an ended process left, and keeps a live one''s' {
        $folder = Join-Path $Work 'stale'
        $null = New-Item -ItemType Directory $folder
        $shell = if ($IsWindows) { [Diagnostics.Process]::Start('cmd.exe', '/c exit 0') } else { [Diagnostics.Process]::Start('/bin/sh', '-c true') }
        $shell.WaitForExit()
        $stale = Join-Path $folder (New-TempName 'job.block0000.json' $shell.Id)
        $live = Join-Path $folder (New-TempName 'job.block0001.json' $PID)
        Set-Content -LiteralPath $stale, $live -Value 'plaintext'

        $files = @($DepartmentJob | Receive-WeComExport -OutputDirectory $folder -ErrorAction Stop)

        $files.Count | Should -Be 1
        Test-Path -LiteralPath $stale | Should -BeFalse -Because 'the process that wrote it has ended'
        Test-Path -LiteralPath $live | Should -BeTrue -Because 'this process is still running'
    }
}

Describe '-OutputDirectory must be a file-system folder' {
    BeforeEach { Clear-EmulatorState $Emulator }

    It '<Case> is refused with WeComInvalidOutputDirectory before any request, creating nothing' -ForEach @(
        @{ Case = 'a Function: path'; Path = 'Function:/wecomx'; Says = 'Function' }
        @{ Case = 'a Variable: path'; Path = 'Variable:\wecomx'; Says = 'Variable' }
        @{ Case = 'a blank path'; Path = ' '; Says = 'blank' }
        @{ Case = 'a path of tabs'; Path = "`t`t"; Says = 'blank' }
    ) {
        Push-Location $Work
        try {
            $e = { $DepartmentJob | Receive-WeComExport -OutputDirectory $Path } | Should -Throw -ErrorId 'WeComInvalidOutputDirectory,*' -PassThru
        }
        finally { Pop-Location }
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match $Says
        $e.ErrorDetails.RecommendedAction | Should -Match 'file system'
        Get-EmulatorRequestCount $Emulator | Should -Be 0
        @(Get-ChildItem -LiteralPath $Work -Force | Where-Object Name -Match '^\s*$|wecomx').Count | Should -Be 0
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'wecomx') | Should -BeFalse -Because 'the process''s own folder is not $PWD'
    }

    It 'an existing file is refused the same way, as is one given for -TempDirectory (WeComInvalidTempDirectory), before any request' {
        $file = Join-Path $Work 'a-file.txt'
        Set-Content -LiteralPath $file -Value 'not a folder'
        $e = { $DepartmentJob | Receive-WeComExport -OutputDirectory $file } | Should -Throw -ErrorId 'WeComInvalidOutputDirectory,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'is a file, not a folder'
        $e = { $DepartmentJob | Receive-WeComExport -TempDirectory $file } | Should -Throw -ErrorId 'WeComInvalidTempDirectory,*' -PassThru
        $e.Exception.Message | Should -Match 'is a file, not a folder'
        # A file further up the path: the folder could never be made.
        $e = { $DepartmentJob | Receive-WeComExport -OutputDirectory (Join-Path $file 'sub/deeper') } | Should -Throw -ErrorId 'WeComInvalidOutputDirectory,*' -PassThru
        $e.Exception.Message | Should -Match ([regex]::Escape("'$file' on its path is a file"))
        Get-EmulatorRequestCount $Emulator | Should -Be 0
        Get-Content -LiteralPath $file | Should -Be 'not a folder'
    }

    It 'with -WhatIf nothing is asked of WeCom and no folder or file is made; records alone need no confirmation' {
        $folder = Join-Path $Work 'whatif-out'
        $DepartmentJob | Receive-WeComExport -OutputDirectory $folder -WhatIf
        Get-EmulatorRequestCount $Emulator | Should -Be 0
        Test-Path -LiteralPath $folder | Should -BeFalse
        @($DepartmentJob | Receive-WeComExport -WhatIf -ErrorAction Stop).Count | Should -BeGreaterThan 0
    }

    It 'a drive that does not exist is refused the same way' {
        $e = { $DepartmentJob | Receive-WeComExport -OutputDirectory 'NoSuchDrive:/x' } | Should -Throw -ErrorId 'WeComInvalidOutputDirectory,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'a relative file-system path is taken from $PWD, not the process''s folder' {
        Push-Location $Work
        try { $file = $DepartmentJob | Receive-WeComExport -OutputDirectory 'relative' -ErrorAction Stop }
        finally { Pop-Location }
        $file.DirectoryName | Should -Be (Join-Path (Get-Item -LiteralPath $Work).FullName 'relative')
    }
}
