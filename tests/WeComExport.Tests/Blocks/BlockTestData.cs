using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using WeComExport.Blocks;
using WeComExport.Crypto;

namespace WeComExport.Tests.Blocks
{
    /// <summary>Keys, vectors and small helpers shared by the block tests.</summary>
    internal static class BlockTestData
    {
        public const string VectorKeyText = "IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2";
        public const string VectorKeyHex = "2095225cda6f19b383c0a101484b0078e00f02192a1ea34217a835f6df707e0d";
        public const string VectorIvHex = "2095225cda6f19b383c0a101484b0078";
        public const string VectorPlaintext = "{\"userlist\":[{\"userid\":\"zhangsan\",\"name\":\"张三\",\"department\":[1,2],\"open_userid\":\"xxxxxx\"}]}";
        public const string VectorCiphertextBase64 = "qKNEBFkBvfNOCE9qEmlUg9FcUqqk2bp1uAvUa95tviCQykQ4AKI0mnu/ApPICr0rdiS1jMNGmI5vnwhdkzOl1oyaRR2fl3jniFiLfdOC4JQv6M1wq1GMU563fi/Yq38x";
        public const string VectorCiphertextMd5 = "e8bac67f46dc61c51b649397ed17b237";

        public static readonly EncodingAesKey VectorKey = EncodingAesKey.Parse(VectorKeyText);

        public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

        /// <summary>Everything the stream yields, read <paramref name="readSize"/> bytes at a time.</summary>
        public static byte[] ReadAll(Stream stream, int readSize)
        {
            using var all = new MemoryStream();
            var buffer = new byte[readSize];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                all.Write(buffer, 0, read);
            }

            return all.ToArray();
        }

        public static byte[] Decrypt(byte[] ciphertext, EncodingAesKey key, int maxSourceRead = int.MaxValue, int readSize = 4096)
        {
            using Stream plain = BlockDecryption.OpenPlaintext(new TrickleStream(ciphertext, maxSourceRead), key);
            return ReadAll(plain, readSize);
        }

        public static string NewTempFolder()
        {
            string folder = Path.Combine(Path.GetTempPath(), "wecom-blocks-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return folder;
        }
    }
}
