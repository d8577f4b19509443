using System;
using System.Globalization;
using System.Text.Json;

namespace WeComExport.Api
{
    /// <summary>
    /// Reads the fields of one JSON object of a WeCom answer strictly: a field that is missing where the
    /// API promises it, of the wrong JSON type or out of range is <c>WeComInvalidAnswer</c> naming the
    /// field and where it was (e.g. "'size' of block 3"), never a crash, an overflow or a silent default.
    /// Messages name the field and its JSON type, never its value: it may be a token or a credential.
    /// A field that is present with JSON null is of the wrong type, not absent.
    /// </summary>
    internal readonly struct WeComAnswer
    {
        /// <summary>The fields the module reads from an answer object; each may be there once (see <see cref="ThrowIfRepeated"/>).</summary>
        private static readonly string[] SingleFields = { "errcode", "errmsg", "access_token", "expires_in", "jobid", "status", "data_list", "taglist" };

        private readonly JsonElement fields;

        /// <param name="api">The call that answered, e.g. <c>export/user</c>, as messages name it.</param>
        /// <param name="fields">A JSON object of the answer.</param>
        /// <param name="where">Where that object is, for messages: empty for the answer itself, or e.g. " of block 3".</param>
        public WeComAnswer(string api, JsonElement fields, string where = "")
        {
            Api = api;
            this.fields = fields;
            Where = where;
        }

        public string Api { get; }

        public string Where { get; }

        /// <summary>The failure for an answer that is not what the API promises: "<paramref name="api"/> answered <paramref name="problem"/>."</summary>
        public static WeComException Invalid(string api, string problem, Exception? innerException = null) =>
            new WeComException(WeComErrors.InvalidAnswer, $"{api} answered {problem}.", innerException);

        public WeComException Invalid(string problem) => Invalid(Api, problem);

        /// <summary>
        /// Refuses an answer object that has one of the fields the module reads more than once. JSON leaves a
        /// repeated name undefined and System.Text.Json takes the last, so <c>{"errcode":40014,"errcode":0}</c>
        /// would pass for success here while a proxy or log reading the first sees a failure. One pass over
        /// the object's own properties (a handful), comparing names as unescaped, so <c>"err\u0063ode"</c> counts.
        /// </summary>
        public static void ThrowIfRepeated(string api, JsonElement answer)
        {
            int seen = 0;
            foreach (JsonProperty property in answer.EnumerateObject())
            {
                for (int i = 0; i < SingleFields.Length; i++)
                {
                    if (property.NameEquals(SingleFields[i]))
                    {
                        if ((seen & (1 << i)) != 0)
                        {
                            throw Invalid(api, $"with '{SingleFields[i]}' more than once");
                        }

                        seen |= 1 << i;
                        break;
                    }
                }
            }
        }

        /// <summary>Whether the field is left out or JSON null.</summary>
        public bool IsAbsentOrNull(string name) =>
            !fields.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null;

        public string String(string name)
        {
            JsonElement value = Required(name);
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(value, name, Where, "a string");
        }

        /// <summary>A JSON number that is a whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
        public long Int64(string name, long min, long max) => WholeNumber(Required(name), name, min, max);

        public int Int32(string name, int min, int max) => (int)Int64(name, min, max);

        /// <summary>As <see cref="Int32(string, int, int)"/>, or <paramref name="whenAbsent"/> when the field is left out.</summary>
        public int Int32(string name, int min, int max, int whenAbsent) =>
            fields.TryGetProperty(name, out JsonElement value) ? (int)WholeNumber(value, name, min, max) : whenAbsent;

        public JsonElement.ArrayEnumerator Array(string name)
        {
            JsonElement value = Required(name);
            return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw WrongType(value, name, Where, "an array");
        }

        /// <summary>Item <paramref name="index"/> of the array <paramref name="arrayName"/>, which must be an object; its fields are described as being <paramref name="itemWhere"/>.</summary>
        public WeComAnswer Item(string arrayName, int index, JsonElement item, string itemWhere) =>
            item.ValueKind == JsonValueKind.Object
                ? new WeComAnswer(Api, item, itemWhere)
                : throw WrongType(item, arrayName, Where + string.Format(CultureInfo.InvariantCulture, " item {0}", index), "an object");

        private JsonElement Required(string name) =>
            fields.TryGetProperty(name, out JsonElement value) ? value : throw Invalid($"without '{name}'{Where}");

        private long WholeNumber(JsonElement value, string name, long min, long max)
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                throw WrongType(value, name, Where, "a number");
            }

            if (!value.TryGetInt64(out long number) || number < min || number > max)
            {
                throw Invalid(string.Format(CultureInfo.InvariantCulture, "'{0}'{1} as a number that is not a whole number from {2} to {3}", name, Where, min, max));
            }

            return number;
        }

        private WeComException WrongType(JsonElement value, string name, string where, string expected) =>
            Invalid($"'{name}'{where} as {Describe(value.ValueKind)}, not {expected}");

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
    }
}
