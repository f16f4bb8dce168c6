using System.Globalization;
using System.Text.Json;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Models.Graph;

/// <summary>Maps an atomic number to a fixed node feature vector, as CGCNN's <c>atom_init.json</c> (92 values per element).</summary>
/// <remarks>Immutable. Source: CGCNN (Xie &amp; Grossman, Phys. Rev. Lett. 120, 145301 (2018)), <c>cgcnn/data.py</c>
/// <c>AtomCustomJSONInitializer</c>: a JSON object whose keys are atomic numbers ("1", "2", ...) and values equal-length
/// number arrays (the one-hot encodings of group, period, electronegativity, covalent radius, valence electrons, first
/// ionisation energy, electron affinity, block and atomic volume).</remarks>
public sealed class AtomFeatures
{
    private readonly Dictionary<int, double[]> _byNumber;

    private AtomFeatures(Dictionary<int, double[]> byNumber, int length)
    {
        _byNumber = byNumber;
        Length = length;
    }

    private static readonly Lazy<AtomFeatures> Bundled = new(() =>
    {
        using var stream = typeof(AtomFeatures).Assembly.GetManifestResourceStream("graph/atom_init.json")
            ?? throw new InvalidOperationException("the embedded resource graph/atom_init.json is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "atom_init.json").Match(a => a, p => throw new InvalidOperationException(string.Join("; ", p)));
    });

    /// <summary>CGCNN's own <c>atom_init.json</c>, bundled with the library: 92 values for each element Z = 1..100 (MIT, see
    /// <c>Models/Graph/Tables/PROVENANCE.md</c>); the table the original code and the published models use.</summary>
    public static AtomFeatures Cgcnn => Bundled.Value;

    /// <summary>Length of every feature vector (92 for CGCNN's file).</summary>
    public int Length { get; }

    /// <summary>The atomic numbers that have a vector, ascending.</summary>
    public IReadOnlyList<int> AtomicNumbers => _byNumber.Keys.Order().ToArray();

    /// <summary>True when element <paramref name="atomicNumber"/> has a vector.</summary>
    public bool Contains(int atomicNumber) => _byNumber.ContainsKey(atomicNumber);

    /// <summary>The feature vector of element <paramref name="atomicNumber"/> (no copy), shape (<see cref="Length"/>).</summary>
    /// <exception cref="KeyNotFoundException">When the element has no vector (check <see cref="Contains"/>; a programmer error).</exception>
    public ReadOnlySpan<double> Of(int atomicNumber) => _byNumber[atomicNumber];

    /// <summary>Reads an <c>atom_init.json</c> text.</summary>
    /// <param name="json">A JSON object mapping atomic numbers (as strings) to arrays of numbers, all of one length.</param>
    /// <param name="source">Name used in messages (a file name).</param>
    /// <returns>The table, or one problem <c>atom_features.invalid</c> naming the key at fault (not JSON, not an object, a key
    /// that is not an atomic number 1..118, a value that is not a number array, arrays of different lengths, no entries).</returns>
    public static Validation<Problem, AtomFeatures> Parse(string json, string source = "atom_init.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { return Fail($"{source} is not JSON ({e.Message}); give CGCNN's atom_init.json."); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return Fail($"{source} holds a {doc.RootElement.ValueKind}, not an object of atomic number -> feature array; give CGCNN's atom_init.json.");
            var table = new Dictionary<int, double[]>();
            var length = -1;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!int.TryParse(p.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var z) || z < 1 || z > 118)
                    return Fail($"{source}: key '{p.Name}' is not an atomic number 1..118; keys are atomic numbers such as \"26\".");
                if (p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
                    return Fail($"{source}: the value of key '{p.Name}' is not an array of numbers.");
                var v = p.Value.EnumerateArray().Select(x => x.GetDouble()).ToArray();
                if (length >= 0 && v.Length != length)
                    return Fail($"{source}: key '{p.Name}' has {v.Length} values where the keys before it have {length}; every element needs the same length.");
                length = v.Length;
                table[z] = v;
            }
            if (table.Count == 0 || length == 0) return Fail($"{source} has no feature vectors; give CGCNN's atom_init.json.");
            return Valid.Ok(new AtomFeatures(table, length));
        }
    }

    private static Validation<Problem, AtomFeatures> Fail(string message) => Valid.Fail<AtomFeatures>("atom_features.invalid", message);
}

