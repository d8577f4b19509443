<#
.SYNOPSIS
    A small WeCom callback endpoint: answers URL verification, and turns each "export finished"
    event into a download of the export as CSV.
.DESCRIPTION
    Listens with System.Net.HttpListener (no web framework) on a loopback prefix; put a TLS reverse
    proxy in front of it for WeCom to reach it from the Internet.

      GET  ?msg_signature=&timestamp=&nonce=&echostr=   URL verification: answers the decrypted echostr.
      POST ?msg_signature=&timestamp=&nonce=            an encrypted event: answers 200 at once (WeCom
                                                        wants an answer within 5 s), then for a finished
                                                        export runs
           ConvertFrom-WeComExportNotification | Receive-WeComExport | Export-Csv <OutputDirectory>/<JobId>.csv

    A request whose signature or receiveid does not verify gets 403 and is not acted on; a damaged one
    gets 400. WeCom retries an unanswered callback up to 3 times, so events are de-duplicated by JobId.
    Each finished download writes one summary object (JobId, Kind, Records, Path) to the pipeline.
    Nothing here prints the Token or either key.
.PARAMETER Prefix
    The HttpListener prefix to listen on (loopback by default; it must end in '/').
.PARAMETER CorpId
    The corp's CorpID: a message addressed to anything else is refused (WeCom.-40005).
.PARAMETER Token
    The app's callback Token (app settings, "receive messages").
.PARAMETER CallbackEncodingAesKey
    The app's callback EncodingAESKey (app settings, "receive messages").
.PARAMETER ExportEncodingAesKey
    The key the export jobs were started with (Start-WeCom*Export -EncodingAesKey); not the callback key.
.PARAMETER Session
    The WeCom session to fetch results with; by default Receive-WeComExport's current session (Connect-WeCom).
.PARAMETER OutputDirectory
    Where <JobId>.csv files are written (created if missing).
.PARAMETER MaxRequests
    Stop after this many requests; 0 (the default) runs until Ctrl+C.
.EXAMPLE
    Connect-WeCom -Credential (Get-Credential -UserName $corpId)
    $token = Read-Host -AsSecureString 'callback Token'
    $callbackKey = Read-Host -AsSecureString 'callback EncodingAESKey'
    ./examples/CallbackListener.ps1 -CorpId $corpId -Token $token -CallbackEncodingAesKey $callbackKey -ExportEncodingAesKey $exportKey
