# ConvertFrom-WeComExportNotification against the published module, with known-answer vectors made
# by Node's crypto (tests/WeComExport.Tests/TestData/callbacks/make-vectors.js).

BeforeDiscovery {
    # The -ForEach data is built at discovery time, before BeforeAll runs.
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $V = Get-Content -Raw -LiteralPath (Join-Path (Get-RepositoryRoot) 'tests/WeComExport.Tests/TestData/callbacks/vectors.json') | ConvertFrom-Json
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    $script:V = Get-Content -Raw -LiteralPath (Join-Path (Get-RepositoryRoot) 'tests/WeComExport.Tests/TestData/callbacks/vectors.json') | ConvertFrom-Json
    $script:Token = ConvertTo-SecureString $V.token -AsPlainText -Force
    $script:Key = ConvertTo-SecureString $V.encodingAesKey -AsPlainText -Force
    $script:Crypto = @{ Token = $Token; EncodingAesKey = $Key }
    $script:DocExample = @'
<xml>
  <ToUserName><![CDATA[wx28dbb14e3720FAKE]]></ToUserName>
  <FromUserName><![CDATA[sys]]></FromUserName>
  <CreateTime>1425284517</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[batch_job_result]]></Event>
  <BatchJob>
    <JobId><![CDATA[jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4]]></JobId>
    <JobType><![CDATA[export_user]]></JobType>
    <ErrCode>0</ErrCode>
    <ErrMsg><![CDATA[ok]]></ErrMsg>
  </BatchJob>
</xml>
'@
    function script:Signed($vector) {
        @{ MsgSignature = $vector.msgSignature; Timestamp = $vector.timestamp; Nonce = $vector.nonce }
    }
}

Describe 'ConvertFrom-WeComExportNotification with plain event XML' {
    It 'turns the documented event into a notification object' {
        $n = $DocExample | ConvertFrom-WeComExportNotification
        $n.GetType().FullName | Should -Be 'WeComExport.Callbacks.ExportNotification'
        $n.CorpId | Should -Be 'wx28dbb14e3720FAKE'
        $n.FromUserName | Should -Be 'sys'
        $n.CreateTime | Should -BeOfType [DateTimeOffset]
        $n.CreateTime | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(1425284517))
        $n.MsgType | Should -Be 'event'
        $n.Event | Should -Be 'batch_job_result'
        $n.JobId | Should -Be 'jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4'
        $n.JobType | Should -Be 'export_user'
        "$($n.Kind)" | Should -Be 'User'
        "$($n.ExportKind)" | Should -Be 'User'
        $n.IsExport | Should -BeTrue
        $n.ErrCode | Should -Be 0
        $n.ErrMsg | Should -Be 'ok'
    }

    It 'takes -InputObject as well as the pipeline, one object per item' {
        $many = ConvertFrom-WeComExportNotification -InputObject $DocExample, $DocExample.Replace('export_user', 'export_department')
        $many.Count | Should -Be 2
        "$($many[1].Kind)" | Should -Be 'Department'
    }

    It 'normalises <JobType> to <Kind>' -ForEach @(
        @{ JobType = 'export_simple_user'; Kind = 'SimpleUser'; IsExport = $true }
        @{ JobType = 'export_tag'; Kind = 'TagUser'; IsExport = $true }
        @{ JobType = 'export_taguser'; Kind = 'TagUser'; IsExport = $true }
        @{ JobType = 'replace_party'; Kind = 'ReplaceParty'; IsExport = $false }
        @{ JobType = 'sync_user'; Kind = 'SyncUser'; IsExport = $false }
    ) {
        $n = $DocExample.Replace('export_user', $JobType) | ConvertFrom-WeComExportNotification
        $n.JobType | Should -Be $JobType
        "$($n.Kind)" | Should -Be $Kind
        $n.IsExport | Should -Be $IsExport
        $n.IsImport | Should -Be (-not $IsExport)
    }

    It 'reads a third-party suite event' {
        $xml = '<xml><SuiteId><![CDATA[ww543f52cb62809e5a]]></SuiteId><InfoType><![CDATA[batch_job_result]]></InfoType><TimeStamp>1628653600</TimeStamp><BatchJob><JobId><![CDATA[jobid_FTR]]></JobId><JobType><![CDATA[export_taguser]]></JobType><ErrCode>0</ErrCode><ErrMsg><![CDATA[ok]]></ErrMsg></BatchJob></xml>'
        $n = $xml | ConvertFrom-WeComExportNotification
        $n.SuiteId | Should -Be 'ww543f52cb62809e5a'
        $n.InfoType | Should -Be 'batch_job_result'
        $n.TimeStamp | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(1628653600))
        "$($n.Kind)" | Should -Be 'TagUser'
    }

    It 'gives a JobId and CorpId that bind by property name to a -JobId parameter' {
        function Get-BoundJob {
            param(
                [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $JobId,
                [Parameter(ValueFromPipelineByPropertyName)] [string] $CorpId
            )
            process { "$CorpId/$JobId" }
        }
        $DocExample | ConvertFrom-WeComExportNotification | Get-BoundJob |
            Should -Be 'wx28dbb14e3720FAKE/jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4'
    }
}

