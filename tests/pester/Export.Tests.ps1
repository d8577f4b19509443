# The export workflow end to end against the real emulator over real HTTP, with the published
# module: every kind, in one block and in several, to the pipeline and to files, by job object and
# by job id + key; -WhatIf; arrays that survive Export-Csv. Failures live in Export.Errors.Tests.ps1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    # 25,000 members: 3 blocks of simple_user/user at BlockSize 10000, 1,667 departments, and tag 4
    # (about half the members) in 2 blocks.
    $script:Emulator = Start-TestEmulator -Members 25000 -ExtraArguments '--job-delay', '50'
    $script:Corp = $Emulator.Corps[0]
    $script:Session = Connect-TestCorp $Emulator
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
}

Describe 'The ids digest helper' {
    It 'sorts ordinally (not by culture), joins with LF and hashes like sha256sum' {
        $ids = 'b', 'a', 'Z1', '_x', 'B'
        # printf 'B\nZ1\n_x\na\nb' | sha256sum
        $expected = '17e2fcc8073f6293424768baa3b1548b37814fb93cec4e18ab22530227a3690a'
        Get-IdsDigest -Ids $ids | Should -Be $expected
        # Sort-Object would order these differently, which is why the helper does not use it.
        ($ids | Sort-Object) -join ',' | Should -Not -Be 'B,Z1,_x,a,b'
    }
}

