<#
.SYNOPSIS
    Builds the module's MAML help file (en-US/WeComExport.dll-Help.xml) from docs/help/<Cmdlet-Name>.md.
.DESCRIPTION
    build.ps1 Build runs this in a fresh pwsh on the freshly published module folder. The prose comes
    from the help sources (format: docs/help/README.md); everything PowerShell can tell by itself (parameter
    sets, types, positions, mandatory, pipeline input, aliases, wildcards, accepted values) comes from
    Get-Command on the imported module, so the help's syntax can never disagree with the cmdlet.
    Fails (non-zero exit) when a source names a cmdlet or a parameter the module doesn't have, or lacks a
    synopsis, a description or an example's code: stale help must not ship.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SourcePath,
    # The published module folder (holds WeComExport.psd1).
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Sections = 'Synopsis', 'Description', 'Parameters', 'Outputs', 'Notes', 'Examples', 'Related links'

function ConvertTo-Paragraph {
    <# Blank lines separate paragraphs; a line starting with "- " starts its own paragraph (list items). #>
    param([AllowEmptyCollection()] [string[]] $Lines)
    $paragraphs = [Collections.Generic.List[string]]::new()
    $current = [Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        if (-not $line.Trim() -or $line -match '^- ') {
            if ($current.Count) { $paragraphs.Add(($current -join ' ')); $current.Clear() }
            if (-not $line.Trim()) { continue }
        }
        $current.Add($line.Trim())
    }
    if ($current.Count) { $paragraphs.Add(($current -join ' ')) }
    , $paragraphs.ToArray()
}

function Read-HelpSource {
    param([Parameter(Mandatory)] [string] $Path)
    $page = [ordered]@{
        Name = $null; Synopsis = [Collections.Generic.List[string]]::new(); Description = [Collections.Generic.List[string]]::new()
        Notes = [Collections.Generic.List[string]]::new(); Parameters = [ordered]@{}; Outputs = [Collections.Generic.List[object]]::new()
        Examples = [Collections.Generic.List[object]]::new(); Links = [Collections.Generic.List[string]]::new()
    }
    $section = $null; $item = $null; $fence = $null; $buffer = $null; $number = 0
    foreach ($line in Get-Content -LiteralPath $Path -Encoding utf8) {
        $number++
        $where = "$(Split-Path -Leaf $Path):$number"
        if ($fence) {
            if ($line -match '^```\s*$') {
                if ($item[$fence]) { throw "${where}: the example already has a $fence block." }
                $item[$fence] = ($buffer -join "`n").TrimEnd(); $fence = $null
            }
            else { $buffer.Add($line) }
            continue
        }
        if ($line -match '^```(\w*)\s*$') {
            if ($section -ne 'Examples' -or -not $item) { throw "${where}: a code block outside an example." }
            $fence = switch ($Matches[1]) { 'powershell' { 'Code' } 'output' { 'Output' } default { throw "${where}: an example's blocks are ``````powershell and ``````output, not '$($Matches[1])'." } }
            $buffer = [Collections.Generic.List[string]]::new()
            continue
        }
        if ($line -match '^# (\S+)\s*$') { $page.Name = $Matches[1]; continue }
        if ($line -match '^## (.+?)\s*$') {
            $section = $Matches[1]; $item = $null
            if ($section -notin $Sections) { throw "${where}: unknown section '$section' (known: $($Sections -join ', '))." }
            continue
        }
        if ($line -match '^### (.+?)\s*$') {
            $heading = $Matches[1]
            $item = switch ($section) {
                'Parameters' {
                    $name = $heading -replace '^-', ''
                    if ($page.Parameters.Contains($name)) { throw "${where}: parameter -$name is described twice." }
                    $page.Parameters[$name] = @{ Name = $name; Text = [Collections.Generic.List[string]]::new() }
                    $page.Parameters[$name]
                }
                'Outputs' { $o = @{ Name = $heading; Text = [Collections.Generic.List[string]]::new() }; $page.Outputs.Add($o); $o }
                'Examples' { $e = @{ Title = $heading; Code = $null; Output = $null; Text = [Collections.Generic.List[string]]::new() }; $page.Examples.Add($e); $e }
                default { throw "${where}: '### $heading' only goes under Parameters, Outputs or Examples." }
            }
            continue
        }
        if ($item) { $item.Text.Add($line) }
        elseif ($section -eq 'Related links') { if ($line -match '^- (.+?)\s*$') { $page.Links.Add($Matches[1]) } }
        elseif ($section -in 'Synopsis', 'Description', 'Notes') { $page[$section].Add($line) }
        elseif ($line.Trim() -and $section) { throw "${where}: text under '## $section' belongs in a '###' item." }
    }
    if ($fence) { throw "$(Split-Path -Leaf $Path): a code block is not closed." }
    $page
}

function Get-TypeName {
    param([type] $Type)
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    $Type.Name
}

