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
