BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepositoryRoot
    $scriptFiles = @(
        Get-ChildItem $root -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
            Where-Object { $_.FullName -notmatch '[\\/](out|\.packages|bin|obj|\.git)[\\/]' } |
            ForEach-Object { @{ Name = $_.FullName.Substring($root.Length + 1); Path = $_.FullName } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    $script:Manifest = Join-Path $ModulePath 'WeComExport.psd1'
}

Describe 'The published module folder' {
    It 'passes Test-ModuleManifest' {
        $info = Test-ModuleManifest -Path $Manifest -ErrorAction Stop
        $info.Name | Should -Be 'WeComExport'
        $info.CompatiblePSEditions | Should -Contain 'Desktop'
        $info.CompatiblePSEditions | Should -Contain 'Core'
        $info.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'ships no reference System.Management.Automation, symbols or deps files' {
        $names = (Get-ChildItem $ModulePath -File).Name
        $names | Should -Not -Contain 'System.Management.Automation.dll'
        @($names | Where-Object { $_ -like '*.pdb' -or $_ -like '*.deps.json' -or $_ -like '*.xml' }) | Should -BeNullOrEmpty
        $names | Should -Contain 'WeComExport.dll'
        $names | Should -Contain 'WeComExport.Core.dll'
    }

    It 'imports in a fresh pwsh and exports exactly the cmdlets the manifest lists' {
        $listed = (Import-PowerShellDataFile $Manifest).CmdletsToExport | Sort-Object
        $run = Invoke-FreshPwsh "Import-Module '$Manifest' -ErrorAction Stop; (Get-Command -Module WeComExport).Name | Sort-Object"
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Be $listed
    }

    It 'ships the about_WeComExport help topic' {
        $run = Invoke-FreshPwsh "Import-Module '$Manifest' -ErrorAction Stop; (Get-Help about_WeComExport | Out-String)"
        $run.ExitCode | Should -Be 0
        ($run.Output -join "`n") | Should -Match 'Receive-WeComExport'
    }

    It 'uses approved verbs only' {
        $verbs = (Get-Verb).Verb
        foreach ($name in (Import-PowerShellDataFile $Manifest).CmdletsToExport) {
            $verbs | Should -Contain ($name -split '-')[0]
        }
    }
}

Describe 'New-WeComEncodingAesKey' {
    BeforeAll { Import-Module $Manifest -Force }

    It 'returns a SecureString by default' {
        $key = New-WeComEncodingAesKey
        $key | Should -BeOfType [securestring]
        $key.Length | Should -Be 43
    }

    It 'returns a fresh 43-character alphanumeric key with -AsPlainText' {
        $a = New-WeComEncodingAesKey -AsPlainText
        $b = New-WeComEncodingAesKey -AsPlainText
        $a | Should -Match '^[A-Za-z0-9]{43}$'
        $b | Should -Not -Be $a
    }
}

Describe 'Every PowerShell script in the repository' {
    It '<Name> parses without errors' -ForEach $scriptFiles {
        $tokens = $null; $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
    }
}
