# Shared by the Pester files: where the published module is, how to run code in a fresh pwsh,
# and how to run the emulator (start, control, ground truth) and compare exports with its truth.

function Get-TestModulePath {
    if (-not $env:WECOM_TEST_MODULE) { throw 'WECOM_TEST_MODULE is not set: run the suite through ./build.ps1 Test.' }
    $env:WECOM_TEST_MODULE
}

function Get-TestEmulatorPath {
    if (-not $env:WECOM_TEST_EMULATOR) { throw 'WECOM_TEST_EMULATOR is not set: run the suite through ./build.ps1 Test.' }
    $env:WECOM_TEST_EMULATOR
}

function Get-TestPackagePath {
    if (-not $env:WECOM_TEST_PACKAGE) { throw 'WECOM_TEST_PACKAGE is not set: run the suite through ./build.ps1 Test (or set it to the .nupkg of ./build.ps1 Package).' }
    $env:WECOM_TEST_PACKAGE
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

Import-Module (Join-Path $PSScriptRoot '../../examples/WeComEmulator.psm1') -Force

function Start-TestEmulator {
    <#
    .SYNOPSIS
        Starts the published emulator (see examples/WeComEmulator.psm1) and returns {BaseUri, Corps, Process, LogPath}.
    .EXAMPLE
        $emu = Start-TestEmulator -Members 2000 -Corps 2 -ExtraArguments '--job-delay', '50'
    #>
    param(
        [int] $Members = 1000,
        [int] $Corps = 1,
        [string[]] $ExtraArguments = @(),
        [int] $StartTimeoutSeconds = 60
    )
    Start-WeComEmulator -EmulatorPath (Get-TestEmulatorPath) @PSBoundParameters
}

function Stop-TestEmulator {
    <# Asks the emulator to shut down, then waits for it (killing only this emulator process if it hangs). #>
    param([Parameter(Mandatory, ValueFromPipeline)] [AllowNull()] $Emulator)
    process { $Emulator | Stop-WeComEmulator }
}

function Invoke-EmulatorControl {
    <#
    .SYNOPSIS
        Calls one of the emulator's /_emulator endpoints and returns the parsed JSON answer.
    .EXAMPLE
        Invoke-EmulatorControl $emu POST faults @{ kind = 'http-500'; count = 2 }
    #>
    param(
        [Parameter(Mandatory, Position = 0)] $Emulator,
        [Parameter(Mandatory, Position = 1)] [ValidateSet('GET', 'POST', 'DELETE')] [string] $Method,
        [Parameter(Mandatory, Position = 2)] [string] $Endpoint,
        [Parameter(Position = 3)] [hashtable] $Body,
        [hashtable] $Query
    )
    $uri = "$($Emulator.BaseUri)/_emulator/$($Endpoint.TrimStart('/'))"
    if ($Query) {
        $pairs = foreach ($key in $Query.Keys) { '{0}={1}' -f $key, [uri]::EscapeDataString([string]$Query[$key]) }
        $uri += '?' + ($pairs -join '&')
    }
    $request = @{ Method = $Method; Uri = $uri; TimeoutSec = 60 }
    if ($Body) {
        $request.Body = $Body | ConvertTo-Json -Compress
        $request.ContentType = 'application/json'
    }
    Invoke-RestMethod @request
}

function Add-EmulatorFault {
    <# Switches on a fault for the next -Count matching requests (optionally one corp and/or one path). #>
    param(
        [Parameter(Mandatory, Position = 0)] $Emulator,
        [Parameter(Mandatory, Position = 1)] [string] $Kind,
        [int] $Count = 1,
        [string] $CorpId,
        [string] $Path,
        [int] $DelayMs
    )
    $fault = @{ kind = $Kind; count = $Count }
    if ($CorpId) { $fault.corpid = $CorpId }
    if ($Path) { $fault.path = $Path }
    if ($DelayMs) { $fault.delayMs = $DelayMs }
    (Invoke-EmulatorControl $Emulator POST faults $fault).fault
}

function Clear-EmulatorState {
    <# Removes every fault and resets the request counters, so a test starts from a clean emulator. #>
    param([Parameter(Mandatory, Position = 0)] $Emulator)
    $null = Invoke-EmulatorControl $Emulator DELETE faults
    $null = Invoke-EmulatorControl $Emulator DELETE requests
}

function Get-EmulatorRequestCount {
    <# Requests the emulator served since the last reset: all of them, or those to one -Path. #>
    param([Parameter(Mandatory, Position = 0)] $Emulator, [string] $Path)
    $counts = Invoke-EmulatorControl $Emulator GET requests
    if (-not $Path) { return [int] $counts.total }
    $entry = $counts.byPath.PSObject.Properties[$Path]
    if ($entry) { [int] $entry.Value } else { 0 }
}

function Get-EmulatorTruth {
    <# What an export must contain: {count, idsSha256}, from the emulator's own directory. #>
    param(
        [Parameter(Mandatory, Position = 0)] $Emulator,
        [Parameter(Mandatory)] [string] $CorpId,
        [Parameter(Mandatory)] [ValidateSet('simple_user', 'user', 'department', 'taguser')] [string] $Kind,
        [long] $TagId
    )
    $query = @{ corpid = $CorpId; kind = $Kind }
    if ($Kind -eq 'taguser') { $query.tagid = $TagId }
    Invoke-EmulatorControl $Emulator GET truth -Query $query
}

function Get-TestRecordId {
    <# A record's id as the emulator's truth names it: userid, department id, or user:/party: for tag members. #>
    param([Parameter(Mandatory, ValueFromPipeline)] $Record)
    process {
        switch ($Record.GetType().Name) {
            'WeComUser' { $Record.UserId }
            'WeComDepartment' { [string] $Record.Id }
            'WeComTagMember' {
                if ("$($Record.MemberType)" -eq 'User') { "user:$($Record.UserId)" } else { "party:$($Record.DepartmentId)" }
            }
            default { throw "Not an export record: $($Record.GetType().FullName)" }
        }
    }
}

function Get-IdsDigest {
    <#
    .SYNOPSIS
        SHA-256 (lower-case hex) of the ids sorted ORDINALLY and joined with "\n": the emulator's idsSha256.
    .DESCRIPTION
        Sort-Object compares with the current culture, which orders ids differently from the
        emulator's StringComparer.Ordinal; [Array]::Sort with an ordinal comparer does not.
    #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Ids)
    $sorted = [string[]] $Ids.Clone()
    [Array]::Sort($sorted, [StringComparer]::Ordinal)
    $bytes = [Text.Encoding]::UTF8.GetBytes(($sorted -join "`n"))
    $hash = [Security.Cryptography.SHA256]::Create()
    try { -join ($hash.ComputeHash($bytes) | ForEach-Object { $_.ToString('x2') }) } finally { $hash.Dispose() }
}

function Get-ExportSummary {
    <# {Count, UniqueCount, IdsSha256} of records, to compare with Get-EmulatorTruth. #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Records)
    # Inline, not one Get-TestRecordId call per record: tens of thousands of records go through here.
    $ids = [string[]]::new($Records.Count)
    for ($i = 0; $i -lt $Records.Count; $i++) {
        $r = $Records[$i]
        $ids[$i] = if ($r -is [WeComExport.Records.WeComUser]) { $r.UserId }
        elseif ($r -is [WeComExport.Records.WeComDepartment]) { [string] $r.Id }
        elseif ($r -is [WeComExport.Records.WeComTagMember]) {
            if ($r.MemberType -eq [WeComExport.Records.WeComTagMemberType]::User) { 'user:' + $r.UserId } else { 'party:' + $r.DepartmentId }
        }
        else { Get-TestRecordId -Record $r }
    }
    $unique = [Collections.Generic.HashSet[string]]::new($ids, [StringComparer]::Ordinal)
    [pscustomobject]@{
        Count       = $ids.Count
        UniqueCount = $unique.Count
        IdsSha256   = Get-IdsDigest -Ids $ids
    }
}

function Connect-TestCorp {
    <# Connect-WeCom -PassThru to one of the emulator's corps (the first by default); it also becomes the current session. #>
    param([Parameter(Mandatory, Position = 0)] $Emulator, [int] $Index = 0)
    $corp = $Emulator.Corps[$Index]
    $secret = ConvertTo-SecureString $corp.secret -AsPlainText -Force
    Connect-WeCom -CorpId $corp.corpId -Secret $secret -ApiBaseUri $Emulator.BaseUri -PassThru -ErrorAction Stop
}

function Start-TestExport {
    <# Starts one export of a kind named as the API names it (simple_user, user, department, taguser) with the matching cmdlet. #>
    param(
        [Parameter(Mandatory, Position = 0)] [ValidateSet('simple_user', 'user', 'department', 'taguser')] [string] $Kind,
        [Parameter(Mandatory)] $Session,
        [long] $TagId,
        [int] $BlockSize,
        [securestring] $EncodingAesKey
    )
    $common = @{ Session = $Session; ErrorAction = 'Stop' }
    if ($BlockSize) { $common.BlockSize = $BlockSize }
    if ($EncodingAesKey) { $common.EncodingAesKey = $EncodingAesKey }
    switch ($Kind) {
        'simple_user' { Start-WeComUserExport @common }
        'user' { Start-WeComUserExport -Detailed @common }
        'department' { Start-WeComDepartmentExport @common }
        'taguser' { Start-WeComTagUserExport -TagId $TagId @common }
    }
}

function Get-SnapshotFilePrefix {
    <# How a snapshot names an export's block files: simple_user, user, department, taguser-<tagid>. #>
    param([Parameter(Mandatory)] [WeComExport.Export.ExportKind] $Kind, [long] $TagId)
    switch ($Kind) {
        'SimpleUser' { 'simple_user' }
        'User' { 'user' }
        'Department' { 'department' }
        'TagUser' { "taguser-$TagId" }
    }
}

function Get-BlockFileRecordCount {
    <# The records a block file holds, counted with ConvertFrom-Json (not with the module under test). #>
    param([Parameter(Mandatory)] [string] $Path)
    $document = Get-Content -LiteralPath $Path -Raw -Encoding utf8 | ConvertFrom-Json -DateKind String
    $count = 0
    foreach ($list in 'userlist', 'department', 'partylist') {
        if ($document.PSObject.Properties[$list]) { $count += @($document.$list).Count }
    }
    $count
}

function Write-TestSnapshotManifest {
    <#
    .SYNOPSIS
        Writes manifest.json into -Folder (with SnapshotManifest.WriteTo, the module's own contract) for
        -Exports, each file described as it is NOW: bytes, SHA-256, records. After editing a block file by
        hand, call it again to re-seal the snapshot.
    .PARAMETER Exports
        @{ Kind = 'SimpleUser'|'User'|'Department'|'TagUser'; JobId; TagId; TagName; Files = 'name', ... }
    #>
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] [string] $CorpId,
        [Parameter(Mandatory)] [hashtable[]] $Exports,
        [WeComExport.Snapshots.SnapshotFile[]] $Csv
    )
    $entries = foreach ($export in $Exports) {
        $files = [WeComExport.Snapshots.SnapshotFile[]] @(foreach ($name in $export.Files) {
                $path = Join-Path $Folder $name
                [WeComExport.Snapshots.SnapshotFile]::new($name, (Get-Item -LiteralPath $path).Length,
                    (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant(), (Get-BlockFileRecordCount -Path $path))
            })
        $records = 0
        foreach ($file in $files) { $records += $file.Records }
        $tagId = if ($null -ne $export.TagId) { [Nullable[long]] $export.TagId } else { $null }
        # Blocks and Records, when given, stand for what a CSV-only snapshot received but kept no block file of.
        $blocks = if ($null -ne $export.Blocks) { [long] $export.Blocks } else { $files.Count }
        if ($null -ne $export.Records) { $records = [long] $export.Records }
        [WeComExport.Snapshots.SnapshotExport]::new([WeComExport.Export.ExportKind] $export.Kind, $export.JobId, $tagId, $export.TagName, $blocks, $records, $files)
    }
    $now = [DateTimeOffset]::UtcNow
    $manifest = [WeComExport.Snapshots.SnapshotManifest]::new($CorpId, '0.1.0', $now.AddMinutes(-1), $now, [WeComExport.Snapshots.SnapshotExport[]] @($entries), $Csv)
    $stream = [IO.File]::Create((Join-Path $Folder 'manifest.json'))
    try { $manifest.WriteTo($stream) } finally { $stream.Dispose() }
}

function New-TestSnapshot {
    <#
    .SYNOPSIS
        Makes a snapshot folder, as Export-WeComDirectory will: receives each finished job's blocks with
        Receive-WeComExport -OutputDirectory, renames them as a snapshot names them (simple_user.block0000.json,
        taguser-<tagid>.block0000.json, ...) and writes the manifest. Returns the export descriptions
        (for Write-TestSnapshotManifest after hand edits).
    #>
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] [object[]] $Jobs,
        [Parameter(Mandatory)] [string] $CorpId,
        [hashtable] $TagNames = @{}
    )
    $null = New-Item -ItemType Directory -Force $Folder
    $exports = foreach ($job in $Jobs) {
        $received = @($job | Receive-WeComExport -OutputDirectory (Join-Path $Folder '.receive') -ErrorAction Stop)
        $prefix = Get-SnapshotFilePrefix -Kind $job.Kind -TagId $job.TagId
        $names = for ($i = 0; $i -lt $received.Count; $i++) {
            $name = '{0}.block{1:D4}.json' -f $prefix, $i
            Move-Item -LiteralPath $received[$i].FullName -Destination (Join-Path $Folder $name)
            $name
        }
        $tagId = if ($job.Kind -eq 'TagUser') { $job.TagId } else { $null }
        @{ Kind = "$($job.Kind)"; JobId = $job.JobId; TagId = $tagId; TagName = $TagNames[[long] $job.TagId]; Files = @($names) }
    }
    Remove-Item -LiteralPath (Join-Path $Folder '.receive') -Recurse -Force
    Write-TestSnapshotManifest -Folder $Folder -CorpId $CorpId -Exports $exports
    , @($exports)
}

