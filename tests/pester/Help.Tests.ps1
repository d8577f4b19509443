# The published MAML help (built from docs/help by tools/New-MamlHelp.ps1): for each cmdlet with a help
# source, Get-Help shows a synopsis, a description, a description for every parameter the cmdlet really has
# and at least two examples; every example, read back through Get-Help, runs against the emulator without
# an error record and prints what its help shows (the shape of the source's ```output block: table headers,
# list labels, or the first line with its values masked); and the generator refuses a source that names a
# parameter the cmdlet doesn't have.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force

    function Read-SourceExample {
        <# The examples of a help source, in order: @{ Code; Output } (Output is $null without an ```output block). #>
        param([string] $Path)
        $section = $null; $example = $null; $fence = $null; $buffer = $null
        foreach ($line in Get-Content -LiteralPath $Path -Encoding utf8) {
            if ($fence) {
                if ($line -match '^```\s*$') { $example[$fence] = ($buffer -join "`n").TrimEnd(); $fence = $null }
                else { $buffer.Add($line) }
                continue
            }
            if ($line -match '^## (.+?)\s*$') { $section = $Matches[1]; continue }
            if ($section -ne 'Examples') { continue }
            if ($line -match '^### ') { $example = @{ Code = $null; Output = $null }; $example; continue }
            if ($line -match '^```(powershell|output)\s*$') {
                $fence = if ($Matches[1] -eq 'powershell') { 'Code' } else { 'Output' }
                $buffer = [Collections.Generic.List[string]]::new()
            }
        }
    }

    $script:Pages = foreach ($source in Get-ChildItem (Join-Path (Get-RepositoryRoot) 'docs/help') -Filter '*-*.md' -File | Sort-Object Name) {
        $name = $source.BaseName
        $examples = @((Get-Help $name -Full).examples.example)
        $sourceExamples = @(Read-SourceExample $source.FullName)
        @{
            Name           = $name
            SourceExamples = $sourceExamples
            Examples       = @(for ($i = 0; $i -lt $examples.Count; $i++) {
                    @{
                        Cmdlet = $name; Number = $i + 1; Title = ($examples[$i].title -replace '^-+\s*|\s*-+$', ''); Code = $examples[$i].code
                        # What the source says it prints (null: no output block, nothing to compare).
                        Output = $(if ($i -lt $sourceExamples.Count) { $sourceExamples[$i].Output })
                    }
                })
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Common = [Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('wecom-help-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $Work
    $script:StartLocation = Get-Location

    function Test-HiddenParameter {
        <# A parameter whose every [Parameter()] says DontShow: the generator leaves it out of the help. #>
        param([Management.Automation.ParameterMetadata] $Metadata)
        $attributes = @($Metadata.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] })
        $attributes.Count -gt 0 -and -not ($attributes | Where-Object { -not $_.DontShow })
    }

    function Get-LineShape {
        <#
        A line with its values masked: quoted strings and every token that is not a plain word (letters only,
        at most 15, optionally ending in : . , or ;) become *, runs of * one *. "What if: Performing the
        operation "..." on target "/home/ops/x"." -> 'What if: Performing the operation * on target *'.
        #>
        param([string] $Line)
        $tokens = -split ($Line -replace '"[^"]*"', '*') | ForEach-Object { if ($_ -cmatch '^[A-Za-z]{1,15}[:.,;]?$') { $_ } else { '*' } }
        ($tokens -join ' ') -replace '\*( \*)+', '*'
    }

    function Compare-ExampleOutput {
        <#
        .SYNOPSIS
            Why what an example printed ($Actual) does not have the shape of what its help shows ($Documented):
            nothing when it does. Values (ids, dates, paths, counts) may differ; the shape may not:
            - an empty output block: the example prints nothing;
            - each table header (a line over a line of dashes) is a line of the output, whitespace collapsed;
            - without a table, the list labels ("Label : value" lines), in order, are those of the output;
            - a first line that is neither: the first line of the output, values masked (Get-LineShape).
        #>
        param([AllowEmptyString()] [string] $Documented, [AllowEmptyString()] [string] $Actual)
        $collapse = { param($Line) ($Line -replace '\s+', ' ').Trim() }
        $documentedLines = @($Documented -split '\r?\n')
        $actualLines = @($Actual -split '\r?\n' | ForEach-Object { & $collapse $_ } | Where-Object { $_ })
        $shown = @($documentedLines | Where-Object { $_.Trim() })
        if (-not $shown) {
            if ($actualLines) { "its help shows no output, but it prints: '$($actualLines[0])'" }
            return
        }
        $dashes = '^\s*-+(\s+-+)*\s*$'
        $headers = @(for ($i = 0; $i -lt $documentedLines.Count - 1; $i++) {
                if ($documentedLines[$i].Trim() -and $documentedLines[$i] -notmatch $dashes -and $documentedLines[$i + 1] -match $dashes) { & $collapse $documentedLines[$i] }
            })
        foreach ($header in $headers) {
            if ($header -cnotin $actualLines) { "its help shows a table headed '$header', but it prints no such header (first line: '$($actualLines | Select-Object -First 1)')" }
        }
        $label = '^(\S[^:]*?)\s+:(\s|$)'
        if (-not $headers) {
            $documentedLabels = @($documentedLines | Where-Object { $_ -match $label } | ForEach-Object { $Matches[1] } | Select-Object -Unique)
            if ($documentedLabels) {
                $actualLabels = @($Actual -split '\r?\n' | Where-Object { $_ -match $label } | ForEach-Object { $Matches[1] } | Select-Object -Unique)
                if (($documentedLabels -join ', ') -cne ($actualLabels -join ', ')) {
                    "its help shows the list labels '$($documentedLabels -join ', ')', but it prints '$($actualLabels -join ', ')'"
                }
            }
        }
        $first = $shown[0]
        if ((& $collapse $first) -notin $headers -and $first -notmatch $label) {
            $expected = Get-LineShape $first
            $printed = if ($actualLines) { Get-LineShape $actualLines[0] } else { '' }
            if ($expected -cne $printed) { "its help's first line has the shape '$expected', but it prints '$printed' ('$($actualLines | Select-Object -First 1)')" }
        }
    }

    function Invoke-HelpExample {
        <#
        Runs an example's code as Get-Help shows it and returns what it shows: the host's lines (What if:,
        VERBOSE:, from a transcript) followed by its output as Out-String -Width 200 formats it.
        #>
        param([string] $Code)
        $block = [scriptblock]::Create($Code)
        $transcript = Join-Path $Work ('transcript-' + [guid]::NewGuid().ToString('N') + '.txt')
        $null = Start-Transcript -LiteralPath $transcript -UseMinimalHeader
        try { $output = & $block | Out-String -Width 200 }
        finally { $null = Stop-Transcript }
        # The host's lines sit between the transcript's header and footer, each framed by lines of asterisks.
        $lines = @(Get-Content -LiteralPath $transcript -Encoding utf8)
        Remove-Item -LiteralPath $transcript -Force
        $frames = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^\*{10,}$') { $i } })
        $hostLines = if ($frames.Count -ge 4 -and $frames[-2] - $frames[1] -gt 1) { $lines[($frames[1] + 1)..($frames[-2] - 1)] } else { @() }
        ((@($hostLines) -join "`n") + "`n" + $output) -replace '\e\[[0-9;?]*[A-Za-z]', ''
    }
}

AfterAll {
    Set-Location $StartLocation
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The help sources' {
    It 'cover every cmdlet the module exports' {
        $pages = @(Get-ChildItem (Join-Path (Get-RepositoryRoot) 'docs/help') -Filter '*-*.md' -File | ForEach-Object BaseName)
        $exported = @((Get-Module WeComExport).ExportedCmdlets.Keys)
        $exported | Should -Not -BeNullOrEmpty
        @($exported | Where-Object { $_ -notin $pages }) | Should -BeNullOrEmpty -Because 'every exported cmdlet needs docs/help/<Cmdlet-Name>.md'
    }
}

Describe 'Get-Help <Name>' -ForEach $Pages {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a synopsis and a description' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML help, Get-Help makes the synopsis up from the syntax.
        $Help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name)) \["
        ($Help.description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter the cmdlet has' {
        $own = @($Command.Parameters.Values | Where-Object { $_.Name -notin $Common -and -not (Test-HiddenParameter $_) } | ForEach-Object Name)
        $own | Should -Not -BeNullOrEmpty
        $missing = foreach ($parameter in $own) {
            $help = Get-Help $Name -Parameter $parameter -ErrorAction SilentlyContinue
            if (-not $help -or -not ($help.description.Text -join '').Trim()) { $parameter }
        }
        $missing | Should -BeNullOrEmpty -Because 'each parameter needs its description in docs/help/<Cmdlet-Name>.md'
    }

    It 'lists exactly the values an enum or ValidateSet parameter takes where it lists accepted values' {
        $source = Join-Path (Get-RepositoryRoot) "docs/help/$Name.md"
        $parameter = $null
        $wrong = foreach ($line in Get-Content -LiteralPath $source -Encoding utf8) {
            if ($line -match '^### -(\w+)') { $parameter = $Command.Parameters[$Matches[1]]; continue }
            if ($line -notmatch '^- Accepted values: (.+?)\.?\s*$' -or -not $parameter) { continue }
            $type = [Nullable]::GetUnderlyingType($parameter.ParameterType) ?? $parameter.ParameterType
            if ($type.IsArray) { $type = $type.GetElementType() }
            $set = $parameter.Attributes | Where-Object { $_ -is [ValidateSet] } | Select-Object -First 1
            $valid = if ($set) { @($set.ValidValues) } elseif ($type.IsEnum) { [enum]::GetNames($type) } else { continue }
            $listed = @($Matches[1] -split ',\s*')
            if (Compare-Object $listed $valid) { "-$($parameter.Name): '$($Matches[1])', but it takes $($valid -join ', ')" }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) { $example.code | Should -Not -BeNullOrEmpty }
    }

    It 'shows the examples of its source, in order (so each is checked against its own output block)' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -Be $SourceExamples.Count
        for ($i = 0; $i -lt $examples.Count; $i++) {
            ($examples[$i].code -replace '\r\n', "`n").Trim() | Should -BeExactly ($SourceExamples[$i].Code -replace '\r\n', "`n").Trim()
        }
    }
}

