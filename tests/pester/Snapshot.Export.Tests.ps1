# Export-WeComDirectory end to end against the real emulator over real HTTP, with the published module:
# the summary against the ground truth, the folder's modes, -WhatIf, replacing a snapshot, a failure that
# keeps the previous one, the paths it refuses, progress. CSV content is tested with the CSV writer.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 2000 -ExtraArguments '--job-delay', '50'
    $script:Corp = $Emulator.Corps[0]
    $script:Session = Connect-TestCorp $Emulator
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-snapshot-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $Work

    function Get-Fingerprint([string] $Folder) {
        # Every file and folder under $Folder: relative path, SHA-256 of its bytes (or 'dir'), Unix mode.
        Get-ChildItem -LiteralPath $Folder -Recurse -Force | Sort-Object FullName | ForEach-Object {
            $hash = if ($_.PSIsContainer) { 'dir' } else { (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash }
            $mode = if ($IsWindows) { '' } else { [IO.File]::GetUnixFileMode($_.FullName) }
            '{0} {1} {2}' -f $_.FullName.Substring($Folder.Length), $hash, $mode
        }
    }

    function Read-Manifest([string] $Folder) {
        Get-Content -LiteralPath (Join-Path $Folder 'manifest.json') -Raw | ConvertFrom-Json
    }
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
    Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-WeComDirectory writes a snapshot of the directory' {
    BeforeAll {
        $script:Target = Join-Path $Work 'full'
        $script:Output = @(Export-WeComDirectory -Path $Target -Detailed -AllTags -Session $Session -PollInterval 0.1 -ErrorAction Stop)
    }

    It 'outputs one summary whose counts equal the truth' {
        $Output.Count | Should -Be 1
        $summary = $Output[0]
        $summary | Should -BeOfType ([WeComExport.Snapshots.WeComDirectorySnapshot])
        $summary.CorpId | Should -Be $Corp.corpId
        $summary.Path | Should -Be (Get-Item -LiteralPath $Target).FullName
        $summary.Members | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind user).count
        $summary.Departments | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department).count
        $tagTotal = 0
        foreach ($tag in Get-WeComTag -Session $Session) { $tagTotal += (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind taguser -TagId $tag.TagId).count }
        $summary.TagMembers | Should -Be $tagTotal
        $summary.TagMembers | Should -BeGreaterThan 0
        @($summary.JobIds.Keys) | Should -Be @('user', 'department', 'taguser-1', 'taguser-2', 'taguser-3', 'taguser-4', 'taguser-5', 'taguser-6')
        $summary.Duration | Should -BeGreaterThan ([timespan]::Zero)
        "$($summary.Formats)" | Should -Be 'Json'
    }

    It 'holds the blocks as WeCom sent them: the member ids equal the truth and every hash matches the manifest' {
        $manifest = Read-Manifest $Target
        $manifest.format | Should -Be 'WeComExport.Snapshot/1'
        $manifest.moduleVersion | Should -Be (Get-Module WeComExport).Version.ToString()
        $users = $manifest.exports | Where-Object kind -EQ 'User'
        $users.files.name | Should -Be 'user.block0000.json'
        $ids = @((Get-Content -LiteralPath (Join-Path $Target 'user.block0000.json') -Raw | ConvertFrom-Json).userlist.userid)
        Get-IdsDigest -Ids $ids | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind user).idsSha256
        $files = @($manifest.exports.files)
        $files.Count | Should -Be 8
        foreach ($file in $files) {
            (Get-FileHash -LiteralPath (Join-Path $Target $file.name) -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $file.sha256
        }
        @(Get-ChildItem -LiteralPath $Target -Force).Count | Should -Be 9
    }

    It 'shows the summary as a table and as a list, job ids included' {
        $table = $Output[0] | Format-Table | Out-String -Width 300
        $table | Should -Match 'Members\s+Departments\s+TagMembers'
        $list = $Output[0] | Format-List | Out-String -Width 300
        $list | Should -Match ('JobIds\s*:\s*user=' + [regex]::Escape($Output[0].JobIds['user']))
    }

    It 'makes files 0600 and folders 0700 on Unix' -Skip:$IsWindows {
        [IO.File]::GetUnixFileMode($Target) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
        Get-ChildItem -LiteralPath $Target -File | ForEach-Object {
            [IO.File]::GetUnixFileMode($_.FullName) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite')
        }
    }

    It 'takes tag ids from the pipeline into one snapshot' {
        $folder = Join-Path $Work 'piped'
        $summary = Get-WeComTag -Session $Session -Name '乒乓*', 'Managers' | Export-WeComDirectory -Path $folder -Session $Session -PollInterval 0.1 -ErrorAction Stop
        @($summary).Count | Should -Be 1
        @($summary.JobIds.Keys) | Should -Be @('simple_user', 'department', 'taguser-1', 'taguser-2')
    }
}

