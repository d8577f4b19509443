# The nightly job end to end: a snapshot, the directory changes (the emulator's control endpoint, which
# answers with the ground truth of what it changed), a second snapshot, and Compare-WeComExport between
# them must give exactly those changes: the same records, change types and changed properties.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../examples/WeComEmulator.psm1') -Force
    $script:Emulator = Start-TestEmulator -Members 1500 -ExtraArguments '--job-delay', '50'
    $script:Session = Connect-TestCorp $Emulator
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-changes-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $Work

    function ConvertTo-PropertyName([string] $Field) {
        # WeCom's JSON field names → the record property names Compare reports.
        $special = @{ userid = 'UserId'; open_userid = 'OpenUserId'; parentid = 'ParentId'; extattr = 'ExtAttr'; tagname = 'TagName' }
        if ($special.ContainsKey($Field)) { return $special[$Field] }
        -join ($Field -split '_' | ForEach-Object { $_.Substring(0, 1).ToUpperInvariant() + $_.Substring(1) })
    }

    function Get-ExpectedChange($Change) {
        $id = switch ($Change.kind) {
            'TagUser' {
                $member, $value = $Change.id -split ':', 2
                '{0}:{1}:{2}' -f $Change.tagid, $(if ($member -eq 'party') { 'department' } else { 'user' }), $value
            }
            default { "$($Change.id)" }
        }
        $properties = @($Change.changedFields | Where-Object { $_ } | ForEach-Object { ConvertTo-PropertyName $_ } | Sort-Object)
        '{0} {1} {2} [{3}]' -f $Change.changeType, $Change.kind, $id, ($properties -join ',')
    }

    function Get-ActualChange($Change) {
        $properties = @($Change.ChangedProperties | Where-Object { $_ } | Sort-Object)
        '{0} {1} {2} [{3}]' -f $Change.ChangeType, $Change.Kind, $Change.Id, ($properties -join ',')
    }
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Who joined, who left, who moved: two snapshots compared' {
    It 'Compare-WeComExport between the snapshots before and after a change gives exactly the changes made' {
        $before = Join-Path $Work 'monday'
        $after = Join-Path $Work 'tuesday'
        $null = Export-WeComDirectory -Path $before -Detailed -AllTags -PollInterval 0.1 -Session $Session -ErrorAction Stop
        $made = @(Update-WeComEmulatorDirectory $Emulator -Random @{ seed = 11; addMembers = 6; removeMembers = 4; editMembers = 8; moveMembers = 5; renameDepartments = 2; addDepartments = 2 })
        $made.Count | Should -BeGreaterThan 20 -Because 'the change set must exercise every kind of change'
        $null = Export-WeComDirectory -Path $after -Detailed -AllTags -PollInterval 0.1 -Session $Session -ErrorAction Stop

        $changes = @(Compare-WeComExport -ReferencePath $before -DifferencePath $after -ErrorAction Stop)
        $expected = @($made | ForEach-Object { Get-ExpectedChange $_ } | Sort-Object)
        $actual = @($changes | ForEach-Object { Get-ActualChange $_ } | Sort-Object)
        $actual | Should -Be $expected
        @($changes.ChangeType | ForEach-Object { "$_" } | Sort-Object -Unique) | Should -Be @('Added', 'Changed', 'Removed')
        @($changes.Kind | ForEach-Object { "$_" } | Sort-Object -Unique) | Should -Be @('Department', 'TagUser', 'User')

        # Each change carries the records themselves: the new member's, the removed member's, both for a move.
        $added = $changes | Where-Object { $_.ChangeType -eq 'Added' -and $_.Kind -eq 'User' } | Select-Object -First 1
        $added.DifferenceRecord.UserId | Should -Be $added.Id
        $added.ReferenceRecord | Should -BeNullOrEmpty
        $removed = $changes | Where-Object { $_.ChangeType -eq 'Removed' -and $_.Kind -eq 'User' } | Select-Object -First 1
        $removed.ReferenceRecord.UserId | Should -Be $removed.Id
        $moved = $changes | Where-Object { $_.Kind -eq 'User' -and $_.ChangedProperties -contains 'Department' } | Select-Object -First 1
        "$($moved.ReferenceRecord.Department)" | Should -Not -Be "$($moved.DifferenceRecord.Department)"
        $changes | ForEach-Object { $_.CorpId | Should -Be $Emulator.Corps[0].corpId }
    }

    It 'a snapshot compared with itself has no changes, and -IncludeEqual shows every record as Equal' {
        $path = Join-Path $Work 'same'
        $summary = Export-WeComDirectory -Path $path -PollInterval 0.1 -Session $Session -ErrorAction Stop
        @(Compare-WeComExport -ReferencePath $path -DifferencePath $path -ErrorAction Stop).Count | Should -Be 0
        $equal = @(Compare-WeComExport -ReferencePath $path -DifferencePath $path -IncludeEqual -ErrorAction Stop)
        $equal.Count | Should -Be ($summary.Members + $summary.Departments)
        @($equal.ChangeType | ForEach-Object { "$_" } | Sort-Object -Unique) | Should -Be @('Equal')
    }
}