Describe 'The help examples run against the emulator' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator -Members 200
        $script:Corp = $Emulator.Corps[0]
        $script:Saved = @{}
        foreach ($variable in 'WECOM_CORP_ID', 'WECOM_CORP_SECRET', 'WECOM_API_BASE_URI') { $Saved[$variable] = [Environment]::GetEnvironmentVariable($variable) }
        # What the examples say they need (docs/help/README.md), and nothing else.
        $env:WECOM_CORP_ID = $Corp.corpId
        $env:WECOM_CORP_SECRET = $Corp.secret
        $env:WECOM_API_BASE_URI = $Emulator.BaseUri
        $null = Connect-TestCorp $Emulator
        $script:yesterday = Join-Path $Work 'yesterday'
        $script:today = Join-Path $Work 'today'
        $null = Export-WeComDirectory -Path $yesterday -Detailed -AllTags -PollInterval 0.1 -ErrorAction Stop
        $null = Invoke-EmulatorControl $Emulator POST directory @{ random = @{ seed = 7; addMembers = 5; removeMembers = 3; editMembers = 10; moveMembers = 4; renameDepartments = 2 } } -Query @{ corpid = $Corp.corpId }
        $null = Export-WeComDirectory -Path $today -Detailed -AllTags -PollInterval 0.1 -ErrorAction Stop
        # Kestrel answers absolute-form request lines ("GET http://host/path"), so the emulator serves as its own proxy.
        $script:proxyUri = $Emulator.BaseUri
        $script:proxyCredential = [pscredential]::new('proxyuser', (ConvertTo-SecureString 'proxy-password' -AsPlainText -Force))
    }

    AfterAll {
        Set-Location $StartLocation
        foreach ($variable in $Saved.Keys) { [Environment]::SetEnvironmentVariable($variable, $Saved[$variable]) }
        $Emulator | Stop-TestEmulator
    }

    Context '<Name>' -ForEach $Pages {
        BeforeAll {
            # Each page's examples run in order, in an empty folder of their own.
            Set-Location (New-Item -ItemType Directory (Join-Path $Work "pwd-$Name")).FullName
            $null = Connect-TestCorp $Emulator
        }

        It 'example <Number> (<Title>) runs without error records and prints what its help shows' -ForEach $Examples {
            $mark = Get-ErrorMark
            $failure = $null
            $shown = $null
            try { $shown = Invoke-HelpExample $Code } catch { $failure = $_ }
            $failure | Should -BeNullOrEmpty
            $errors = @($global:Error | Where-Object { -not $mark.Contains($_) } | ForEach-Object { "$_" })
            $errors | Should -BeNullOrEmpty
            if ($null -ne $Output) {
                $problems = @(Compare-ExampleOutput -Documented $Output -Actual $shown)
                $problems | Should -BeNullOrEmpty -Because "the ``````output block of docs/help/$Cmdlet.md must show what the example prints"
            }
        }
    }
}

