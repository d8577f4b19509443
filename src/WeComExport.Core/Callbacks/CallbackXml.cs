using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace WeComExport.Callbacks
{
    /// <summary>
    /// Reads WeCom's flat callback XML (&lt;xml&gt; with text elements and at most one level of
    /// grouping, such as BatchJob) safely: no DTD, no resolver, so no external entity, no entity
    /// expansion and no file or network access; and a size limit before anything is parsed.
    /// </summary>
    internal sealed class CallbackXml
    {
        private CallbackXml(Dictionary<string, string> fields, Dictionary<string, Dictionary<string, string>> groups)
        {
            Fields = fields;
            Groups = groups;
        }

        /// <summary>Top-level elements that hold only text, by name.</summary>
        public Dictionary<string, string> Fields { get; }

        /// <summary>Top-level elements that hold elements (BatchJob), each as its text children by name.</summary>
        public Dictionary<string, Dictionary<string, string>> Groups { get; }

        public static CallbackXml Parse(string? xml, string what)
        {
            if (string.IsNullOrWhiteSpace(xml))
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The {what} is empty: expected WeCom callback XML (<xml>...</xml>).");
            }

            CallbackLimits.CheckLength(xml, what);
            XDocument document;
            try
            {
                using var reader = XmlReader.Create(new StringReader(xml), SafeSettings());
                document = XDocument.Load(reader);
            }
            catch (XmlException ex) when (xml!.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The {what} declares a DTD (<!DOCTYPE>), which WeCom never sends: refused, with no entity expanded and nothing fetched.", ex);
            }
            catch (XmlException ex)
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The {what} is not well-formed XML: {ex.Message}", ex);
            }

            XElement root = document.Root!;
            if (root.Name.LocalName != "xml")
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The {what}'s root element is <{root.Name.LocalName}>; WeCom callbacks have <xml>.");
            }

            var fields = new Dictionary<string, string>();
            var groups = new Dictionary<string, Dictionary<string, string>>();
            foreach (XElement element in root.Elements())
            {
                string name = element.Name.LocalName;
                if (fields.ContainsKey(name) || groups.ContainsKey(name))
                {
                    throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The {what} has more than one <{name}> element.");
                }

                if (!element.HasElements)
                {
                    fields[name] = element.Value;
                    continue;
                }

                var group = new Dictionary<string, string>();
                foreach (XElement child in element.Elements().Where(c => !c.HasElements))
                {
                    string childName = child.Name.LocalName;
                    if (group.ContainsKey(childName))
                    {
                        throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The {what}'s <{name}> has more than one <{childName}> element.");
                    }

                    group[childName] = child.Value;
                }

                groups[name] = group;
            }

            return new CallbackXml(fields, groups);
        }

        public string? Field(string name) => Fields.TryGetValue(name, out string? value) ? value : null;

        private static XmlReaderSettings SafeSettings() => new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = CallbackLimits.MaxInputLength,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = true,
        };
    }
}
