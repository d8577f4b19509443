#Requires -Version 7.2
<#
.SYNOPSIS
    Chaos run: N member-detail exports against one emulator that fails at random, each run
    classified against the emulator's ground truth as Exact, ClearError or SilentWrong.
.DESCRIPTION
    Starts one emulator (out/emulator) with seeded probability faults (--fault KIND:p=P for each
    -Faults kind; slow with a small -SlowDelayMs), -Members members and blocks of -BlockSize (the
    emulator's --max-block-size, which is its default block_size: the module's -BlockSize refuses
    anything under WeCom's 10,000, so the run leaves -BlockSize out and the emulator cuts small
    blocks). Then, -Runs times: Connect-WeCom, Start-WeComUserExport -Detailed | Wait-WeComExport |
    Receive-WeComExport, Disconnect-WeCom; then DELETE /_emulator/jobs so block files do not pile up.

    The retry policy of each run's session is made fast (-RetryBaseDelayMs, -RetryMaxDelayMs); the
    retry COUNT stays the module's own (4). Connect-WeCom's own first gettoken uses the default delays.

    Each run is classified:
      Exact       no error record, and the records equal the truth: count, no duplicate userid, the
                  SHA-256 of the sorted userids (the emulator's idsSha256), and the SHA-256 of one line
                  of fields per record (userid, name, department, order, position, mobile, gender,
                  email, biz_mail, is_leader_in_dept, direct_leader, avatar, thumb_avatar, telephone,
                  alias, status, address, english_name, open_userid, main_department, qr_code,
                  external_position, extattr items, external_profile keys) against the same lines
                  built from /_emulator/truth?full=true.
      ClearError  at least one error record, every one with a specific WeCom* ErrorId (not
                  WeComUnexpectedError); every record that was emitted equals its truth record
                  (no duplicates, no altered field); and an incomplete output is flagged by an error
                  from Receive-WeComExport (whose target is the job).
      SilentWrong anything else: no error but output that differs from the truth, an unclear error
                  (WeComUnexpectedError or an ErrorId that is not WeCom's), wrong or duplicated
                  records beside an error, or missing records with no Receive error to say so.
    -Tamper damages the output of every run before it is classified (drop a record, duplicate one,
    change one field): the chaos test uses it to prove that the classifier cannot be fooled.
.OUTPUTS
    One object: Runs, Exact, ClearErrors, SilentWrong, ExactRatio, ErrorIds (ErrorId -> count),
    SilentWrongReasons, FaultMix (the --fault specs), FaultsFired (kind -> count), Requests, Duration
    (seconds), Settings, and RunDetails (one entry per run).
.EXAMPLE
    dotnet pwsh tests/chaos/Invoke-ChaosRun.ps1 -Runs 20 -Verbose
.EXAMPLE
    dotnet pwsh tests/chaos/Invoke-ChaosRun.ps1 -Runs 500 -ResultPath out/soak.json
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000000)] [int] $Runs = 20,

    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/WeComExport'),

    [string] $EmulatorPath = (Join-Path $PSScriptRoot '../../out/emulator'),

    [ValidateRange(1, 1000000)] [int] $Members = 600,

    [ValidateRange(1, 1000000)] [int] $BlockSize = 120,

    [ValidateSet('http-500', 'drop-connection', 'corrupt-byte', 'truncate', 'system-busy', 'expire-url', 'error-page', 'revoke-token', 'slow',
        'frequency-limit', 'concurrency-limit', 'fail-job', 'ip-not-allowed')]
    [string[]] $Faults = @('http-500', 'drop-connection', 'corrupt-byte', 'truncate', 'system-busy', 'expire-url', 'error-page', 'revoke-token', 'slow'),

    # The probability of each fault kind on each request it applies to (see docs/emulator.md, Faults).
    [ValidateRange(0.0, 1.0)] [double] $Probability = 0.03,

    [ValidateRange(0, 600000)] [int] $SlowDelayMs = 20,

    [long] $Seed = 1,

    [ValidateRange(1, 60000)] [int] $RetryBaseDelayMs = 50,

    [ValidateRange(1, 60000)] [int] $RetryMaxDelayMs = 1000,

    [ValidateRange(0.05, 60)] [double] $PollInterval = 0.05,

    [ValidateRange(1, 3600)] [int] $RunTimeoutSeconds = 120,

    [ValidateSet('None', 'DropRecord', 'DuplicateRecord', 'AlterField')] [string] $Tamper = 'None',

    # Also write the result as JSON here: build.ps1 Soak reads it.
    [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# -Verbose is for the runner's own lines: the module's retry log and the web cmdlets' would drown them.
$PSDefaultParameterValues = @{ '*-WeCom*:Verbose' = $false; 'Invoke-*:Verbose' = $false }

$repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $repositoryRoot 'tests/pester/TestHelpers.psm1') -Verbose:$false
Import-Module (Join-Path $repositoryRoot 'examples/WeComEmulator.psm1') -Verbose:$false
# Not -Force: a pwsh process cannot load a second copy of the module's dll.
Import-Module (Join-Path (Resolve-Path -LiteralPath $ModulePath).Path 'WeComExport.psd1') -Verbose:$false

