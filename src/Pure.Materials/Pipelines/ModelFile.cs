using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Featurize;
using Pure.Materials.Data;

namespace Pure.Materials.Pipelines;

/// <summary>What a model file says about itself, besides the pipeline.</summary>
/// <param name="FormatVersion">Format version as major.minor (this library writes <see cref="ModelFile.MajorVersion"/>.<see cref="ModelFile.MinorVersion"/>).</param>
/// <param name="LibraryVersion">Version of the library that wrote it.</param>
/// <param name="Created">When it was written (UTC, ISO 8601).</param>
public sealed record ModelFileHeader(string FormatVersion, string LibraryVersion, string Created)
{
    /// <summary>The header this library writes now: its format version, its version, the current UTC time.</summary>
    /// <returns>The header.</returns>
    public static ModelFileHeader Now() => new($"{ModelFile.MajorVersion}.{ModelFile.MinorVersion}", ModelFile.LibraryVersion,
        DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}

/// <summary>Saves a <see cref="FittedPipeline"/> to a model file and loads it back, bit for bit.</summary>
/// <remarks>
/// <para>Format (<c>.pmm</c>): a ZIP archive holding <c>manifest.json</c> and one entry per array. The manifest has <c>format</c>
/// (<c>pure-materials-model</c>), <c>format_version</c> (major.minor; a reader refuses a newer major), <c>library_version</c>,
/// <c>created</c>, and <c>pipeline</c>: the input (formula column, featurizers, element-value policy, feature columns; since 1.1, for a pipeline fitted on
/// crystal structures, <c>structures</c>: the structure featurizer names, their fitted lengths and element-value policy), the target
/// (name, unit), the feature labels, every fitted step, the learner (registry name, parameters, model state) and the training record
/// (rows, SHA-256 of the training data, seed, feature ranges, elements, metrics). Values are typed: <c>{"int": n}</c>, <c>{"float": x}</c>
/// (NaN and infinities as strings), JSON strings and booleans, <c>{"node": {...}}</c>, <c>{"nodes": [...]}</c>, and
/// <c>{"array": "arrays/7.f64", "dtype": "float64", "shape": [r, c], "sha256": "..."}</c> for an array stored little-endian in its entry.</para>
/// <para>Loading never reads a type name from the file: the learner's registry name picks its reader, which rebuilds the options with the
/// learner's own parameter parser and checks every array's length, range and (for trees) child indices. Limits: a file of at most
/// <see cref="MaxFileBytes"/>, at most <see cref="MaxEntries"/> entries, a manifest of at most <see cref="MaxManifestBytes"/>, nesting of
/// at most <see cref="MaxDepth"/>, and arrays of at most <see cref="MaxArrayElements"/> elements in all. Every failure (not a ZIP, truncated,
/// tampered checksum, future version, hostile sizes or indices) is a <see cref="Problem"/> with code <c>model.*</c>, never an exception.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The format name in every manifest.</summary>
    public const string FormatName = "pure-materials-model";

    /// <summary>The format's major version: a reader refuses files of a larger major version.</summary>
    public const int MajorVersion = 1;

    /// <summary>The format's minor version: additions a reader of the same major version can ignore.</summary>
    /// <remarks>1.1 adds the optional <c>input/structures</c> node (structure featurizers and their fitted lengths); 1.0 files,
    /// which lack it, read as before. 1.2 adds the <c>one_hot_encoder</c> step and the optional <c>input/categorical_columns</c>; older
    /// files, which lack both, read as before (a 1.1 reader refuses a file with a one-hot step as <c>model.corrupt</c>, naming the unknown
    /// step: upgrade pure-materials). 1.3 adds learners on crystal graphs (<c>cgcnn</c>): the optional <c>input/crystal_graphs</c>
    /// (true), empty <c>feature_labels</c>, <c>feature_min</c> and <c>feature_max</c>, no steps, and the network's state under
    /// <c>learner/model</c>; older files, which lack them, read as before. 1.4 adds the <c>ordinal_encoder</c> step (scikit-learn
    /// <c>OrdinalEncoder</c>'s <c>categories_</c>, <c>handle_unknown</c>, <c>unknown_value</c>, <c>encoded_missing_value</c>); older files read as
    /// before (a 1.3 reader refuses a file with an ordinal step as <c>model.corrupt</c>, naming the unknown step).</remarks>
    public const int MinorVersion = 4;