/// <summary>Settings of a crystal graph: neighbour count and radius, and the Gaussian expansion of distances.</summary>
/// <param name="Radius">Neighbour search radius, Angstrom (CGCNN default 8).</param>
/// <param name="MaxNeighbors">Neighbours kept per site, nearest first (CGCNN default 12).</param>
/// <param name="GaussianMin">First Gaussian centre, Angstrom (CGCNN default 0).</param>
/// <param name="GaussianStep">Spacing of the Gaussian centres, Angstrom (CGCNN default 0.2).</param>
/// <param name="GaussianWidth">Width sigma of each Gaussian, Angstrom (CGCNN default: the step, 0.2).</param>
/// <remarks>The centres are <c>GaussianMin + k GaussianStep</c> for <c>k = 0 .. ceil((Radius + GaussianStep - GaussianMin) / GaussianStep) - 1</c>,
/// as numpy's <c>arange(dmin, dmax + step, step)</c> with <c>dmax = Radius</c>: 41 centres 0, 0.2, ..., 8.0 for the defaults.</remarks>
public sealed record CrystalGraphOptions(
    double Radius = 8.0,
    int MaxNeighbors = 12,
    double GaussianMin = 0.0,
    double GaussianStep = 0.2,
    double GaussianWidth = 0.2)
{
    /// <summary>Number of Gaussian centres (edge feature length): 41 for the defaults.</summary>
    public int GaussianCount => (int)Math.Ceiling((Radius + GaussianStep - GaussianMin) / GaussianStep);

    /// <summary>Gaussian centre k, Angstrom: <c>GaussianMin + k GaussianStep</c>.</summary>
    public double Centre(int k) => GaussianMin + k * GaussianStep;
}

/// <summary>One crystal as CGCNN sees it: per site its node features and its <c>M</c> nearest neighbours with their distances
/// and Gaussian-expanded edge features.</summary>
/// <remarks>Shapes, with n sites, M = <see cref="MaxNeighbors"/>, F = node feature length, G = Gaussian count:
/// <see cref="NodeFeatures"/> (n, F) row-major; <see cref="NeighborIndex"/> and <see cref="Distances"/> (n, M), row i the
/// neighbours of site i nearest first; <see cref="EdgeFeatures"/> (n, M, G). Arrays are owned by the graph; do not modify them.</remarks>
public sealed record CrystalGraph(int SiteCount, int MaxNeighbors, int NodeFeatureLength, int EdgeFeatureLength,
    double[] NodeFeatures, int[] NeighborIndex, double[] Distances, double[] EdgeFeatures, int PaddedCount);

