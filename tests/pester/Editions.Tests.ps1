# Both editions: Windows PowerShell 5.1 (.NET Framework 4.7.2+) and PowerShell 7.4+. Only pwsh 7.6.9
# runs here, so the module initializer's decisions are pure functions, tested through reflection with
# the inputs the other hosts would give them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    $script:Manifest = Join-Path $ModulePath 'WeComExport.psd1'
    Import-Module $Manifest -Force

    function Invoke-Initializer {
        <# Calls one of ModuleInitializer's internal static methods. #>
        param([Parameter(Mandatory, Position = 0)] [string] $Name, [Parameter(Position = 1)] [object[]] $Arguments = @())
        $method = [WeComExport.Commands.ModuleInitializer].GetMethod($Name, [Reflection.BindingFlags]'NonPublic, Static')
        if (-not $method) { throw "ModuleInitializer has no internal static $Name." }
        $method.Invoke($null, $Arguments)
    }
}

Describe 'The manifest' {
    It 'admits Windows PowerShell 5.1 on .NET Framework 4.7.2 and PowerShell Core' {
        $data = Import-PowerShellDataFile $Manifest
        $data.PowerShellVersion | Should -Be '5.1'
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.DotNetFrameworkVersion | Should -Be '4.7.2'
    }
}

Describe 'The PowerShell version check at import' {
    It 'accepts PowerShell <Version> on Core' -ForEach @(
        @{ Version = '7.4' }, @{ Version = '7.4.0' }, @{ Version = '7.4.6' }, @{ Version = '7.5.1' }, @{ Version = '7.6.9' }, @{ Version = '8.0' }
    ) {
        Invoke-Initializer CheckHostVersion @('Core', [version]$Version) | Should -BeNullOrEmpty
    }

    It 'refuses PowerShell <Version> on Core, saying what is needed and what was found' -ForEach @(
        @{ Version = '7.0.3' }, @{ Version = '7.2.24' }, @{ Version = '7.3.12' }, @{ Version = '6.2.7' }
    ) {
        $message = Invoke-Initializer CheckHostVersion @('Core', [version]$Version)
        $message | Should -Be "WeComExport needs PowerShell 7.4 or later on PowerShell Core (found $Version); Windows PowerShell 5.1 is supported too."
    }

    It 'leaves Windows PowerShell to the manifest' {
        Invoke-Initializer CheckHostVersion @('Desktop', [version]'5.1.19041') | Should -BeNullOrEmpty
        Invoke-Initializer CheckHostVersion @('Desktop', $null) | Should -BeNullOrEmpty
    }

    It 'lets this PowerShell import the module' {
        $run = Invoke-FreshPwsh "Import-Module '$Manifest' -ErrorAction Stop; 'imported'"
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Contain 'imported'
    }
}