Describe 'Receive-WeComExport gives exactly the ground truth' {
    It '<Kind> in <Blocks> block(s) (BlockSize <BlockSize>, tag <TagId>)' -ForEach @(
        @{ Kind = 'simple_user'; BlockSize = 0; Blocks = 1; TagId = 0; Type = 'WeComUser' }
        @{ Kind = 'simple_user'; BlockSize = 10000; Blocks = 3; TagId = 0; Type = 'WeComUser' }
        @{ Kind = 'user'; BlockSize = 0; Blocks = 1; TagId = 0; Type = 'WeComUser' }
        @{ Kind = 'user'; BlockSize = 10000; Blocks = 3; TagId = 0; Type = 'WeComUser' }
        @{ Kind = 'department'; BlockSize = 0; Blocks = 1; TagId = 0; Type = 'WeComDepartment' }
        @{ Kind = 'taguser'; BlockSize = 0; Blocks = 1; TagId = 1; Type = 'WeComTagMember' }
        @{ Kind = 'taguser'; BlockSize = 10000; Blocks = 2; TagId = 4; Type = 'WeComTagMember' }
    ) {
        $job = Start-TestExport $Kind -Session $Session -BlockSize $BlockSize -TagId $TagId
        $done = $job | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
        $records = @($done | Receive-WeComExport -ErrorAction Stop)

        $done.LastResult.BlockCount | Should -Be $Blocks
        $records | ForEach-Object { $_.GetType().Name } | Select-Object -Unique | Should -Be $Type
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind $Kind -TagId $TagId
        $summary = Get-ExportSummary -Records $records
        $summary.Count | Should -Be $truth.count
        $summary.UniqueCount | Should -Be $truth.count -Because 'no record may come twice'
        $summary.IdsSha256 | Should -Be $truth.idsSha256
    }

    It 'a member export carries more than ids: names, departments, open_userid; -Detailed adds detail fields' {
        $simple = Start-WeComUserExport -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport | Select-Object -First 50
        $simple.Count | Should -Be 50
        $simple | Where-Object { -not $_.Name -or $_.Department.Count -lt 1 -or -not $_.OpenUserId } | Should -BeNullOrEmpty
        $detailed = Start-WeComUserExport -Detailed -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport | Select-Object -First 200
        $detailed.Count | Should -Be 200
        @($detailed | Where-Object { $_.Status -in 1, 2, 4, 5 }).Count | Should -Be 200
        @($detailed | Where-Object { $_.MainDepartment -and $_.Department -contains $_.MainDepartment }).Count | Should -BeGreaterThan 0
        @($detailed | Where-Object Position).Count | Should -BeGreaterThan 0
    }

    It 'departments equal the truth field by field (name, name_en, parent, order)' {
        $departments = @(Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
        $truth = Invoke-EmulatorControl $Emulator GET truth -Query @{ corpid = $Corp.corpId; kind = 'department'; full = 'true' }
        $departments.Count | Should -Be $truth.records.Count
        $byId = @{}
        foreach ($d in $departments) { $byId[[long]$d.Id] = $d }
        # One Should over all differences: 1,667 departments, one readable failure listing what differs.
        $differences = foreach ($expected in $truth.records) {
            $actual = $byId[[long]$expected.id]
            if ($null -eq $actual) { "department $($expected.id) is missing"; continue }
            if (-not [string]::Equals($actual.Name, $expected.name, [StringComparison]::Ordinal)) { "$($expected.id): name '$($actual.Name)' <> '$($expected.name)'" }
            if ($actual.NameEn -ne $expected.name_en) { "$($expected.id): name_en '$($actual.NameEn)' <> '$($expected.name_en)'" }
            if ($actual.ParentId -ne $expected.parentid) { "$($expected.id): parentid $($actual.ParentId) <> $($expected.parentid)" }
            if ($actual.Order -ne $expected.order) { "$($expected.id): order $($actual.Order) <> $($expected.order)" }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'tag members carry the tag id and name, and users their names' {
        $truth = Invoke-EmulatorControl $Emulator GET truth -Query @{ corpid = $Corp.corpId; kind = 'taguser'; tagid = 5; full = 'true' }
        $members = @(Start-WeComTagUserExport -TagId 5 -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
        $members.Count | Should -Be $truth.count
        $members | ForEach-Object TagId | Select-Object -Unique | Should -Be 5
        $members | ForEach-Object TagName | Select-Object -Unique | Should -BeExactly 'Quote"Tag\ 😀 <&>'
        $names = @{}
        foreach ($r in $truth.records) { if ($r -isnot [long] -and $r -isnot [int]) { $names[$r.userid] = $r.name } }
        $users = @($members | Where-Object { "$($_.MemberType)" -eq 'User' })
        $users.Count | Should -Be $names.Count
        $wrongNames = foreach ($user in $users) {
            if (-not [string]::Equals($user.Name, $names[$user.UserId], [StringComparison]::Ordinal)) { "$($user.UserId): '$($user.Name)' <> '$($names[$user.UserId])'" }
        }
        $wrongNames | Should -BeNullOrEmpty
    }

    It 'an empty tag exports nothing and no error' {
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind taguser -TagId 6
        $truth.count | Should -Be 0
        $records = @(Start-WeComTagUserExport -TagId 6 -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorVariable problems)
        $problems | Should -BeNullOrEmpty
        $records.Count | Should -Be 0
    }

    It 'several tag ids from the pipeline make one job each, all received' {
        $jobs = @(1, 3 | Start-WeComTagUserExport -Session $Session)
        $jobs.Count | Should -Be 2
        $jobs.TagId | Should -Be 1, 3
        # Status is a property of the job (what its table shows), empty until a get_result was seen.
        @($jobs | Where-Object Status -EQ Done).Count | Should -Be 0
        $waited = @($jobs | Wait-WeComExport -PollInterval 0.1)
        @($waited | Where-Object Status -EQ Done).Count | Should -Be 2
        ($waited | Select-Object JobId, Status)[0].Status | Should -Be 'Done'
        $records = @($jobs | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
        foreach ($tagId in 1, 3) {
            $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind taguser -TagId $tagId
            $summary = Get-ExportSummary -Records @($records | Where-Object TagId -EQ $tagId)
            $summary.Count | Should -Be $truth.count
            $summary.IdsSha256 | Should -Be $truth.idsSha256
        }
    }
}

Describe 'Detailed members equal the truth field by field' {
    # A small directory, so the emulator's full truth (every record as it put it in the blocks) stays
    # small enough to compare each field of each member: 1,200 members include the emulator's stress
    # cases (quotes, backslash, emoji and a control character in names; very long addresses).
    BeforeAll {
        $script:Small = Start-TestEmulator -Members 1200 -ExtraArguments '--job-delay', '50'
        $script:SmallSession = Connect-TestCorp $Small
        $script:Users = @(Start-WeComUserExport -Detailed -Session $SmallSession | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
        $script:Expected = (Invoke-EmulatorControl $Small GET truth -Query @{ corpid = $Small.Corps[0].corpId; kind = 'user'; full = 'true' }).records

        function Compare-Text($What, $Actual, $Wanted) {
            # An empty string and an absent field both read as "nothing" here.
            if ([string]::IsNullOrEmpty($Actual) -and [string]::IsNullOrEmpty($Wanted)) { return }
            if (-not [string]::Equals($Actual, $Wanted, [StringComparison]::Ordinal)) { "${What}: '$Actual' <> '$Wanted'" }
        }
    }
    AfterAll {
        if ($script:SmallSession) { Disconnect-WeCom -Session $script:SmallSession }
        Stop-TestEmulator $script:Small
    }

    It 'every scalar, list, extattr and external_profile field matches what the emulator sent' {
        $Users.Count | Should -Be 1200
        $byId = @{}
        foreach ($u in $Users) { $byId[$u.UserId] = $u }
        $textFields = [ordered]@{
            Name = 'name'; Position = 'position'; Mobile = 'mobile'; Gender = 'gender'; Email = 'email'; BizMail = 'biz_mail'
            Avatar = 'avatar'; ThumbAvatar = 'thumb_avatar'; Telephone = 'telephone'; Alias = 'alias'; Address = 'address'
            EnglishName = 'english_name'; OpenUserId = 'open_userid'; QrCode = 'qr_code'; ExternalPosition = 'external_position'
        }
        $differences = foreach ($want in $Expected) {
            $id = $want.userid
            $got = $byId[$id]
            if ($null -eq $got) { "$id is missing"; continue }
            foreach ($field in $textFields.GetEnumerator()) { Compare-Text "$id.$($field.Key)" $got.($field.Key) $want.($field.Value) }
            if ($got.Status -ne $want.status) { "$id.Status: $($got.Status) <> $($want.status)" }
            if ($got.MainDepartment -ne $want.main_department) { "$id.MainDepartment: $($got.MainDepartment) <> $($want.main_department)" }
            foreach ($list in @(
                    @('Department', 'department'), @('Order', 'order'), @('IsLeaderInDept', 'is_leader_in_dept'), @('DirectLeader', 'direct_leader'))) {
                $a = $got.($list[0]) -join ';'
                $b = $want.($list[1]) -join ';'
                if ($a -cne $b) { "$id.$($list[0]): '$a' <> '$b'" }
            }
            $gotAttrs = @($got.ExtAttr.Attrs)
            $wantAttrs = @($want.extattr.attrs)
            if ($gotAttrs.Count -ne $wantAttrs.Count) { "$id.ExtAttr: $($gotAttrs.Count) attrs <> $($wantAttrs.Count)" }
            else {
                for ($k = 0; $k -lt $wantAttrs.Count; $k++) {
                    $ga = $gotAttrs[$k]; $wa = $wantAttrs[$k]
                    if ($ga.Type -ne $wa.type) { "$id.ExtAttr[$k].Type: $($ga.Type) <> $($wa.type)" }
                    Compare-Text "$id.ExtAttr[$k].Name" $ga.Name $wa.name
                    Compare-Text "$id.ExtAttr[$k].TextValue" $ga.TextValue $wa.text.value
                    Compare-Text "$id.ExtAttr[$k].WebUrl" $ga.WebUrl $wa.web.url
                    Compare-Text "$id.ExtAttr[$k].WebTitle" $ga.WebTitle $wa.web.title
                }
            }
            if ($want.external_profile) {
                if ($null -eq $got.ExternalProfile) { "$id.ExternalProfile is missing" }
                else {
                    Compare-Text "$id.ExternalProfile.external_corp_name" $got.ExternalProfile['external_corp_name'] $want.external_profile.external_corp_name
                    if (@($got.ExternalProfile['external_attr']).Count -ne @($want.external_profile.external_attr).Count) { "$id.ExternalProfile.external_attr count differs" }
                }
            }
            elseif ($got.ExternalProfile -and $got.ExternalProfile.Count -gt 0) { "$id.ExternalProfile should be empty" }
        }
        @($differences | Select-Object -First 20) | Should -BeNullOrEmpty
    }

    It 'the stress cases are among them (so the comparison above covered them)' {
        @($Users | Where-Object { $_.Name -match '😀' -and $_.Name.Contains([char]7) }).Count | Should -BeGreaterThan 0
        @($Users | Where-Object { $_.Address.Length -gt 1000 }).Count | Should -BeGreaterThan 0
        @($Users | Where-Object { -not $_.Mobile }).Count | Should -BeGreaterThan 0 -Because 'some members look as a newer app sees them'
        @($Users | Where-Object { $_.ExtAttr.Attrs.Count -ge 2 }).Count | Should -BeGreaterThan 0
    }
}

Describe 'Departments in several blocks' {
    # Blocks hold at least 10,000 records and the emulator has one department per 15 members, so two
    # department blocks need a directory of 150,015 members (only its departments are exported here).
    BeforeAll {
        $script:Big = Start-TestEmulator -Members 150015 -ExtraArguments '--job-delay', '50'
        $script:BigSession = Connect-TestCorp $Big
    }
    AfterAll {
        if ($script:BigSession) { Disconnect-WeCom -Session $script:BigSession }
        Stop-TestEmulator $script:Big
    }

    It 'department in 2 blocks (BlockSize 10000) equals the truth' {
        $done = Start-WeComDepartmentExport -BlockSize 10000 -Session $BigSession | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop
        $records = @($done | Receive-WeComExport -ErrorAction Stop)
        $done.LastResult.BlockCount | Should -Be 2
        $truth = Get-EmulatorTruth $Big -CorpId $Big.Corps[0].corpId -Kind department
        $truth.count | Should -Be 10001
        $summary = Get-ExportSummary -Records $records
        $summary.Count | Should -Be $truth.count
        $summary.UniqueCount | Should -Be $truth.count
        $summary.IdsSha256 | Should -Be $truth.idsSha256
    }
}

Describe 'Receive-WeComExport -OutputDirectory' {
    BeforeAll {
        $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("wecom-out-" + [guid]::NewGuid().ToString('N'))
        # A private temp folder for the receive, so its spool files are told apart from other processes' ones.
        $script:Spool = Join-Path ([IO.Path]::GetTempPath()) ("wecom-spool-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $Spool
        $script:Job = Start-WeComUserExport -Session $Session -BlockSize 10000 | Wait-WeComExport -PollInterval 0.1
        $saved = $env:TMPDIR, $env:TMP, $env:TEMP
        $env:TMPDIR = $env:TMP = $env:TEMP = $Spool
        try {
            [IO.Path]::GetTempPath().TrimEnd('/', '\') | Should -Be $Spool.TrimEnd('/', '\') -Because 'the spool must go to the private folder for the check to mean anything'
            $script:Files = @($Job | Receive-WeComExport -OutputDirectory $Folder -ErrorAction Stop)
        }
        finally { $env:TMPDIR, $env:TMP, $env:TEMP = $saved }
    }
    AfterAll { Remove-Item -LiteralPath $script:Folder, $script:Spool -Recurse -Force -ErrorAction SilentlyContinue }

    It 'writes one file per block and returns each as a FileInfo' {
        $Files.Count | Should -Be 3
        $Files | ForEach-Object { $_ | Should -BeOfType [IO.FileInfo] }
        $Files.FullName | ForEach-Object { Test-Path -LiteralPath $_ | Should -BeTrue }
        $Files.Name | Select-Object -Unique | Should -HaveCount 3
        $Files | ForEach-Object { $_.DirectoryName | Should -Be (Get-Item -LiteralPath $Folder).FullName }
    }

    It 'each file is one valid JSON document, and together they hold exactly the truth' {
        $ids = foreach ($file in $Files) {
            $document = Get-Content -LiteralPath $file.FullName -Raw -Encoding utf8 | ConvertFrom-Json
            $document.userlist.Count | Should -BeGreaterThan 0
            $document.userlist.userid
        }
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind simple_user
        @($ids).Count | Should -Be $truth.count
        Get-IdsDigest -Ids $ids | Should -Be $truth.idsSha256
    }

    It 'leaves no temporary file behind, in the folder or in the spool' {
        @(Get-ChildItem -LiteralPath $Folder -Force).Count | Should -Be $Files.Count
        @(Get-ChildItem -LiteralPath $Spool -Force -Recurse) | Should -BeNullOrEmpty
    }
}

Describe 'Receive by -JobId and -EncodingAesKey' {
    It 'receives a job known only by id with the plain key it was started with' {
        $plain = New-WeComEncodingAesKey -AsPlainText
        $key = ConvertTo-SecureString $plain -AsPlainText -Force
        $started = Start-WeComUserExport -Session $Session -BlockSize 10000 -EncodingAesKey $key
        $null = Wait-WeComExport -JobId $started.JobId -Session $Session -PollInterval 0.1 -ErrorAction Stop

        $records = @(Receive-WeComExport -JobId $started.JobId -EncodingAesKey (ConvertTo-SecureString $plain -AsPlainText -Force) -Session $Session -ErrorAction Stop)
        $records[0] | Should -BeOfType ([WeComExport.Records.WeComUser])
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind simple_user
        $summary = Get-ExportSummary -Records $records
        $summary.Count | Should -Be $truth.count
        $summary.IdsSha256 | Should -Be $truth.idsSha256
    }

    It 'binds JobId, ExportKind and TagId by property name from any object' {
        $plain = New-WeComEncodingAesKey -AsPlainText
        $started = Start-WeComTagUserExport -TagId 2 -Session $Session -EncodingAesKey (ConvertTo-SecureString $plain -AsPlainText -Force)
        $null = $started | Wait-WeComExport -PollInterval 0.1
        $records = @([pscustomobject]@{ JobId = $started.JobId; ExportKind = 'TagUser'; TagId = 2 } |
                Receive-WeComExport -EncodingAesKey (ConvertTo-SecureString $plain -AsPlainText -Force) -Session $Session -ErrorAction Stop)
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind taguser -TagId 2
        (Get-ExportSummary -Records $records).IdsSha256 | Should -Be $truth.idsSha256
        $records | ForEach-Object TagId | Select-Object -Unique | Should -Be 2
    }

    It 'a wrong key gives one InvalidData error and no records (<Case>)' -ForEach @(
        @{ Case = 'departments, job object'; Kind = 'department'; ById = $false }
        @{ Case = 'departments, by job id'; Kind = 'department'; ById = $true }
    ) {
        $started = Start-TestExport $Kind -Session $Session | Wait-WeComExport -PollInterval 0.1
        $wrong = New-WeComEncodingAesKey
        $records = if ($ById) {
            @(Receive-WeComExport -JobId $started.JobId -EncodingAesKey $wrong -Session $Session -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        else {
            @($started | Receive-WeComExport -EncodingAesKey $wrong -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        $records.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WeComDecryptFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }
}

Describe 'Connecting and the session' {
    It 'Connect-WeCom -Credential (UserName = CorpID, Password = secret) gives a working session' {
        $credential = [pscredential]::new($Corp.corpId, (ConvertTo-SecureString $Corp.secret -AsPlainText -Force))
        $session = Connect-WeCom -Credential $credential -ApiBaseUri $Emulator.BaseUri -PassThru
        try {
            $session.CorpId | Should -Be $Corp.corpId
            $records = @(Start-WeComDepartmentExport -Session $session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
            (Get-ExportSummary -Records $records).IdsSha256 | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department).idsSha256
        }
        finally { Disconnect-WeCom -Session $session }
    }

    It 'Connect-WeCom -FromEnvironment reads WECOM_CORP_ID, WECOM_CORP_SECRET and WECOM_API_BASE_URI, and becomes the current session' {
        $saved = $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET, $env:WECOM_API_BASE_URI
        $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET, $env:WECOM_API_BASE_URI = $Corp.corpId, $Corp.secret, $Emulator.BaseUri
        try {
            $session = Connect-WeCom -FromEnvironment -PassThru
            (Get-WeComSession).Id | Should -Be $session.Id
            $session.ApiBaseUri.Authority | Should -Be ([uri]$Emulator.BaseUri).Authority
            # No -Session: the current one is used.
            $records = @(Start-WeComTagUserExport -TagId 1 | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
            (Get-ExportSummary -Records $records).IdsSha256 | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind taguser -TagId 1).idsSha256
            Disconnect-WeCom
            Get-WeComSession | Should -BeNullOrEmpty
            $session.IsDisconnected | Should -BeTrue
        }
        finally { $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET, $env:WECOM_API_BASE_URI = $saved }
    }

    It 'a job remembers its session: Wait and Receive need no -Session even after another Connect' {
        $job = Start-WeComUserExport -Session $Session
        $other = Connect-TestCorp $Emulator
        try {
            $records = @($job | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
            $records.Count | Should -Be (Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind simple_user).count
        }
        finally { Disconnect-WeCom -Session $other }
    }
}

Describe 'Progress' {
    BeforeAll {
        function Invoke-Hostless([string] $Script) {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddCommand('Import-Module').AddArgument((Join-Path (Get-TestModulePath) 'WeComExport.psd1')).Invoke()
                $ps.Commands.Clear()
                $output = $ps.AddScript($Script).AddArgument($Session).Invoke()
                [pscustomobject]@{ Output = $output; Progress = @($ps.Streams.Progress); Errors = @($ps.Streams.Error) }
            }
            finally { $ps.Dispose() }
        }
    }

    It 'Wait and Receive write progress and close each activity with a Completed record' {
        $run = Invoke-Hostless 'param($s) Start-WeComUserExport -BlockSize 10000 -Session $s | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport | Measure-Object'
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Count | Should -Be 25000
        $waiting = @($run.Progress | Where-Object Activity -Like 'Waiting for WeCom*')
        $receiving = @($run.Progress | Where-Object Activity -Like 'Receiving WeCom export*')
        $waiting.Count | Should -BeGreaterThan 1
        "$($waiting[-1].RecordType)" | Should -Be 'Completed'
        $receiving.Count | Should -BeGreaterThan 0
        "$($receiving[-1].RecordType)" | Should -Be 'Completed'
    }

    It 'is silent under $ProgressPreference = ''SilentlyContinue''' {
        $run = Invoke-Hostless 'param($s) $ProgressPreference = "SilentlyContinue"; Start-WeComDepartmentExport -Session $s | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport | Measure-Object'
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Count | Should -BeGreaterThan 0
        $run.Progress | Should -BeNullOrEmpty
    }
}

Describe 'Stopping a receive early' {
    It 'Select-Object -First 5 stops the download and leaves no spool file' {
        $spool = Join-Path ([IO.Path]::GetTempPath()) ("wecom-spool-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $spool
        $job = Start-WeComUserExport -Detailed -BlockSize 10000 -Session $Session | Wait-WeComExport -PollInterval 0.1
        $null = Invoke-EmulatorControl $Emulator DELETE requests
        $saved = $env:TMPDIR, $env:TMP, $env:TEMP
        $env:TMPDIR = $env:TMP = $env:TEMP = $spool
        try {
            $first = @($job | Receive-WeComExport | Select-Object -First 5)
        }
        finally { $env:TMPDIR, $env:TMP, $env:TEMP = $saved }
        try {
            $first.Count | Should -Be 5
            $job.LastResult.BlockCount | Should -BeGreaterThan 2
            # Block 1 may have started downloading while block 0 was read (one block ahead), and is then cancelled;
            # nothing after it is ever asked for.
            Get-EmulatorRequestCount $Emulator -Path '/downloadobject' | Should -BeLessOrEqual 2 -Because 'no block beyond the one ahead is fetched'
            @(Get-ChildItem -LiteralPath $spool -Force) | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $spool -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe '-WhatIf' {
    It 'Start-<Noun> -WhatIf starts no export and writes no job' -ForEach @(
        @{ Noun = 'WeComUserExport'; Extra = @{}; TagLists = 0 }
        @{ Noun = 'WeComUserExport'; Extra = @{ Detailed = $true }; TagLists = 0 }
        @{ Noun = 'WeComDepartmentExport'; Extra = @{}; TagLists = 0 }
        # One tag/list call for the whole command, to name the tags in the -WhatIf text.
        @{ Noun = 'WeComTagUserExport'; Extra = @{ TagId = 1, 2 }; TagLists = 1 }
    ) {
        $null = Invoke-EmulatorControl $Emulator DELETE requests
        $output = & "Start-$Noun" -Session $Session -WhatIf @Extra
        $output | Should -BeNullOrEmpty
        Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/tag/list' | Should -Be $TagLists
        Get-EmulatorRequestCount $Emulator | Should -Be $TagLists -Because 'nothing but the tag names is asked for'
    }
}

Describe 'Arrays in records' {
    It 'a detailed user with two departments renders 1;2-style cells in ConvertTo-Csv' {
        $users = Start-WeComUserExport -Detailed -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport |
            Where-Object { $_.Department.Count -ge 2 } | Select-Object -First 3
        $users.Count | Should -Be 3
        $rows = $users | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $text = $users | ConvertTo-Csv -NoTypeInformation | Out-String
        $text | Should -Not -Match 'System\.\w+\[\]'
        $text | Should -Not -Match 'WeComList'
        for ($i = 0; $i -lt $users.Count; $i++) {
            $rows[$i].Department | Should -Match '^\d+(;\d+)+$'
            $rows[$i].Department | Should -Be ($users[$i].Department -join ';')
            $rows[$i].Order | Should -Be ($users[$i].Order -join ';')
        }
    }

    It 'the default table view shows departments as 1;2 too' {
        $user = Start-WeComUserExport -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport |
            Where-Object { $_.Department.Count -ge 2 } | Select-Object -First 1
        $table = $user | Format-Table | Out-String -Width 300
        $table | Should -Match ([regex]::Escape($user.Department -join ';'))
        $table | Should -Not -Match 'System\.'
    }
}

Describe 'Blocks checked with tools not written here (node, openssl)' {
    # The emulator encrypts with the engine's own WeComCipher: a bug shared by both would cancel out
    # in every other test. Here the raw block is decrypted by openssl, the key decoded by node.
    BeforeAll {
        # The documented example key: its last character has non-zero low bits (lenient Base64).
        $script:PlainKey = 'IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2'
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("wecom-openssl-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $Work
        $key = ConvertTo-SecureString $PlainKey -AsPlainText -Force
        $script:Job = Start-WeComDepartmentExport -Session $Session -EncodingAesKey $key | Wait-WeComExport -PollInterval 0.1
        $script:Block = $Job.LastResult.Blocks[0]
        $script:Raw = Join-Path $Work 'block.raw'
        Invoke-WebRequest -Uri $Block.Url -OutFile $Raw
    }
    AfterAll { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }

    It 'node decodes the key to the documented key bytes' {
        $hex = & node -e "process.stdout.write(Buffer.from(process.argv[1] + '=', 'base64').toString('hex'))" $PlainKey
        $LASTEXITCODE | Should -Be 0
        $hex | Should -Be '2095225cda6f19b383c0a101484b0078e00f02192a1ea34217a835f6df707e0d'
    }

    It 'the raw download has the size and MD5 get_result announced (md5sum)' {
        (Get-Item -LiteralPath $Raw).Length | Should -Be $Block.Size
        ((& md5sum $Raw) -split '\s+')[0] | Should -Be $Block.Md5
    }

    It 'openssl decrypts it to a 32-byte-PKCS#7-padded JSON document equal to the module''s -OutputDirectory file and to the truth' {
        $keyHex = & node -e "process.stdout.write(Buffer.from(process.argv[1] + '=', 'base64').toString('hex'))" $PlainKey
        $padded = Join-Path $Work 'block.padded'
        & openssl enc -d -aes-256-cbc -nopad -K $keyHex -iv $keyHex.Substring(0, 32) -in $Raw -out $padded
        $LASTEXITCODE | Should -Be 0
        $bytes = [IO.File]::ReadAllBytes($padded)
        $bytes.Length % 32 | Should -Be 0
        $pad = [int] $bytes[-1]
        $pad | Should -BeGreaterOrEqual 1
        $pad | Should -BeLessOrEqual 32
        @($bytes[($bytes.Length - $pad)..($bytes.Length - 1)] | Where-Object { $_ -ne $pad }).Count | Should -Be 0
        $plain = [byte[]] $bytes[0..($bytes.Length - $pad - 1)]

        $file = $Job | Receive-WeComExport -OutputDirectory (Join-Path $Work 'module') -ErrorAction Stop
        [IO.File]::ReadAllBytes($file.FullName).Length | Should -Be $plain.Length
        (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash |
            Should -Be ([BitConverter]::ToString([Security.Cryptography.SHA256]::HashData($plain)) -replace '-')

        $document = [Text.Encoding]::UTF8.GetString($plain) | ConvertFrom-Json
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department
        $ids = [string[]] @($document.department | ForEach-Object { [string] $_.id })
        $ids.Count | Should -Be $truth.count
        Get-IdsDigest -Ids $ids | Should -Be $truth.idsSha256
    }
}
