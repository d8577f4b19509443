<#
.SYNOPSIS
    The main job against the local emulator (build.ps1 Demo runs it).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [Parameter(Mandatory)] [string] $OutputDirectory
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'WeComExport.psd1')
Get-Command -Module WeComExport | Format-Table -AutoSize CommandType, Name, Version | Out-String | Write-Host
