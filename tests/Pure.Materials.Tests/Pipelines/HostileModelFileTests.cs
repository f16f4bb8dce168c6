using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Pipelines;
using Xunit;

namespace Pure.Materials.Tests.Pipelines;

/// <summary>Damaged, tampered, future and hostile model files: each is one <c>model.*</c> (or <c>param.*</c>) problem from the library and a
/// one-line error with exit code 1 from <c>predict</c>; never an exception, a hang or a huge allocation.</summary>
public class HostileModelFileTests
{
    private static readonly Lazy<byte[]> Valid = new(() =>
    {
        var (pipeline, _, _) = FittedPipelineTests.PerovskiteForest(trees: 2);
        var path = Path.GetTempFileName();
        ModelFile.Save(pipeline, path).OrThrow();
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    });

    /// <summary>The entries of the valid file, manifest parsed.</summary>
    private static (JsonObject Manifest, Dictionary<string, byte[]> Entries) Open()
    {
        using var zip = new ZipArchive(new MemoryStream(Valid.Value), ZipArchiveMode.Read);
        var entries = zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
        return ((JsonObject)JsonNode.Parse(entries["manifest.json"])!, entries);
    }

    private static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var m = new MemoryStream();
        using (var zip = new ZipArchive(m, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                s.Write(bytes);
            }
        return m.ToArray();
    }

    private static byte[] Edit(Action<JsonObject, Dictionary<string, byte[]>> edit)
    {
        var (manifest, entries) = Open();
        edit(manifest, entries);
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return Zip(entries.Select(kv => (kv.Key, kv.Value)));
    }

    private static JsonObject Model(JsonObject m) => (JsonObject)m["pipeline"]!["learner"]!["node"]!["model"]!["node"]!;

    private static JsonObject Tree0(JsonObject m) => (JsonObject)Model(m)["estimators_"]!["nodes"]![0]!;

