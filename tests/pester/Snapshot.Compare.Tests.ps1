# Compare-WeComExport end to end with the published module: a snapshot of the real emulator's
# directory compared with itself, and with a copy edited by hand (a member added, one removed, one
# moved to another position, a department renamed, a tag member removed, the manifest re-sealed),
# from paths, from objects and from the pipeline.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 2000 -ExtraArguments '--job-delay', '50'
    $script:Corp = $Emulator.Corps[0]
    $script:Session = Connect-TestCorp $Emulator
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-compare-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $Work
    $script:Mark = Get-ErrorMark

    $script:Jobs = @(
        Start-WeComUserExport -Detailed -Session $Session
        Start-WeComDepartmentExport -Session $Session
        Start-WeComTagUserExport -TagId 1 -Session $Session
    ) | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
    $script:SnapA = Join-Path $Work 'a'
    $exports = New-TestSnapshot -Folder $SnapA -Jobs $Jobs -CorpId $Corp.corpId
    $script:Total = @(Import-WeComExport $SnapA -ErrorAction Stop).Count

    # B: A edited by hand, then re-sealed (new sizes and hashes in its manifest).
    $script:SnapB = Join-Path $Work 'b'
    Copy-Item -LiteralPath $SnapA -Destination $SnapB -Recurse
    $users = [System.Text.Json.Nodes.JsonNode]::Parse([IO.File]::ReadAllText((Join-Path $SnapA 'user.block0000.json')))['userlist']
    $script:RemovedUser = [string] $users[0]['userid']
    $script:MovedUser = [string] $users[1]['userid']
    $script:OldPosition = [string] $users[1]['position']
    Edit-TestBlockFile (Join-Path $SnapB 'user.block0000.json') {
        param($root)
        $list = $root['userlist']
        $list.RemoveAt(0)
        $list[0]['position'] = [System.Text.Json.Nodes.JsonValue]::Create('首席新职位')
        $list.Add([System.Text.Json.Nodes.JsonNode]::Parse('{"userid":"newcomer","name":"新同事","department":[1],"status":1}'))
    }
    $departments = [System.Text.Json.Nodes.JsonNode]::Parse([IO.File]::ReadAllText((Join-Path $SnapA 'department.block0000.json')))['department']
    $script:RenamedDepartment = [string] $departments[1]['id']
    Edit-TestBlockFile (Join-Path $SnapB 'department.block0000.json') { param($root) $root['department'][1]['name'] = [System.Text.Json.Nodes.JsonValue]::Create('改名后的部门') }
    $tag = [System.Text.Json.Nodes.JsonNode]::Parse([IO.File]::ReadAllText((Join-Path $SnapA 'taguser-1.block0000.json')))
    $script:UntaggedUser = [string] $tag['userlist'][0]['userid']
    Edit-TestBlockFile (Join-Path $SnapB 'taguser-1.block0000.json') { param($root) $root['userlist'].RemoveAt(0) }
    Write-TestSnapshotManifest -Folder $SnapB -CorpId $Corp.corpId -Exports $exports

    $script:Expected = @(
        "Added User newcomer"
        "Changed Department $RenamedDepartment (Name)"
        "Changed User $MovedUser (Position)"
        "Removed TagUser 1:user:$UntaggedUser"
        "Removed User $RemovedUser"
    )
    function Format-Change([Parameter(ValueFromPipeline)] $Change) { process { $Change.ToString() } }
    function Sort-Ordinal([Parameter(ValueFromPipeline)] [string] $Text) {
        begin { $all = [Collections.Generic.List[string]]::new() }
        process { $all.Add($Text) }
        end { $sorted = $all.ToArray(); [Array]::Sort($sorted, [StringComparer]::Ordinal); $sorted }
    }
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
    Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Compare-WeComExport of a snapshot with itself' {
    It 'writes nothing' {
        @(Compare-WeComExport -ReferencePath $SnapA -DifferencePath $SnapA -ErrorAction Stop) | Should -BeNullOrEmpty
    }

    It 'with -IncludeEqual writes one Equal per record' {
        $equal = @(Compare-WeComExport $SnapA $SnapA -IncludeEqual -ErrorAction Stop)
        $equal.Count | Should -Be $Total
        $equal | ForEach-Object ChangeType | Select-Object -Unique | Should -Be 'Equal'
        @($equal | ForEach-Object { "$($_.Kind)/$($_.Id)" } | Select-Object -Unique).Count | Should -Be $Total
        @($equal | Where-Object CorpId -NE $Corp.corpId) | Should -BeNullOrEmpty
    }

    It 'and with the directory received again now writes nothing (the runbook case: a live export piped in)' {
        $changes = @($Jobs | Where-Object Kind -EQ User | Receive-WeComExport | Compare-WeComExport -ReferencePath $SnapA -Kind User -ErrorAction Stop)
        $changes | Should -BeNullOrEmpty
    }
}