Describe 'ConvertFrom-WeComExportNotification with the encrypted envelope WeCom sends' {
    It 'verifies, decrypts and parses the Node-made vector "<name>"' -ForEach @($V.messages | ForEach-Object { @{ name = $_.name; m = $_ } }) {
        $signed = Signed $m
        $n = $m.body | ConvertFrom-WeComExportNotification @signed @Crypto -CorpId $m.receiveId
        $n.JobId | Should -Be $m.expected.JobId
        $n.JobType | Should -Be $m.expected.JobType
        "$($n.Kind)" | Should -Be $m.expected.Kind
        $n.ErrCode | Should -Be $m.expected.ErrCode
        $n.ErrMsg | Should -Be $m.expected.ErrMsg
        $n.ReceiveId | Should -Be $m.receiveId
    }

    It 'binds body and query parameters by property name, so each request carries its own signature' {
        $requests = $V.messages | Select-Object -First 3 | ForEach-Object {
            [pscustomobject]@{ Body = $_.body; msg_signature = $_.msgSignature; timestamp = $_.timestamp; nonce = $_.nonce }
        }
        $out = $requests | ConvertFrom-WeComExportNotification @Crypto -CorpId $V.corpId
        $out.JobId | Should -Be ($V.messages | Select-Object -First 3).expected.JobId
    }

    It 'answers URL verification with the bare decrypted echostr' {
        $u = $V.urlVerification
        $signed = Signed $u
        $echo = ConvertFrom-WeComExportNotification -EchoStr $u.echostr @signed @Crypto -CorpId $u.receiveId
        $echo | Should -BeOfType [string]
        $echo | Should -BeExactly $u.expectedEcho
    }

    It 'refuses URL verification for another corp with WeCom.-40005' {
        $u = $V.urlVerification
        $signed = Signed $u
        $echo = ConvertFrom-WeComExportNotification -EchoStr $u.echostr @signed @Crypto -CorpId 'wxSomeoneElse' -ErrorVariable errs -ErrorAction SilentlyContinue
        $echo | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WeCom.-40005,*'
        "$($errs[0].CategoryInfo.Category)" | Should -Be 'SecurityError'
    }

    It 'fails "<name>" with <expectedError> and goes on with the rest of the pipeline' -ForEach @($V.badInputs | ForEach-Object { @{ name = $_.name; expectedError = $_.expectedError; b = $_ } }) {
        $good = $V.messages[0]
        $requests = @(
            [pscustomobject]@{ Body = $good.body; MsgSignature = $good.msgSignature; Timestamp = $good.timestamp; Nonce = $good.nonce }
            [pscustomobject]@{ Body = $b.body; MsgSignature = $b.msgSignature; Timestamp = $b.timestamp; Nonce = $b.nonce }
            [pscustomobject]@{ Body = $good.body; MsgSignature = $good.msgSignature; Timestamp = $good.timestamp; Nonce = $good.nonce }
        )
        $out = $requests | ConvertFrom-WeComExportNotification @Crypto -CorpId $V.corpId -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 2
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike "$expectedError,*"
        $errs[0].TargetObject | Should -Be $b.body
        $expectedCategory = switch ($expectedError) {
            { $_ -in 'WeCom.-40001', 'WeCom.-40005' } { 'SecurityError' }
            'WeComNotificationNotBatchJobResult' { 'InvalidType' }
            default { 'InvalidData' }
        }
        "$($errs[0].CategoryInfo.Category)" | Should -Be $expectedCategory
    }

    It 'passes another event through with -IncludeOtherEvent' {
        $b = $V.badInputs | Where-Object expectedError -EQ 'WeComNotificationNotBatchJobResult'
        $signed = Signed $b
        $n = $b.body | ConvertFrom-WeComExportNotification @signed @Crypto -IncludeOtherEvent
        $n.Event | Should -Be 'change_contact'
        $n.IsBatchJobResult | Should -BeFalse
        $n.Fields['ChangeType'] | Should -Be 'delete_user'
    }

    It 'writes a clear error for an envelope given without the crypto parameters' {
        $out = $V.messages[0].body | ConvertFrom-WeComExportNotification -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WeComNotificationEncrypted,*'
        $errs[0].Exception.Message | Should -Match 'msg_signature'
    }

    It 'stops with WeCom.-40004 for an invalid EncodingAesKey, without quoting it' {
        $badKeyText = 'tooShortKey-With!Chars'
        $badKey = ConvertTo-SecureString $badKeyText -AsPlainText -Force
        $m = $V.messages[0]
        $signed = Signed $m
        $err = { $m.body | ConvertFrom-WeComExportNotification @signed -Token $Token -EncodingAesKey $badKey } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'WeCom.-40004,*'
        "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($badKeyText))
    }
}

