# Tab completion of -TagId, Get-WeComTag -Name, -JobId and -Session, through TabExpansion2 as the
# console calls it, against the emulator: values looked up, tag/list cached, and nothing (no error,
# no wait) when not connected or when WeCom is slow or gone.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 300 -Corps 2 -ExtraArguments '--job-delay', '50'

    function script:Complete([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }

    function script:Measure-Completion([string] $Line) {
        $mark = $global:Error.Count
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $results = Complete $Line
        $watch.Stop()
        [pscustomobject]@{ Results = $results; Seconds = $watch.Elapsed.TotalSeconds; NewErrors = $global:Error.Count - $mark }
    }
}

AfterAll {
    Disconnect-WeCom -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:Emulator
}

Describe '-TagId' {
    BeforeAll {
        $script:Session = Connect-TestCorp $Emulator
        $script:Tags = @(Get-WeComTag -Session $Session)
    }
    AfterAll { Disconnect-WeCom -Session $Session }

    It 'completes the tag ids of the current session, each listed as "id name" with its name as tooltip' -TestCases @(
        @{ Line = 'Start-WeComTagUserExport -TagId ' }
        @{ Line = 'Export-WeComDirectory -Path ./x -TagId ' }
    ) {
        $Tags.Count | Should -BeGreaterThan 1
        $results = Complete $Line
        @($results.CompletionText | Sort-Object) | Should -Be @($Tags | ForEach-Object { "$($_.TagId)" } | Sort-Object)
        foreach ($tag in $Tags) {
            $result = $results | Where-Object CompletionText -EQ "$($tag.TagId)"
            $result.ListItemText | Should -Be "$($tag.TagId) $($tag.TagName)"
            $result.ToolTip | Should -Be $tag.TagName
            $result.ResultType | Should -Be 'ParameterValue'
        }
    }

    It 'keeps only the ids (or names) that start with what was typed' {
        $tag = $Tags[-1]
        $word = "$($tag.TagId)"
        $results = Complete "Start-WeComTagUserExport -TagId $word"
        $results.CompletionText | Should -Contain $word
        foreach ($result in $results) {
            ($result.CompletionText.StartsWith($word) -or $result.ToolTip.StartsWith($word, 'OrdinalIgnoreCase')) | Should -BeTrue
        }
    }

    It 'asks tag/list once per session within the cache lifetime: the second completion sends no request' {
        $fresh = Connect-TestCorp $Emulator
        try {
            Clear-EmulatorState $Emulator
            @(Complete 'Start-WeComTagUserExport -TagId ').Count | Should -Be $Tags.Count
            Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/tag/list' | Should -Be 1
            @(Complete 'Start-WeComTagUserExport -TagId ').Count | Should -Be $Tags.Count
            Get-EmulatorRequestCount $Emulator -Path '/cgi-bin/tag/list' | Should -Be 1
        }
        finally { Disconnect-WeCom -Session $fresh; $null = Connect-TestCorp $Emulator }
    }

    It 'uses the -Session on the command line, given as a variable or as (Get-WeComSession -Id N), not the current session' {
        $first = Connect-TestCorp $Emulator -Index 0
        $second = Connect-TestCorp $Emulator -Index 1
        try {
            $secondTags = @(Get-WeComTag -Session $second | ForEach-Object { "$($_.TagId) $($_.TagName)" } | Sort-Object)
            $firstTags = @(Get-WeComTag -Session $first | ForEach-Object { "$($_.TagId) $($_.TagName)" } | Sort-Object)
            Disconnect-WeCom -Session $second   # the current session is now a disconnected one
            @((Complete 'Start-WeComTagUserExport -Session $first -TagId ').ListItemText | Sort-Object) | Should -Be $firstTags
            @((Complete "Start-WeComTagUserExport -Session (Get-WeComSession -Id $($first.Id)) -TagId ").ListItemText | Sort-Object) | Should -Be $firstTags
            Complete 'Start-WeComTagUserExport -TagId ' | Should -BeNullOrEmpty
            Complete 'Start-WeComTagUserExport -Session $second -TagId ' | Should -BeNullOrEmpty
            # A -Session that cannot be known while typing completes nothing rather than another corp's tags.
            $null = Connect-TestCorp $Emulator -Index 1
            Complete 'Start-WeComTagUserExport -Session (Get-Random) -TagId ' | Should -BeNullOrEmpty
            @((Complete 'Start-WeComTagUserExport -TagId ').ListItemText | Sort-Object) | Should -Be $secondTags
        }
        finally {
            Disconnect-WeCom -Session $first
            Disconnect-WeCom -ErrorAction SilentlyContinue
            $null = Connect-TestCorp $Emulator
        }
    }
}