Describe 'The .NET Framework assembly resolver' {
    # On .NET Framework there are no binding redirects: System.Text.Json asks for System.Memory,
    # Unsafe, Buffers at versions other than those shipped, and the resolver answers with the shipped
    # copy. It must answer nothing else: not a newer version than shipped, not an assembly the module
    # does not ship, not a request from another module's assembly.
    BeforeAll {
        $script:Shipped = Invoke-Initializer ReadShippedAssemblies @($ModulePath)
        $script:Memory = $Shipped['System.Memory']
        $script:Json = $Shipped['System.Text.Json']
        $script:MemoryToken = 'cc7b13ffcd2ddd51'
        function Select-Shipped {
            param([string] $Requested, $Requesting)
            Invoke-Initializer ChooseShippedAssembly @($Shipped, $Requested, $Requesting)
        }
    }

    It 'knows every dll in the module folder by its assembly name and version' {
        $dlls = Get-ChildItem $ModulePath -Filter '*.dll'
        $Shipped.Count | Should -Be $dlls.Count
        foreach ($dll in $dlls) {
            $name = [Reflection.AssemblyName]::GetAssemblyName($dll.FullName)
            $Shipped[$name.Name].Version | Should -Be $name.Version
            $Shipped[$name.Name].Path | Should -Be $dll.FullName
        }
    }

    It 'answers an older version of a shipped dll, asked for by one of ours, with the shipped copy' {
        $older = [version]::new($Memory.Version.Major, $Memory.Version.Minor, $Memory.Version.Build, [Math]::Max(0, $Memory.Version.Revision - 1))
        Select-Shipped "System.Memory, Version=$older, Culture=neutral, PublicKeyToken=$MemoryToken" $Json.Name |
            Should -Be (Join-Path $ModulePath 'System.Memory.dll')
        Select-Shipped "System.Memory, Version=4.0.0.0, Culture=neutral, PublicKeyToken=$MemoryToken" 'WeComExport, Version=0.1.0.0' |
            Should -Be (Join-Path $ModulePath 'System.Memory.dll')
    }

    It 'answers every shipped dll at its own version' {
        foreach ($entry in $Shipped.Values) {
            Select-Shipped "$($entry.Name), Version=$($entry.Version)" 'WeComExport.Core' | Should -Be $entry.Path
        }
    }

    It 'answers when the runtime does not say who asked' {
        Select-Shipped "System.Text.Json, Version=8.0.0.0" $null | Should -Be $Json.Path
    }

    It 'does not answer a higher version than the one shipped' {
        $higher = [version]::new($Memory.Version.Major, $Memory.Version.Minor + 1, 0, 0)
        Select-Shipped "System.Memory, Version=$higher, Culture=neutral, PublicKeyToken=$MemoryToken" $Json.Name | Should -BeNullOrEmpty
        Select-Shipped 'System.Text.Json, Version=10.0.0.0' 'WeComExport' | Should -BeNullOrEmpty
    }

    It 'does not answer an assembly the module does not ship' {
        Select-Shipped 'Newtonsoft.Json, Version=13.0.0.0' 'WeComExport' | Should -BeNullOrEmpty
        Select-Shipped 'System.Management.Automation, Version=3.0.0.0' 'WeComExport' | Should -BeNullOrEmpty
    }

    It 'does not answer a request from an assembly that is not ours' {
        Select-Shipped "System.Memory, Version=4.0.0.0, Culture=neutral, PublicKeyToken=$MemoryToken" 'Az.Accounts, Version=2.0.0.0' | Should -BeNullOrEmpty
        # The handler itself: PowerShell's own assembly is not in the module folder.
        $handler = [WeComExport.Commands.ModuleInitializer].GetMethod('ResolveFromModuleFolder', [Reflection.BindingFlags]'NonPublic, Static')
        $handler.Invoke($null, @($null, [ResolveEventArgs]::new('System.Memory, Version=4.0.0.0', [psobject].Assembly))) | Should -BeNullOrEmpty
    }

    It 'does not answer a same-named assembly signed with another key' {
        Select-Shipped 'System.Memory, Version=4.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef' 'WeComExport' | Should -BeNullOrEmpty
    }

    It 'is not hooked on PowerShell 7, which uses the runtime''s own System.Text.Json' {
        $run = Invoke-FreshPwsh @"
Import-Module '$Manifest' -ErrorAction Stop
[WeComExport.Commands.ModuleInitializer].GetProperty('ResolverHooks', [Reflection.BindingFlags]'NonPublic, Static').GetValue(`$null)
[System.Text.Json.JsonSerializer].Assembly.GetName().Version.Major -gt 8
"@
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Be @('0', 'True')
    }

    It 'is unhooked by Remove-Module' {
        # What OnImport does on .NET Framework, done by hand here, then undone by Remove-Module (OnRemove).
        $run = Invoke-FreshPwsh @"
Import-Module '$Manifest' -ErrorAction Stop
`$type = [WeComExport.Commands.ModuleInitializer]
`$flags = [Reflection.BindingFlags]'NonPublic, Static'
`$hooks = { `$type.GetProperty('ResolverHooks', `$flags).GetValue(`$null) }
`$null = `$type.GetMethod('HookResolver', `$flags).Invoke(`$null, @())
`$null = `$type.GetMethod('HookResolver', `$flags).Invoke(`$null, @())
& `$hooks
Remove-Module WeComExport -ErrorAction Stop
& `$hooks
"@
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Be @('1', '0')
    }
}

Describe 'The dlls shipped for .NET Framework 4.7.2' {
    # Windows PowerShell 5.1 loads the module's dlls on .NET Framework, with no deps.json and no
    # binding redirects: every assembly a shipped dll references must be either in the module folder
    # at that version or higher (the resolver then answers it, which this also checks), or in what
    # every .NET Framework 4.7.2 and Windows PowerShell 5.1 host has. That allow-list, with the highest
    # version each provides:
    #   netstandard 2.0.0.0   the .NET Standard 2.0 facade, in the box since .NET Framework 4.7.1
    #   System.Management.Automation 3.0.0.0   PowerShell itself (5.1's assembly version is 3.0.0.0)
    #   mscorlib, System, System.Core, System.Xml, System.Xml.Linq, System.Data, System.Numerics,
    #   System.Net.Http, System.Runtime.Serialization, System.Security, Microsoft.CSharp 4.0.0.0
    #                         the Framework's own assemblies (GAC), which a netstandard2.0 dll may
    #                         reference through type forwards
    # Deliberately not listed: System.Runtime and the other contract facades (a netstandard1.x or
    # net6+ dll would reference them, and their versions in 4.7.2 must be checked before allowing
    # them), and anything a host might or might not have.
    BeforeAll {
        $script:Framework = @{
            'netstandard'                  = [version]'2.0.0.0'
            'System.Management.Automation' = [version]'3.0.0.0'
        }
        foreach ($name in 'mscorlib', 'System', 'System.Core', 'System.Xml', 'System.Xml.Linq', 'System.Data', 'System.Numerics',
            'System.Net.Http', 'System.Runtime.Serialization', 'System.Security', 'Microsoft.CSharp') {
            $Framework[$name] = [version]'4.0.0.0'
        }
        $script:Shipped = Invoke-Initializer ReadShippedAssemblies @($ModulePath)

        function Get-AssemblyReference {
            <# The assembly references in a dll's metadata, as {Name, Version}. #>
            param([Parameter(Mandatory)] [string] $Path)
            $stream = [IO.File]::OpenRead($Path)
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            try {
                $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                foreach ($handle in $reader.AssemblyReferences) {
                    $reference = $reader.GetAssemblyReference($handle)
                    [pscustomobject]@{ Name = $reader.GetString($reference.Name); Version = $reference.Version }
                }
            }
            finally {
                $pe.Dispose()
                $stream.Dispose()
            }
        }
    }

    It 'references only shipped dlls (at that version or higher) and the framework' {
        $unsatisfied = foreach ($dll in Get-ChildItem $ModulePath -Filter '*.dll') {
            $self = [Reflection.AssemblyName]::GetAssemblyName($dll.FullName)
            foreach ($reference in Get-AssemblyReference $dll.FullName) {
                $entry = $Shipped[$reference.Name]
                if ($entry) {
                    if ($entry.Version -lt $reference.Version) { "$($dll.Name) -> $($reference.Name) $($reference.Version) (ships $($entry.Version))" }
                    elseif ($reference.Version -ne $entry.Version) {
                        # Another version than shipped: on .NET Framework only the resolver can bind it.
                        $path = Invoke-Initializer ChooseShippedAssembly @($Shipped, "$($reference.Name), Version=$($reference.Version)", $self.FullName)
                        if ($path -ne $entry.Path) { "$($dll.Name) -> $($reference.Name) $($reference.Version) (the resolver does not answer it)" }
                    }
                }
                elseif (-not $Framework.ContainsKey($reference.Name) -or $Framework[$reference.Name] -lt $reference.Version) {
                    "$($dll.Name) -> $($reference.Name) $($reference.Version) (neither shipped nor in .NET Framework 4.7.2 / PowerShell 5.1)"
                }
            }
        }
        $unsatisfied | Should -BeNullOrEmpty
    }

    It 'ships no dll that nothing references' {
        $referenced = @(Get-ChildItem $ModulePath -Filter '*.dll' | ForEach-Object { (Get-AssemblyReference $_.FullName).Name }) + 'WeComExport'
        $Shipped.Keys | Where-Object { $_ -notin $referenced } | Should -BeNullOrEmpty
    }
}

Describe 'The module in a pwsh where another version of a shipped dependency is already loaded' {
    # End to end, in a fresh pwsh: the user has already loaded other versions of what the module ships
    # (pwsh's own System.Text.Json 10 in the default context, and PSResourceGet's System.Text.Json 8.0.0.6
    # - a copy that comes with pwsh itself, so nothing is restored - in an isolated AssemblyLoadContext, as
    # a module isolating its dependencies would), then imports the module, exports, removes it and imports
    # it again. The child process prints what it found as one JSON line, and the tests assert on that.
    # On PowerShell 7 OnImport hooks no resolver; the child hooks it by hand (what OnImport does on .NET
    # Framework) so the export runs with it live and Remove-Module has it to undo.
    BeforeAll {
        $script:Emulator = Start-TestEmulator -Members 300 -ExtraArguments '--job-delay', '50'
        $script:Corp = $Emulator.Corps[0]
        $script:ShippedVersions = @{}
        foreach ($dll in Get-ChildItem $ModulePath -Filter '*.dll') {
            $name = [Reflection.AssemblyName]::GetAssemblyName($dll.FullName)
            $ShippedVersions[$name.Name] = "$($name.Version)"
        }

        # The records' whole content, the same way in this process (nothing else loaded) and in the child.
        $digestScript = {
            param([object[]] $Records)
            $lines = @($Records | Sort-Object UserId | ForEach-Object { $_ | ConvertTo-Json -Depth 8 -Compress })
            $sha = [Security.Cryptography.SHA256]::Create()
            try { -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($lines -join "`n")) | ForEach-Object { $_.ToString('x2') }) } finally { $sha.Dispose() }
        }

        $child = @'
$ErrorActionPreference = 'Stop'
$flags = [Reflection.BindingFlags]'NonPublic, Static'
# The dependencies the module ships (its own two assemblies aside).
$shippedNames = @(Get-ChildItem $ModulePath -Filter '*.dll' | ForEach-Object { [Reflection.AssemblyName]::GetAssemblyName($_.FullName).Name } |
        Where-Object { $_ -notin 'WeComExport', 'WeComExport.Core' })
function Get-Context { param($Assembly) [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($Assembly).Name }
function Get-LoadedShipped {
    # Every loaded assembly named like one the module ships: which version, from where, in which context.
    foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) {
        $n = $a.GetName()
        if ($n.Name -in $shippedNames) { [ordered]@{ Name = $n.Name; Version = "$($n.Version)"; Location = $a.Location; Context = Get-Context $a } }
    }
}
function Get-Bindings {
    # What the module's own assemblies' references to shipped dlls bind to, asked of their own load context.
    foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'WeComExport', 'WeComExport.Core' }) {
        foreach ($ref in $a.GetReferencedAssemblies() | Where-Object Name -In $shippedNames) {
            $bound = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).LoadFromAssemblyName($ref)
            [ordered]@{ From = $a.GetName().Name; Name = $ref.Name; Asked = "$($ref.Version)"; Version = "$($bound.GetName().Version)"; Location = $bound.Location; Context = Get-Context $bound }
        }
    }
}
function Invoke-UserJson {
    # The user's own System.Text.Json at work.
    $serializer = $userJson.GetType('System.Text.Json.JsonSerializer', $true)
    $method = $serializer.GetMethods() | Where-Object { $_.Name -eq 'Serialize' -and -not $_.IsGenericMethod -and $_.ReturnType -eq [string] -and
        ($_.GetParameters().ParameterType.Name -join ',') -eq 'Object,Type,JsonSerializerOptions' }
    $method.Invoke($null, @([string[]]('a', 'b'), [string[]], $null))
}
$facts = [ordered]@{ Before = @(Get-LoadedShipped) }

