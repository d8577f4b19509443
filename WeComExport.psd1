@{
    RootModule           = 'WeComExport.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'a1c13df4-5726-4e4c-8466-9620e42393b1'
    Author               = 'WeComExport contributors'
    CompanyName          = 'WeComExport'
    Copyright            = '(c) WeComExport contributors. MIT License.'
    Description          = 'Exports a WeCom (企业微信) corp''s contacts through the asynchronous export API: downloads, verifies, decrypts and streams members, departments and tag members as typed objects.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # Applies to Windows PowerShell (Desktop) only. On PowerShell 7 the module's initializer requires 7.4+.
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('WeComExport.format.ps1xml')
    TypesToProcess       = @('WeComExport.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-WeCom'
        'Disconnect-WeCom'
        'Get-WeComSession'
        'Get-WeComTag'
        'New-WeComEncodingAesKey'
        'Start-WeComUserExport'
        'Start-WeComDepartmentExport'
        'Start-WeComTagUserExport'
        'Get-WeComExportResult'
        'Wait-WeComExport'
        'Receive-WeComExport'
        'Export-WeComDirectory'
        'ConvertFrom-WeComExportNotification'
        'Import-WeComExport'
        'Compare-WeComExport'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # No LicenseUri, ProjectUri or IconUri: there is no published address yet. The MIT LICENSE
            # ships in the module folder (and so in the package) instead.
            Tags         = @('WeCom', 'WeChatWork', 'Export', 'Contacts', 'Directory', 'Snapshot', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            # build.ps1 Build replaces this line in the published manifest with this version's CHANGELOG.md section.
            ReleaseNotes = 'See CHANGELOG.md in the module folder.'
        }
    }
}
