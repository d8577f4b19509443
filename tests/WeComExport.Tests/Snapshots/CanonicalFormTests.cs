using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using WeComExport.Records;
using WeComExport.Snapshots;
using Xunit;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>
    /// The content hash Compare keeps must change whenever any compared value changes. Checked property by
    /// property for every public property of every record type (and of the types inside them, such as extattr),
    /// found by reflection: a property added later is covered without touching this test, and fails it until
    /// <see cref="RecordFields"/> compares it too.
    /// </summary>
    public class CanonicalFormTests
    {
        private static readonly Type[] RecordTypes = { typeof(WeComUser), typeof(WeComDepartment), typeof(WeComTagMember) };

        public static TheoryData<string, string> EveryProperty()
        {
            var data = new TheoryData<string, string>();
            foreach (Type type in RecordTypes)
            {
                foreach (string path in PathsOf(type))
                {
                    data.Add(type.Name, path);
                }
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(EveryProperty))]
        public void Changing_any_one_property_changes_the_hash_and_names_exactly_that_property(string typeName, string path)
        {
            Type type = RecordTypes.Single(t => t.Name == typeName);
            WeComRecordKind kind = RecordKinds.Of((WeComRecord)Build(type, null));
            var reference = (WeComRecord)Build(type, null);
            var difference = (WeComRecord)Build(type, path);
            var hasher = new RecordHasher();

            Assert.Equal(hasher.ContentOf(kind, reference), hasher.ContentOf(kind, (WeComRecord)Build(type, null)));
            Assert.NotEqual(hasher.ContentOf(kind, reference), hasher.ContentOf(kind, difference));
            string expected = path == "AdditionalFields" ? "AdditionalFields.field" : path.Split('.')[0];
            Assert.Equal(new[] { expected }, RecordFields.Differences(kind, reference, difference));
        }

        [Fact]
        public void The_tables_list_every_public_property_but_CorpId_and_AdditionalFields()
        {
            foreach (Type type in RecordTypes)
            {
                WeComRecordKind kind = RecordKinds.Of((WeComRecord)Activator.CreateInstance(type, new object?[] { null })!);
                var expected = PublicProperties(type).Select(p => p.Name).Where(n => n is not ("CorpId" or "AdditionalFields")).OrderBy(n => n, StringComparer.Ordinal);
                Assert.Equal(expected, RecordFields.Of(kind).Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal));
            }
        }

        [Fact]
        public void CorpId_is_not_compared()
        {
            var a = (WeComUser)Build(typeof(WeComUser), null);
            var b = (WeComUser)Build(typeof(WeComUser), null);
            a.CorpId = "wwa";
            b.CorpId = "wwb";
            var hasher = new RecordHasher();
            Assert.Equal(hasher.ContentOf(WeComRecordKind.User, a), hasher.ContentOf(WeComRecordKind.User, b));
            Assert.Empty(RecordFields.Differences(WeComRecordKind.User, a, b));
        }

        [Fact]
        public void The_order_of_additional_fields_does_not_matter_the_order_of_lists_does()
        {
            var hasher = new RecordHasher();
            var ab = new WeComUser(new Dictionary<string, object?> { ["a"] = 1L, ["b"] = new WeComJsonObject(new Dictionary<string, object?> { ["x"] = 1L, ["y"] = 2L }) });
            var ba = new WeComUser(new Dictionary<string, object?> { ["b"] = new WeComJsonObject(new Dictionary<string, object?> { ["y"] = 2L, ["x"] = 1L }), ["a"] = 1L });
            Assert.Equal(hasher.ContentOf(WeComRecordKind.User, ab), hasher.ContentOf(WeComRecordKind.User, ba));

            var list12 = new WeComUser(new Dictionary<string, object?> { ["a"] = new object?[] { 1L, 2L } }) { Department = new WeComList<long>(new[] { 1L, 2L }) };
            var list21 = new WeComUser(new Dictionary<string, object?> { ["a"] = new object?[] { 2L, 1L } }) { Department = new WeComList<long>(new[] { 2L, 1L }) };
            Assert.NotEqual(hasher.ContentOf(WeComRecordKind.User, list12), hasher.ContentOf(WeComRecordKind.User, list21));
            Assert.Equal(new[] { "Department", "AdditionalFields.a" }, RecordFields.Differences(WeComRecordKind.User, list12, list21));
        }

        [Theory]
        [InlineData("ab", "c", "a", "bc")]
        [InlineData(null, "x", "", "x")]
        [InlineData("x", null, "x", "")]
        public void Values_never_run_into_each_other(string? name1, string? position1, string? name2, string? position2)
        {
            var hasher = new RecordHasher();
            var a = new WeComUser { Name = name1, Position = position1 };
            var b = new WeComUser { Name = name2, Position = position2 };
            Assert.NotEqual(hasher.ContentOf(WeComRecordKind.User, a), hasher.ContentOf(WeComRecordKind.User, b));
        }

        [Fact]
        public void Values_of_different_json_types_differ_and_absent_differs_from_null()
        {
            var hasher = new RecordHasher();
            object?[] values = { null, 1L, 1.0, "1", true, false, new object?[] { 1L }, new WeComJsonObject(new Dictionary<string, object?> { ["1"] = null }), Array.Empty<object?>() };
            var hashes = values.Select(v => hasher.ContentOf(WeComRecordKind.User, new WeComUser(new Dictionary<string, object?> { ["f"] = v }))).ToList();
            hashes.Add(hasher.ContentOf(WeComRecordKind.User, new WeComUser()));
            Assert.Equal(hashes.Count, hashes.Distinct().Count());

            var absent = new WeComUser();
            var isNull = new WeComUser(new Dictionary<string, object?> { ["f"] = null });
            Assert.Equal(new[] { "AdditionalFields.f" }, RecordFields.Differences(WeComRecordKind.User, absent, isNull));
        }

        [Fact]
        public void The_key_of_a_record_is_its_kind_and_id()
        {
            var hasher = new RecordHasher();
            Assert.Equal(hasher.KeyOf(WeComRecordKind.User, "a"), hasher.KeyOf(WeComRecordKind.User, "a"));
            Assert.NotEqual(hasher.KeyOf(WeComRecordKind.User, "1"), hasher.KeyOf(WeComRecordKind.Department, "1"));
            Assert.NotEqual(hasher.KeyOf(WeComRecordKind.User, "a"), hasher.KeyOf(WeComRecordKind.User, "A"));
        }

        /// <summary>Every property path of a type: its public properties (but CorpId), and for extattr the properties inside it.</summary>
        private static IEnumerable<string> PathsOf(Type type)
        {
            foreach (PropertyInfo property in PublicProperties(type).Where(p => p.Name != "CorpId"))
            {
                yield return property.Name;
                if (property.PropertyType == typeof(WeComExtAttr))
                {
                    foreach (string inner in PathsOf(typeof(WeComExtAttr)))
                    {
                        yield return property.Name + "." + inner;
                    }
                }
                else if (property.PropertyType == typeof(WeComList<WeComExtAttrItem>))
                {
                    foreach (string inner in PathsOf(typeof(WeComExtAttrItem)))
                    {
                        yield return property.Name + "." + inner;
                    }
                }
            }
        }

        private static IEnumerable<PropertyInfo> PublicProperties(Type type) =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0);

        /// <summary>
        /// An object of <paramref name="type"/> with every settable property set to a first sample value, except the
        /// one <paramref name="vary"/> names (a dotted path into nested objects), which gets a second one.
        /// </summary>
        private static object Build(Type type, string? vary)
        {
            string? head = vary?.Split('.')[0];
            string? rest = vary is not null && vary.Contains('.', StringComparison.Ordinal) ? vary.Substring(vary.IndexOf('.', StringComparison.Ordinal) + 1) : null;
            var additional = new Dictionary<string, object?> { ["field"] = head == "AdditionalFields" ? "second" : "first" };
            object instance = Activator.CreateInstance(type, new object?[] { additional })!;
            foreach (PropertyInfo property in PublicProperties(type).Where(p => p.CanWrite && p.Name is not ("CorpId" or "AdditionalFields")))
            {
                bool varied = head == property.Name;
                property.SetValue(instance, Sample(property, varied && rest is null, varied ? rest : null));
            }

            return instance;
        }

        private static object? Sample(PropertyInfo property, bool second, string? nested)
        {
            Type type = property.PropertyType;
            Type plain = Nullable.GetUnderlyingType(type) ?? type;
            if (plain == typeof(string))
            {
                return second ? "second" : "first";
            }

            if (plain == typeof(long) || plain == typeof(int))
            {
                return Convert.ChangeType(second ? 2 : 1, plain, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (plain == typeof(WeComTagMemberType))
            {
                return second ? WeComTagMemberType.Department : WeComTagMemberType.User;
            }

            if (type == typeof(WeComList<long>))
            {
                return new WeComList<long>(second ? new[] { 2L, 1L } : new[] { 1L, 2L });
            }

            if (type == typeof(WeComList<int>))
            {
                return new WeComList<int>(second ? new[] { 0, 1 } : new[] { 1, 0 });
            }

            if (type == typeof(WeComList<string>))
            {
                return new WeComList<string>(second ? new[] { "b", "a" } : new[] { "a", "b" });
            }

            if (type == typeof(IReadOnlyDictionary<string, object?>))
            {
                return new WeComJsonObject(new Dictionary<string, object?> { ["k"] = second ? "second" : "first" });
            }

            if (type == typeof(WeComExtAttr))
            {
                return Build(typeof(WeComExtAttr), second ? "Attrs.Name" : nested);
            }

            if (type == typeof(WeComList<WeComExtAttrItem>))
            {
                return new WeComList<WeComExtAttrItem>(new[] { (WeComExtAttrItem)Build(typeof(WeComExtAttrItem), second ? "Name" : nested) });
            }

            throw new InvalidOperationException($"{property.DeclaringType!.Name}.{property.Name} is of type {type}, which this test has no sample values for: teach it (and RecordFields) the new property.");
        }
    }
}
