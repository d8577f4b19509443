# Import-WeComExport end to end with the published module: exports received from the real emulator
# with -OutputDirectory (loose block files) and made into a snapshot folder (block files + manifest.json)
# read back as the records Receive-WeComExport gives; changed, missing and CSV-only snapshots; paths.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    # 12,000 members: members in 2 blocks at BlockSize 10000, departments and tag 1 in one block each.
    $script:Emulator = Start-TestEmulator -Members 12000 -ExtraArguments '--job-delay', '50'
    $script:Corp = $Emulator.Corps[0]
    $script:Session = Connect-TestCorp $Emulator
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-import-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $Work
    $script:Mark = Get-ErrorMark

    $script:Tag = Get-WeComTag -Session $Session | Where-Object TagId -EQ 1
    $script:Jobs = @(
        Start-WeComUserExport -BlockSize 10000 -Session $Session
        Start-WeComDepartmentExport -Session $Session
        Start-WeComTagUserExport -TagId 1 -Session $Session
    ) | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
    $script:Received = @($Jobs | Receive-WeComExport -ErrorAction Stop)

    $script:Loose = Join-Path $Work 'loose'
    $script:LooseFiles = @($Jobs | Receive-WeComExport -OutputDirectory $Loose -ErrorAction Stop)
    $script:Snapshot = Join-Path $Work 'snapshot'
    $script:SnapshotExports = New-TestSnapshot -Folder $Snapshot -Jobs $Jobs -CorpId $Corp.corpId -TagNames @{ 1L = $Tag.TagName }

    function Copy-Snapshot([string] $Name) {
        $copy = Join-Path $Work $Name
        Copy-Item -LiteralPath $Snapshot -Destination $copy -Recurse
        $copy
    }
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
    Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Import-WeComExport reads back what Receive-WeComExport received' {
    It 'the exports are in several files: 2 member blocks, 1 department block, 1 tag block' {
        $LooseFiles.Count | Should -Be 4
        ($Jobs | Where-Object Kind -EQ SimpleUser).LastResult.BlockCount | Should -Be 2
        (Get-ChildItem -LiteralPath $Snapshot -File).Name | Sort-Object | Should -Be @(
            'department.block0000.json', 'manifest.json', 'simple_user.block0000.json', 'simple_user.block0001.json', 'taguser-1.block0000.json')
    }

    It 'a snapshot gives records equal to Receive''s, kind by kind, with the manifest''s CorpId, tag id and tag name' {
        $imported = @(Import-WeComExport -Path $Snapshot -ErrorAction Stop)

        $imported.Count | Should -Be $Received.Count
        @(Compare-WeComExport -ReferenceObject $Received -DifferenceObject $imported -ErrorAction Stop) | Should -BeNullOrEmpty
        @($imported | Where-Object CorpId -NE $Corp.corpId) | Should -BeNullOrEmpty
        $members = @($imported | Where-Object { $_ -is [WeComExport.Records.WeComTagMember] })
        $members.Count | Should -BeGreaterThan 0
        $members | ForEach-Object TagId | Select-Object -Unique | Should -Be 1
        $members | ForEach-Object TagName | Select-Object -Unique | Should -Be $Tag.TagName
        foreach ($kind in 'simple_user', 'department') {
            $type = if ($kind -eq 'department') { [WeComExport.Records.WeComDepartment] } else { [WeComExport.Records.WeComUser] }
            $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind $kind
            $summary = Get-ExportSummary -Records @($imported | Where-Object { $_ -is $type })
            $summary.Count | Should -Be $truth.count
            $summary.IdsSha256 | Should -Be $truth.idsSha256
        }
    }

    It 'property by property, an imported member is the received one' {
        $imported = @(Import-WeComExport -Path $Snapshot -Kind User -ErrorAction Stop)
        $pick = $Received | Where-Object { $_ -is [WeComExport.Records.WeComUser] } | Select-Object -Index 10001
        $same = $imported | Where-Object UserId -EQ $pick.UserId
        foreach ($property in $pick.PSObject.Properties.Name) {
            "$($same.$property)" | Should -Be "$($pick.$property)" -Because $property
        }
    }

    It 'loose block files without a manifest give the same members and departments, with no CorpId' {
        $imported = @(Import-WeComExport -Path $Loose -ErrorAction Stop)
        $imported.Count | Should -Be $Received.Count
        @($imported | Where-Object { $null -ne $_.CorpId }) | Should -BeNullOrEmpty
        foreach ($kind in 'User', 'Department') {
            @(Compare-WeComExport -ReferenceObject $Received -DifferenceObject $imported -Kind $kind -ErrorAction Stop) | Should -BeNullOrEmpty
        }
        # A tag's id is not in its block, and a block file named after its job does not say it either.
        $imported | Where-Object { $_ -is [WeComExport.Records.WeComTagMember] } | ForEach-Object TagId | Select-Object -Unique | Should -Be 0
    }

    It 'Receive-WeComExport -OutputDirectory pipes its files straight into Import-WeComExport (FullName)' {
        $folder = Join-Path $Work 'piped'
        $imported = @($Jobs | Where-Object Kind -EQ SimpleUser | Receive-WeComExport -OutputDirectory $folder | Import-WeComExport -ErrorAction Stop)
        $imported.Count | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind simple_user).count
    }

    It 'Get-ChildItem of a snapshot''s *.json pipes in too: the manifest is not data, and the files are verified against it' {
        $imported = @(Get-ChildItem -Path (Join-Path $Snapshot '*.json') | Import-WeComExport -ErrorAction Stop)
        $imported.Count | Should -Be $Received.Count
        @($imported | Where-Object CorpId -NE $Corp.corpId) | Should -BeNullOrEmpty
    }

    It 'a manifest.json stands for its snapshot, however given, unless files of its folder are read too' {
        $manifest = Join-Path $Snapshot 'manifest.json'
        @(Import-WeComExport $manifest -ErrorAction Stop).Count | Should -Be $Received.Count
        @(Import-WeComExport -LiteralPath $manifest -Kind Department -ErrorAction Stop).Count | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department).count
        @(Get-Item -LiteralPath $manifest | Import-WeComExport -ErrorAction Stop).Count | Should -Be $Received.Count
        @($manifest | Import-WeComExport -ErrorAction Stop).Count | Should -Be $Received.Count
        @(Import-WeComExport (Join-Path $Snapshot 'manifest*') -ErrorAction Stop).Count | Should -Be $Received.Count
        # Never twice: with the folder itself (however spelled), or with its files.
        @(Import-WeComExport $Snapshot, $manifest -ErrorAction Stop).Count | Should -Be $Received.Count
        @(Import-WeComExport ($Snapshot + [IO.Path]::DirectorySeparatorChar), $manifest -ErrorAction Stop).Count | Should -Be $Received.Count
        @(Import-WeComExport $manifest, (Join-Path $Snapshot 'department.block0000.json') -ErrorAction Stop).Count | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department).count
        @(Compare-WeComExport -ReferencePath $manifest -DifferencePath $Snapshot -ErrorAction Stop) | Should -BeNullOrEmpty
        @(Compare-WeComExport -ReferencePath (Join-Path $Snapshot '*') -DifferencePath $manifest -ErrorAction Stop) | Should -BeNullOrEmpty
    }

    It '-Kind reads one kind; User covers the member blocks' {
        $departments = @(Import-WeComExport $Snapshot -Kind Department -ErrorAction Stop)
        $departments.Count | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department).count
        $departments | ForEach-Object { $_.GetType().Name } | Select-Object -Unique | Should -Be 'WeComDepartment'
        Import-WeComExport $Loose -Kind TagUser -ErrorAction Stop | ForEach-Object { $_.GetType().Name } | Select-Object -Unique | Should -Be 'WeComTagMember'
    }

    It '-LiteralPath takes a folder whose name has wildcard characters; -Path expands wildcards' {
        $odd = Copy-Snapshot 'snap[1]'
        @(Import-WeComExport -LiteralPath $odd -Kind Department -ErrorAction Stop).Count | Should -BeGreaterThan 0
        @(Import-WeComExport -Path (Join-Path $Snapshot 'simple_user.block*.json') -ErrorAction Stop).Count | Should -Be 12000
    }

    It 'a -Path whose wildcard matches nothing but that names a folder exactly reads it: a snapshot at snap[2] pipes into Import and Compare' {
        $odd = Copy-Snapshot 'snap[2]'
        $departments = @(Import-WeComExport -Path $Snapshot -Kind Department -ErrorAction Stop)
        @(Import-WeComExport -Path $odd -Kind Department -ErrorAction Stop).Count | Should -Be $departments.Count
        # What Export-WeComDirectory writes: an object whose Path binds to -Path by property name.
        $written = [pscustomobject]@{ Path = $odd }
        @($written | Import-WeComExport -Kind Department -ErrorAction Stop).Count | Should -Be $departments.Count
        @(Compare-WeComExport -ReferencePath $odd -DifferencePath $Snapshot -Kind Department -ErrorAction Stop) | Should -BeNullOrEmpty
        # The folder of that exact name comes first: snap[2] beside a folder snap2 (that the pattern matches) reads snap[2].
        $plain = Copy-Snapshot 'snap2'
        Remove-Item -LiteralPath (Join-Path $plain 'department.block0000.json')
        @(Import-WeComExport -Path $odd -Kind Department -ErrorAction Stop).Count | Should -Be $departments.Count
        # snap[ is no valid pattern, and still names its folder.
        $open = Copy-Snapshot 'snap['
        @(Import-WeComExport -Path $open -Kind Department -ErrorAction Stop).Count | Should -Be $departments.Count
        # A pattern that names no item exactly is a pattern.
        @(Import-WeComExport -Path (Join-Path $Work 'snapsho[t]') -Kind Department -ErrorAction Stop).Count | Should -Be $departments.Count
    }

    It 'a file named twice in one command (the folder twice, a file in it, overlapping wildcards) is read once, with a warning' {
        $once = @(Import-WeComExport -Path $Snapshot -Kind Department -ErrorAction Stop).Count
        $twice = @(Import-WeComExport -Path $Snapshot, $Snapshot, (Join-Path $Snapshot 'department.block0000.json'), (Join-Path $Snapshot 'depart*') -Kind Department -ErrorAction Stop -WarningVariable warnings 3>$null).Count
        $twice | Should -Be $once
        @($warnings | Where-Object { "$_" -match 'was read already' }).Count | Should -Be 3
    }

    It 'a symbolic link to a snapshot read beside the snapshot itself (a "latest" link) is read once' -Skip:$IsWindows {
        $once = @(Import-WeComExport -Path $Snapshot -Kind Department -ErrorAction Stop).Count
        $latest = Join-Path $Work 'latest'
        $null = New-Item -ItemType SymbolicLink -Path $latest -Target $Snapshot
        @(Import-WeComExport -Path $Snapshot, $latest -Kind Department -ErrorAction Stop -WarningVariable warnings 3>$null).Count | Should -Be $once
        @($warnings | Where-Object { "$_" -match 'was read already' }).Count | Should -Be 1
    }

    It 'streams: the first record comes without reading the rest' {
        $first = Import-WeComExport $Snapshot -Kind User | Select-Object -First 1
        $first | Should -BeOfType ([WeComExport.Records.WeComUser])
    }
}