Describe 'Export-WeComDirectory -Format Json, Csv' {
    It 'writes Excel-ready CSV beside the blocks: listed in the manifest with their hashes, one row per record, department paths filled' {
        $path = Join-Path $Work 'with-csv'
        $summary = Export-WeComDirectory -Path $path -Detailed -Format Json, Csv -PollInterval 0.1 -Session $Session -ErrorAction Stop
        $manifest = Read-Manifest $path
        @($manifest.csv.name | Sort-Object) | Should -Be @('departments.csv', 'members.csv')
        foreach ($file in $manifest.csv) {
            (Get-FileHash -LiteralPath (Join-Path $path $file.name) -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $file.sha256
        }

        $bytes = [IO.File]::ReadAllBytes((Join-Path $path 'members.csv'))
        $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF) -Because 'Excel needs the byte-order mark to show Chinese names'
        $members = @(Import-Csv -LiteralPath (Join-Path $path 'members.csv') -Encoding utf8)
        $members.Count | Should -Be $summary.Members
        (Get-IdsDigest -Ids @($members.UserId)) | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind user).idsSha256
        $departments = @(Import-Csv -LiteralPath (Join-Path $path 'departments.csv') -Encoding utf8)
        $departments.Count | Should -Be $summary.Departments
        $withPath = @($members | Where-Object { $_.Department -and $_.DepartmentPath })
        $withPath.Count | Should -Be $members.Count -Because 'every member is in a department of the same snapshot'
        $root = ($departments | Where-Object Id -eq 1).Name
        $withPath | ForEach-Object { $_.DepartmentPath | Should -BeLike "$root*" }
    }

    It 'with Csv only it keeps the CSV files and no block files' {
        $path = Join-Path $Work 'csv-only'
        $null = Export-WeComDirectory -Path $path -Format Csv -PollInterval 0.1 -Session $Session -ErrorAction Stop
        @(Get-ChildItem -LiteralPath $path -Filter '*.json' | Where-Object Name -ne 'manifest.json').Count | Should -Be 0
        @((Read-Manifest $path).csv.name | Sort-Object) | Should -Be @('departments.csv', 'members.csv')
    }
}

