<#
    Starts and stops the local WeCom API emulator (out/emulator, published by build.ps1 Build) as a
    child process, for the demo, the tests and your own trials. The one launcher: the Pester
    helpers wrap it.
#>

function Start-WeComEmulator {
    <#
    .SYNOPSIS
        Starts the emulator on a free loopback port and returns {BaseUri, Corps, Process, LogPath}.
    .DESCRIPTION
        Waits (up to -StartTimeoutSeconds) for the one JSON line the emulator prints on stdout. Its
        stderr log is copied to a file by a .NET task, so the emulator never blocks on a full pipe.
        Its standard input stays open: with --exit-on-stdin-close the emulator goes away with this
        process even if Stop-WeComEmulator never runs.
    .EXAMPLE
        $emu = Start-WeComEmulator -EmulatorPath ./out/emulator -Members 1000
        Connect-WeCom -Credential (Get-WeComEmulatorCredential $emu) -ApiBaseUri $emu.BaseUri
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $EmulatorPath,
        [int] $Members = 1000,
        [int] $Corps = 1,
        [string[]] $ExtraArguments = @(),
        [int] $StartTimeoutSeconds = 120
    )
    $dll = Join-Path (Resolve-Path -LiteralPath $EmulatorPath).Path 'WeComExport.Emulator.dll'
    if (-not (Test-Path -LiteralPath $dll)) { throw "The emulator is not published at $dll; run ./build.ps1 Build." }
    $dotnet = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source }

    $psi = [Diagnostics.ProcessStartInfo]::new($dotnet)
    $arguments = @($dll, '--members', "$Members", '--corps', "$Corps", '--port', '0', '--exit-on-stdin-close') + $ExtraArguments
    foreach ($argument in $arguments) { $psi.ArgumentList.Add($argument) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = [Text.UTF8Encoding]::new($false)

    $process = [Diagnostics.Process]::Start($psi)
    $logPath = Join-Path ([IO.Path]::GetTempPath()) ("wecom-emulator-{0}.log" -f $process.Id)
    $log = [IO.File]::Open($logPath, [IO.FileMode]::Create, [IO.FileAccess]::Write, [IO.FileShare]::ReadWrite)
    $drain = $process.StandardError.BaseStream.CopyToAsync($log)

    $lineTask = $process.StandardOutput.ReadLineAsync()
    if (-not $lineTask.Wait([TimeSpan]::FromSeconds($StartTimeoutSeconds)) -or [string]::IsNullOrWhiteSpace($lineTask.Result)) {
        if (-not $process.HasExited) { $process.Kill() }
        $null = $process.WaitForExit(5000)
        $log.Dispose()
        throw "The emulator did not print its JSON line within $StartTimeoutSeconds s. Its log: $(Get-Content -LiteralPath $logPath -Raw)"
    }
    $info = $lineTask.Result | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName = 'WeComExport.EmulatorProcess'
        BaseUri    = [string] $info.baseUri
        Corps      = @($info.corps)
        Process    = $process
        LogPath    = $logPath
        Log        = $log
        Drain      = $drain
    }
}

function Stop-WeComEmulator {
    <#
    .SYNOPSIS
        Asks the emulator to shut down (so it deletes its block files), waits, and kills it only if it hangs.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [AllowNull()] $Emulator)
    process {
        if ($null -eq $Emulator) { return }
        $process = $Emulator.Process
        if (-not $process.HasExited) {
            try { $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)/_emulator/shutdown" -TimeoutSec 5 } catch { Write-Verbose "shutdown request failed: $_" }
            if (-not $process.WaitForExit(15000)) { $process.Kill(); $null = $process.WaitForExit(5000) }
        }
        try { $null = $Emulator.Drain.Wait(5000) } catch { Write-Verbose "stderr drain ended with: $_" }
        $Emulator.Log.Dispose()
        $process.Dispose()
        Remove-Item -LiteralPath $Emulator.LogPath -Force -ErrorAction SilentlyContinue
    }
}

function Get-WeComEmulatorCredential {
    <# The PSCredential (UserName = CorpID, Password = secret) of one of the emulator's corps. #>
    param([Parameter(Mandatory)] $Emulator, [int] $Index = 0)
    $corp = $Emulator.Corps[$Index]
    [pscredential]::new($corp.corpId, (ConvertTo-SecureString $corp.secret -AsPlainText -Force))
}

function Update-WeComEmulatorDirectory {
    <#
    .SYNOPSIS
        Changes one corp's directory in the emulator (docs/emulator.md, "Changing the directory at run time")
        and returns the changes it made: ChangeType, Kind, Id, ChangedFields - the ground truth for a compare.
    .EXAMPLE
        Update-WeComEmulatorDirectory $emu -Random @{ seed = 7; addMembers = 5; removeMembers = 3; editMembers = 10; moveMembers = 4; renameDepartments = 2 }
    #>
    [CmdletBinding(DefaultParameterSetName = 'Random')]
    param(
        [Parameter(Mandatory, Position = 0)] $Emulator,
        [Parameter(Mandatory, ParameterSetName = 'Random')] [hashtable] $Random,
        [Parameter(Mandatory, ParameterSetName = 'Body')] [hashtable] $Body,
        [int] $Index = 0
    )
    $request = if ($PSCmdlet.ParameterSetName -eq 'Random') { @{ random = $Random } } else { $Body }
    $uri = "$($Emulator.BaseUri)/_emulator/directory?corpid=$($Emulator.Corps[$Index].corpId)"
    $answer = Invoke-RestMethod -Method Post -Uri $uri -ContentType 'application/json; charset=utf-8' -Body ($request | ConvertTo-Json -Depth 8)
    $answer.changes
}

Export-ModuleMember -Function Start-WeComEmulator, Stop-WeComEmulator, Get-WeComEmulatorCredential, Update-WeComEmulatorDirectory
