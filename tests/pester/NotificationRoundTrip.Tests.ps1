# The emulator's callback delivery, end to end: the emulator POSTs a signed, encrypted
# batch_job_result to a loopback listener; ConvertFrom-WeComExportNotification verifies and
# decrypts it; its JobId flows into Receive-WeComExport, which fetches the export.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    Import-Module (Join-Path (Get-RepositoryRoot) 'examples/WeComEmulator.psm1') -Force

    $tokenText = 'RoundTripToken' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $keyText = New-WeComEncodingAesKey -AsPlainText
    $script:Token = ConvertTo-SecureString $tokenText -AsPlainText -Force
    $script:CallbackKey = ConvertTo-SecureString $keyText -AsPlainText -Force
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $script:Prefix = "http://127.0.0.1:$port/wecom/callback/"
    $script:Emulator = Start-WeComEmulator -EmulatorPath $env:WECOM_TEST_EMULATOR -Members 40 `
        -ExtraArguments '--callback-url', $Prefix, '--callback-token', $tokenText, '--callback-aes-key', $keyText
    $script:CorpId = $Emulator.Corps[0].corpId
    $script:Session = Connect-WeCom -Credential (Get-WeComEmulatorCredential $Emulator) -ApiBaseUri $Emulator.BaseUri -PassThru
}

AfterAll {
    if ($Emulator) { $Emulator | Stop-WeComEmulator }
}

Describe 'A callback delivered by the emulator' {
    It 'is received on a loopback listener, converted, and its export received' {
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add($Prefix)
        $listener.Start()
        try {
            $exportKey = New-WeComEncodingAesKey
            $job = Start-WeComDepartmentExport -EncodingAesKey $exportKey -Session $Session
            $pending = $listener.GetContextAsync()
            $pending.Wait([TimeSpan]::FromSeconds(120)) | Should -BeTrue -Because 'the emulator POSTs when the job is done'
            $context = $pending.Result
            $query = $context.Request.QueryString
            $body = [IO.StreamReader]::new($context.Request.InputStream, [Text.Encoding]::UTF8).ReadToEnd()
            $context.Response.StatusCode = 200
            $context.Response.Close()

            $notification = $body | ConvertFrom-WeComExportNotification -MsgSignature $query['msg_signature'] -Timestamp $query['timestamp'] `
                -Nonce $query['nonce'] -Token $Token -EncodingAesKey $CallbackKey -CorpId $CorpId
            $notification.JobId | Should -Be $job.JobId
            "$($notification.Kind)" | Should -Be 'Department'
            $notification.ErrCode | Should -Be 0

            $departments = @($notification | Receive-WeComExport -EncodingAesKey $exportKey -Session $Session)
            $departments.Count | Should -BeGreaterThan 0
            $departments[0].PSObject.Properties.Name | Should -Contain 'Name'
        }
        finally {
            $listener.Stop()
            $listener.Close()
        }
    }

    It 'is turned into a CSV by examples/CallbackListener.ps1, or, when its download fails, into a warning and no file' -ForEach @(
        @{ Case = 'the key it was started with'; WrongKey = $false }
        @{ Case = 'another key'; WrongKey = $true }
    ) {
        $outDir = Join-Path ([IO.Path]::GetTempPath()) ('wecom-roundtrip-' + [guid]::NewGuid().ToString('N'))
        $runner = [powershell]::Create()
        try {
            $null = $runner.AddScript({
                    param($ModulePath, $Script, $Arguments)
                    Import-Module $ModulePath
                    & $Script @Arguments
                }).AddArgument((Join-Path (Get-TestModulePath) 'WeComExport.psd1')).AddArgument((Join-Path (Get-RepositoryRoot) 'examples/CallbackListener.ps1'))
            $exportKey = New-WeComEncodingAesKey
            $null = $runner.AddArgument(@{
                    Prefix = $Prefix; CorpId = $CorpId; Token = $Token; CallbackEncodingAesKey = $CallbackKey
                    ExportEncodingAesKey = $exportKey; Session = $Session; OutputDirectory = $outDir; MaxRequests = 2
                })
            $handle = $runner.BeginInvoke()
            # The listener starts in another runspace: one probe request (answered as a bad verification,
            # request 1 of 2) proves it is up before the export whose callback is request 2.
            $up = $false
            for ($i = 0; $i -lt 300 -and -not $up; $i++) {
                try { $null = Invoke-WebRequest -Uri $Prefix -SkipHttpErrorCheck -TimeoutSec 5; $up = $true }
                catch { Start-Sleep -Milliseconds 100 }
            }
            $up | Should -BeTrue -Because 'the example listener should be listening'
            $startKey = if ($WrongKey) { New-WeComEncodingAesKey } else { $exportKey }
            $job = Start-WeComUserExport -EncodingAesKey $startKey -Session $Session
            $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120)) | Should -BeTrue
            $summary = $runner.EndInvoke($handle)
            if ($WrongKey) {
                ($runner.Streams.Warning -join "`n") | Should -Match 'WeComDecryptFailed'
                @(Get-ChildItem -LiteralPath $outDir -Force -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty -Because 'a failed download leaves no partial CSV'
                return
            }
            $runner.Streams.Warning | Should -BeNullOrEmpty
            $summary[0].JobId | Should -Be $job.JobId
            $summary[0].Records | Should -Be 40
            @(Import-Csv $summary[0].Path).Count | Should -Be 40
        }
        finally {
            $runner.Dispose()
            if (Test-Path $outDir) { Remove-Item $outDir -Recurse -Force }
        }
    }
}
