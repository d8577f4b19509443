# Where Receive-WeComExport spools each block while it is verified: -TempDirectory, else
# $env:WECOM_TEMP_DIRECTORY, else the system temp folder. A folder that does not exist is an error
# before anything is downloaded, and no spool file is ever left behind. The emulator here serves its
# blocks as Base64 text (--block-encoding base64), which the module decodes before decrypting.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:Emulator = Start-TestEmulator -Members 300 -ExtraArguments '--job-delay', '0', '--block-encoding', 'base64'
    $script:Corp = $Emulator.Corps[0]
    $script:Session = Connect-TestCorp $Emulator
    $script:Spool = Join-Path ([IO.Path]::GetTempPath()) ('wecom-spool-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $Spool
    $script:Missing = Join-Path $Spool 'missing'
    $script:SavedVariable = $env:WECOM_TEMP_DIRECTORY

    function Get-DoneJob { Start-WeComDepartmentExport -Session $Session | Wait-WeComExport -PollInterval 0.1 -ErrorAction Stop }

    function Assert-AllDepartments {
        param([object[]] $Records)
        $truth = Get-EmulatorTruth $Emulator -CorpId $Corp.corpId -Kind department
        $summary = Get-ExportSummary -Records @($Records)
        $summary.Count | Should -Be $truth.count
        $summary.IdsSha256 | Should -Be $truth.idsSha256
    }
}

AfterAll {
    $env:WECOM_TEMP_DIRECTORY = $script:SavedVariable
    if ($script:Session) { Disconnect-WeCom -Session $script:Session }
    Stop-TestEmulator $script:Emulator
    Remove-Item -LiteralPath $script:Spool -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Receive-WeComExport -TempDirectory' {
    AfterEach { $env:WECOM_TEMP_DIRECTORY = $script:SavedVariable }

    It 'receives Base64-served blocks through the given folder (relative to $PWD) and leaves it empty' {
        $job = Get-DoneJob
        Push-Location (Split-Path -Parent $Spool)
        try { $records = @($job | Receive-WeComExport -TempDirectory (Split-Path -Leaf $Spool) -ErrorAction Stop) }
        finally { Pop-Location }
        Assert-AllDepartments $records
        @(Get-ChildItem -LiteralPath $Spool -Force) | Should -BeNullOrEmpty
    }

    It 'refuses a folder that does not exist, saying so, before any block is downloaded' {
        $job = Get-DoneJob
        $null = Invoke-EmulatorControl $Emulator DELETE requests
        $records = @($job | Receive-WeComExport -TempDirectory $Missing -ErrorVariable failed -ErrorAction SilentlyContinue)
        $records | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WeComTempDirectoryNotFound*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].Exception.Message | Should -BeLike "*$Missing*"
        Get-EmulatorRequestCount $Emulator -Path '/downloadobject' | Should -Be 0
    }

    It 'takes $env:WECOM_TEMP_DIRECTORY when no -TempDirectory is given' {
        $job = Get-DoneJob
        $env:WECOM_TEMP_DIRECTORY = $Missing
        $null = $job | Receive-WeComExport -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WeComTempDirectoryNotFound*'
        $failed[0].Exception.Message | Should -BeLike '*WECOM_TEMP_DIRECTORY*'
    }

    It 'prefers -TempDirectory to $env:WECOM_TEMP_DIRECTORY' {
        $job = Get-DoneJob
        $env:WECOM_TEMP_DIRECTORY = $Missing
        Assert-AllDepartments @($job | Receive-WeComExport -TempDirectory $Spool -ErrorAction Stop)
    }
}
