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
