# The published MAML help (built from docs/help by tools/New-MamlHelp.ps1): for each cmdlet with a help
# source, Get-Help shows a synopsis, a description, a description for every parameter the cmdlet really has
# and at least two examples; every example, read back through Get-Help, runs against the emulator without
# an error record; and the generator refuses a source that names a parameter the cmdlet doesn't have.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Pages = foreach ($source in Get-ChildItem (Join-Path (Get-RepositoryRoot) 'docs/help') -Filter '*-*.md' -File | Sort-Object Name) {
        $name = $source.BaseName
        $examples = @((Get-Help $name -Full).examples.example)
        @{
            Name     = $name
            Examples = @(for ($i = 0; $i -lt $examples.Count; $i++) {
                    @{ Cmdlet = $name; Number = $i + 1; Title = ($examples[$i].title -replace '^-+\s*|\s*-+$', ''); Code = $examples[$i].code }
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
}

AfterAll {
    Set-Location $StartLocation
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
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

    It 'has at least two examples, each with code' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) { $example.code | Should -Not -BeNullOrEmpty }
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

        It 'example <Number> (<Title>) runs without error records' -ForEach $Examples {
            $mark = Get-ErrorMark
            $block = [scriptblock]::Create($Code)
            $failure = $null
            try { $null = & $block | Out-String } catch { $failure = $_ }
            $failure | Should -BeNullOrEmpty
            $errors = @($global:Error | Where-Object { -not $mark.Contains($_) } | ForEach-Object { "$_" })
            $errors | Should -BeNullOrEmpty
        }
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
