# Records keep their shape when PowerShell serializes them: Export-Clixml/Import-Clixml,
# Start-Job/Receive-Job (remoting's serializer) and ConvertTo-Json/ConvertFrom-Json. Lists stay
# lists of their items (not one "1;2" string), extattr keeps its attributes, and a CSV of the
# deserialized records still reads "1;2" like a CSV of the live ones.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 300
    $script:Session = Connect-TestCorp $Emulator
    $all = @(Start-WeComUserExport -Detailed -Session $Session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport -ErrorAction Stop)
    # Two departments, two custom attributes and a direct leader: every list shape in one member.
    $script:Live = @($all | Where-Object { $_.Department.Count -ge 2 -and $_.ExtAttr.Attrs.Count -ge 2 -and $_.DirectLeader.Count -ge 1 } | Select-Object -First 3)

    function Assert-SameShape($Copy, $Original, [switch] $AnyNumberType) {
        $Copy.UserId | Should -Be $Original.UserId
        foreach ($name in 'Department', 'Order', 'IsLeaderInDept', 'DirectLeader') {
            $list = $Copy.$name
            # A list of the items, not a scalar string that happens to read "1;2".
            $list -is [string] | Should -BeFalse -Because "$name must stay a list"
            @($list).Count | Should -Be $Original.$name.Count -Because "$name keeps every item"
            for ($i = 0; $i -lt $Original.$name.Count; $i++) {
                @($list)[$i] | Should -Be $Original.$name[$i]
                # JSON has one number type: ConvertFrom-Json reads every whole number as Int64.
                if (-not $AnyNumberType) { @($list)[$i] | Should -BeOfType $Original.$name[$i].GetType() }
            }
        }
        @($Copy.ExtAttr.Attrs).Count | Should -Be $Original.ExtAttr.Attrs.Count
        for ($i = 0; $i -lt $Original.ExtAttr.Attrs.Count; $i++) {
            @($Copy.ExtAttr.Attrs)[$i].Name | Should -Be $Original.ExtAttr.Attrs[$i].Name
            @($Copy.ExtAttr.Attrs)[$i].Type | Should -Be $Original.ExtAttr.Attrs[$i].Type
        }
        $Copy.MainDepartment | Should -Be $Original.MainDepartment
        $Copy.CorpId | Should -Be $Original.CorpId
    }

    function Assert-CsvReadsLikeLive($Copies) {
        $rows = @($Copies | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv)
        $liveRows = @($Live | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv)
        for ($i = 0; $i -lt $Live.Count; $i++) {
            $rows[$i].Department | Should -Match '^\d+(;\d+)+$'
            foreach ($name in 'Department', 'Order', 'IsLeaderInDept', 'DirectLeader', 'ExtAttr') {
                $rows[$i].$name | Should -Be $liveRows[$i].$name -Because "$name reads the same in CSV"
            }
        }
    }
}

AfterAll {
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
}

Describe 'Serialized records' {
    It 'the emulator gave members with every list shape' {
        $Live.Count | Should -Be 3
    }

    It 'keep their shape through Export-Clixml / Import-Clixml' {
        $path = Join-Path ([IO.Path]::GetTempPath()) ("wecom-clixml-" + [guid]::NewGuid().ToString('N') + '.xml')
        try {
            $Live | Export-Clixml -LiteralPath $path
            $copies = @(Import-Clixml -LiteralPath $path)
        }
        finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
        $copies.Count | Should -Be $Live.Count
        for ($i = 0; $i -lt $Live.Count; $i++) { Assert-SameShape $copies[$i] $Live[$i] }
        Assert-CsvReadsLikeLive $copies
    }

    It 'keep their shape through Start-Job / Receive-Job' {
        # As a runbook does it: the job imports the module and receives; the records come back serialized.
        $corp = $Emulator.Corps[0]
        $job = Start-Job -ArgumentList (Join-Path (Get-TestModulePath) 'WeComExport.psd1'), $corp.corpId, $corp.secret, $Emulator.BaseUri, @($Live.UserId) -ScriptBlock {
            param($Module, $CorpId, $Secret, $BaseUri, $UserIds)
            Import-Module $Module
            $session = Connect-WeCom -CorpId $CorpId -Secret (ConvertTo-SecureString $Secret -AsPlainText -Force) -ApiBaseUri $BaseUri -PassThru
            $byId = @{}
            Start-WeComUserExport -Detailed -Session $session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport |
                Where-Object UserId -In $UserIds | ForEach-Object { $byId[$_.UserId] = $_ }
            foreach ($id in $UserIds) { $byId[$id] }
        }
        try { $copies = @($job | Wait-Job -Timeout 120 | Receive-Job -ErrorAction Stop) }
        finally { $job | Remove-Job -Force }
        $copies.Count | Should -Be $Live.Count
        for ($i = 0; $i -lt $Live.Count; $i++) { Assert-SameShape $copies[$i] $Live[$i] }
        Assert-CsvReadsLikeLive $copies
    }

    It 'keep their shape through ConvertTo-Json -Depth 5 / ConvertFrom-Json' {
        $copies = @($Live | ConvertTo-Json -Depth 5 | ConvertFrom-Json)
        $copies.Count | Should -Be $Live.Count
        for ($i = 0; $i -lt $Live.Count; $i++) { Assert-SameShape $copies[$i] $Live[$i] -AnyNumberType }
    }

    It 'lists are JSON arrays at ConvertTo-Json''s default depth' {
        $json = $Live[0] | ConvertTo-Json -WarningAction SilentlyContinue
        $copy = $json | ConvertFrom-Json
        $copy.Department.GetType().IsArray | Should -BeTrue
        @($copy.Department) | Should -Be @($Live[0].Department)
    }

    It 'live records still export "1;2" cells to CSV' {
        $row = $Live[0] | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.Department | Should -Be ($Live[0].Department -join ';')
    }
}

Describe 'A session read back with Import-Clixml' {
    It 'is refused as -Session, or piped to Disconnect-WeCom, with a message that says why and what to do' {
        $path = Join-Path ([IO.Path]::GetTempPath()) ('wecom-session-' + [guid]::NewGuid().ToString('N') + '.xml')
        try {
            $Session | Export-Clixml -LiteralPath $path
            $copy = Import-Clixml -LiteralPath $path
            foreach ($attempt in { Start-WeComDepartmentExport -Session $copy }, { $copy | Disconnect-WeCom }) {
                $e = $attempt | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*' -PassThru
                $e.Exception.Message | Should -Match 'holds no credentials'
                $e.Exception.Message | Should -Match 'Connect-WeCom'
            }
            # The live session was not touched.
            $Session.IsDisconnected | Should -BeFalse
        }
        finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
    }
}
