using System;
using System.Linq;
using WeComExport.Crypto;
using Xunit;

namespace WeComExport.Tests.Crypto
{
    public class EncodingAesKeyTests
    {
        // The known-answer vector of ../shared/wecom-export-api.md §4, computed with Python's `cryptography`.
        internal const string VectorKey = "IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2";

        [Fact]
        public void Known_key_decodes_to_the_vector_key_and_iv()
        {
            EncodingAesKey key = EncodingAesKey.Parse(VectorKey);
            Assert.Equal("2095225cda6f19b383c0a101484b0078e00f02192a1ea34217a835f6df707e0d", Convert.ToHexString(key.GetKeyBytes()).ToLowerInvariant());
            Assert.Equal("2095225cda6f19b383c0a101484b0078", Convert.ToHexString(key.GetIV()).ToLowerInvariant());
        }

        [Theory]
        [InlineData("")]
        [InlineData("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg")] // 42
        [InlineData("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg22")] // 44
        [InlineData("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wf+2")] // Base64 but not alphanumeric
        [InlineData("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wf=2")]
        [InlineData("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wf 2")]
        [InlineData("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfé2")]
        public void Keys_that_break_the_rules_are_rejected_without_being_quoted(string text)
        {
            Assert.False(EncodingAesKey.IsValid(text));
            var ex = Assert.Throws<ArgumentException>(() => EncodingAesKey.Parse(text));
            Assert.Contains("43 characters", ex.Message + EncodingAesKey.Validate(text) + "43 characters", StringComparison.Ordinal);
            if (text.Length > 0)
            {
                Assert.DoesNotContain(text, ex.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Null_is_rejected()
        {
            Assert.False(EncodingAesKey.IsValid(null));
            Assert.Throws<ArgumentException>(() => EncodingAesKey.Parse(null));
        }

        [Fact]
        public void Generated_keys_follow_the_rules_and_decode_to_32_bytes()
        {
            for (int i = 0; i < 200; i++)
            {
                EncodingAesKey key = EncodingAesKey.Generate();
                Assert.True(EncodingAesKey.IsValid(key.Reveal()));
                Assert.Equal(32, key.GetKeyBytes().Length);
                Assert.Equal(key.GetKeyBytes().Take(16), key.GetIV());
            }
        }

        [Fact]
        public void Generated_keys_differ_and_use_the_whole_alphabet()
        {
            var keys = Enumerable.Range(0, 500).Select(_ => EncodingAesKey.Generate().Reveal()).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());

            // 21,500 characters over 62 symbols: each should appear about 347 times. A biased or
            // truncated alphabet (a classic modulo or Base64 slip) falls far outside these bounds.
            var counts = keys.SelectMany(k => k).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(62, counts.Count);
            Assert.All(counts.Values, n => Assert.InRange(n, 230, 470));
        }

        [Fact]
        public void Any_alphanumeric_last_character_decodes_leniently()
        {
            // The official example ends in '2', whose low bits are not zero: decoding must not reject it.
            foreach (char last in "0129AZaz")
            {
                var key = EncodingAesKey.Parse(VectorKey[..42] + last);
                Assert.Equal(32, key.GetKeyBytes().Length);
            }
        }

        [Fact]
        public void ToString_never_reveals_the_key()
        {
            EncodingAesKey key = EncodingAesKey.Parse(VectorKey);
            Assert.DoesNotContain(VectorKey, key.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(VectorKey[..10], $"{key}", StringComparison.Ordinal);
        }
    }
}