$Missing = [string][char]0x2400   # stands for an absent field, so absent and empty differ

# Loops rather than pipelines below: 600 records per run, 500 runs in a soak.
function Join-Field {
    <# One line of fields: values separated by U+001F (with -Separator, another character). #>
    param([object[]] $Values, [char] $Separator = [char]0x1F)
    $parts = [string[]]::new($Values.Count)
    for ($i = 0; $i -lt $Values.Count; $i++) { $parts[$i] = if ($null -eq $Values[$i]) { $Missing } else { [string] $Values[$i] } }
    [string]::Join($Separator, $parts)
}

function Join-Sorted {
    <# Names sorted ordinally and joined with commas. #>
    param([string[]] $Names)
    [Array]::Sort($Names, [StringComparer]::Ordinal)
    [string]::Join(',', $Names)
}

function ConvertTo-RecordLine {
    <# The comparison line of a WeComUser the module emitted. #>
    param([Parameter(Mandatory)] $Record)
    if ($Record -isnot [WeComExport.Records.WeComUser]) { return "not a member record: $($Record.GetType().FullName)" }
    $extattr = $null
    if ($null -ne $Record.ExtAttr) {
        $items = foreach ($a in $Record.ExtAttr.Attrs) { Join-Field $a.Type, $a.Name, $a.TextValue, $a.WebUrl, $a.WebTitle }
        $extattr = Join-Field @($items) -Separator ([char]0x1E)
    }
    $profileKeys = if ($null -ne $Record.ExternalProfile) { Join-Sorted @($Record.ExternalProfile.Keys) }
    Join-Field $Record.UserId, $Record.Name, ($Record.Department -join ','), ($Record.Order -join ','), $Record.Position,
        $Record.Mobile, $Record.Gender, $Record.Email, $Record.BizMail, ($Record.IsLeaderInDept -join ','),
        ($Record.DirectLeader -join ','), $Record.Avatar, $Record.ThumbAvatar, $Record.Telephone, $Record.Alias,
        $Record.Status, $Record.Address, $Record.EnglishName, $Record.OpenUserId, $Record.MainDepartment,
        $Record.QrCode, $Record.ExternalPosition, $extattr, $profileKeys
}

function Get-JsonValue {
    <# A property of a JSON object as a string or number, an array's items joined with commas, or $null when absent. #>
    param([System.Text.Json.JsonElement] $Object, [string] $Name)
    $value = [System.Text.Json.JsonElement]::new()
    if ($Object.ValueKind -ne 'Object' -or -not $Object.TryGetProperty($Name, [ref] $value)) { return $null }
    switch ($value.ValueKind) {
        'Null' { return $null }
        'String' { return $value.GetString() }
        'Number' { return $value.GetInt64() }
        'Array' {
            $items = foreach ($item in $value.EnumerateArray()) { if ($item.ValueKind -eq 'String') { $item.GetString() } else { $item.GetInt64() } }
            return [string]::Join(',', [object[]] @($items))
        }
        default { return $value.GetRawText() }
    }
}

function Get-JsonObject {
    <# A property that is a JSON object, or an empty (Undefined) element when absent. #>
    param([System.Text.Json.JsonElement] $Object, [string] $Name)
    $value = [System.Text.Json.JsonElement]::new()
    if ($Object.ValueKind -eq 'Object' -and $Object.TryGetProperty($Name, [ref] $value)) { $value } else { [System.Text.Json.JsonElement]::new() }
}