    /// <summary>Largest model file read, in bytes (4 GiB).</summary>
    public const long MaxFileBytes = 4L << 30;

    /// <summary>Most ZIP entries read.</summary>
    public const int MaxEntries = 1_000_000;

    /// <summary>Largest manifest read, in bytes (256 MiB).</summary>
    public const int MaxManifestBytes = 256 << 20;

    /// <summary>Deepest nesting of nodes in the manifest.</summary>
    public const int MaxDepth = 32;

    /// <summary>Most array elements in one file, all arrays together (2^30, 8 GiB of float64).</summary>
    public const long MaxArrayElements = 1L << 30;

    private const string ManifestEntry = "manifest.json";

    /// <summary>The version of this library, as written into model files.</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Writes a fitted pipeline as a state tree (the manifest's <c>pipeline</c> before arrays are moved to entries).</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <returns>The state, or <c>model.not_saveable</c> for a learner without a model format.</returns>
    public static Validation<Problem, StateNode> ToState(FittedPipeline pipeline) => pipeline.Learner.Declaration.Map(d =>
    {
        var input = new StateNode();
        if (pipeline.Input.FormulaColumn is { } fc) input.Text("formula_column", fc);
        input.Texts("featurizers", pipeline.Input.Featurizers).Text("element_values", pipeline.Input.ElementValues.ToString())
            .Texts("feature_columns", pipeline.Input.FeatureColumns);
        if (!pipeline.Input.MolecularCations.Cations.IsEmpty) input.Texts("molecular_cations", pipeline.Input.MolecularCations.Definitions);
        if (pipeline.Input.CategoricalColumns.Count > 0) input.Texts("categorical_columns", pipeline.Input.CategoricalColumns);
        if (pipeline.Input.CrystalGraphs) input.Bool("crystal_graphs", true);
        if (pipeline.Input.Structures is { } st)
            input.Node("structures", new StateNode().Texts("featurizers", st.Names).Ints("fitted_lengths", st.Lengths.ToArray())
                .Text("element_values", st.ElementValues.ToString()));
        var training = new StateNode().Int("n_samples", pipeline.Training.Rows).Text("data_sha256", pipeline.Training.DataSha256);
        if (pipeline.Training.Seed is { } seed) training.Int("seed", seed);
        training.Floats("feature_min", pipeline.Training.FeatureMin.ToArray()).Floats("feature_max", pipeline.Training.FeatureMax.ToArray())
            .Texts("elements", pipeline.Training.Elements)
            .Nodes("metrics", pipeline.Training.Metrics.Select(kv => new StateNode().Text("name", kv.Key).Float("value", kv.Value)));
        return new StateNode()
            .Node("input", input)
            .Node("target", Target(pipeline.Target))
            .Texts("feature_labels", pipeline.FeatureLabels)
            .Nodes("steps", pipeline.Steps.Select(s => s.Write()))
            .Node("learner", new StateNode().Text("name", pipeline.Learner.Name).Text("task", TaskName(pipeline.Learner.Task))
                .Nodes("parameters", pipeline.Learner.Parameters.Select(kv => new StateNode().Text("name", kv.Key).Text("value", kv.Value)))
                .Node("model", d.Format.Write(pipeline.Learner.Model)))
            .Node("training", training);
    });

    private static string TaskName(TaskKind task) => task == TaskKind.Classification ? "classification" : "regression";

    private static StateNode Target(PipelineTarget t)
    {
        var node = new StateNode().Text("name", t.Name).Text("unit", t.Unit).Text("task", TaskName(t.Task));
        if (t.ClassCodes is { } codes) node.Ints("classes_", codes.ToArray()).Texts("class_labels", t.ClassLabels!);
        return node;
    }

    private static PipelineTarget ReadTarget(StateReader r)
    {
        var (name, unit, task) = (r.Text("name"), r.Text("unit"), r.Text("task"));
        if (task == "regression") return new PipelineTarget(name, unit);
        if (task != "classification")
        {
            if (r.Ok) r.Fail("task", $"'{task}' is neither regression nor classification");
            return new PipelineTarget(name, unit);
        }
        var codes = r.Ints("classes_");
        var labels = r.Texts("class_labels", codes.Length);
        if (r.Ok && (codes.Length < 2 || Enumerable.Range(1, codes.Length - 1).Any(i => codes[i - 1] >= codes[i])))
            r.Fail("classes_", "must hold at least 2 class codes, strictly ascending");
        return new PipelineTarget(name, unit, codes, labels);
    }