Describe 'A snapshot that is not as it was written' {
    It 'a changed file is WeComSnapshotFileChanged naming it, none of its records come out, the other files are read' {
        $copy = Copy-Snapshot 'tampered'
        $file = Join-Path $copy 'simple_user.block0001.json'
        Edit-TestBlockFile $file { param($root) $root['userlist'][0]['name'] = [System.Text.Json.Nodes.JsonValue]::Create('改过的名字') }
        $expected = $Received.Count - (Get-BlockFileRecordCount -Path $file)

        $imported = @(Import-WeComExport $copy -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComSnapshotFileChanged,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be $file
        $problems[0].Exception.Message | Should -Match 'simple_user\.block0001\.json'
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $imported.Count | Should -Be $expected
        @($imported | Where-Object Name -EQ '改过的名字') | Should -BeNullOrEmpty
    }

    It 'a missing file is WeComSnapshotFileMissing (ObjectNotFound) naming it; the other files are read' {
        $copy = Copy-Snapshot 'missing'
        Remove-Item -LiteralPath (Join-Path $copy 'department.block0000.json')

        $imported = @(Import-WeComExport $copy -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComSnapshotFileMissing,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].Exception.Message | Should -Match 'department\.block0000\.json'
        @($imported | Where-Object { $_ -is [WeComExport.Records.WeComDepartment] }) | Should -BeNullOrEmpty
        @($imported | Where-Object { $_ -is [WeComExport.Records.WeComUser] }).Count | Should -Be 12000
    }

    It 'a named pipe in place of a block file or the manifest is never opened (an open would wait for a writer for ever)' -Skip:$IsWindows {
        $listed = Copy-Snapshot 'fifo-listed'
        $block = Join-Path $listed 'department.block0000.json'
        Remove-Item -LiteralPath $block
        mkfifo $block
        $loose = Join-Path $Work 'fifo-loose'
        $null = New-Item -ItemType Directory $loose
        mkfifo (Join-Path $loose 'department.block0000.json')
        $manifest = Copy-Snapshot 'fifo-manifest'
        Remove-Item -LiteralPath (Join-Path $manifest 'manifest.json')
        mkfifo (Join-Path $manifest 'manifest.json')

        # A symbolic link to a pipe, in place of a loose block file and of a manifest: judged by what it points to.
        $pipe = Join-Path $Work 'a-pipe'
        mkfifo $pipe
        $linkedLoose = Join-Path $Work 'fifo-linked-loose'
        $null = New-Item -ItemType Directory $linkedLoose
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $linkedLoose 'department.block0000.json') -Target $pipe
        $linkedManifest = Copy-Snapshot 'fifo-linked-manifest'
        Remove-Item -LiteralPath (Join-Path $linkedManifest 'manifest.json')
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $linkedManifest 'manifest.json') -Target $pipe
        $fifos = @($block, (Join-Path $loose 'department.block0000.json'), (Join-Path $manifest 'manifest.json'), $pipe)
        # In a job of its own, so that a regression hangs only the job; a writer then releases any open that waits.
        $job = Start-ThreadJob -ArgumentList (Join-Path (Get-TestModulePath) 'WeComExport.psd1'), $listed, $loose, $manifest, $linkedLoose, $linkedManifest {
            param($module, $listed, $loose, $manifest, $linkedLoose, $linkedManifest)
            Import-Module $module
            foreach ($path in $listed, $loose, $manifest, $linkedLoose, $linkedManifest) {
                $problems = @()
                $count = @(Import-WeComExport -LiteralPath $path -Kind Department -ErrorVariable problems -ErrorAction SilentlyContinue).Count
                [pscustomobject]@{ Path = $path; Count = $count; ErrorIds = @($problems.FullyQualifiedErrorId); Messages = @($problems.Exception.Message) }
            }
        }
        $finished = Wait-Job $job -Timeout 60
        if (-not $finished) {
            foreach ($fifo in $fifos) { & timeout 2 sh -c "exec 3>'$fifo'" }
            $null = Wait-Job $job -Timeout 30
        }
        $results = @(Receive-Job $job)
        Remove-Job $job -Force
        $finished | Should -Not -BeNullOrEmpty -Because 'Import must not wait on a pipe'
        $results.Count | Should -Be 5
        $results[0].Count | Should -Be 0
        $results[0].ErrorIds | Should -BeLike 'WeComSnapshotFileChanged,*'
        $results[0].Messages | Should -Match 'not a regular file'
        $results[1].Count | Should -Be 0
        $results[1].ErrorIds | Should -BeLike 'WeComInvalidBlockFile,*'
        $results[2].Count | Should -Be 0
        $results[2].ErrorIds | Should -BeLike 'WeComInvalidSnapshotManifest,*'
        $results[3].Count | Should -Be 0
        $results[3].ErrorIds | Should -BeLike 'WeComInvalidBlockFile,*'
        $results[4].Count | Should -Be 0
        $results[4].ErrorIds | Should -BeLike 'WeComInvalidSnapshotManifest,*'
    }

    It 'a CSV-only snapshot is WeComSnapshotJsonRequired, saying Import needs JSON block files' {
        $folder = Join-Path $Work 'csv-only'
        $null = New-Item -ItemType Directory $folder
        Set-Content -LiteralPath (Join-Path $folder 'users.csv') -Value 'UserId,Name'
        $csv = [WeComExport.Snapshots.SnapshotFile]::new('users.csv', 12, ('0' * 64), 0)
        Write-TestSnapshotManifest -Folder $folder -CorpId $Corp.corpId -Exports @(@{ Kind = 'SimpleUser'; JobId = 'job'; Files = @(); Blocks = 1; Records = 1 }) -Csv $csv

        $e = { Import-WeComExport $folder -ErrorAction Stop } | Should -Throw -ErrorId 'WeComSnapshotJsonRequired,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidType'
        $e.Exception.Message | Should -Match 'CSV'
        $e.ErrorDetails.RecommendedAction | Should -Match 'JSON'
    }

    It 'a damaged manifest is WeComInvalidSnapshotManifest and nothing it vouches for is read' {
        $copy = Copy-Snapshot 'bad-manifest'
        Set-Content -LiteralPath (Join-Path $copy 'manifest.json') -Value '{"format":"WeComExport.Snapshot/1"'
        $imported = @(Import-WeComExport $copy -ErrorVariable problems -ErrorAction SilentlyContinue)
        $imported.Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComInvalidSnapshotManifest,*'
    }
}