$UserFields = 'userid', 'name', 'department', 'order', 'position', 'mobile', 'gender', 'email', 'biz_mail', 'is_leader_in_dept',
    'direct_leader', 'avatar', 'thumb_avatar', 'telephone', 'alias', 'status', 'address', 'english_name', 'open_userid',
    'main_department', 'qr_code', 'external_position'
$ListFields = 'department', 'order', 'is_leader_in_dept', 'direct_leader'

function ConvertFrom-TruthRecord {
    <# The comparison line of a member as /_emulator/truth?full=true gives it (the block's JSON shape). #>
    param([Parameter(Mandatory)] [System.Text.Json.JsonElement] $Json)
    $values = [Collections.Generic.List[object]]::new()
    foreach ($field in $UserFields) {
        $v = Get-JsonValue $Json $field
        # An absent list is an empty list on the module's side.
        if ($null -eq $v -and $field -in $ListFields) { $v = '' }
        $values.Add($v)
    }
    $extattr = Get-JsonObject $Json 'extattr'
    if ($extattr.ValueKind -eq 'Object') {
        $attrs = Get-JsonObject $extattr 'attrs'
        $items = if ($attrs.ValueKind -eq 'Array') {
            foreach ($a in $attrs.EnumerateArray()) {
                $text = Get-JsonObject $a 'text'
                $web = Get-JsonObject $a 'web'
                Join-Field (Get-JsonValue $a 'type'), (Get-JsonValue $a 'name'), (Get-JsonValue $text 'value'), (Get-JsonValue $web 'url'), (Get-JsonValue $web 'title')
            }
        }
        $values.Add((Join-Field @($items) -Separator ([char]0x1E)))
    }
    else { $values.Add($null) }
    $profile = Get-JsonObject $Json 'external_profile'
    $values.Add($(if ($profile.ValueKind -eq 'Object') { Join-Sorted @(foreach ($p in $profile.EnumerateObject()) { $p.Name }) }))
    Join-Field $values.ToArray()
}

function Get-ChaosTruth {
    <# {Count, IdsSha256, LinesSha256, LineById} of the corp's member details, checked against the emulator's own idsSha256. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $CorpId)
    $summary = Get-EmulatorTruth $Emulator -CorpId $CorpId -Kind user
    $uri = "$($Emulator.BaseUri)/_emulator/truth?corpid=$([uri]::EscapeDataString($CorpId))&kind=user&full=true"
    $document = [System.Text.Json.JsonDocument]::Parse((Invoke-WebRequest -Uri $uri -TimeoutSec 60 -Verbose:$false).Content)
    try {
        $lineById = [Collections.Generic.Dictionary[string, string]]::new([StringComparer]::Ordinal)
        foreach ($record in $document.RootElement.GetProperty('records').EnumerateArray()) {
            $lineById.Add($record.GetProperty('userid').GetString(), (ConvertFrom-TruthRecord $record))
        }
    }
    finally {
        $document.Dispose()
    }
    $ids = [string[]] @($lineById.Keys)
    if ($ids.Count -ne $summary.count -or (Get-IdsDigest -Ids $ids) -ne $summary.idsSha256) {
        throw "The chaos runner reads the truth differently from the emulator ($($ids.Count) ids, expected $($summary.count)): fix the runner."
    }
    [pscustomobject]@{
        Count       = [int] $summary.count
        IdsSha256   = [string] $summary.idsSha256
        LinesSha256 = Get-IdsDigest -Ids ([string[]] @($lineById.Values))
        LineById    = $lineById
    }
}