Describe 'Get-WeComTag -Name' {
    BeforeAll {
        $script:Session = Connect-TestCorp $Emulator
        $script:Tags = @(Get-WeComTag -Session $Session)
    }
    AfterAll { Disconnect-WeCom -Session $Session }

    It 'completes every tag name, as an argument that gives the name back (quoted and wildcard-escaped when needed)' {
        $results = Complete 'Get-WeComTag -Name '
        @($results.ListItemText | Sort-Object) | Should -Be @($Tags.TagName | Sort-Object)
        # The emulator has a tag named 'Quote"Tag\ 😀 <&>': it must come quoted, or the shell would split it.
        @($results | Where-Object { $_.ListItemText -match '[\s"<&]' }).Count | Should -BeGreaterThan 0
        foreach ($special in $results | Where-Object { $_.ListItemText -match '[\s"<&]' }) { $special.CompletionText | Should -BeLike "'*'" }
        foreach ($result in $results) {
            $argument = Invoke-Expression "& { param(`$x) `$x } $($result.CompletionText)"
            $argument | Should -Be ([WildcardPattern]::Escape($result.ListItemText))
            @(Invoke-Expression "Get-WeComTag -Name $($result.CompletionText)").TagName | Should -Be $result.ListItemText
        }
    }

    It 'filters by the typed prefix, case-insensitively, with or without an opening quote' {
        $name = $Tags[0].TagName
        $prefix = $name.Substring(0, 1)
        $expected = @($Tags.TagName | Where-Object { $_.StartsWith($prefix, 'OrdinalIgnoreCase') } | Sort-Object)
        @((Complete "Get-WeComTag -Name $($prefix.ToLowerInvariant())").ListItemText | Sort-Object) | Should -Be $expected
        @((Complete "Get-WeComTag -Name '$($prefix.ToUpperInvariant())").ListItemText | Sort-Object) | Should -Be $expected
    }
}

Describe '-JobId' {
    It 'completes the jobs started in this runspace, newest first, with "kind, started at" as tooltip' {
        $session = Connect-TestCorp $Emulator
        try {
            $tag = @(Get-WeComTag -Session $session)[0]
            $department = Start-WeComDepartmentExport
            $tagJob = Start-WeComTagUserExport -TagId $tag.TagId
            $results = Complete 'Get-WeComExportResult -JobId '
            $results[0].CompletionText | Should -Be $tagJob.JobId
            $results[1].CompletionText | Should -Be $department.JobId
            $results[0].ToolTip | Should -Be ('TagUser (tag {0}), started at {1:yyyy-MM-dd HH:mm:ss}' -f $tag.TagId, $tagJob.SubmittedAt)
            $results[1].ToolTip | Should -Be ('Department, started at {0:yyyy-MM-dd HH:mm:ss}' -f $department.SubmittedAt)
            $prefixed = Complete "Wait-WeComExport -JobId $($department.JobId.Substring(0, $department.JobId.Length - 1).ToUpperInvariant())"
            $prefixed.CompletionText | Should -Contain $department.JobId
        }
        finally { Disconnect-WeCom -Session $session }
    }

    It 'offers only the jobs of the corp of the session the command will use: the -Session on the line, else the current one' {
        $first = Connect-TestCorp $Emulator -Index 0
        $second = Connect-TestCorp $Emulator -Index 1
        try {
            $ofFirst = Start-WeComDepartmentExport -Session $first
            $ofSecond = Start-WeComDepartmentExport -Session $second
            $results = @(Complete "Receive-WeComExport -Session (Get-WeComSession -Id $($second.Id)) -JobId ").CompletionText
            $results | Should -Contain $ofSecond.JobId
            $results | Should -Not -Contain $ofFirst.JobId
            $results = @(Complete 'Receive-WeComExport -Session $first -JobId ').CompletionText
            $results | Should -Contain $ofFirst.JobId
            $results | Should -Not -Contain $ofSecond.JobId
            # Without -Session the current session (the last connected) is asked: only its corp's jobs.
            $results = @(Complete 'Receive-WeComExport -JobId ').CompletionText
            $results | Should -Contain $ofSecond.JobId
            $results | Should -Not -Contain $ofFirst.JobId
        }
        finally { Disconnect-WeCom -Session $first; Disconnect-WeCom -Session $second }
    }

    It 'keeps only the last 50 jobs' {
        $session = Connect-TestCorp $Emulator
        try {
            $jobs = @(1..52 | ForEach-Object { Start-WeComDepartmentExport -Session $session })
            $results = Complete 'Receive-WeComExport -JobId '
            $results.Count | Should -Be 50
            $results[0].CompletionText | Should -Be $jobs[-1].JobId
            $results.CompletionText | Should -Not -Contain $jobs[0].JobId
        }
        finally { Disconnect-WeCom -Session $session }
    }
}