# The user's other version, isolated as a module isolating its dependencies would load it.
$userContext = [Runtime.Loader.AssemblyLoadContext]::new('UserIsolated', $false)
$userJson = $userContext.LoadFromAssemblyPath($UserJsonPath)
$facts.UserJson = [ordered]@{ Version = "$($userJson.GetName().Version)"; Location = $userJson.Location; Context = Get-Context $userJson; Output = Invoke-UserJson }

Import-Module $Manifest
$initializer = [WeComExport.Commands.ModuleInitializer]
$hooks = { [int] $initializer.GetProperty('ResolverHooks', $flags).GetValue($null) }
$facts.HooksAfterImport = & $hooks
$null = $initializer.GetMethod('HookResolver', $flags).Invoke($null, @())
$facts.HooksWhileExporting = & $hooks

$session = Connect-WeCom -CorpId $CorpId -Secret (ConvertTo-SecureString $Secret -AsPlainText -Force) -ApiBaseUri $BaseUri -PassThru
$users = @(Start-WeComUserExport -Detailed -Session $session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport)
$facts.UserIds = @($users | ForEach-Object UserId)
$facts.UserDigest = & $digest $users
$facts.AfterExport = @(Get-LoadedShipped)
$facts.Bindings = @(Get-Bindings)
$facts.ModuleFolderLoads = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location -and
        [IO.Path]::GetDirectoryName($_.Location) -eq $ModulePath } | ForEach-Object { $_.GetName().Name })
