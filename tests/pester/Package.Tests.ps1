# The package of build.ps1 Package, installed as a user would: from a (temporary, local) PowerShell
# repository with Save-PSResource, then imported by name in a fresh pwsh and used against the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Package = Get-TestPackagePath
    $script:ModulePath = Get-TestModulePath
    $script:Version = (Import-PowerShellDataFile (Join-Path (Get-RepositoryRoot) 'WeComExport.psd1')).ModuleVersion

    # Unique names: the repository registration is recorded per user, and several runs may overlap.
    $unique = [guid]::NewGuid().ToString('N')
    $script:RepositoryName = "WeComExportTest-$unique"
    $script:TempRoot = Join-Path ([IO.Path]::GetTempPath()) "wecom-package-$unique"
    $script:FeedDir = Join-Path $TempRoot 'feed'
    $script:SaveDir = Join-Path $TempRoot 'modules'
    $null = New-Item -ItemType Directory $FeedDir, $SaveDir
    Copy-Item -LiteralPath $Package -Destination $FeedDir

    Register-PSResourceRepository -Name $RepositoryName -Uri $FeedDir -Trusted -ErrorAction Stop
    Save-PSResource -Name WeComExport -Version $Version -Repository $RepositoryName -Path $SaveDir -ErrorAction Stop
    $script:Saved = Join-Path (Join-Path $SaveDir WeComExport) $Version

    $zip = [IO.Compression.ZipFile]::OpenRead($Package)
    try { $script:Entries = @($zip.Entries | Where-Object { $_.Name } | ForEach-Object { $_.FullName }) }
    finally { $zip.Dispose() }
}

AfterAll {
    # Always: a leftover registration would stay in the user's PSResourceGet settings.
    if ($RepositoryName) { Unregister-PSResourceRepository -Name $RepositoryName -ErrorAction SilentlyContinue }
    if ($TempRoot -and (Test-Path -LiteralPath $TempRoot)) { Remove-Item -LiteralPath $TempRoot -Recurse -Force }
}

Describe 'The .nupkg of build.ps1 Package' {
    It 'is named after the manifest''s ModuleVersion' {
        Split-Path $Package -Leaf | Should -Be "WeComExport.$Version.nupkg"
    }

    It 'holds the manifest, the dlls, the format and help files, LICENSE and CHANGELOG.md' {
        foreach ($name in 'WeComExport.psd1', 'WeComExport.dll', 'WeComExport.Core.dll', 'System.Text.Json.dll',
            'WeComExport.format.ps1xml', 'en-US/about_WeComExport.help.txt', 'en-US/WeComExport.dll-Help.xml', 'LICENSE', 'CHANGELOG.md') {
            $Entries | Should -Contain $name
        }
    }

    It 'holds no reference System.Management.Automation, symbols or deps files' {
        @($Entries | Where-Object { $_ -match '(^|/)System\.Management\.Automation\.dll$|\.pdb$|\.deps\.json$' }) | Should -BeNullOrEmpty
    }

    It 'holds exactly the published module folder (plus NuGet''s own metadata)' {
        $published = @(Get-ChildItem $ModulePath -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($ModulePath, $_.FullName).Replace('\', '/') })
        $content = @($Entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|WeComExport\.nuspec$)' })
        ($content | Sort-Object) | Should -Be ($published | Sort-Object)
    }
}

Describe 'WeComExport saved from a local repository' {
    It 'passes Test-ModuleManifest, with this version''s CHANGELOG section as ReleaseNotes and no placeholder URIs' {
        $info = Test-ModuleManifest -Path (Join-Path $Saved 'WeComExport.psd1') -ErrorAction Stop
        $info.Version | Should -Be ([version] $Version)
        $info.ReleaseNotes | Should -Match 'Verified streaming receive'
        $info.ReleaseNotes | Should -Not -Match 'See CHANGELOG'
        $info.ProjectUri | Should -BeNullOrEmpty
        $info.IconUri | Should -BeNullOrEmpty
        $info.LicenseUri | Should -BeNullOrEmpty
        (Get-Content -LiteralPath (Join-Path $Saved 'LICENSE') -Raw) | Should -Match '(?s)MIT License.*WeComExport contributors'
    }

    It 'has dlls whose Version and InformationalVersion are the manifest''s ModuleVersion' {
        foreach ($dll in 'WeComExport.dll', 'WeComExport.Core.dll') {
            $path = Join-Path $Saved $dll
            [Reflection.AssemblyName]::GetAssemblyName($path).Version | Should -Be ([version] "$Version.0") -Because $dll
            # The SDK may append "+<commit>" to the informational version; the version itself must match.
            ([Diagnostics.FileVersionInfo]::GetVersionInfo($path).ProductVersion -split '\+')[0] | Should -Be $Version -Because $dll
        }
    }

    It 'imports by name in a fresh pwsh and exports the emulator''s departments exactly' {
        $emulator = Start-TestEmulator -Members 200
        try {
            $corp = $emulator.Corps[0]
            $truth = Get-EmulatorTruth $emulator -CorpId $corp.corpId -Kind department
            $script = @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$SaveDir' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module WeComExport -RequiredVersion '$Version'
'base:' + (Get-Module WeComExport).ModuleBase
`$secret = ConvertTo-SecureString '$($corp.secret)' -AsPlainText -Force
Connect-WeCom -CorpId '$($corp.corpId)' -Secret `$secret -ApiBaseUri '$($emulator.BaseUri)'
`$records = @(Start-WeComDepartmentExport | Wait-WeComExport -Timeout 120 | Receive-WeComExport)
'count:' + `$records.Count
'types:' + ((`$records | ForEach-Object { `$_.GetType().Name } | Sort-Object -Unique) -join ',')
"@
            $run = Invoke-FreshPwsh $script
            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output | Should -Contain "base:$Saved"
            $run.Output | Should -Contain "count:$($truth.count)"
            $run.Output | Should -Contain 'types:WeComDepartment'
            $truth.count | Should -BeGreaterThan 0
        }
        finally {
            $emulator | Stop-TestEmulator
        }
    }
}