Describe '-Session' {
    It 'completes the connected sessions as (Get-WeComSession -Id N), which gives the session back' {
        $first = Connect-TestCorp $Emulator -Index 0
        $second = Connect-TestCorp $Emulator -Index 1
        $gone = Connect-TestCorp $Emulator -Index 0
        Disconnect-WeCom -Session $gone
        try {
            $results = Complete 'Get-WeComTag -Session '
            $results.CompletionText | Should -Contain "(Get-WeComSession -Id $($first.Id))"
            $results.CompletionText | Should -Contain "(Get-WeComSession -Id $($second.Id))"
            $results.CompletionText | Should -Not -Contain "(Get-WeComSession -Id $($gone.Id))"
            $mine = $results | Where-Object CompletionText -EQ "(Get-WeComSession -Id $($second.Id))"
            $mine.ListItemText | Should -Be "$($second.Id) $($second.CorpId)"
            $mine.ToolTip | Should -Be $second.ToString()
            [object]::ReferenceEquals((Invoke-Expression $mine.CompletionText), $second) | Should -BeTrue
            @(Complete "Disconnect-WeCom -Session $($second.Id)").CompletionText | Should -Contain "(Get-WeComSession -Id $($second.Id))"
            @(Complete 'Get-WeComSession -Id ').CompletionText | Should -Contain "$($first.Id)"
        }
        finally {
            Disconnect-WeCom -Session $first
            Disconnect-WeCom -Session $second
        }
    }

    It 'Get-WeComSession -Id of no connected session is WeComSessionNotFound (ObjectNotFound)' {
        $e = { Get-WeComSession -Id 999999 -ErrorAction Stop } | Should -Throw -ErrorId 'WeComSessionNotFound,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Completion never throws and never waits long' {
    It 'completes no tag when not connected, at once and without an error: <Line>' -TestCases @(
        @{ Line = 'Start-WeComTagUserExport -TagId ' }
        @{ Line = 'Get-WeComTag -Name ' }
    ) {
        Disconnect-WeCom -ErrorAction SilentlyContinue
        $run = Measure-Completion $Line
        $run.Results | Should -BeNullOrEmpty
        $run.NewErrors | Should -Be 0
        $run.Seconds | Should -BeLessThan 3
    }

    It 'completes nothing within 3 s when tag/list is slow' {
        $session = Connect-TestCorp $Emulator
        try {
            $null = Add-EmulatorFault $Emulator 'slow' -Count 10 -Path '/cgi-bin/tag/list' -DelayMs 10000
            $run = Measure-Completion 'Start-WeComTagUserExport -TagId '
            $run.Results | Should -BeNullOrEmpty
            $run.NewErrors | Should -Be 0
            $run.Seconds | Should -BeLessThan 3
        }
        finally {
            Disconnect-WeCom -Session $session
            Clear-EmulatorState $Emulator
        }
    }

    It 'completes nothing within 3 s when the emulator is stopped' {
        $gone = Start-TestEmulator -Members 100
        try {
            $session = Connect-TestCorp $gone
            Stop-TestEmulator $gone
            $gone = $null
            foreach ($line in 'Start-WeComTagUserExport -TagId ', 'Get-WeComTag -Name ') {
                $run = Measure-Completion $line
                $run.Results | Should -BeNullOrEmpty
                $run.NewErrors | Should -Be 0
                $run.Seconds | Should -BeLessThan 3
            }
            Disconnect-WeCom -Session $session
        }
        finally { if ($gone) { Stop-TestEmulator $gone } }
    }
}