function Invoke-ChaosExport {
    <# One run: connect, start, wait, receive, disconnect. Returns {Records, Errors}; never throws. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [pscredential] $Credential)
    $errors = [Collections.Generic.List[Management.Automation.ErrorRecord]]::new()
    # Collected as they come, so the records emitted before a terminating error are judged too.
    $records = [Collections.Generic.List[object]]::new()
    $session = $startErrors = $waitErrors = $receiveErrors = $null
    try {
        $session = Connect-WeCom -Credential $Credential -ApiBaseUri $Emulator.BaseUri -PassThru -ErrorAction Stop
        $session.RetryPolicy.BaseDelay = [TimeSpan]::FromMilliseconds($RetryBaseDelayMs)
        $session.RetryPolicy.MaxDelay = [TimeSpan]::FromMilliseconds($RetryMaxDelayMs)
        Start-WeComUserExport -Detailed -Session $session -ErrorAction SilentlyContinue -ErrorVariable startErrors |
            Wait-WeComExport -PollInterval $PollInterval -Timeout $RunTimeoutSeconds -ErrorAction SilentlyContinue -ErrorVariable waitErrors |
            Receive-WeComExport -ErrorAction SilentlyContinue -ErrorVariable receiveErrors |
            ForEach-Object { $records.Add($_) }
    }
    catch {
        $errors.Add($_)
    }
    finally {
        if ($session) { Disconnect-WeCom -Session $session -ErrorAction SilentlyContinue }
    }
    # Non-terminating errors, and those written before a terminating one (which may be listed twice).
    foreach ($e in @($startErrors) + @($waitErrors) + @($receiveErrors)) {
        if ($e -is [Management.Automation.ErrorRecord] -and -not $errors.Contains($e)) { $errors.Add($e) }
    }
    [pscustomobject]@{ Records = $records.ToArray(); Errors = $errors.ToArray() }
}

function Get-ChaosVerdict {
    <# Classifies one run's output against the truth (see the script's help). #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] $Truth)
    $records = [Collections.Generic.List[object]]::new()
    foreach ($r in $Run.Records) { $records.Add($r) }
    if ($records.Count -gt 0) {
        switch ($Tamper) {
            'DropRecord' { $records.RemoveAt([int]($records.Count / 2)) }
            'DuplicateRecord' { $records.Add($records[0]) }
        }
    }
    $lines = [string[]] @(foreach ($r in $records) { ConvertTo-RecordLine $r })
    $ids = [string[]] @(foreach ($r in $records) { if ($r -is [WeComExport.Records.WeComUser]) { [string] $r.UserId } else { '' } })
    if ($Tamper -eq 'AlterField' -and $lines.Count -gt 0) {
        $i = [int]($lines.Count / 2)
        $lines[$i] = $lines[$i].Replace([string][char]0x1F, "~$([char]0x1F)")
    }

    $unique = [Collections.Generic.HashSet[string]]::new($ids, [StringComparer]::Ordinal)
    $wrong = 0
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $expected = $null
        if (-not $Truth.LineById.TryGetValue($ids[$i], [ref] $expected) -or -not [string]::Equals($expected, $lines[$i], [StringComparison]::Ordinal)) { $wrong++ }
    }
    $duplicates = $ids.Count - $unique.Count
    $complete = $ids.Count -eq $Truth.Count -and $unique.Count -eq $Truth.Count -and $wrong -eq 0 -and
        (Get-IdsDigest -Ids $ids) -eq $Truth.IdsSha256 -and (Get-IdsDigest -Ids $lines) -eq $Truth.LinesSha256

    $errorIds = [string[]] @($Run.Errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
    $fromReceive = @($Run.Errors | Where-Object { $_.InvocationInfo -and $_.InvocationInfo.MyCommand -and $_.InvocationInfo.MyCommand.Name -eq 'Receive-WeComExport' })
    $unclear = @($errorIds | Where-Object { $_ -eq 'WeComUnexpectedError' -or $_ -notlike 'WeCom*' })
    $outcome, $reason = if ($Run.Errors.Count -eq 0) {
        if ($complete) { 'Exact', $null }
        else { 'SilentWrong', "no error, but $($ids.Count) records ($($unique.Count) distinct, $wrong differing from the truth) for $($Truth.Count)" }
    }
    elseif ($unclear.Count -gt 0) { 'SilentWrong', "unclear error $($unclear[0])" }
    elseif ($wrong -gt 0 -or $duplicates -gt 0) { 'SilentWrong', "$wrong wrong and $duplicates duplicated records beside error $($errorIds[0])" }
    elseif ($records.Count -gt 0 -and -not $complete -and $fromReceive.Count -eq 0) { 'SilentWrong', "$($records.Count) of $($Truth.Count) records and no Receive-WeComExport error to flag them" }
    else { 'ClearError', $null }

    [pscustomobject]@{
        Outcome  = $outcome
        Reason   = $reason
        Records  = $records.Count
        ErrorIds = $errorIds
        Messages = [string[]] @($Run.Errors | ForEach-Object { $_.Exception.Message })
        Commands = [string[]] @($Run.Errors | ForEach-Object { if ($_.InvocationInfo -and $_.InvocationInfo.MyCommand) { $_.InvocationInfo.MyCommand.Name } else { '' } })
    }
}