Describe 'Replacing a snapshot' {
    BeforeAll {
        $script:Folder = Join-Path $Work 'replaced'
        $script:First = Export-WeComDirectory -Path $Folder -TagId 1 -Session $Session -PollInterval 0.1 -ErrorAction Stop
    }
    BeforeEach { Clear-EmulatorState $Emulator }

    It '-WhatIf sends nothing, creates nothing and leaves a snapshot as it is' {
        $before = Get-Fingerprint $Folder
        $new = Join-Path $Work 'whatif'
        $output = Export-WeComDirectory -Path $new -Detailed -AllTags -Session $Session -WhatIf
        $output | Should -BeNullOrEmpty
        Test-Path -LiteralPath $new | Should -BeFalse
        $output = Export-WeComDirectory -Path $Folder -AllTags -Session $Session -WhatIf
        $output | Should -BeNullOrEmpty
        Get-EmulatorRequestCount $Emulator | Should -Be 0
        Get-Fingerprint $Folder | Should -Be $before
    }

    It 'a second export replaces the first whole and leaves nothing beside it' {
        $second = Export-WeComDirectory -Path $Folder -Session $Session -PollInterval 0.1 -ErrorAction Stop
        $second.JobIds['simple_user'] | Should -Not -Be $First.JobIds['simple_user']
        $manifest = Read-Manifest $Folder
        @($manifest.exports.jobId) | Should -Be @($second.JobIds.Values)
        Test-Path -LiteralPath (Join-Path $Folder 'taguser-1.block0000.json') | Should -BeFalse -Because 'the new snapshot has no tag exports'
        @(Get-ChildItem -LiteralPath $Work -Force -Filter '.replaced.*') | Should -BeNullOrEmpty
    }

    It 'a failing export (<Fault>) keeps the previous snapshot byte for byte: <ErrorId>' -ForEach @(
        @{ Fault = 'fail-job'; Count = 1; Path = '/cgi-bin/export/department'; ErrorId = 'WeComExportFailed' }
        @{ Fault = 'corrupt-byte'; Count = 50; Path = '/downloadobject'; ErrorId = 'WeComBlockIntegrityFailed' }
        @{ Fault = 'empty-result'; Count = 1000; Path = '/cgi-bin/export/get_result'; ErrorId = 'WeComExportEmpty' }
        @{ Fault = 'empty-job'; Count = 1; Path = '/cgi-bin/export/simple_user'; ErrorId = 'WeComExportEmpty' }
        @{ Fault = 'repeat-block'; Count = 1000; Path = '/cgi-bin/export/get_result'; ErrorId = 'WeComInvalidAnswer' }
    ) {
        $before = Get-Fingerprint $Folder
        $mark = Get-ErrorMark
        $null = Add-EmulatorFault $Emulator $Fault -Count $Count -Path $Path
        $output = Export-WeComDirectory -Path $Folder -TagId 4 -Session $Session -PollInterval 0.1 -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $problems[0].TargetObject | Should -Be (Get-Item -LiteralPath $Folder).FullName
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        # Which export failed is in the message, whether the engine's message said it or not.
        $problems[0].ErrorDetails.Message | Should -Match 'the (simple_user|department|taguser-4) export'
        Get-ModuleErrorRecord -Mark $mark | Assert-CataloguedError
        Get-Fingerprint $Folder | Should -Be $before
        @(Get-ChildItem -LiteralPath $Work -Force -Filter '.replaced.*') | Should -BeNullOrEmpty
    }
    It 'an export of no department (an app whose visible range lists members only) is still a snapshot, with one warning' {
        $null = Add-EmulatorFault $Emulator 'empty-job' -Count 1 -Path '/cgi-bin/export/department'
        $snapshot = Export-WeComDirectory -Path $Folder -Session $Session -PollInterval 0.1 -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue
        @($warned).Count | Should -Be 1
        "$warned" | Should -Match 'holds no department'
        $manifest = Read-Manifest $Folder
        @($manifest.exports | Where-Object kind -eq 'Department').recordCount | Should -Be 0
        @(Import-WeComExport $Folder -ErrorAction Stop | Where-Object { $_ -is [WeComExport.Records.WeComDepartment] }).Count | Should -Be 0
        $snapshot | Should -Not -BeNullOrEmpty
    }
}

