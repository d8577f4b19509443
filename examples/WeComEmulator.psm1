<#
    Starts and stops the local WeCom API emulator (out/emulator, published by build.ps1 Build) as a
    child process, for the demo, the tests and your own trials.
#>

function Start-WeComEmulator {
    <#
    .SYNOPSIS
        Starts the emulator on a free loopback port and returns its base URI and corp credentials.
    .EXAMPLE
        $emu = Start-WeComEmulator -EmulatorPath ./out/emulator -Members 1000
        Connect-WeCom -CorpId $emu.Corps[0].corpId -Secret (ConvertTo-SecureString $emu.Corps[0].secret -AsPlainText -Force) -ApiBaseUri $emu.BaseUri
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $EmulatorPath,
        [int] $Members = 1000,
        [int] $Corps = 1,
        [string[]] $ArgumentList = @(),
        [int] $StartTimeoutSeconds = 120
    )
    $dll = Join-Path (Resolve-Path $EmulatorPath).Path 'WeComExport.Emulator.dll'
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--members', $Members, '--corps', $Corps, '--port', '0') + $ArgumentList) { $psi.ArgumentList.Add([string]$a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($psi)
    # Drain stderr so the emulator's log never blocks it.
    $stderr = $process.StandardError.ReadToEndAsync()
    $first = $process.StandardOutput.ReadLineAsync()
    if (-not $first.Wait([TimeSpan]::FromSeconds($StartTimeoutSeconds)) -or -not $first.Result) {
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "The emulator did not start within $StartTimeoutSeconds s. Its log: $(if ($stderr.Wait(1000)) { $stderr.Result })"
    }
    $null = $process.StandardOutput.ReadToEndAsync()
    $info = $first.Result | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName = 'WeComExport.EmulatorProcess'
        BaseUri    = [uri]$info.baseUri
        Corps      = @($info.corps)
        Process    = $process
    }
}

function Stop-WeComEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if ($Emulator -and -not $Emulator.Process.HasExited) {
            $Emulator.Process.Kill($true)
            $null = $Emulator.Process.WaitForExit(10000)
        }
    }
}

function Get-WeComEmulatorCredential {
    <# The PSCredential (UserName = CorpID, Password = secret) of one of the emulator's corps. #>
    param([Parameter(Mandatory)] $Emulator, [int] $Index = 0)
    $corp = $Emulator.Corps[$Index]
    [pscredential]::new($corp.corpId, (ConvertTo-SecureString $corp.secret -AsPlainText -Force))
}

Export-ModuleMember -Function Start-WeComEmulator, Stop-WeComEmulator, Get-WeComEmulatorCredential