function Get-AcceptedValue {
    param([Management.Automation.ParameterMetadata] $Metadata)
    $set = $Metadata.Attributes | Where-Object { $_ -is [Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return @($set.ValidValues) }
    $type = $Metadata.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($underlying) { $type = $underlying }
    if ($type.IsEnum) { return [enum]::GetNames($type) }
    @()
}

function Test-HiddenParameter {
    <# True when every [Parameter()] of the parameter says DontShow: such a parameter is not for users. #>
    param([Management.Automation.ParameterMetadata] $Metadata)
    $attributes = @($Metadata.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] })
    $attributes.Count -gt 0 -and -not ($attributes | Where-Object { -not $_.DontShow })
}

function Get-PipelineInput {
    param($Parameter)
    $kinds = @(if ($Parameter.ValueFromPipeline) { 'ByValue' }; if ($Parameter.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

$WhatIfConfirm = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Write-Para {
    param([Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    $Writer.WriteStartElement('maml', 'description', $ns.maml)
    foreach ($p in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, $p) }
    $Writer.WriteEndElement()
}

function Write-Parameter {
    param([Xml.XmlWriter] $Writer, [Management.Automation.ParameterMetadata] $Metadata, $SetParameter, [string[]] $Description, [string] $Default)
    $switch = $Metadata.SwitchParameter
    $required = if ($SetParameter) { $SetParameter.IsMandatory } else { $false }
    $position = if ($SetParameter -and $SetParameter.Position -ge 0) { [string] $SetParameter.Position } else { 'named' }
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Metadata.ParameterType.IsArray.ToString().ToLowerInvariant())
    $globbing = [bool] ($Metadata.Attributes | Where-Object { $_ -is [Management.Automation.SupportsWildcardsAttribute] })
    $Writer.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $(if ($SetParameter) { Get-PipelineInput $SetParameter } else { 'False' }))
    $Writer.WriteAttributeString('position', $position)
    $Writer.WriteAttributeString('aliases', $(if ($Metadata.Aliases.Count) { $Metadata.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Metadata.Name)
    Write-Para $Writer $Description
    $accepted = @(Get-AcceptedValue $Metadata)
    if ($accepted) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($value in $accepted) {
            $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
            $Writer.WriteAttributeString('required', 'false'); $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value); $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not $switch) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', 'true'); $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString((Get-TypeName $Metadata.ParameterType)); $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, (Get-TypeName $Metadata.ParameterType))
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $(if ($Default) { $Default } elseif ($switch) { 'False' } else { 'None' }))
    $Writer.WriteEndElement()
}

$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$common = [Collections.Generic.HashSet[string]]::new([string[]] ([Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters), [StringComparer]::OrdinalIgnoreCase)

$module = Import-Module (Join-Path (Resolve-Path -LiteralPath $ModulePath).Path 'WeComExport.psd1') -PassThru -Force
$sources = @(Get-ChildItem -LiteralPath $SourcePath -Filter '*-*.md' -File | Sort-Object Name)
if (-not $sources) { throw "No help sources (<Verb-Noun>.md) in $SourcePath." }
$problems = [Collections.Generic.List[string]]::new()

$settings = [Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [Text.UTF8Encoding]::new($false)
$null = New-Item -ItemType Directory -Force (Split-Path -Parent $OutputPath)
$temporary = "$OutputPath.tmp"
$w = [Xml.XmlWriter]::Create($temporary, $settings)
try {
    $w.WriteStartElement('helpItems', $ns.msh)
    $w.WriteAttributeString('schema', 'maml')
    foreach ($prefix in 'maml', 'command', 'dev') { $w.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
    foreach ($file in $sources) {
        $page = Read-HelpSource $file.FullName
        $name = $file.BaseName
        if ($page.Name -ne $name) { $problems.Add("$($file.Name): its heading '# $($page.Name)' is not '# $name'."); continue }
        $command = Get-Command -Name $name -Module $module.Name -CommandType Cmdlet -ErrorAction SilentlyContinue
        if (-not $command) { $problems.Add("$($file.Name): the module has no cmdlet $name."); continue }
        # Hidden parameters (DontShow) are not in the help, as Get-Help leaves them out of the syntax without MAML.
        $hidden = @($command.Parameters.Values | Where-Object { Test-HiddenParameter $_ } | ForEach-Object Name)
        foreach ($documented in $page.Parameters.Keys) {
            if (-not $command.Parameters.ContainsKey($documented) -or $common.Contains($documented) -and $documented -notin 'WhatIf', 'Confirm') {
                $problems.Add("$($file.Name): $name has no parameter -$documented.")
            }
            elseif ($documented -in $hidden) { $problems.Add("$($file.Name): -$documented of $name is hidden (DontShow): leave it out of the help.") }
        }
        $synopsis = ConvertTo-Paragraph $page.Synopsis
        $description = ConvertTo-Paragraph $page.Description
        if (-not $synopsis) { $problems.Add("$($file.Name): no Synopsis.") }
        if (-not $description) { $problems.Add("$($file.Name): no Description.") }
        foreach ($example in $page.Examples) { if (-not $example.Code) { $problems.Add("$($file.Name): example '$($example.Title)' has no ``````powershell block.") } }

        $own = @($command.Parameters.Values | Where-Object { (-not $common.Contains($_.Name) -or ($_.Name -in 'WhatIf', 'Confirm')) -and $_.Name -notin $hidden })
        $describe = @{}
        $defaults = @{}
        foreach ($p in $own) {
            $source = $page.Parameters[$p.Name]
            $text = if ($source) { ConvertTo-Paragraph $source.Text } elseif ($WhatIfConfirm[$p.Name]) { , $WhatIfConfirm[$p.Name] } else { , @() }
            $describe[$p.Name] = $text
            $default = $text | Where-Object { $_ -match '^- Default: (.+)$' } | ForEach-Object { $Matches[1].TrimEnd('.') } | Select-Object -First 1
            $defaults[$p.Name] = $default
        }

        $w.WriteStartElement('command', 'command', $ns.command)
        $w.WriteStartElement('command', 'details', $ns.command)
        $w.WriteElementString('command', 'name', $ns.command, $name)
        $w.WriteElementString('command', 'verb', $ns.command, $command.Verb)
        $w.WriteElementString('command', 'noun', $ns.command, $command.Noun)
        Write-Para $w $synopsis
        $w.WriteEndElement()
        Write-Para $w $description

        $w.WriteStartElement('command', 'syntax', $ns.command)
        $sets = @($command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name)
        foreach ($set in $sets) {
            $w.WriteStartElement('command', 'syntaxItem', $ns.command)
            $w.WriteElementString('maml', 'name', $ns.maml, $name)
            $ordered = @($set.Parameters | Where-Object { (-not $common.Contains($_.Name) -or ($_.Name -in 'WhatIf', 'Confirm')) -and $_.Name -notin $hidden } |
                    Sort-Object { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } }, { -not $_.IsMandatory })
            foreach ($sp in $ordered) { Write-Parameter $w $command.Parameters[$sp.Name] $sp $describe[$sp.Name] $defaults[$sp.Name] }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'parameters', $ns.command)
        foreach ($p in $own) {
            # In the parameter list: the first parameter set's view of it (mandatory, position, pipeline).
            $sp = $sets | ForEach-Object { $_.Parameters | Where-Object Name -eq $p.Name } | Select-Object -First 1
            Write-Parameter $w $p $sp $describe[$p.Name] $defaults[$p.Name]
        }
        $w.WriteEndElement()

        $inputs = @($own | ForEach-Object { $p = $_; $p.ParameterSets.Values | Where-Object { $_.ValueFromPipeline } | ForEach-Object { $p.ParameterType.FullName } } | Select-Object -Unique)
        if ($inputs) {
            $w.WriteStartElement('command', 'inputTypes', $ns.command)
            foreach ($type in $inputs) {
                $w.WriteStartElement('command', 'inputType', $ns.command)
                $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $type); $w.WriteEndElement()
                Write-Para $w @()
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        if ($page.Outputs.Count) {
            $w.WriteStartElement('command', 'returnValues', $ns.command)
            foreach ($output in $page.Outputs) {
                $w.WriteStartElement('command', 'returnValue', $ns.command)
                $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $output.Name); $w.WriteEndElement()
                Write-Para $w (ConvertTo-Paragraph $output.Text)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        $notes = ConvertTo-Paragraph $page.Notes
        if ($notes) {
            $w.WriteStartElement('maml', 'alertSet', $ns.maml)
            $w.WriteStartElement('maml', 'alert', $ns.maml)
            foreach ($p in $notes) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
            $w.WriteEndElement(); $w.WriteEndElement()
        }
        $w.WriteStartElement('command', 'examples', $ns.command)
        $i = 0
        foreach ($example in $page.Examples) {
            $i++
            $w.WriteStartElement('command', 'example', $ns.command)
            $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $($example.Title) --------------------------")
            $w.WriteElementString('dev', 'code', $ns.dev, $example.Code)
            $w.WriteStartElement('dev', 'remarks', $ns.dev)
            # What it prints first (verbatim, one paragraph), then the explanation.
            if ($example.Output) { $w.WriteElementString('maml', 'para', $ns.maml, $example.Output) }
            foreach ($p in ConvertTo-Paragraph $example.Text) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteStartElement('command', 'relatedLinks', $ns.command)
        foreach ($link in $page.Links) {
            $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
            $text, $uri = if ($link -match '^\[(.+)\]\((.*)\)$') { $Matches[1], $Matches[2] } else { $link, '' }
            $w.WriteElementString('maml', 'linkText', $ns.maml, $text)
            $w.WriteElementString('maml', 'uri', $ns.maml, $uri)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
}
finally {
    $w.Dispose()
}

if ($problems.Count) {
    Remove-Item -LiteralPath $temporary -Force
    throw "The help sources in $SourcePath do not match the module:`n" + ($problems -join "`n")
}
Move-Item -LiteralPath $temporary -Destination $OutputPath -Force
Write-Host "help: $OutputPath ($($sources.Count) cmdlets)"