/// <summary>Builds CGCNN crystal graphs from structures and batches them into one graph with segment indices.</summary>
public static class CrystalGraphs
{
    /// <summary>Builds the crystal graph of one ordered structure.</summary>
    /// <param name="options">Radius, neighbour count and Gaussian expansion.</param>
    /// <param name="atoms">Node features by atomic number.</param>
    /// <param name="structure">The structure; every site ordered (one species, occupancy 1).</param>
    /// <returns>The graph, or one problem: <c>graph.invalid_options</c> (radius or step not positive and finite, MaxNeighbors &lt; 1,
    /// width not positive), <c>graph.disordered_site</c> (a site with partial or mixed occupancy: CGCNN needs one element per site),
    /// <c>graph.unknown_element</c> (an element without a feature vector), or the neighbour search's <c>neighbors.too_many</c>.</returns>
    /// <remarks>
    /// Site i's neighbours are all periodic images within <see cref="CrystalGraphOptions.Radius"/> (pymatgen's
    /// <c>get_all_neighbors</c>, see <see cref="Pure.Materials.Structures.Neighbors.Within"/>), sorted by distance, and the first
    /// <see cref="CrystalGraphOptions.MaxNeighbors"/> kept. When fewer exist, the list is padded with neighbour index 0 at distance
    /// Radius + 1 (whose Gaussians are then ~0 but not exactly 0: exp(-(9 - 8)^2 / 0.04) = 1.4e-11 for the last centre), exactly as
    /// CGCNN does; <see cref="CrystalGraph.PaddedCount"/> counts those entries.
    /// <para>Edge feature k of a neighbour at distance d: <c>exp(-(d - mu_k)^2 / sigma^2)</c>, mu_k the centres and sigma the width
    /// (CGCNN's <c>GaussianDistance.expand</c>, whose <c>var</c> is used as sigma, squared in the exponent).</para>
    /// <para>Ties at the M-th neighbour: CGCNN sorts pymatgen's list with Python's stable sort by distance, so among equal
    /// distances the order is pymatgen's search order, and distances that are equal by symmetry can differ in the last bits. Here the
    /// order is by distance, then site index, then image (<see cref="NeighborList"/>'s order), exact in floating point, so the same
    /// structure always gives the same graph. The cut can therefore keep a different member of a shell than CGCNN does: on the ten
    /// COD CIFs of the tests, 54 of 65 sites have a tie across the 12th and 13th neighbour (|d_12 - d_13| &lt; 1e-6 Angstrom; only
    /// 9000046 and three BaTiO3 sites have none), yet the published model's predictions agree with PyTorch's within 1.7e-6 eV/atom
    /// (tests/.../Models/Graph/CgcnnParityTests): the tied neighbours there are equivalent sites.</para>
    /// Source: Xie &amp; Grossman, Phys. Rev. Lett. 120, 145301 (2018); the original code, github.com/txie-93/cgcnn,
    /// <c>cgcnn/data.py</c> (<c>CIFData.__getitem__</c>, <c>GaussianDistance</c>).
    /// </remarks>
    public static Validation<Problem, CrystalGraph> Build(CrystalGraphOptions options, AtomFeatures atoms, Structure structure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(atoms);
        ArgumentNullException.ThrowIfNull(structure);
        if (!(options.Radius > 0) || !double.IsFinite(options.Radius) || !(options.GaussianStep > 0) || !double.IsFinite(options.GaussianStep)
            || !(options.GaussianWidth > 0) || !double.IsFinite(options.GaussianWidth) || !double.IsFinite(options.GaussianMin) || options.MaxNeighbors < 1)
            return Valid.Fail<CrystalGraph>("graph.invalid_options", string.Create(CultureInfo.InvariantCulture,
                $"crystal graph options {options} need a positive finite radius, step and width and MaxNeighbors >= 1; CGCNN uses radius 8, 12 neighbours, step 0.2, width 0.2."));
        var n = structure.Count;
        for (var i = 0; i < n; i++)
        {
            var site = structure.Sites[i];
            if (site.OrderedSpecies is not { } sp)
                return Valid.Fail<CrystalGraph>("graph.disordered_site", $"site {i + 1} ({site}) is disordered; a crystal graph needs one element per site: order the structure first.");
            if (!atoms.Contains(sp.AtomicNumber))
                return Valid.Fail<CrystalGraph>("graph.unknown_element", $"site {i + 1} holds {sp.Symbol} (Z = {sp.AtomicNumber}), which has no atom feature vector; use a table that covers it or drop the structure.");
        }
        return Pure.Materials.Structures.Neighbors.Within(structure, options.Radius).Map(list => Assemble(options, atoms, structure, list));
    }