#>
[CmdletBinding()]
param(
    [string] $Prefix = 'http://127.0.0.1:8080/wecom/callback/',
    [Parameter(Mandatory)] [string] $CorpId,
    [Parameter(Mandatory)] [securestring] $Token,
    [Parameter(Mandatory)] [securestring] $CallbackEncodingAesKey,
    [Parameter(Mandatory)] [securestring] $ExportEncodingAesKey,
    [object] $Session,
    [string] $OutputDirectory = (Join-Path (Get-Location) 'exports'),
    [ValidateRange(0, [int]::MaxValue)] [int] $MaxRequests = 0
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# WeCom's callbacks are a few hundred bytes; the cmdlet refuses more than this anyway.
$maxBodyBytes = 64KB
$utf8 = New-Object System.Text.UTF8Encoding $false
$seenJobIds = New-Object 'System.Collections.Generic.HashSet[string]'
$crypto = @{ Token = $Token; EncodingAesKey = $CallbackEncodingAesKey; CorpId = $CorpId }
$receiveArgs = @{ EncodingAesKey = $ExportEncodingAesKey }
if ($Session) { $receiveArgs.Session = $Session }
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory

function Send-Response {
    param($Context, [int] $Status, [string] $Text = '')
    $bytes = $utf8.GetBytes($Text)          # no BOM, no newline: URL verification wants the bare echo
    $Context.Response.StatusCode = $Status
    $Context.Response.ContentType = 'text/plain; charset=utf-8'
    $Context.Response.ContentLength64 = $bytes.Length
    $Context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
    $Context.Response.Close()
}

function Get-StatusFor {
    # Forged or misaddressed requests are refused outright; anything else malformed is a bad request.
    param($ErrorRecord)
    if ($ErrorRecord.CategoryInfo.Category -eq 'SecurityError') { 403 } else { 400 }
}

function Read-Body {
    param($Request)
    if ($Request.ContentLength64 -gt $maxBodyBytes) { return $null }
    $reader = New-Object System.IO.StreamReader($Request.InputStream, $utf8)
    try {
        $buffer = New-Object char[] ($maxBodyBytes + 1)
        $read = $reader.ReadBlock($buffer, 0, $buffer.Length)
        if ($read -gt $maxBodyBytes) { return $null }
        New-Object string ($buffer, 0, $read)
    }
    finally { $reader.Dispose() }
}

function Receive-Notification {
    # Downloads one finished export to <JobId>.csv, writing to a temporary file first so a
    # half-written CSV never carries the final name.
    param($Notification)
    $path = Join-Path $OutputDirectory ($Notification.JobId + '.csv')
    $partial = "$path.partial"
    $script:recordCount = 0
    try {
        $Notification |
            Receive-WeComExport @receiveArgs |
            ForEach-Object { $script:recordCount++; $_ } |
            Export-Csv -LiteralPath $partial -NoTypeInformation -Encoding utf8
        Move-Item -LiteralPath $partial -Destination $path -Force
    }
    catch {
        # A failed download leaves nothing behind: the partial CSV goes, and the error goes on to the caller.
        Remove-Item -LiteralPath $partial -Force -ErrorAction SilentlyContinue
        throw
    }
    [pscustomobject]@{ JobId = $Notification.JobId; Kind = $Notification.Kind; Records = $script:recordCount; Path = $path }
}

function Invoke-Request {
    param($Context)
    $request = $Context.Request
    $query = $request.QueryString
    $signed = @{ MsgSignature = [string]$query['msg_signature']; Timestamp = [string]$query['timestamp']; Nonce = [string]$query['nonce'] }

    if ($request.HttpMethod -eq 'GET' -and $query['echostr']) {
        try {
            $echo = ConvertFrom-WeComExportNotification -EchoStr $query['echostr'] @signed @crypto
            Send-Response $Context 200 $echo
            Write-Verbose 'Answered a URL-verification request.'
        }
        catch {
            Send-Response $Context (Get-StatusFor $_)
            Write-Warning "Refused a URL-verification request: $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
        }
        return
    }

    if ($request.HttpMethod -ne 'POST') { Send-Response $Context 405; return }
    $body = Read-Body $request
    if ($null -eq $body) { Send-Response $Context 413; return }

    try {
        # -IncludeOtherEvent: the app may also get other events (contact changes...) at this URL; they are answered, not refused.
        $notification = $body | ConvertFrom-WeComExportNotification @signed @crypto -IncludeOtherEvent
    }
    catch {
        Send-Response $Context (Get-StatusFor $_)
        Write-Warning "Refused a callback: $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
        return
    }

    # Answer first: the download can take minutes, and WeCom re-sends what is not answered in 5 s.
    Send-Response $Context 200
    if (-not $notification.IsBatchJobResult) {
        Write-Verbose "Ignored a '$($notification.Event)' event."
    }
    elseif (-not $notification.IsExport) {
        Write-Verbose "Ignored a $($notification.JobType) job's notification (not an export)."
    }
    elseif (-not $notification.Succeeded) {
        Write-Warning "Export job $($notification.JobId) ($($notification.Kind)) failed on WeCom's side: ErrCode $($notification.ErrCode) $($notification.ErrMsg)"
    }
    elseif (-not $seenJobIds.Add($notification.JobId)) {
        Write-Verbose "Skipped a repeated notification for job $($notification.JobId)."
    }
    else {
        try { Receive-Notification $notification }
        catch {
            $null = $seenJobIds.Remove($notification.JobId)   # let a retry from WeCom try again
            Write-Warning "Download of job $($notification.JobId) failed: $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
        }
    }
}

$listener = New-Object System.Net.HttpListener
$listener.Prefixes.Add($Prefix)
$listener.Start()
Write-Verbose "Listening on $Prefix"
try {
    $handled = 0
    while ($MaxRequests -eq 0 -or $handled -lt $MaxRequests) {
        $pending = $listener.GetContextAsync()
        # Wake up twice a second so Ctrl+C can stop the script between requests.
        while (-not $pending.Wait(500)) { }
        Invoke-Request $pending.Result
        $handled++
    }
}
finally {
    $listener.Stop()
    $listener.Close()
}