Disconnect-WeCom -Session $session

Remove-Module WeComExport
$facts.HooksAfterRemove = & $hooks
$facts.AfterRemove = @(Get-LoadedShipped)
$facts.UserJsonAfterRemove = Invoke-UserJson

# The module still works in this session after being removed: imported again, it exports again.
Import-Module $Manifest
$facts.HooksAfterReimport = & $hooks
$session = Connect-WeCom -CorpId $CorpId -Secret (ConvertTo-SecureString $Secret -AsPlainText -Force) -ApiBaseUri $BaseUri -PassThru
$facts.DepartmentIds = @(Start-WeComDepartmentExport -Session $session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport | ForEach-Object { [string] $_.Id })
Disconnect-WeCom -Session $session
Remove-Module WeComExport
$facts.HooksAtEnd = & $hooks
$facts.UserJsonAtEnd = Invoke-UserJson
'FACTS ' + ($facts | ConvertTo-Json -Depth 5 -Compress)
'@
        $prelude = @(
            "`$ModulePath = '$ModulePath'"
            "`$Manifest = '$Manifest'"
            "`$BaseUri = '$($Emulator.BaseUri)'"
            "`$CorpId = '$($Corp.corpId)'"
            "`$Secret = '$($Corp.secret)'"
            "`$UserJsonPath = Join-Path `$PSHOME 'Modules/Microsoft.PowerShell.PSResourceGet/dependencies/System.Text.Json.dll'"
            "`$digest = {$digestScript}"
        ) -join "`n"
        $started = [Diagnostics.Stopwatch]::StartNew()
        $script:Run = Invoke-FreshPwsh ($prelude + "`n" + $child)
        Write-Host "The child pwsh took $([int]$started.Elapsed.TotalSeconds) s."
        $line = $Run.Output | Where-Object { $_.StartsWith('FACTS ') } | Select-Object -Last 1
        $script:Facts = if ($line) { $line.Substring(6) | ConvertFrom-Json } else { $null }
        $script:RuntimeFolder = [IO.Path]::GetDirectoryName([object].Assembly.Location)

        # The same export in this process, where nothing else is loaded: what the child must match.
        $session = Connect-TestCorp $Emulator
        $script:CleanDigest = & $digestScript @(Start-WeComUserExport -Detailed -Session $session | Wait-WeComExport -PollInterval 0.1 | Receive-WeComExport)
        Disconnect-WeCom -Session $session
    }

    AfterAll { Stop-TestEmulator $script:Emulator }

    It 'runs to the end and reports what it found' {
        $Run.ExitCode | Should -Be 0 -Because ($Run.Output -join "`n")
        $Facts | Should -Not -BeNullOrEmpty -Because ($Run.Output -join "`n")
    }

    It 'starts with other versions than the module ships already loaded: pwsh''s own and the user''s isolated copy' {
        $json = @($Facts.Before | Where-Object Name -EQ 'System.Text.Json')
        $json.Count | Should -Be 1
        $json[0].Context | Should -Be 'Default'
        [IO.Path]::GetDirectoryName($json[0].Location) | Should -Be $RuntimeFolder
        $json[0].Version | Should -Not -Be $ShippedVersions['System.Text.Json']

        $Facts.UserJson.Context | Should -Be 'UserIsolated'
        $Facts.UserJson.Version | Should -Not -Be $ShippedVersions['System.Text.Json']
        $Facts.UserJson.Version | Should -Not -Be $json[0].Version
        $Facts.UserJson.Output | Should -Be '["a","b"]'
    }

    It 'exports every member, each with the same content as in a session where nothing else is loaded' {
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind user
        $truth.count | Should -BeGreaterThan 0
        @($Facts.UserIds).Count | Should -Be $truth.count
        Get-IdsDigest -Ids @($Facts.UserIds) | Should -Be $truth.idsSha256
        $Facts.UserDigest | Should -Be $CleanDigest
    }

    It 'binds its own assemblies to the copies already loaded, never to the ones in the module folder' {
        $Facts.ModuleFolderLoads | Sort-Object | Should -Be @('WeComExport', 'WeComExport.Core')
        $Facts.Bindings | Should -Not -BeNullOrEmpty
        foreach ($binding in $Facts.Bindings) {
            $binding.Context | Should -Be 'Default' -Because "$($binding.From) -> $($binding.Name)"
            [IO.Path]::GetDirectoryName($binding.Location) | Should -Not -Be $ModulePath -Because "$($binding.From) -> $($binding.Name)"
        }
        $json = @($Facts.Bindings | Where-Object Name -EQ 'System.Text.Json')
        $json.Count | Should -BeGreaterThan 0
        $json | ForEach-Object { $_.Location | Should -Be @($Facts.Before | Where-Object Name -EQ 'System.Text.Json')[0].Location }
    }

    It 'leaves the user''s copies loaded, where they were, and working' {
        $before = @($Facts.Before | ForEach-Object { "$($_.Name) $($_.Version) $($_.Location) $($_.Context)" })
        $userCopy = "System.Text.Json $($Facts.UserJson.Version) $($Facts.UserJson.Location) UserIsolated"
        foreach ($stage in 'AfterExport', 'AfterRemove') {
            $now = @($Facts.$stage | ForEach-Object { "$($_.Name) $($_.Version) $($_.Location) $($_.Context)" })
            # Loading more of the runtime's copies is fine (the export needs System.Memory, ...); none of the ones before went away or moved.
            foreach ($entry in $before + $userCopy) { $now | Should -Contain $entry -Because $stage }
            @($Facts.$stage | Where-Object { $_.Context -eq 'Default' -and [IO.Path]::GetDirectoryName($_.Location) -eq $ModulePath }) |
                Should -BeNullOrEmpty -Because $stage
        }
        $Facts.UserJsonAfterRemove | Should -Be '["a","b"]'
        $Facts.UserJsonAtEnd | Should -Be '["a","b"]'
    }

    It 'hooks no resolver on PowerShell 7, and Remove-Module undoes a hook' {
        $Facts.HooksAfterImport | Should -Be 0
        $Facts.HooksWhileExporting | Should -Be 1
        $Facts.HooksAfterRemove | Should -Be 0
        $Facts.HooksAfterReimport | Should -Be 0
        $Facts.HooksAtEnd | Should -Be 0
    }

    It 'still exports after Remove-Module and a second Import-Module in the same session' {
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department
        @($Facts.DepartmentIds).Count | Should -Be $truth.count
        Get-IdsDigest -Ids @($Facts.DepartmentIds) | Should -Be $truth.idsSha256
    }
}