function Edit-TestBlockFile {
    <#
    .SYNOPSIS
        Edits a block file's JSON in place with System.Text.Json nodes (values are kept exactly; only the
        edited ones change): -Edit gets the document's root node.
    .EXAMPLE
        Edit-TestBlockFile $path { param($root) $root['userlist'].RemoveAt(0) }
    #>
    param([Parameter(Mandatory, Position = 0)] [string] $Path, [Parameter(Mandatory, Position = 1)] [scriptblock] $Edit)
    $root = [System.Text.Json.Nodes.JsonNode]::Parse([IO.File]::ReadAllText($Path))
    $null = & $Edit $root
    [IO.File]::WriteAllText($Path, $root.ToJsonString(), [Text.UTF8Encoding]::new($false))
}

function Get-ErrorMark {
    <#
    .SYNOPSIS
        The error records in $Error now, so that Get-ModuleErrorRecord -Mark returns only those made after.
    .DESCRIPTION
        $Error keeps every error of the runspace, handled ones included (-ErrorAction SilentlyContinue,
        -ErrorVariable, try/catch, Should -Throw), so a test file can check all the errors it made
        without each test handing its records over.
    #>
    $mark = [Collections.Generic.HashSet[object]]::new([Collections.Generic.ReferenceEqualityComparer]::Instance)
    foreach ($item in $global:Error) { $null = $mark.Add($item) }
    , $mark
}