Describe 'Compare-WeComExport of a hand-edited copy' {
    It 'writes exactly the edits: one Added, two Removed, two Changed with their properties' {
        $changes = @(Compare-WeComExport -ReferencePath $SnapA -DifferencePath $SnapB -ErrorAction Stop)
        $changes | Format-Change | Sort-Ordinal | Should -Be $Expected
    }

    It 'each change carries its records, name and corp' {
        $changes = @(Compare-WeComExport $SnapA $SnapB -ErrorAction Stop)
        $moved = $changes | Where-Object Id -EQ $MovedUser
        $moved.ReferenceRecord.Position | Should -Be $OldPosition
        $moved.DifferenceRecord.Position | Should -Be '首席新职位'
        $moved.ChangedProperties | Should -Be @('Position')
        $moved.Name | Should -Be $moved.DifferenceRecord.Name
        $moved.CorpId | Should -Be $Corp.corpId
        $added = $changes | Where-Object ChangeType -EQ Added
        $added.Name | Should -Be '新同事'
        $added.ReferenceRecord | Should -BeNullOrEmpty
        $added.DifferenceRecord | Should -BeOfType ([WeComExport.Records.WeComUser])
        $removed = $changes | Where-Object { $_.ChangeType -eq 'Removed' -and $_.Kind -eq 'User' }
        $removed.ReferenceRecord.UserId | Should -Be $RemovedUser
        $removed.DifferenceRecord | Should -BeNullOrEmpty
        ($changes | Where-Object Kind -EQ TagUser).ReferenceRecord.TagId | Should -Be 1
    }

    It '-Kind compares one kind' {
        $changes = @(Compare-WeComExport $SnapA $SnapB -Kind User -ErrorAction Stop)
        $changes | Format-Change | Sort-Ordinal | Should -Be @($Expected | Where-Object { $_ -match '^\w+ User ' })
    }

    It 'gives the same from objects, from piped records and from mixed paths and objects' {
        $recordsA = @(Import-WeComExport $SnapA -ErrorAction Stop)
        $recordsB = @(Import-WeComExport $SnapB -ErrorAction Stop)
        Compare-WeComExport -ReferenceObject $recordsA -DifferenceObject $recordsB -ErrorAction Stop | Format-Change | Sort-Ordinal | Should -Be $Expected
        Import-WeComExport $SnapB | Compare-WeComExport -ReferencePath $SnapA -ErrorAction Stop | Format-Change | Sort-Ordinal | Should -Be $Expected
        Compare-WeComExport -ReferenceObject $recordsA -DifferencePath $SnapB -ErrorAction Stop | Format-Change | Sort-Ordinal | Should -Be $Expected
        Compare-WeComExport -ReferenceObject @() -DifferenceObject $recordsB -Kind Department -ErrorAction Stop | ForEach-Object ChangeType | Select-Object -Unique | Should -Be 'Added'
    }

    It 'one kind piped against a whole snapshot compares that kind only, and warns about each kind one side alone holds' {
        $departments = @(Import-WeComExport $SnapB -Kind Department -ErrorAction Stop)
        $changes = @($departments | Compare-WeComExport -ReferencePath $SnapA -ErrorAction Stop -WarningVariable warnings 3>$null)
        $changes | Format-Change | Should -Be @($Expected | Where-Object { $_ -match '^\w+ Department ' })
        $warnings.Count | Should -Be 2
        ($warnings -join "`n") | Should -Match 'reference holds User records'
        ($warnings -join "`n") | Should -Match 'reference holds TagUser records'
        ($warnings -join "`n") | Should -Match '-Kind User'
        # The other way round: a kind only the difference holds is not Added either.
        $users = @(Import-WeComExport $SnapA -Kind User -ErrorAction Stop)
        $changes = @(Compare-WeComExport -ReferenceObject $users -DifferencePath $SnapB -ErrorAction Stop -WarningVariable warnings 3>$null)
        $changes | Format-Change | Sort-Ordinal | Should -Be @($Expected | Where-Object { $_ -match '^\w+ User ' })
        ($warnings -join "`n") | Should -Match 'difference holds Department records'
        # Asked for by -Kind, the one-sided kind is compared: every member Removed.
        @($departments | Compare-WeComExport -ReferencePath $SnapA -Kind User -ErrorAction Stop -WarningVariable warnings).Count | Should -BeGreaterThan 0
        $warnings | Should -BeNullOrEmpty
    }

    It 'a snapshot whose manifest lists an empty export of a kind holds it: its records in the other snapshot are Removed, not skipped' {
        $empty = Join-Path $Work 'empty-tag'
        Copy-Item -LiteralPath $SnapA -Destination $empty -Recurse
        Edit-TestBlockFile (Join-Path $empty 'taguser-1.block0000.json') { param($root) $root['userlist'].Clear(); if ($root['partylist']) { $root['partylist'].Clear() } }
        Write-TestSnapshotManifest -Folder $empty -CorpId $Corp.corpId -Exports $exports
        $changes = @(Compare-WeComExport $SnapA $empty -Kind TagUser -ErrorAction Stop)
        $changes.Count | Should -BeGreaterThan 0
        @(Compare-WeComExport $SnapA $empty -ErrorAction Stop -WarningVariable warnings 3>$null | Where-Object Kind -EQ TagUser).Count | Should -Be $changes.Count
        $warnings | Should -BeNullOrEmpty
    }

    It 'an empty block file without a manifest still holds its kind: its records on the other side are Removed' {
        $loose = Join-Path $Work 'loose-empty-tag'
        $null = New-Item -ItemType Directory $loose
        Get-ChildItem -LiteralPath $SnapA -Filter '*.block*.json' | Copy-Item -Destination $loose
        Edit-TestBlockFile (Join-Path $loose 'taguser-1.block0000.json') { param($root) $root['userlist'].Clear(); if ($root['partylist']) { $root['partylist'].Clear() } }
        $tagged = @(Import-WeComExport $SnapA -Kind TagUser -ErrorAction Stop).Count
        $changes = @(Compare-WeComExport $SnapA $loose -ErrorAction Stop -WarningVariable warnings 3>$null)
        @($changes | Where-Object { $_.Kind -eq 'TagUser' -and $_.ChangeType -eq 'Removed' }).Count | Should -Be $tagged
        $warnings | Should -BeNullOrEmpty
    }

    It 'members compared with member details (snapshots or piped records) warn that every detail field shows as changed' {
        $simpleJob = Start-WeComUserExport -Session $Session | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
        $simple = Join-Path $Work 'simple'
        $null = New-TestSnapshot -Folder $simple -Jobs $simpleJob -CorpId $Corp.corpId
        $null = Compare-WeComExport $simple $SnapA -Kind User -ErrorAction Stop -WarningVariable warnings 3>$null
        ($warnings -join "`n") | Should -Match 'reference holds members and the difference member details'
        # Piped records too: plain members received now against the detailed snapshot.
        $null = $simpleJob | Receive-WeComExport -ErrorAction Stop | Compare-WeComExport -ReferencePath $SnapA -Kind User -ErrorAction Stop -WarningVariable piped 3>$null
        ($piped -join "`n") | Should -Match 'reference holds member details and the difference members'
        $null = Compare-WeComExport $SnapA $SnapB -ErrorAction Stop -WarningVariable alike 3>$null
        $alike | Should -BeNullOrEmpty
    }

    It 'snapshots of two corps warn that two corps are compared' {
        $other = Join-Path $Work 'other-corp'
        Copy-Item -LiteralPath $SnapA -Destination $other -Recurse
        $manifestPath = Join-Path $other 'manifest.json'
        $manifest = Get-Content -LiteralPath $manifestPath -Raw
        [IO.File]::WriteAllText($manifestPath, $manifest.Replace($Corp.corpId, 'wwanothercorp00000'))
        $null = Compare-WeComExport $SnapA $other -Kind Department -ErrorAction Stop -WarningVariable warnings 3>$null
        ($warnings -join "`n") | Should -Match ([regex]::Escape("reference is of corp $($Corp.corpId) and the difference of corp wwanothercorp00000"))
        $null = Compare-WeComExport $SnapA $SnapB -Kind Department -ErrorAction Stop -WarningVariable alike 3>$null
        $alike | Should -BeNullOrEmpty
        # Two corps on one side: the reference names no one corp.
        $null = Compare-WeComExport -ReferencePath $SnapA, $other -DifferencePath $SnapB -Kind Department -ErrorAction SilentlyContinue -WarningVariable mixed 3>$null
        ($mixed -join "`n") | Should -Match 'reference holds records of more than one corp'
    }

    It 'two folders of loose blocks compare without warnings; a reference with an unfinished write warns once' {
        $looseA = Join-Path $Work 'loose-a'
        $looseB = Join-Path $Work 'loose-b'
        $null = New-Item -ItemType Directory $looseA, $looseB
        Get-ChildItem -LiteralPath $SnapA -Filter '*.block*.json' | Copy-Item -Destination $looseA
        Get-ChildItem -LiteralPath $SnapB -Filter '*.block*.json' | Copy-Item -Destination $looseB
        Compare-WeComExport $looseA $looseB -ErrorAction Stop -WarningVariable warnings 3>$null | Format-Change | Sort-Ordinal | Should -Be $Expected
        $warnings | Should -BeNullOrEmpty
        Set-Content -LiteralPath (Join-Path $looseA ('.user.block0001.json.host-1.4242.' + ('0' * 32) + '.wecomexport.tmp')) -Value '{'
        $null = Compare-WeComExport $looseA $looseB -ErrorAction Stop -WarningVariable warnings 3>$null
        @($warnings | Where-Object { "$_" -match 'unfinished' }).Count | Should -Be 1 -Because 'the reference is read twice, and warned about once'
    }

    It 'the other way round, Added and Removed swap' {
        $changes = @(Compare-WeComExport $SnapB $SnapA -ErrorAction Stop)
        ($changes | Where-Object ChangeType -EQ Removed | Where-Object Kind -EQ User).Id | Should -Be 'newcomer'
        ($changes | Where-Object ChangeType -EQ Added).Id | Sort-Ordinal | Should -Be @("1:user:$UntaggedUser", $RemovedUser)
    }

    It 'shows as a table of ChangeType, Kind, Id, Name, ChangedProperties, and ChangedProperties survives Export-Csv' {
        $changes = @(Compare-WeComExport $SnapA $SnapB -ErrorAction Stop)
        $table = $changes | Format-Table | Out-String -Width 200
        $table | Should -Match 'ChangeType\s+Kind\s+Id\s+Name\s+ChangedProperties'
        $table | Should -Match 'Changed\s+User\s+\S+\s+\S+\s+Position'
        $csv = Join-Path $Work 'changes.csv'
        $changes | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding utf8
        (Import-Csv -LiteralPath $csv | Where-Object Id -EQ $MovedUser).ChangedProperties | Should -Be 'Position'
    }
}

