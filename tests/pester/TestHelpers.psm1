# Shared by the Pester files: where the published module is, and how to run code in a fresh pwsh.

function Get-TestModulePath {
    if (-not $env:WECOM_TEST_MODULE) { throw 'WECOM_TEST_MODULE is not set: run the suite through ./build.ps1 Test.' }
    $env:WECOM_TEST_MODULE
}

function Get-RepositoryRoot {
    (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
}

function Invoke-FreshPwsh {
    <# Runs a script in a new pwsh process (from the repository's tool manifest) and returns its output lines. #>
    param([Parameter(Mandatory)] [string] $Script)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    Push-Location (Get-RepositoryRoot)
    try {
        $output = & dotnet pwsh -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }
    finally {
        Pop-Location
    }
}

Export-ModuleMember -Function Get-TestModulePath, Get-RepositoryRoot, Invoke-FreshPwsh
