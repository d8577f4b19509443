# Connect-WeCom -Proxy/-ProxyCredential: what is refused before any request, and that a refusal never
# shows the proxy's password. (Traffic through a real proxy is tested in xunit: Api/ProxyTests.cs.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'WeComExport.psd1') -Force
    # Nothing listens here: a check that let the call through would fail as WeComHttpError instead.
    $script:ApiBaseUri = 'http://127.0.0.1:9'
    $script:Secret = ConvertTo-SecureString 'not-a-real-secret' -AsPlainText -Force
    $script:ProxyPassword = 'Proxy-Pa55word-must-never-show'
}

Describe 'Connect-WeCom -Proxy' {
    It 'has -Proxy [uri] and -ProxyCredential [pscredential] in every parameter set' {
        $command = Get-Command Connect-WeCom
        $command.Parameters['Proxy'].ParameterType | Should -Be ([uri])
        $command.Parameters['ProxyCredential'].ParameterType | Should -Be ([pscredential])
        foreach ($set in $command.ParameterSets) {
            $set.Parameters.Name | Should -Contain 'Proxy'
            $set.Parameters.Name | Should -Contain 'ProxyCredential'
        }
    }

    It 'refuses a proxy address with user info, without showing the password' {
        $uri = "http://proxyuser:$($ProxyPassword)@proxy.example:3128"
        $e = { Connect-WeCom -CorpId ww1 -Secret $Secret -ApiBaseUri $ApiBaseUri -Proxy $uri } | Should -Throw -ErrorId 'WeComInvalidProxy,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'user info'
        $e.Exception.Message | Should -Match 'http://proxy.example:3128'
        ($e | Out-String) + $e.ErrorDetails + $e.Exception.ToString() | Should -Not -Match $ProxyPassword
    }

    It 'refuses a proxy address of scheme <Uri>' -ForEach @(@{ Uri = 'socks5://127.0.0.1:1080' }, @{ Uri = 'ftp://proxy.example' }) {
        { Connect-WeCom -CorpId ww1 -Secret $Secret -ApiBaseUri $ApiBaseUri -Proxy $Uri } | Should -Throw -ErrorId 'WeComInvalidProxy,*'
    }

    It 'refuses a relative proxy address' {
        { Connect-WeCom -CorpId ww1 -Secret $Secret -ApiBaseUri $ApiBaseUri -Proxy 'proxy.example:3128' } | Should -Throw -ErrorId 'WeComInvalidProxy,*'
    }

    It 'refuses -ProxyCredential without -Proxy' {
        $credential = [pscredential]::new('proxyuser', (ConvertTo-SecureString $ProxyPassword -AsPlainText -Force))
        $e = { Connect-WeCom -CorpId ww1 -Secret $Secret -ApiBaseUri $ApiBaseUri -ProxyCredential $credential } | Should -Throw -ErrorId 'WeComInvalidProxy,*' -PassThru
        $e.Exception.Message | Should -Match '-ProxyCredential needs -Proxy'
    }

    It 'binds a valid proxy and then fails on the network, not on the parameters' {
        # Nothing listens on the proxy's port either: the connect fails as an HTTP error that names no password.
        $credential = [pscredential]::new('proxyuser', (ConvertTo-SecureString $ProxyPassword -AsPlainText -Force))
        $out = & { try { Connect-WeCom -CorpId ww1 -Secret $Secret -ApiBaseUri $ApiBaseUri -Proxy 'http://127.0.0.1:9' -ProxyCredential $credential -Verbose } catch { $_ } } 4>&1
        $failure = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'WeComHttpError,*'
        ($out | Out-String) | Should -Match 'Using the proxy http://127.0.0.1:9 as proxyuser'
        ($out | Out-String) + $failure[0].Exception.ToString() | Should -Not -Match $ProxyPassword
    }
}