function Get-ModuleErrorRecord {
    <#
    .SYNOPSIS
        The error records the module's cmdlets made since -Mark (Get-ErrorMark), oldest first.
    .DESCRIPTION
        A record is the module's when its FullyQualifiedErrorId names a WeComExport command. Records
        wrapped by -ErrorAction Stop or by [powershell]::Invoke() are unwrapped. Parameter binding
        errors (ParameterArgumentValidationError, MissingMandatoryParameter, ...) are PowerShell's
        own ids, not the module's, and are left out.
    #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [Collections.Generic.HashSet[object]] $Mark)
    $found = [Collections.Generic.HashSet[object]]::new([Collections.Generic.ReferenceEqualityComparer]::Instance)
    $items = @($global:Error)
    [Array]::Reverse($items)
    foreach ($item in $items) {
        if ($Mark.Contains($item)) { continue }
        $candidates = [Collections.Generic.List[Management.Automation.ErrorRecord]]::new()
        $exception = $null
        if ($item -is [Management.Automation.ErrorRecord]) { $candidates.Add($item); $exception = $item.Exception }
        elseif ($item -is [Exception]) { $exception = $item }
        $binding = $false
        for (; $null -ne $exception; $exception = $exception.InnerException) {
            if ($exception -is [Management.Automation.ParameterBindingException]) { $binding = $true }
            if ($exception -is [Management.Automation.IContainsErrorRecord] -and $exception.ErrorRecord) { $candidates.Add($exception.ErrorRecord) }
        }
        if ($binding) { continue }
        foreach ($record in $candidates) {
            if ($record.FullyQualifiedErrorId -notmatch ',WeComExport\.') { continue }
            if ($found.Add($record)) { $record }
        }
    }
}

