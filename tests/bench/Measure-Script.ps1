<#
.SYNOPSIS
    Measures (6) of build.ps1 Bench: the export received by a hand-written script, as a typical user writes it.
.DESCRIPTION
    No module: Invoke-RestMethod for gettoken and get_result, Invoke-WebRequest for each block (held in memory),
    its MD5 checked, System.Security.Cryptography.Aes (CBC, PaddingMode.None) and a manual strip of WeCom's
    32-byte PKCS#7 pad, ConvertFrom-Json of the whole block, and a count of the users. The clock runs from
    get_result to the end (gettoken before it, as Connect-WeCom is for the module). The harness runs it with a
    time limit and a memory watchdog: a big block may well not fit. Prints one JSON line.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $JobFile)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$job = Get-Content -LiteralPath $JobFile -Raw | ConvertFrom-Json
$api = $job.baseUri.TrimEnd('/') + '/cgi-bin'
$token = (Invoke-RestMethod "$api/gettoken?corpid=$($job.corpId)&corpsecret=$([uri]::EscapeDataString($job.secret))").access_token

# ---- the user's script ----
$clock = [Diagnostics.Stopwatch]::StartNew()
$result = Invoke-RestMethod "$api/export/get_result?access_token=$token&jobid=$($job.jobId)"
$keyBytes = [Convert]::FromBase64String($job.key + '=')
$aes = [System.Security.Cryptography.Aes]::Create()
$aes.Mode = [System.Security.Cryptography.CipherMode]::CBC
$aes.Padding = [System.Security.Cryptography.PaddingMode]::None
$aes.Key = $keyBytes
$aes.IV = $keyBytes[0..15]
$users = 0
$bytes = 0
foreach ($block in $result.data_list) {
    $cipher = (Invoke-WebRequest -Uri $block.url).Content
    $md5 = [Convert]::ToHexString([System.Security.Cryptography.MD5]::HashData($cipher))
    if ($md5 -ne $block.md5) { throw "Block MD5 $md5 is not $($block.md5)." }
    $plain = $aes.CreateDecryptor().TransformFinalBlock($cipher, 0, $cipher.Length)
    $pad = $plain[-1]
    if ($pad -lt 1 -or $pad -gt 32) { throw 'Bad padding.' }
    $data = [Text.Encoding]::UTF8.GetString($plain, 0, $plain.Length - $pad) | ConvertFrom-Json
    $users += $data.userlist.Count
    $bytes += $cipher.Length
}
$clock.Stop()
# ---- end of the user's script ----

$me = [Diagnostics.Process]::GetCurrentProcess()
$me.Refresh()
[ordered]@{
    measure = 'script'; seconds = $clock.Elapsed.TotalSeconds; records = $users; bytes = $bytes
    blocks = @($result.data_list).Count; peakWorkingSet = $me.PeakWorkingSet64; runtime = [Environment]::Version.ToString()
} | ConvertTo-Json -Compress