Describe 'Import-WeComExport paths' {
    It '<Case> is <ErrorId>, and the other paths are still read' -ForEach @(
        @{ Case = 'a Function: path'; Path = 'Function:/wecomx'; ErrorId = 'WeComInvalidPath'; Category = 'InvalidArgument' }
        @{ Case = 'a blank path'; Path = ' '; ErrorId = 'WeComInvalidPath'; Category = 'InvalidArgument' }
        @{ Case = 'a path that does not exist'; Path = '/no/such/snapshot'; ErrorId = 'WeComPathNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'a wildcard that matches nothing'; Path = 'no-such-snapshot-*'; ErrorId = 'WeComPathNotFound'; Category = 'ObjectNotFound' }
    ) {
        $imported = @(Import-WeComExport -Path $Path, $Snapshot -Kind Department -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $problems[0].CategoryInfo.Category | Should -Be $Category
        $imported.Count | Should -BeGreaterThan 0
    }

    It 'a relative path is taken from $PWD, not from the process''s folder' {
        Push-Location $Work
        try { @(Import-WeComExport ./snapshot -Kind Department -ErrorAction Stop).Count | Should -BeGreaterThan 0 }
        finally { Pop-Location }
    }
}

Describe 'Errors of this file' {
    It 'every error record the module made here has a catalogued ErrorId' {
        Get-ModuleErrorRecord -Mark $Mark | Assert-CataloguedError
    }
}