function Assert-CataloguedError {
    <#
    .SYNOPSIS
        Throws unless every piped error record's ErrorId is in the module's error catalogue (WeComErrors).
    .DESCRIPTION
        The ErrorId is the FullyQualifiedErrorId before the first comma; [WeComErrors]::Find must know it.
        Find answers every WeCom.<number> with a made-up generic entry, so for those the number must
        also be in the errcode table (WeComErrors.All), unless -AllowUnlistedErrCode: an errcode the
        module documents gets its own advice, and one it forgot would pass Find unnoticed.
        Throws too when no record comes in, so an empty collection cannot pass for a clean one.
    .EXAMPLE
        Get-ModuleErrorRecord -Mark $mark | Assert-CataloguedError
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [Management.Automation.ErrorRecord] $ErrorRecord,
        [switch] $AllowUnlistedErrCode
    )
    begin {
        $listed = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        foreach ($definition in [WeComExport.Api.WeComErrors]::All) { $null = $listed.Add($definition.ErrorId) }
        $checked = 0
        $problems = [Collections.Generic.List[string]]::new()
    }
    process {
        $checked++
        $id = $ErrorRecord.FullyQualifiedErrorId.Split(',')[0]
        if ($null -eq [WeComExport.Api.WeComErrors]::Find($id)) {
            $problems.Add("'$id' is not in the catalogue ($($ErrorRecord.FullyQualifiedErrorId): $($ErrorRecord.Exception.Message))")
        }
        elseif (-not $AllowUnlistedErrCode -and -not $listed.Contains($id)) {
            $problems.Add("'$id' is an errcode without its own catalogue entry: Find only made up a generic one ($($ErrorRecord.FullyQualifiedErrorId))")
        }
    }
    end {
        if ($checked -eq 0) { throw 'Assert-CataloguedError was given no error record to check.' }
        if ($problems.Count) { throw "$($problems.Count) of $checked error records have an ErrorId outside the catalogue:`n" + ($problems -join "`n") }
    }
}

Export-ModuleMember -Function Get-TestModulePath, Get-TestEmulatorPath, Get-TestPackagePath, Get-RepositoryRoot, Invoke-FreshPwsh,
    Start-TestEmulator, Stop-TestEmulator, Invoke-EmulatorControl, Add-EmulatorFault, Clear-EmulatorState,
    Get-EmulatorRequestCount, Get-EmulatorTruth, Get-TestRecordId, Get-IdsDigest, Get-ExportSummary, Connect-TestCorp, Start-TestExport,
    Get-ErrorMark, Get-ModuleErrorRecord, Assert-CataloguedError,
    Get-SnapshotFilePrefix, Get-BlockFileRecordCount, Write-TestSnapshotManifest, New-TestSnapshot, Edit-TestBlockFile
