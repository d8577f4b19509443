using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace WeComExport.Emulator.Faults
{
    /// <summary>
    /// One active fault: fires on the next <c>Count</c> matching requests, or on each with
    /// <c>Probability</c>; optionally only for one corp and/or one path.
    /// </summary>
    internal sealed class FaultRule
    {
        private static readonly string[] JsonKeys = { "kind", "count", "probability", "corpid", "path", "status", "delayms" };

        public FaultRule(FaultKind kind, int? count, double? probability, string? corpId, string? path, int status, int delayMs)
        {
            if (count is not null && probability is not null)
            {
                throw new ArgumentException("Give a fault either a count or a probability, not both.");
            }

            if (count is < 1)
            {
                throw new ArgumentException("A fault's count must be at least 1.");
            }

            if (probability is < 0 or > 1 || (probability is double p && double.IsNaN(p)))
            {
                throw new ArgumentException("A fault's probability must be between 0 and 1.");
            }

            if (status is < 500 or > 599)
            {
                throw new ArgumentException("A fault's status must be a 5xx code.");
            }

            if (delayMs is < 0 or > 600_000)
            {
                throw new ArgumentException("A fault's delayMs must be between 0 and 600000.");
            }

            Kind = kind;
            Remaining = probability is null ? count ?? 1 : null;
            Probability = probability;
            CorpId = string.IsNullOrEmpty(corpId) ? null : corpId;
            Path = string.IsNullOrEmpty(path) ? null : path;
            Status = status;
            DelayMs = delayMs;
        }

        public int Id { get; set; }

        public FaultKind Kind { get; }

        /// <summary>How many more times it fires; null when it fires by probability.</summary>
        public int? Remaining { get; set; }

        public double? Probability { get; }

        public string? CorpId { get; }

        public string? Path { get; }

        public int Status { get; }

        public int DelayMs { get; }

        public int Fired { get; set; }

        /// <summary>Parses the command-line form: "kind:count" or "kind:p=0.1", then optional ":key=value" (status, delayMs, corpid, path).</summary>
        public static FaultRule Parse(string spec)
        {
            string[] parts = (spec ?? string.Empty).Split(':');
            if (!FaultKinds.TryParse(parts[0], out FaultKind kind))
            {
                throw new ArgumentException($"Unknown fault kind '{parts[0]}'. Known: {string.Join(", ", FaultKinds.Names)}.");
            }

            int? count = null;
            double? probability = null;
            string? corpId = null;
            string? path = null;
            int status = 500;
            int delayMs = 2000;
            for (int i = 1; i < parts.Length; i++)
            {
                string part = parts[i];
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                string key = eq < 0 ? "count" : part[..eq];
                string value = eq < 0 ? part : part[(eq + 1)..];
                switch (key.ToLowerInvariant())
                {
                    case "count":
                        count = ParseInt(value, "count");
                        break;
                    case "p":
                    case "probability":
                        probability = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double p)
                            ? p : throw new ArgumentException($"Fault probability '{value}' is not a number.");
                        break;
                    case "status":
                        status = ParseInt(value, "status");
                        break;
                    case "delayms":
                        delayMs = ParseInt(value, "delayMs");
                        break;
                    case "corpid":
                        corpId = value;
                        break;
                    case "path":
                        path = value;
                        break;
                    default:
                        throw new ArgumentException($"Unknown fault setting '{key}' (count, p, status, delayMs, corpid, path).");
                }
            }

            return new FaultRule(kind, count, probability, corpId, path, status, delayMs);
        }

        /// <summary>
        /// Parses the JSON form POSTed to /_emulator/faults. Keys are matched case-insensitively (as the
        /// --fault syntax's are); an unknown key, a key given twice, or a value of the wrong type is refused
        /// rather than ignored, so a typo cannot silently turn a probability fault into "count 1".
        /// </summary>
        public static FaultRule FromJson(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The fault must be a JSON object.");
            }

            var settings = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in json.EnumerateObject())
            {
                if (Array.IndexOf(JsonKeys, property.Name.ToLowerInvariant()) < 0)
                {
                    throw new ArgumentException($"Unknown fault setting '{property.Name}' (kind, count, probability, corpid, path, status, delayMs).");
                }

                if (!settings.TryAdd(property.Name, property.Value))
                {
                    throw new ArgumentException($"The fault setting '{property.Name}' is given more than once.");
                }
            }

            string? kindName = OptionalString(settings, "kind");
            if (!FaultKinds.TryParse(kindName, out FaultKind kind))
            {
                throw new ArgumentException($"Unknown or missing fault kind. Known: {string.Join(", ", FaultKinds.Names)}.");
            }

            return new FaultRule(
                kind,
                OptionalInt(settings, "count"),
                OptionalNumber(settings, "probability"),
                OptionalString(settings, "corpid"),
                OptionalString(settings, "path"),
                OptionalInt(settings, "status") ?? 500,
                OptionalInt(settings, "delayMs") ?? 2000);
        }

        public void WriteJson(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteNumber("id", Id);
            w.WriteString("kind", FaultKinds.NameOf(Kind));
            if (Remaining is int remaining)
            {
                w.WriteNumber("remaining", remaining);
            }

            if (Probability is double probability)
            {
                w.WriteNumber("probability", probability);
            }

            if (CorpId is not null)
            {
                w.WriteString("corpid", CorpId);
            }

            if (Path is not null)
            {
                w.WriteString("path", Path);
            }

            if (Kind == FaultKind.Http500)
            {
                w.WriteNumber("status", Status);
            }

            if (Kind == FaultKind.Slow)
            {
                w.WriteNumber("delayMs", DelayMs);
            }

            w.WriteNumber("fired", Fired);
            w.WriteEndObject();
        }

        private static int ParseInt(string value, string name) =>
            int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw new ArgumentException($"Fault {name} '{value}' is not an integer.");

        private static int? OptionalInt(Dictionary<string, JsonElement> json, string name)
        {
            if (!json.TryGetValue(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int n) ? n : throw new ArgumentException($"Fault {name} must be an integer.");
        }

        private static double? OptionalNumber(Dictionary<string, JsonElement> json, string name)
        {
            if (!json.TryGetValue(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            // A JSON number is always finite; the range (0..1) is checked by the constructor.
            return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double n) ? n : throw new ArgumentException($"Fault {name} must be a number from 0 to 1.");
        }

        private static string? OptionalString(Dictionary<string, JsonElement> json, string name)
        {
            if (!json.TryGetValue(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.String ? e.GetString() : throw new ArgumentException($"Fault {name} must be a string.");
        }
    }
}