Describe 'The output check (Compare-ExampleOutput)' {
    It 'accepts other values in the same shape' {
        $table = "Id CorpId             Proxy`n-- ------             -----`n 3 ww259cbe52ffc0cab5 http://proxy.contoso.com:3128"
        Compare-ExampleOutput $table "`nId CorpId     Proxy`n-- ------     -----`n 7 wwother    http://127.0.0.1:8080`n`n" | Should -BeNullOrEmpty
        Compare-ExampleOutput "Count : 146`nAverage :" "`nCount   : 3`nAverage : `n" | Should -BeNullOrEmpty
        Compare-ExampleOutput 'What if: Performing the operation "Start Department export" on target "corp ww259cbe52ffc0cab5".' `
            'What if: Performing the operation "Start Department export" on target "corp wwother".' | Should -BeNullOrEmpty
        Compare-ExampleOutput '' "`n`n" | Should -BeNullOrEmpty
    }

    It 'refuses another table header, other list labels, another first line, or output where none is shown' {
        $table = "Id CorpId             Proxy`n-- ------             -----`n 3 ww259cbe52ffc0cab5 http://proxy.contoso.com:3128"
        Compare-ExampleOutput $table "Id CorpId ApiBaseUri`n-- ------ ----------`n 3 ww1 https://qyapi.weixin.qq.com" | Should -Match "table headed 'Id CorpId Proxy'"
        Compare-ExampleOutput "Count : 146`nAverage :" "Count : 3`nSum : 4" | Should -Match 'list labels'
        Compare-ExampleOutput 'What if: Performing the operation "x" on target "y".' 'Confirm: Are you sure?' | Should -Match 'first line'
        Compare-ExampleOutput '' 'ww259cbe52ffc0cab5' | Should -Match 'no output'
    }
}

Describe 'tools/New-MamlHelp.ps1' {
    It 'fails when a help source names a parameter the cmdlet does not have' {
        $sources = Join-Path $Work 'stale-help'
        $null = New-Item -ItemType Directory $sources
        $page = Get-Content -Raw (Join-Path (Get-RepositoryRoot) 'docs/help/Get-WeComSession.md')
        $page.Replace('## Outputs', "### -NoSuchParameter`nRemoved long ago.`n`n## Outputs") | Set-Content (Join-Path $sources 'Get-WeComSession.md') -Encoding utf8
        $output = Join-Path $Work 'stale-help.xml'
        Push-Location (Get-RepositoryRoot)
        try {
            $lines = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path (Get-RepositoryRoot) 'tools/New-MamlHelp.ps1') -SourcePath $sources -ModulePath (Get-TestModulePath) -OutputPath $output 2>&1
            $exit = $LASTEXITCODE
        }
        finally { Pop-Location }
        $exit | Should -Not -Be 0
        ($lines -join "`n") | Should -Match 'NoSuchParameter'
        Test-Path $output | Should -BeFalse
    }
}