    private static CrystalGraph Assemble(CrystalGraphOptions options, AtomFeatures atoms, Structure structure, NeighborList list)
    {
        int n = structure.Count, m = options.MaxNeighbors, f = atoms.Length, g = options.GaussianCount;
        var nodes = new double[n * f];
        var index = new int[n * m];
        var dist = new double[n * m];
        var padded = 0;
        for (var i = 0; i < n; i++)
        {
            atoms.Of(structure.Sites[i].OrderedSpecies!.AtomicNumber).CopyTo(nodes.AsSpan(i * f, f));
            var nb = list.Of(i);
            for (var k = 0; k < m; k++)
            {
                if (k < nb.Length) { index[i * m + k] = nb[k].Index; dist[i * m + k] = nb[k].Distance; }
                else { index[i * m + k] = 0; dist[i * m + k] = options.Radius + 1.0; padded++; }
            }
        }
        var edges = new double[n * m * g];
        var s2 = options.GaussianWidth * options.GaussianWidth;
        for (var e = 0; e < n * m; e++)
            for (var k = 0; k < g; k++)
            {
                var d = dist[e] - options.Centre(k);
                edges[e * g + k] = Math.Exp(-(d * d) / s2);
            }
        return new CrystalGraph(n, m, f, g, nodes, index, dist, edges, padded);
    }
}

/// <summary>Several crystal graphs joined into one: sites stacked, neighbour indices shifted to the stacked rows, and for each
/// site the crystal it belongs to.</summary>
/// <remarks>Shapes, with N sites in all, C crystals: <see cref="NodeFeatures"/> (N, F); <see cref="NeighborIndex"/> (N M) into
/// 0..N-1; <see cref="EdgeFeatures"/> (N M, G); <see cref="CenterIndex"/> (N M), the site each edge row belongs to;
/// <see cref="CrystalOfSite"/> (N) into 0..C-1. As CGCNN's <c>collate_pool</c>.</remarks>
public sealed record CrystalGraphBatch(int CrystalCount, int SiteCount, int MaxNeighbors, int NodeFeatureLength, int EdgeFeatureLength,
    double[] NodeFeatures, int[] NeighborIndex, int[] CenterIndex, double[] EdgeFeatures, int[] CrystalOfSite)
{
    /// <summary>Joins graphs built with the same options and atom table, in order.</summary>
    /// <param name="graphs">At least one graph; all with the same neighbour count and feature lengths.</param>
    /// <exception cref="ArgumentException">When the list is empty or the graphs differ in shape (a programmer error).</exception>
    public static CrystalGraphBatch Join(IReadOnlyList<CrystalGraph> graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        if (graphs.Count == 0) throw new ArgumentException("no graphs to join", nameof(graphs));
        var first = graphs[0];
        int m = first.MaxNeighbors, f = first.NodeFeatureLength, g = first.EdgeFeatureLength;
        if (graphs.Any(x => x.MaxNeighbors != m || x.NodeFeatureLength != f || x.EdgeFeatureLength != g))
            throw new ArgumentException("graphs differ in neighbour count or feature lengths", nameof(graphs));
        var total = graphs.Sum(x => x.SiteCount);
        var nodes = new double[total * f];
        var nbr = new int[total * m];
        var centre = new int[total * m];
        var edges = new double[total * m * g];
        var crystal = new int[total];
        var offset = 0;
        for (var c = 0; c < graphs.Count; c++)
        {
            var x = graphs[c];
            x.NodeFeatures.CopyTo(nodes, offset * f);
            x.EdgeFeatures.CopyTo(edges, offset * m * g);
            for (var i = 0; i < x.SiteCount; i++)
            {
                crystal[offset + i] = c;
                for (var k = 0; k < m; k++)
                {
                    nbr[(offset + i) * m + k] = offset + x.NeighborIndex[i * m + k];
                    centre[(offset + i) * m + k] = offset + i;
                }
            }
            offset += x.SiteCount;
        }
        return new CrystalGraphBatch(graphs.Count, total, m, f, g, nodes, nbr, centre, edges, crystal);
    }
}
