using System.Numerics;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Snapshots;
using WeComExport.Tests.Blocks;
using Xunit;

namespace WeComExport.Tests.Records
{
    /// <summary>
    /// Whole numbers a field does not model are kept exactly, however large: a ulong up to 2^64 - 1, a BigInteger
    /// beyond. Rounded to a double, 18446744073709551615 and ...614 read, print and compare as one value.
    /// </summary>
    public class JsonNumberTests
    {
        [Theory]
        [InlineData("9223372036854775807", typeof(long), "9223372036854775807")]
        [InlineData("9223372036854775808", typeof(ulong), "9223372036854775808")]
        [InlineData("18446744073709551615", typeof(ulong), "18446744073709551615")]
        [InlineData("18446744073709551616", typeof(BigInteger), "18446744073709551616")]
        [InlineData("-9223372036854775809", typeof(BigInteger), "-9223372036854775809")]
        [InlineData("123456789012345678901234567890123456789", typeof(BigInteger), "123456789012345678901234567890123456789")]
        [InlineData("0.5", typeof(double), "0.5")]
        [InlineData("1E+3", typeof(double), "1000")]
        [InlineData("1e400", typeof(string), "1e400")]
        public void An_unknown_number_keeps_its_exact_value_in_the_type_that_holds_it(string literal, System.Type type, string text)
        {
            WeComUser user = ReadUser($"\"n\":{literal},\"list\":[{literal}]");

            object value = user.AdditionalFields["n"]!;
            Assert.IsType(type, value);
            Assert.Equal(text, System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(value, Assert.Single((object?[])user.AdditionalFields["list"]!));
        }

        [Fact]
        public void A_whole_number_of_more_digits_than_the_limit_is_kept_as_its_text()
        {
            string digits = new('9', JsonValues.MaxBigDigits + 1);
            Assert.Equal(digits, ReadUser($"\"n\":{digits}").AdditionalFields["n"]);
            Assert.IsType<BigInteger>(ReadUser($"\"n\":{digits.Substring(1)}").AdditionalFields["n"]);
        }

        [Theory]
        [InlineData("18446744073709551615", "18446744073709551614")]
        [InlineData("18446744073709551617", "18446744073709551616")]
        [InlineData("-9223372036854775809", "-9223372036854775810")]
        public void Two_members_whose_large_numbers_differ_in_the_last_digit_compare_as_changed(string one, string other)
        {
            var hasher = new RecordHasher();
            foreach ((string open, string close) in new[] { ("\"unknown\":", ""), ("\"order\":[", "]"), ("\"department\":[", "]"), ("\"external_profile\":{\"n\":", "}") })
            {
                WeComUser a = ReadUser(open + one + close);
                WeComUser b = ReadUser(open + other + close);
                Assert.Equal(hasher.ContentOf(WeComRecordKind.User, a), hasher.ContentOf(WeComRecordKind.User, ReadUser(open + one + close)));
                Assert.NotEqual(hasher.ContentOf(WeComRecordKind.User, a), hasher.ContentOf(WeComRecordKind.User, b));
            }
        }

        [Fact]
        public void A_large_number_is_written_back_as_the_same_number()
        {
            WeComUser user = ReadUser("\"n\":18446744073709551615,\"m\":-123456789012345678901234567890,\"external_profile\":{\"x\":[18446744073709551616]}");
            using var cell = new JsonCell();
            Assert.Equal("{\"n\":18446744073709551615,\"m\":-123456789012345678901234567890}", cell.Of(user.AdditionalFields));
            Assert.Equal("{\"x\":[18446744073709551616]}", user.ExternalProfile!.ToString());
            Assert.Equal("{\"x\":[18446744073709551616]}", cell.Of(user.ExternalProfile));
        }

        private static WeComUser ReadUser(string fields) =>
            (WeComUser)Assert.Single(ReaderHarness.Read("{\"userlist\":[{\"userid\":\"a\"," + fields + "}]}", ExportKind.User));
    }
}