$faultMix = foreach ($kind in $Faults) {
    if ($kind -eq 'slow') { "slow:p=$($Probability.ToString([Globalization.CultureInfo]::InvariantCulture)):delayMs=$SlowDelayMs" }
    else { "${kind}:p=$($Probability.ToString([Globalization.CultureInfo]::InvariantCulture))" }
}
$emulatorArguments = @('--seed', "$Seed", '--min-block-size', '1', '--max-block-size', "$BlockSize", '--job-delay', '10')
if ($Probability -gt 0) { foreach ($spec in $faultMix) { $emulatorArguments += '--fault', $spec } }

$clock = [Diagnostics.Stopwatch]::StartNew()
$emulator = Start-WeComEmulator -EmulatorPath $EmulatorPath -Members $Members -ExtraArguments $emulatorArguments
try {
    $corp = $emulator.Corps[0]
    $truth = Get-ChaosTruth $emulator -CorpId $corp.corpId
    $credential = Get-WeComEmulatorCredential $emulator
    $details = [Collections.Generic.List[object]]::new()
    for ($n = 1; $n -le $Runs; $n++) {
        $runClock = [Diagnostics.Stopwatch]::StartNew()
        $verdict = Get-ChaosVerdict -Run (Invoke-ChaosExport -Emulator $emulator -Credential $credential) -Truth $truth
        $verdict | Add-Member -NotePropertyName Run -NotePropertyValue $n
        $verdict | Add-Member -NotePropertyName Seconds -NotePropertyValue ([math]::Round($runClock.Elapsed.TotalSeconds, 2))
        $details.Add($verdict)
        $why = @($verdict.ErrorIds) + @($verdict.Reason | Where-Object { $_ }) -join '; '
        Write-Verbose ("run {0}: {1}, {2} records in {3:0.00} s {4}" -f $n, $verdict.Outcome, $verdict.Records, $verdict.Seconds, $why)
        $null = Invoke-EmulatorControl $emulator DELETE jobs
    }
    $fired = [ordered]@{}
    foreach ($fault in (Invoke-EmulatorControl $emulator GET faults).faults) { $fired[$fault.kind] = [int] $fault.fired }
    $requests = Get-EmulatorRequestCount $emulator
}
finally {
    Stop-WeComEmulator $emulator
}

$histogram = [ordered]@{}
foreach ($id in ($details | ForEach-Object ErrorIds | Group-Object | Sort-Object Count -Descending)) { $histogram[$id.Name] = $id.Count }
$reasons = [ordered]@{}
foreach ($r in ($details | Where-Object Reason | Group-Object Reason | Sort-Object Count -Descending)) { $reasons[$r.Name] = $r.Count }
$exact = @($details | Where-Object Outcome -EQ 'Exact').Count
$result = [pscustomobject]@{
    PSTypeName         = 'WeComExport.ChaosResult'
    Runs               = $Runs
    Exact              = $exact
    ClearErrors        = @($details | Where-Object Outcome -EQ 'ClearError').Count
    SilentWrong        = @($details | Where-Object Outcome -EQ 'SilentWrong').Count
    ExactRatio         = [math]::Round($exact / $Runs, 4)
    ErrorIds           = $histogram
    SilentWrongReasons = $reasons
    FaultMix           = [string[]] @($(if ($Probability -gt 0) { $faultMix }))
    FaultsFired        = $fired
    Requests           = $requests
    Duration           = [math]::Round($clock.Elapsed.TotalSeconds, 1)
    Settings           = [pscustomobject]@{
        Members = $Members; BlockSize = $BlockSize; Blocks = [math]::Ceiling($Members / $BlockSize); Seed = $Seed; Probability = $Probability
        SlowDelayMs = $SlowDelayMs; RetryBaseDelayMs = $RetryBaseDelayMs; RetryMaxDelayMs = $RetryMaxDelayMs; PollInterval = $PollInterval; Tamper = $Tamper
    }
    RunDetails         = $details.ToArray()
}
if ($ResultPath) { $result | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ResultPath -Encoding utf8 }
$result