Describe 'What Export-WeComDirectory refuses' {
    BeforeEach { Clear-EmulatorState $Emulator }

    It '<Case> is refused with WeComInvalidSnapshotPath before any request' -ForEach @(
        @{ Case = 'a Function: path'; Path = 'Function:/wecomx'; Says = 'Function' }
        @{ Case = 'a blank path'; Path = ' '; Says = 'blank' }
    ) {
        Push-Location $Work
        try {
            $e = { Export-WeComDirectory -Path $Path -Session $Session } | Should -Throw -ErrorId 'WeComInvalidSnapshotPath,*' -PassThru
        }
        finally { Pop-Location }
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match $Says
        $e.ErrorDetails.RecommendedAction | Should -Match 'file system'
        Get-EmulatorRequestCount $Emulator | Should -Be 0
        @(Get-ChildItem -LiteralPath $Work -Force | Where-Object Name -Match '^\s*$|wecomx').Count | Should -Be 0
    }

    It 'a path under a file is refused with WeComInvalidSnapshotPath before any request' {
        $file = Join-Path $Work 'plain-file.txt'
        Set-Content -LiteralPath $file -Value 'not a folder'
        $e = { Export-WeComDirectory -Path (Join-Path $file 'snap') -Session $Session } | Should -Throw -ErrorId 'WeComInvalidSnapshotPath,*' -PassThru
        $e.Exception.Message | Should -Match 'on its path is a file'
        Get-EmulatorRequestCount $Emulator | Should -Be 0
    }

    It 'a folder that is neither empty nor a snapshot is refused and left as it is, unless -Force' {
        $folder = Join-Path $Work 'mine'
        $null = New-Item -ItemType Directory $folder
        Set-Content -LiteralPath (Join-Path $folder 'notes.txt') -Value 'my notes'
        $e = { Export-WeComDirectory -Path $folder -Session $Session } | Should -Throw -ErrorId 'WeComSnapshotPathInUse,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.Exception.Message | Should -Match 'not a snapshot folder'
        $e.ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-EmulatorRequestCount $Emulator | Should -Be 0
        Get-Content -LiteralPath (Join-Path $folder 'notes.txt') | Should -Be 'my notes'

        $summary = Export-WeComDirectory -Path $folder -Force -Session $Session -PollInterval 0.1 -ErrorAction Stop
        $summary.Members | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind simple_user).count
        Test-Path -LiteralPath (Join-Path $folder 'notes.txt') | Should -BeFalse
    }

    It 'a folder whose manifest.json is not a snapshot''s (a web app''s, or an empty one) is refused and left as it is' -ForEach @(
        @{ Case = 'a web app manifest'; Manifest = '{"name":"My PWA","start_url":"/"}'; Why = 'is not a snapshot manifest (WeComExport.Snapshot/1)' }
        @{ Case = 'an empty file'; Manifest = ''; Why = 'is empty' }
    ) {
        $folder = Join-Path $Work ('app-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory (Join-Path $folder 'src')
        [IO.File]::WriteAllText((Join-Path $folder 'manifest.json'), $Manifest)
        Set-Content -LiteralPath (Join-Path $folder 'src/index.js') -Value 'keep me'
        $e = { Export-WeComDirectory -Path $folder -Session $Session } | Should -Throw -ErrorId 'WeComSnapshotPathInUse,*' -PassThru
        $e.Exception.Message | Should -Match ([regex]::Escape($Why))
        Get-EmulatorRequestCount $Emulator | Should -Be 0
        Get-Content -LiteralPath (Join-Path $folder 'src/index.js') | Should -Be 'keep me'
        [IO.File]::ReadAllText((Join-Path $folder 'manifest.json')) | Should -Be $Manifest
    }
}

Describe 'Progress' {
    It 'writes progress while it runs and completes it, and none under SilentlyContinue' {
        $module = Join-Path (Get-TestModulePath) 'WeComExport.psd1'
        foreach ($preference in 'Continue', 'SilentlyContinue') {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($Module, $Session, $Path, $Preference)
                        Import-Module $Module
                        $ProgressPreference = $Preference
                        Export-WeComDirectory -Path $Path -TagId 1 -Session $Session -PollInterval 0.1 -ErrorAction Stop
                    }).AddArgument($module).AddArgument($Session).AddArgument((Join-Path $Work "progress-$preference")).AddArgument($preference)
                $output = $ps.Invoke()
                $ps.HadErrors | Should -BeFalse
                $output.Count | Should -Be 1
                $records = @($ps.Streams.Progress)
                if ($preference -eq 'SilentlyContinue') {
                    $records | Should -BeNullOrEmpty
                    continue
                }
                $main = @($records | Where-Object ParentActivityId -EQ -1)
                $children = @($records | Where-Object ParentActivityId -NE -1)
                $main.Count | Should -BeGreaterThan 1
                $main[-1].RecordType | Should -Be 'Completed'
                $records[-1].RecordType | Should -Be 'Completed'
                @($children | Where-Object RecordType -EQ 'Completed').Count | Should -BeGreaterOrEqual 3 -Because 'each of the three exports completes its own activity'
                @($children.Activity | Where-Object { $_ -like 'simple_user export jobid_*' }).Count | Should -BeGreaterThan 0
            }
            finally { $ps.Dispose() }
        }
    }
}