    /// <summary>Reads a fitted pipeline back from its state tree, checking every part.</summary>
    /// <param name="state">The state written by <see cref="ToState"/>.</param>
    /// <returns>The pipeline, or <c>model.corrupt</c> problems naming the entry, <c>param.*</c> problems for bad learner parameters,
    /// <c>param.unknown_model</c> for a learner this library does not have.</returns>
    public static Validation<Problem, FittedPipeline> FromState(StateNode state)
    {
        var r = new StateReader(state, "pipeline");
        var ri = r.Node("input");
        var formula = ri.Has("formula_column") ? ri.Text("formula_column") : null;
        var featurizers = ri.Texts("featurizers");
        var elementValues = ri.Text("element_values") is var ev && Enum.TryParse<MissingElementValue>(ev, out var mev) && Enum.IsDefined(mev) ? mev
            : Fail(ri, "element_values", $"'{ev}' is not a missing-value policy", MissingElementValue.NaN);
        Featurize.Structural.StructureFeaturization? structures = null;
        if (ri.Has("structures"))
        {
            var rs = ri.Node("structures");
            var names = rs.Texts("featurizers");
            var lengths = rs.Ints("fitted_lengths", names.Length, 0, Featurize.Structural.CoulombMatrix.MaxLength);
            var sev = rs.Text("element_values") is var sevText && Enum.TryParse<MissingElementValue>(sevText, out var smev) && Enum.IsDefined(smev) ? smev
                : Fail(rs, "element_values", $"'{sevText}' is not a missing-value policy", MissingElementValue.NaN);
            structures = new Featurize.Structural.StructureFeaturization(names, lengths, sev);
            if (r.Ok && structures.Build() is { IsFail: true } badStructures)
                rs.Fail("featurizers", string.Join("; ", badStructures.Problems().Select(p => p.Message)));
        }
        var cations = MolecularCations.None;
        if (ri.Has("molecular_cations"))
            MolecularCations.Parse(ri.Texts("molecular_cations")).Match(
                Succ: c => cations = c,
                Fail: ps => ri.Fail("molecular_cations", string.Join("; ", ps.Select(p => p.Message))));
        var featureColumns = ri.Texts("feature_columns");
        var categorical = ri.Has("categorical_columns") ? ri.Texts("categorical_columns") : [];
        if (r.Ok && categorical.FirstOrDefault(c => !featureColumns.Contains(c)) is { } strayColumn)
            ri.Fail("categorical_columns", $"names '{strayColumn}', which is not a feature column");
        var crystalGraphs = ri.Has("crystal_graphs") && ri.Bool("crystal_graphs");
        if (r.Ok && crystalGraphs && (structures is not null || featurizers.Length > 0 || featureColumns.Length > 0 || formula is not null))
            ri.Fail("crystal_graphs", "is true, but the input also names featurizers, feature columns or a formula column; a learner on crystal graphs reads structures only");
        var input = new PipelineInput(formula, featurizers, elementValues, featureColumns, structures)
        {
            MolecularCations = cations, CategoricalColumns = categorical, CrystalGraphs = crystalGraphs,
        };
        if (r.Ok && input.BuildFeaturizers() is { IsFail: true } bad)
            ri.Fail("featurizers", string.Join("; ", bad.Problems().Select(p => p.Message)));
        var target = ReadTarget(r.Node("target"));
        var labels = r.Texts("feature_labels");
        if (!r.Ok) return Valid.Fail<FittedPipeline>(r.Problems);
        if (labels.Length == 0 && !crystalGraphs) return Valid.Fail<FittedPipeline>(Corrupt("pipeline/feature_labels", "is empty"));
        if (labels.Length > 0 && crystalGraphs) return Valid.Fail<FittedPipeline>(Corrupt("pipeline/feature_labels", "is not empty, but the learner reads crystal graphs"));

        var steps = new List<FittedStep>();
        var width = labels.Length;
        foreach (var rs in r.Nodes("steps", 64))
        {
            var step = FittedStep.Read(rs, width);
            if (step.IsFail) return Valid.Fail<FittedPipeline>(step.Problems());
            if (crystalGraphs) return Valid.Fail<FittedPipeline>(Corrupt("pipeline/steps", "holds a step, but the learner reads crystal graphs (no feature steps)"));
            if (steps.Count > 0 && step.OrThrow() is FittedStep.OneHot or FittedStep.Ordinal)
                return Valid.Fail<FittedPipeline>(Corrupt($"pipeline/steps/{steps.Count}", $"is a {step.OrThrow().Name} after another step; it must be the first step"));
            steps.Add(step.OrThrow());
            width = steps[^1].Labels(Enumerable.Repeat("", width).ToArray()).Count;
        }

        var rl = r.Node("learner");
        var name = rl.Text("name");
        var learnerTask = rl.Text("task");
        if (r.Ok && learnerTask != TaskName(target.Task))
            rl.Fail("task", $"is '{learnerTask}', but the target is a {TaskName(target.Task)} target");
        var parameters = rl.Nodes("parameters", 256).Select(p => KeyValuePair.Create(p.Text("name"), p.Text("value"))).ToArray();
        var rtr = r.Node("training");
        var rows = rtr.Int("n_samples", 1);
        var sha = rtr.Text("data_sha256");
        long? seed = rtr.Has("seed") ? rtr.Long("seed") : null;
        var min = rtr.Floats("feature_min", labels.Length, finite: false);
        var max = rtr.Floats("feature_max", labels.Length, finite: false);
        var elements = rtr.Texts("elements");
        var metrics = rtr.Nodes("metrics", 1024).Select(m => KeyValuePair.Create(m.Text("name"), m.Float("value", finite: false))).ToArray();
        if (!r.Ok) return Valid.Fail<FittedPipeline>(r.Problems);
        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)) return Valid.Fail<FittedPipeline>(Corrupt("pipeline/training/data_sha256", "is not a SHA-256 hex digest"));
        if (elements.FirstOrDefault(e => !Data.Elements.TryGetAtomicNumber(e, out _)) is { } unknown)
            return Valid.Fail<FittedPipeline>(Corrupt("pipeline/training/elements", $"'{unknown}' is not an element symbol"));
        if (parameters.Select(p => p.Key).Distinct().Count() != parameters.Length)
            return Valid.Fail<FittedPipeline>(Corrupt("pipeline/learner/parameters", "names a parameter twice"));

        if (crystalGraphs != GraphLearners.Contains(name))
            return Valid.Fail<FittedPipeline>(Corrupt("pipeline/input/crystal_graphs", crystalGraphs
                ? $"says the learner reads crystal graphs, but '{name}' is not a graph learner"
                : $"is missing, but the learner '{name}' reads crystal graphs"));
        if (crystalGraphs && target.Task == TaskKind.Classification && target.ClassCodes!.Count != 2)
            return Valid.Fail<FittedPipeline>(Corrupt("pipeline/target/classes_", $"holds {target.ClassCodes.Count} classes; the graph learner '{name}' classifies two"));
        return from d in FittedLearner.Declare(name, target.Task)
               from model in d.Format.Read(parameters.ToDictionary(kv => kv.Key, kv => kv.Value), rl.Node("model"))
               from agrees in !crystalGraphs || (model is Models.Graph.CgcnnModel m && m.IsClassification == (target.Task == TaskKind.Classification))
                   ? Valid.Ok(Unit.Default)
                   : Valid.Fail<Unit>(Corrupt("pipeline/learner/model/task", $"does not match the target's task ({TaskName(target.Task)})"))
               from pipeline in Valid.Ok(new FittedPipeline(input, target, labels, steps, new FittedLearner(name, parameters, model, target.Task),
                   new TrainingRecord(rows, sha, seed, min, max, elements, metrics)))
               from width2 in CheckWidth(pipeline, width)
               select pipeline;
    }

    private static Validation<Problem, Unit> CheckWidth(FittedPipeline pipeline, int width)
    {
        // A learner on crystal graphs takes no feature rows; its reader checked every shape against its parameters.
        if (pipeline.Input.CrystalGraphs) return Valid.Ok(Unit.Default);
        // The learner must take what the last step gives. Each learner's predict refuses a row of another width with an
        // ArgumentException (a programmer error in normal use); for a file it means the parts do not fit together.
        try
        {
            var probe = pipeline.Predict(Matrix.FromRowMajor(1, pipeline.FeatureLabels.Count, new double[pipeline.FeatureLabels.Count]));
            // A data problem of the zero row itself (e.g. a log of 0) says nothing about the file.
            return probe.IsFail && !probe.Problems().All(p => p.Code.StartsWith("data.", StringComparison.Ordinal))
                ? Valid.Fail<Unit>(probe.Problems()) : Valid.Ok(Unit.Default);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException)
        {
            return Valid.Fail<Unit>(Corrupt("pipeline/learner/model", $"does not take the {width} features its steps give ({e.Message})"));
        }
    }

    private static T Fail<T>(StateReader r, string name, string message, T fallback)
    {
        r.Fail(name, message);
        return fallback;
    }

    private static Problem Corrupt(string entry, string message) =>
        new("model.corrupt", $"model file entry '{entry}' {message}; the file is damaged or was not written by pure-materials: fit the model again");

    /// <summary>Saves a fitted pipeline to a model file (written under a temporary name, then renamed, so a crash leaves no half file).</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="path">The file to write (conventionally <c>.pmm</c>); replaced when it exists.</param>
    /// <returns>The header written, or <c>model.not_saveable</c>, or <c>io.write_failed</c> naming the path.</returns>
    public static Validation<Problem, ModelFileHeader> Save(FittedPipeline pipeline, string path) =>
        ToState(pipeline).Bind(state =>
        {
            var header = ModelFileHeader.Now();
            var temp = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            try
            {
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
                    Write(stream, state, header);
                File.Move(temp, path, overwrite: true);
                return Valid.Ok(header);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                return Valid.Fail<ModelFileHeader>("io.write_failed", $"cannot write the model file '{path}': {e.Message}; check the directory exists and is writable");
            }
        });

    /// <summary>Writes a model file to a stream.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="state">The pipeline's state (<see cref="ToState"/>).</param>
    /// <param name="header">Version and time to record.</param>
    public static void Write(Stream stream, StateNode state, ModelFileHeader header)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var arrays = new List<(string Entry, byte[] Bytes)>();
        using var manifest = new MemoryStream();
        using (var json = new Utf8JsonWriter(manifest, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteString("format_version", header.FormatVersion);
            json.WriteString("library_version", header.LibraryVersion);
            json.WriteString("created", header.Created);
            json.WritePropertyName("pipeline");
            WriteNode(json, state, arrays);
            json.WriteEndObject();
        }
        var entry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal);
        using (var s = entry.Open()) manifest.WriteTo(s);
        foreach (var (name, bytes) in arrays)
        {
            using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
            s.Write(bytes);
        }
    }

    private static byte[] Bytes(StateArray a)
    {
        if (a.Floats is { } f)
        {
            var b = new byte[f.Length * 8];
            for (var i = 0; i < f.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(i * 8), f[i]);
            return b;
        }
        var ints = a.Ints!;
        var c = new byte[ints.Length * 4];
        for (var i = 0; i < ints.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(i * 4), ints[i]);
        return c;
    }

    private static void WriteNode(Utf8JsonWriter json, StateNode node, List<(string, byte[])> arrays)
    {
        json.WriteStartObject();
        foreach (var (key, value) in node.Entries)
        {
            json.WritePropertyName(key);
            switch (value)
            {
                case long l:
                    json.WriteStartObject(); json.WriteNumber("int", l); json.WriteEndObject();
                    break;
                case double d:
                    json.WriteStartObject();
                    if (double.IsFinite(d)) json.WriteNumber("float", d);
                    else json.WriteString("float", double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    json.WriteEndObject();
                    break;
                case bool b:
                    json.WriteBooleanValue(b);
                    break;
                case string s:
                    json.WriteStringValue(s);
                    break;
                case StateArray a:
                    var entry = $"arrays/{arrays.Count.ToString(CultureInfo.InvariantCulture)}.{(a.Floats is not null ? "f64" : "i32")}";
                    var bytes = Bytes(a);
                    arrays.Add((entry, bytes));
                    json.WriteStartObject();
                    json.WriteString("array", entry);
                    json.WriteString("dtype", a.DType);
                    json.WriteStartArray("shape");
                    foreach (var n in a.Shape) json.WriteNumberValue(n);
                    json.WriteEndArray();
                    json.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
                    json.WriteEndObject();
                    break;
                case StateNode child:
                    json.WriteStartObject(); json.WritePropertyName("node"); WriteNode(json, child, arrays); json.WriteEndObject();
                    break;
                case StateNode[] children:
                    json.WriteStartObject();
                    json.WriteStartArray("nodes");
                    foreach (var c in children) WriteNode(json, c, arrays);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
            }
        }
        json.WriteEndObject();
    }

    /// <summary>Loads a model file, or a published CGCNN model exported as JSON (detected by its content: a JSON object rather than a
    /// ZIP archive; see <see cref="GraphLearners.FromPublishedJson"/>; its header's format version reads <c>cgcnn-json</c>).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The pipeline and the file's header, or one <c>model.*</c> problem naming the path and what is wrong: <c>model.not_found</c>,
    /// <c>model.not_a_model</c> (not a ZIP, no manifest, another format), <c>model.future_version</c>, <c>model.too_large</c>,
    /// <c>model.corrupt</c> (truncated, checksum mismatch, bad entry), or the learner's parameter problems; for a JSON file,
    /// <c>cgcnn.invalid_model</c> naming the missing or malformed tensor.</returns>
    public static Validation<Problem, (FittedPipeline Pipeline, ModelFileHeader Header)> Load(string path)
    {
        if (!File.Exists(path)) return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.not_found", $"model file '{path}' does not exist; write one with ModelFile.Save");
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
                return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.too_large", $"model file '{path}' has {length} bytes, more than the {MaxFileBytes} this reader accepts");
            // A published CGCNN model exported from its .pth.tar as JSON (formation_energy_model.json) reads as a fitted pipeline too.
            if (GraphLearners.LooksLikeJson(path))
            {
                var text = File.ReadAllText(path);
                if (!GraphLearners.HasTensors(text))
                    return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.not_a_model",
                        $"'{path}' is a JSON file, but neither a pure-materials model file (a ZIP archive written by fit) nor a CGCNN model exported as JSON (an object with 'tensors' and 'normalizer'); give a .pmm file from fit");
                return GraphLearners.FromPublishedJson(text, Path.GetFileName(path))
                    .Map(p => (p, new ModelFileHeader("cgcnn-json", "CGCNN (PyTorch state dict exported as JSON)", File.GetLastWriteTimeUtc(path).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))));
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            return Read(stream).Map(r => (r.Pipeline, r.Header)).MapFail(p => p with { Message = $"{path}: {p.Message}" });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.unreadable", $"cannot read model file '{path}': {e.Message}");
        }
    }

    /// <summary>Reads a model file from a stream (see <see cref="Load"/> for the checks and problems).</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <returns>The pipeline and header, or the problems.</returns>
    public static Validation<Problem, (FittedPipeline Pipeline, ModelFileHeader Header)> Read(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries)
                return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.too_large", $"the archive has {zip.Entries.Count} entries, more than {MaxEntries}");
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var e in zip.Entries)
                if (!entries.TryAdd(e.FullName, e))
                    return Valid.Fail<(FittedPipeline, ModelFileHeader)>(Corrupt(e.FullName, "appears twice in the archive"));
            if (!entries.TryGetValue(ManifestEntry, out var manifestEntry))
                return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.not_a_model", "the archive has no manifest.json: it is not a pure-materials model file");
            var manifestBytes = ReadExactly(manifestEntry, null, MaxManifestBytes);
            if (manifestBytes.IsFail) return Valid.Fail<(FittedPipeline, ModelFileHeader)>(manifestBytes.Problems());
            using var doc = JsonDocument.Parse(manifestBytes.OrThrow(), new JsonDocumentOptions { MaxDepth = 2 * MaxDepth + 8 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != FormatName)
                return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.not_a_model", $"manifest.json does not say format \"{FormatName}\": not a pure-materials model file");
            var version = Str(root, "format_version");
            var parts = version.Split('.');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                return Valid.Fail<(FittedPipeline, ModelFileHeader)>(Corrupt("format_version", $"'{version}' is not major.minor"));
            if (major > MajorVersion)
                return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.future_version",
                    $"the file has format version {version}, newer than the {MajorVersion}.x this pure-materials ({LibraryVersion}) reads; upgrade pure-materials");
            if (major < 1) return Valid.Fail<(FittedPipeline, ModelFileHeader)>(Corrupt("format_version", $"{version} was never written"));
            var header = new ModelFileHeader(version, Str(root, "library_version"), Str(root, "created"));
            if (!root.TryGetProperty("pipeline", out var pipelineJson))
                return Valid.Fail<(FittedPipeline, ModelFileHeader)>(Corrupt("pipeline", "is missing"));
            var budget = new ArrayBudget();
            var state = ReadNode(pipelineJson, "pipeline", entries, 0, budget);
            return state.Bind(FromState).Map(p => (p, header));
        }
        catch (InvalidDataException e)
        {
            return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.not_a_model", $"not a readable ZIP archive ({e.Message}); the file is truncated or is not a pure-materials model file");
        }
        catch (JsonException e)
        {
            return Valid.Fail<(FittedPipeline, ModelFileHeader)>(Corrupt(ManifestEntry, $"is not valid JSON ({e.Message})"));
        }
        catch (IOException e)
        {
            return Valid.Fail<(FittedPipeline, ModelFileHeader)>("model.corrupt", $"the archive cannot be read ({e.Message}); the file is truncated or damaged: fit the model again");
        }
    }

    private static string Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private sealed class ArrayBudget
    {
        public long Elements;
    }

    private static Validation<Problem, StateNode> ReadNode(JsonElement json, string path, Dictionary<string, ZipArchiveEntry> entries, int depth, ArrayBudget budget)
    {
        if (depth > MaxDepth) return Valid.Fail<StateNode>(Corrupt(path, $"is nested deeper than {MaxDepth} levels"));
        if (json.ValueKind != JsonValueKind.Object) return Valid.Fail<StateNode>(Corrupt(path, $"is a JSON {json.ValueKind}, expected an object"));
        var node = new StateNode();
        var names = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            var at = path + "/" + name;
            if (!names.Add(name)) return Valid.Fail<StateNode>(Corrupt(at, "appears twice"));
            var v = property.Value;
            switch (v.ValueKind)
            {
                case JsonValueKind.String: node.Text(name, v.GetString()!); continue;
                case JsonValueKind.True or JsonValueKind.False: node.Bool(name, v.GetBoolean()); continue;
                case JsonValueKind.Object: break;
                default: return Valid.Fail<StateNode>(Corrupt(at, $"is a JSON {v.ValueKind}; expected a string, boolean or typed object"));
            }
            if (v.TryGetProperty("int", out var i))
            {
                if (i.ValueKind != JsonValueKind.Number || !i.TryGetInt64(out var l)) return Valid.Fail<StateNode>(Corrupt(at, "is not a 64-bit integer"));
                node.Int(name, l);
            }
            else if (v.TryGetProperty("float", out var f))
            {
                double d;
                if (f.ValueKind == JsonValueKind.Number && f.TryGetDouble(out d) && double.IsFinite(d)) { }
                else if (f.ValueKind == JsonValueKind.String && f.GetString() is "NaN" or "Infinity" or "-Infinity")
                    d = f.GetString() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, _ => double.NegativeInfinity };
                else return Valid.Fail<StateNode>(Corrupt(at, "is not a float"));
                node.Float(name, d);
            }
            else if (v.TryGetProperty("node", out var child))
            {
                var c = ReadNode(child, at, entries, depth + 1, budget);
                if (c.IsFail) return c;
                node.Node(name, c.OrThrow());
            }
            else if (v.TryGetProperty("nodes", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array) return Valid.Fail<StateNode>(Corrupt(at, "'nodes' is not a JSON array"));
                var children = new List<StateNode>();
                var k = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var c = ReadNode(item, $"{at}/{k++}", entries, depth + 1, budget);
                    if (c.IsFail) return c;
                    children.Add(c.OrThrow());
                }
                node.Nodes(name, children);
            }
            else if (v.TryGetProperty("array", out _))
            {
                var a = ReadArray(v, at, entries, budget);
                if (a.IsFail) return Valid.Fail<StateNode>(a.Problems());
                node.Array(name, a.OrThrow());
            }
            else return Valid.Fail<StateNode>(Corrupt(at, "is an object without int, float, node, nodes or array"));
        }
        return Valid.Ok(node);
    }

    private static Validation<Problem, StateArray> ReadArray(JsonElement v, string at, Dictionary<string, ZipArchiveEntry> entries, ArrayBudget budget)
    {
        var entryName = Str(v, "array");
        var dtype = Str(v, "dtype");
        var sha = Str(v, "sha256");
        if (dtype is not ("float64" or "int32")) return Valid.Fail<StateArray>(Corrupt(at, $"has dtype '{dtype}'; expected float64 or int32"));
        if (!v.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array || shapeJson.GetArrayLength() is not (1 or 2))
            return Valid.Fail<StateArray>(Corrupt(at, "has no shape of one or two dimensions"));
        var shape = new List<int>();
        long count = 1;
        foreach (var d in shapeJson.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var n) || n < 0) return Valid.Fail<StateArray>(Corrupt(at, "has a negative or non-integer dimension"));
            shape.Add(n);
            count *= n;
            if (count > MaxArrayElements) break;
        }
        if (matrixOfInts(dtype, shape.Count)) return Valid.Fail<StateArray>(Corrupt(at, "is a two-dimensional int32 array; only float64 matrices are stored"));
        budget.Elements += count;
        if (count > MaxArrayElements || budget.Elements > MaxArrayElements)
            return Valid.Fail<StateArray>("model.too_large", $"model file entry '{at}' declares {count} elements; the arrays of one file may hold at most {MaxArrayElements}");
        var size = dtype == "float64" ? 8 : 4;
        if (count * size > Array.MaxLength)
            return Valid.Fail<StateArray>("model.too_large", $"model file entry '{at}' declares {count} elements, more than one array can hold");
        if (!entries.TryGetValue(entryName, out var entry)) return Valid.Fail<StateArray>(Corrupt(at, $"names the archive entry '{entryName}', which is missing"));
        var bytes = ReadExactly(entry, count * size, count * size);
        if (bytes.IsFail) return Valid.Fail<StateArray>(bytes.Problems());
        var data = bytes.OrThrow();
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(data)), sha, StringComparison.Ordinal))
            return Valid.Fail<StateArray>(Corrupt(at, $"does not match its SHA-256 checksum (entry '{entryName}')"));
        if (dtype == "float64")
        {
            var f = new double[count];
            for (var i = 0; i < f.Length; i++) f[i] = BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(i * 8));
            return Valid.Ok(new StateArray([.. shape], f, null));
        }
        var ints = new int[count];
        for (var i = 0; i < ints.Length; i++) ints[i] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(i * 4));
        return Valid.Ok(new StateArray([.. shape], null, ints));

        static bool matrixOfInts(string dtype, int dims) => dtype == "int32" && dims == 2;
    }

    /// <summary>Reads an entry's bytes, at most <paramref name="max"/> (and exactly <paramref name="expected"/> when given), whatever the
    /// archive's directory claims, so a compression bomb or a lying size cannot make the reader allocate or inflate more.</summary>
    private static Validation<Problem, byte[]> ReadExactly(ZipArchiveEntry entry, long? expected, long max)
    {
        using var s = entry.Open();
        if (expected is { } e)
        {
            // Exactly the declared size, then one byte more must be the end: a lying directory or a bomb is caught without inflating it.
            // The buffer grows with the bytes that actually arrive (from 16 MiB, doubling), so a forged size allocates nothing it does not hold.
            if (entry.Length != e) return Valid.Fail<byte[]>(Corrupt(entry.FullName, $"holds {entry.Length} bytes; its shape declares {e}"));
            var data = new byte[Math.Min(e, 1L << 24)];
            long read = 0;
            while (read < e)
            {
                if (read == data.Length) Array.Resize(ref data, (int)Math.Min(e, 2L * data.Length));
                var n = s.Read(data, (int)read, (int)(data.Length - read));
                if (n == 0) break;
                read += n;
            }
            if (read < e) return Valid.Fail<byte[]>(Corrupt(entry.FullName, $"holds {read} bytes; its shape declares {e}"));
            if (s.ReadByte() >= 0) return Valid.Fail<byte[]>(Corrupt(entry.FullName, $"holds more than the {e} bytes its shape declares"));
            return Valid.Ok(data);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (buffer.Length <= max && s.Read(chunk, 0, (int)Math.Min(chunk.Length, max + 1 - buffer.Length)) is var k and > 0) buffer.Write(chunk, 0, k);
        return buffer.Length > max
            ? Valid.Fail<byte[]>("model.too_large", $"archive entry '{entry.FullName}' is larger than {max} bytes")
            : Valid.Ok(buffer.ToArray());
    }
}