Describe 'ConvertFrom-WeComExportNotification with hostile or broken XML' {
    It 'writes WeCom.-40002 for <name> and goes on' -ForEach @(
        @{ name = 'malformed XML'; xml = '<xml><ToUserName>a</ToUserName>' }
        @{ name = 'an empty string'; xml = '' }
        @{ name = 'a DTD with an external file entity'; xml = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Event>batch_job_result</Event><BatchJob><JobId>&x;</JobId></BatchJob></xml>' }
        @{ name = 'billion laughs'; xml = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><xml><Event>batch_job_result</Event><BatchJob><JobId>&f;</JobId></BatchJob></xml>' }
        @{ name = 'a batch_job_result without a JobId'; xml = '<xml><Event>batch_job_result</Event><BatchJob><JobType>export_user</JobType></BatchJob></xml>' }
    ) {
        $out = $DocExample, $xml, $DocExample | ConvertFrom-WeComExportNotification -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 2
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WeCom.-40002,*'
        "$($errs[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        ($errs[0] | Out-String) | Should -Not -Match 'root:'
    }

    It 'makes no request for a DTD or entity that points at a loopback listener' {
        $tcp = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $tcp.Start()
        try {
            $port = $tcp.LocalEndpoint.Port
            $xml = "<?xml version=`"1.0`"?><!DOCTYPE xml SYSTEM `"http://127.0.0.1:$port/evil.dtd`"><xml><Event>batch_job_result</Event></xml>"
            $null = $xml | ConvertFrom-WeComExportNotification -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'WeCom.-40002,*'
            $tcp.Pending() | Should -BeFalse
        }
        finally { $tcp.Stop() }
    }

    It 'writes WeComNotificationTooLarge (LimitsExceeded) for input over the documented limit' {
        $limit = [WeComExport.Callbacks.CallbackLimits]::MaxInputLength
        $huge = $DocExample.Replace('</xml>', "<!--$('x' * $limit)--></xml>")
        $out = $huge, $DocExample | ConvertFrom-WeComExportNotification -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WeComNotificationTooLarge,*'
        "$($errs[0].CategoryInfo.Category)" | Should -Be 'LimitsExceeded'
    }

    It 'writes WeComNotificationInvalidJobId for a JobId that is not one, without echoing it' {
        $forged = $DocExample.Replace('jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4', "../evil`nWARNING: FAKE")
        $out = $forged | ConvertFrom-WeComExportNotification -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WeComNotificationInvalidJobId,*'
        "$($errs[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        "$($errs[0])" | Should -Not -Match 'evil|FAKE|\n'
    }

    It 'writes WeComNotificationNotBatchJobResult for another event, and passes it with -IncludeOtherEvent' {
        $other = '<xml><ToUserName>wx1</ToUserName><MsgType>event</MsgType><Event>change_contact</Event></xml>'
        $null = $other | ConvertFrom-WeComExportNotification -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WeComNotificationNotBatchJobResult,*'
        ($other | ConvertFrom-WeComExportNotification -IncludeOtherEvent).Event | Should -Be 'change_contact'
    }
}

Describe 'ConvertFrom-WeComExportNotification and secrets' {
    It 'never shows the Token or key in any stream, with Verbose and Debug on' {
        $good = $V.messages[0]
        $all = & {
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            foreach ($m in $V.messages) { $s = Signed $m; $m.body | ConvertFrom-WeComExportNotification @s @Crypto -CorpId $m.receiveId -Verbose -Debug }
            foreach ($b in $V.badInputs) { $s = Signed $b; $b.body | ConvertFrom-WeComExportNotification @s @Crypto -CorpId $V.corpId -Verbose -Debug -ErrorAction Continue }
            $u = $V.urlVerification
            $s = Signed $u
            ConvertFrom-WeComExportNotification -EchoStr $u.echostr @s @Crypto -Verbose
            ConvertFrom-WeComExportNotification -EchoStr $u.echostr @s @Crypto -CorpId 'wxOther' -Verbose -ErrorAction Continue
            $good.body | ConvertFrom-WeComExportNotification -Verbose -ErrorAction Continue
        } *>&1
        $text = ($all | ForEach-Object { $_; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString(); $_.ErrorDetails; $_.TargetObject } } | Out-String -Width 4096)
        @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -BeGreaterThan 5
        $text | Should -Not -Match ([regex]::Escape($V.token))
        $text | Should -Not -Match ([regex]::Escape($V.encodingAesKey))
        $text | Should -Not -Match $V.keyHex
    }
}

Describe 'examples/CallbackListener.ps1' {
    BeforeAll {
        $script:Listener = Join-Path (Get-RepositoryRoot) 'examples/CallbackListener.ps1'
        $script:OutDir = Join-Path ([IO.Path]::GetTempPath()) ("wecom-listener-" + [guid]::NewGuid().ToString('N'))
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $script:Port = $probe.LocalEndpoint.Port; $probe.Stop()
        $script:Prefix = "http://127.0.0.1:$Port/wecom/callback/"

        # These tests are about the listener's HTTP protocol (verification, 403/400/200, duplicates),
        # so a function with Receive-WeComExport's contract stands in for the download here; the real
        # download through this listener is NotificationRoundTrip.Tests.ps1.
        $script:Runner = [powershell]::Create()
        $null = $Runner.AddScript({
                param($ModulePath, $Script, $Arguments)
                Import-Module $ModulePath
                function Receive-WeComExport {
                    [CmdletBinding()]
                    param(
                        [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $JobId,
                        [Parameter(Mandatory)] [securestring] $EncodingAesKey,
                        [object] $Session
                    )
                    process { 1..3 | ForEach-Object { [pscustomobject]@{ userid = "user$_"; name = "成员$_"; jobid = $JobId } } }
                }
                & $Script @Arguments
            }).AddArgument((Join-Path (Get-TestModulePath) 'WeComExport.psd1')).AddArgument($Listener).AddArgument(@{
                Prefix = $Prefix; CorpId = $V.corpId; Token = $Token; CallbackEncodingAesKey = $Key
                ExportEncodingAesKey = (ConvertTo-SecureString 'IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2' -AsPlainText -Force)
                OutputDirectory = $OutDir; MaxRequests = 5
            })
        $script:Handle = $Runner.BeginInvoke()
        $script:Http = [System.Net.Http.HttpClient]::new()
        $Http.Timeout = [TimeSpan]::FromSeconds(20)
        function script:Send([string] $Method, [string] $Query, [string] $Body) {
            for ($i = 0; $i -lt 50; $i++) {
                # The listener starts in the background: retry the connection briefly until it is up.
                try {
                    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), "$Prefix`?$Query")
                    if ($Body) { $request.Content = [System.Net.Http.StringContent]::new($Body, [Text.Encoding]::UTF8, 'text/xml') }
                    return $Http.SendAsync($request).GetAwaiter().GetResult()
                }
                catch [System.Net.Http.HttpRequestException] { Start-Sleep -Milliseconds 100 }
            }
            throw 'The listener did not start.'
        }
        function script:Query($v) { "msg_signature=$($v.msgSignature)&timestamp=$($v.timestamp)&nonce=$([uri]::EscapeDataString($v.nonce))" }
    }

    AfterAll {
        if ($Runner) { $Runner.Stop(); $Runner.Dispose() }
        if ($Http) { $Http.Dispose() }
        if ($OutDir -and (Test-Path $OutDir)) { Remove-Item $OutDir -Recurse -Force }
    }

    It 'answers URL verification with exactly the echo bytes' {
        $u = $V.urlVerification
        $response = Send GET ((Query $u) + "&echostr=$([uri]::EscapeDataString($u.echostr))")
        [int]$response.StatusCode | Should -Be 200
        $bytes = $response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
        [Text.Encoding]::UTF8.GetString($bytes) | Should -BeExactly $u.expectedEcho
    }

    It 'refuses a forged POST with 403' {
        $b = $V.badInputs | Where-Object expectedError -EQ 'WeCom.-40001'
        [int](Send POST (Query $b) $b.body).StatusCode | Should -Be 403
    }

    It 'answers an export event, then downloads it once even when WeCom repeats it' {
        $m = $V.messages[0]
        [int](Send POST (Query $m) $m.body).StatusCode | Should -Be 200
        [int](Send POST (Query $m) $m.body).StatusCode | Should -Be 200
        $other = $V.messages | Where-Object { $_.expected.Kind -eq 'SyncUser' }
        [int](Send POST (Query $other) $other.body).StatusCode | Should -Be 200

        $done = $Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(30))
        $done | Should -BeTrue
        $Runner.HadErrors | Should -BeFalse
        $summary = $Runner.EndInvoke($Handle)
        @($summary).Count | Should -Be 1
        $summary[0].JobId | Should -Be $m.expected.JobId
        $summary[0].Records | Should -Be 3
        $rows = Import-Csv $summary[0].Path
        $rows.userid | Should -Be 'user1', 'user2', 'user3'
        $rows[0].name | Should -Be '成员1'
        @(Get-ChildItem $OutDir -Filter '*.partial').Count | Should -Be 0
    }
}