    /// <summary>Rewrites an int32 array entry through <paramref name="edit"/> and updates its checksum, as a careful forger would.</summary>
    private static void EditInts(JsonObject array, Dictionary<string, byte[]> entries, Action<int[]> edit)
    {
        var name = array["array"]!.GetValue<string>();
        var bytes = entries[name];
        var values = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4))).ToArray();
        edit(values);
        var outBytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(outBytes.AsSpan(i * 4), values[i]);
        entries[name] = outBytes;
        array["sha256"] = Convert.ToHexStringLower(SHA256.HashData(outBytes));
    }

    private static void EditFloats(JsonObject array, Dictionary<string, byte[]> entries, Action<double[]> edit)
    {
        var name = array["array"]!.GetValue<string>();
        var bytes = entries[name];
        var values = Enumerable.Range(0, bytes.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8))).ToArray();
        edit(values);
        var outBytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(outBytes.AsSpan(i * 8), values[i]);
        entries[name] = outBytes;
        array["sha256"] = Convert.ToHexStringLower(SHA256.HashData(outBytes));
    }

    private static JsonObject Param(JsonObject m, string name) =>
        (JsonObject)((JsonArray)m["pipeline"]!["learner"]!["node"]!["parameters"]!["nodes"]!).First(p => p!["name"]!.GetValue<string>() == name)!;

    private static JsonObject Nest(int depth)
    {
        var node = new JsonObject { ["x"] = new JsonObject { ["int"] = 1 } };
        for (var i = 0; i < depth; i++) node = new JsonObject { ["n"] = new JsonObject { ["node"] = node } };
        return node;
    }

    /// <summary>Each hostile file and the problem code it must give.</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "empty file", "model.not_a_model" },
        { "random bytes", "model.not_a_model" },
        { "truncated to half", "model.not_a_model" },
        { "truncated to 100 bytes", "model.not_a_model" },
        { "zip without manifest", "model.not_a_model" },
        { "manifest is not JSON", "model.corrupt" },
        { "manifest is a JSON array", "model.not_a_model" },
        { "another format", "model.not_a_model" },
        { "future major version", "model.future_version" },
        { "version is not major.minor", "model.corrupt" },
        { "array bytes tampered, checksum kept", "model.corrupt" },
        { "array entry missing", "model.corrupt" },
        { "array shorter than its shape", "model.corrupt" },
        { "shape of 10^12 elements", "model.too_large" },
        { "negative dimension", "model.corrupt" },
        { "unknown dtype", "model.corrupt" },
        { "tree child points backwards (checksum forged)", "model.corrupt" },
        { "tree child out of range (checksum forged)", "model.corrupt" },
        { "split on feature beyond n_features (checksum forged)", "model.corrupt" },
        { "node with two parents (checksum forged)", "model.corrupt" },
        { "unknown learner", "param.unknown_model" },
        { "learner parameter out of range", "model.corrupt" },
        { "fewer trees than n_estimators", "model.corrupt" },
        { "imputer width differs from the labels", "model.corrupt" },
        { "nesting 200 levels deep", "model.corrupt" },
        { "duplicate archive entry", "model.corrupt" },
        { "compression bomb: 64 MiB where 80 bytes are declared", "model.corrupt" },
        { "NaN threshold in a tree (checksum forged)", "model.corrupt" },
        { "unknown step", "model.corrupt" },
        { "no feature labels", "model.corrupt" },
        { "float that is text", "model.corrupt" },
        { "pipeline missing", "model.corrupt" },
        { "unknown featurizer", "model.corrupt" },
    };

    internal static byte[] Make(string name) => name switch
    {
        "empty file" => [],
        "random bytes" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray(),
        "truncated to half" => Valid.Value[..(Valid.Value.Length / 2)],
        "truncated to 100 bytes" => Valid.Value[..100],
        "zip without manifest" => Zip(Open().Entries.Where(e => e.Key != "manifest.json").Select(e => (e.Key, e.Value))),
        "manifest is not JSON" => Zip(Open().Entries.Select(e => (e.Key, e.Key == "manifest.json" ? Encoding.UTF8.GetBytes("{\"format\": \"pure-materials-model\", ") : e.Value))),
        "manifest is a JSON array" => Zip(Open().Entries.Select(e => (e.Key, e.Key == "manifest.json" ? Encoding.UTF8.GetBytes("[1, 2, 3]") : e.Value))),
        "another format" => Edit((m, _) => m["format"] = "onnx"),
        "future major version" => Edit((m, _) => m["format_version"] = "2.0"),
        "version is not major.minor" => Edit((m, _) => m["format_version"] = "one"),
        "array bytes tampered, checksum kept" => Edit((m, e) => { var n = Tree0(m)["threshold"]!["array"]!.GetValue<string>(); e[n] = e[n].ToArray(); e[n][3] ^= 0x40; }),
        "array entry missing" => Edit((m, e) => e.Remove(Tree0(m)["value"]!["array"]!.GetValue<string>())),
        "array shorter than its shape" => Edit((m, e) => { var n = Tree0(m)["value"]!["array"]!.GetValue<string>(); e[n] = e[n][..8]; Tree0(m)["value"]!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(e[n])); }),
        "shape of 10^12 elements" => Edit((m, _) => Tree0(m)["value"]!["shape"] = new JsonArray(1_000_000, 1_000_000)),
        "negative dimension" => Edit((m, _) => Tree0(m)["value"]!["shape"] = new JsonArray(-5)),
        "unknown dtype" => Edit((m, _) => Tree0(m)["value"]!["dtype"] = "float16"),
        "tree child points backwards (checksum forged)" => Edit((m, e) => EditInts((JsonObject)Tree0(m)["children_left"]!, e, v => v[0] = 0)),
        "tree child out of range (checksum forged)" => Edit((m, e) => EditInts((JsonObject)Tree0(m)["children_right"]!, e, v => v[0] = 1_000_000)),
        "split on feature beyond n_features (checksum forged)" => Edit((m, e) => EditInts((JsonObject)Tree0(m)["feature"]!, e, v => v[0] = 99)),
        "node with two parents (checksum forged)" => Edit((m, e) => EditInts((JsonObject)Tree0(m)["children_right"]!, e, v => v[0] = 1)),
        "unknown learner" => Edit((m, _) => m["pipeline"]!["learner"]!["node"]!["name"] = "deep-forest"),
        "learner parameter out of range" => Edit((m, _) => Param(m, "n_estimators")["value"] = "5"),
        "fewer trees than n_estimators" => Edit((m, _) => ((JsonArray)Model(m)["estimators_"]!["nodes"]!).RemoveAt(1)),
        "imputer width differs from the labels" => Edit((m, _) => ((JsonArray)m["pipeline"]!["feature_labels"]!["nodes"]!).RemoveAt(0)),
        "nesting 200 levels deep" => Edit((m, _) => m["pipeline"]!["input"] = new JsonObject { ["node"] = Nest(200) }),
        "duplicate archive entry" => Zip(Open().Entries.Select(e => (e.Key, e.Value)).Append(("manifest.json", Open().Entries["manifest.json"]))),
        "compression bomb: 64 MiB where 80 bytes are declared" => Edit((m, e) => e[Tree0(m)["value"]!["array"]!.GetValue<string>()] = new byte[64 << 20]),
        "NaN threshold in a tree (checksum forged)" => Edit((m, e) => EditFloats((JsonObject)Tree0(m)["threshold"]!, e, v => v[0] = double.NaN)),
        "unknown step" => Edit((m, _) => ((JsonObject)m["pipeline"]!["steps"]!["nodes"]![0]!)["step"] = "fourier"),
        "no feature labels" => Edit((m, _) => m["pipeline"]!["feature_labels"] = new JsonObject { ["nodes"] = new JsonArray() }),
        "float that is text" => Edit((m, _) => Model(m)["n_features_in_"] = new JsonObject { ["float"] = "abc" }),
        "pipeline missing" => Edit((m, _) => m.Remove("pipeline")),
        "unknown featurizer" => Edit((m, _) => m["pipeline"]!["input"]!["node"]!["featurizers"] = new JsonObject { ["nodes"] = new JsonArray(new JsonObject { ["text"] = "fourier" }) }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_HostileFile_IsOneProblem_NeverAnException(string name, string code)
    {
        var bytes = Make(name);
        var problems = ModelFile.Read(new MemoryStream(bytes)).Problems();
        Assert.NotEmpty(problems);
        Assert.Equal(code, problems[0].Code);
        Assert.All(problems, p => Assert.DoesNotContain('\n', p.Message));
    }

    [Fact]
    public void ValidFile_Loads()
    {
        Assert.True(ModelFile.Read(new MemoryStream(Valid.Value)).IsSuccess);
    }
}