Describe 'Compare-WeComExport refuses what it cannot compare exactly' {
    It 'a changed reference file ends the comparison with WeComSnapshotFileChanged naming it, before any change is written' {
        $copy = Join-Path $Work 'tampered'
        Copy-Item -LiteralPath $SnapA -Destination $copy -Recurse
        $file = Join-Path $copy 'department.block0000.json'
        Edit-TestBlockFile $file { param($root) $root['department'][0]['name'] = [System.Text.Json.Nodes.JsonValue]::Create('x') }

        $out = [Collections.Generic.List[object]]::new()
        $e = { Compare-WeComExport $copy $SnapB -ErrorAction Stop | ForEach-Object { $out.Add($_) } } | Should -Throw -ErrorId 'WeComSnapshotFileChanged,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.TargetObject | Should -Be $file
        $e.Exception.Message | Should -Match 'department\.block0000\.json'
        $out.Count | Should -Be 0
    }

    It 'a missing path fails at once, before the other side is read' {
        { Compare-WeComExport $SnapA (Join-Path $Work 'no-such') -ErrorAction Stop } | Should -Throw -ErrorId 'WeComPathNotFound,*'
        { Compare-WeComExport 'Variable:/x' $SnapA -ErrorAction Stop } | Should -Throw -ErrorId 'WeComInvalidPath,*'
    }

    It 'a record id twice on one side is one WeComDuplicateRecord error, and the first is compared' {
        $one = @(Import-WeComExport $SnapA -Kind Department -ErrorAction Stop)[0]
        $changes = @(Compare-WeComExport -ReferenceObject @($one, $one) -DifferenceObject @($one) -ErrorVariable problems -ErrorAction SilentlyContinue)
        $changes | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComDuplicateRecord,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }
}

Describe 'Errors of this file' {
    It 'every error record the module made here has a catalogued ErrorId' {
        Get-ModuleErrorRecord -Mark $Mark | Assert-CataloguedError
    }
}
