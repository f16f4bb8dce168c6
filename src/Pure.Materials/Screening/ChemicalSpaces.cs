using System.Globalization;
using System.Numerics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Screening;

/// <summary>One role of a stoichiometry template: a name, its amount in the formula unit, and the elements that may fill it.</summary>
/// <param name="Name">Role name as written in the template, e.g. <c>A</c>, <c>B</c>, <c>X</c>.</param>
/// <param name="Amount">Atoms of the role per formula unit, 1..<see cref="ChargeNeutrality.MaxAmount"/> (<c>A2BX4</c>: A 2, B 1, X 4).</param>
/// <param name="AtomicNumbers">The elements that may fill the role, in the order given (the enumeration order).</param>
public sealed record TemplateRole(string Name, int Amount, Vec<int> AtomicNumbers);

/// <summary>Compositions from a stoichiometry template with one element per role, e.g. <c>A2BX4</c> with A in {Li, Na, K},
/// B in {Mg, Zn}, X in {O, S}; built by <see cref="Candidates.FromTemplate"/>.</summary>
/// <remarks>
/// Order: every assignment of one element to each role, roles in template order, the last role changing fastest, elements
/// in the order given (<c>Li2MgO4, Li2MgS4, Li2ZnO4, ...</c>). Each composition lists its elements in role order with the
/// template's amounts. Roles have disjoint element sets, so every assignment is a different composition (no duplicates).
/// Count: the product of the role sizes; with a charge filter, an exact dynamic programme over roles whose states are the sets of
/// reachable charge sums (see <see cref="ChargeNeutrality"/>), computed without enumerating.
/// </remarks>
public sealed record TemplateSpace : CandidateSpace
{
    internal TemplateSpace(string template, Vec<TemplateRole> roles, ChargeNeutrality? filter, long count)
    {
        Template = template;
        Roles = roles;
        Filter = filter;
        Count = count;
    }

    /// <summary>The template as given, e.g. <c>A2BX4</c>.</summary>
    public string Template { get; }

    /// <summary>The roles in template order.</summary>
    public Vec<TemplateRole> Roles { get; }

    /// <summary>The charge-neutrality filter, or null for none.</summary>
    public ChargeNeutrality? Filter { get; }

    /// <inheritdoc/>
    public override long Count { get; }

    /// <inheritdoc/>
    public override string Describe() =>
        $"template {Template} ({string.Join("; ", Roles.Select(r => $"{r.Name}: {string.Join(" ", r.AtomicNumbers.Select(Elements.Symbol))}"))}){FilterText(Filter)}, {CountText(Count)}";

    /// <inheritdoc/>
    public override IEnumerable<Candidate> Enumerate()
    {
        var roles = Roles.ToArray();
        var k = roles.Length;
        var sets = Filter is null ? null : roles.Select(r => r.AtomicNumbers.Select(z => Filter.Reachable(z, r.Amount)).ToArray()).ToArray();
        var choice = new int[k];
        var prefix = new SumSet[k + 1];
        prefix[0] = SumSet.Zero;
        var from = 0;
        double total = roles.Sum(r => (double)r.Amount);
        long index = 0;
        if (roles.Any(r => r.AtomicNumbers.Count == 0)) yield break;
        while (true)
        {
            var keep = true;
            if (sets is not null)
            {
                for (var i = from; i < k; i++) prefix[i + 1] = prefix[i].Add(sets[i][choice[i]]);
                keep = prefix[k].Contains(0);
            }
            if (keep)
            {
                var z = new int[k];
                var a = new double[k];
                for (var i = 0; i < k; i++)
                {
                    z[i] = roles[i].AtomicNumbers[choice[i]];
                    a[i] = roles[i].Amount;
                }
                yield return new Candidate(index++, null, new Composition(z, a, total), Vec<double>.Empty);
            }
            var p = k - 1;
            while (p >= 0 && ++choice[p] == roles[p].AtomicNumbers.Count) choice[p--] = 0;
            if (p < 0) yield break;
            from = p;
        }
    }

    /// <summary>Parses the template, checks the roles and counts the space.</summary>
    internal static Validation<Problem, CandidateSpace> Create(string template, IReadOnlyDictionary<string, IReadOnlyList<string>> roles, ChargeNeutrality? filter)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var parsed = ParseTemplate(template);
        if (parsed.IsFail) return Valid.Fail<CandidateSpace>(parsed.Problems());
        var terms = parsed.OrThrow();
        var problems = new List<Problem>();
        foreach (var name in roles.Keys.Where(r => terms.All(t => t.Role != r)).Order(StringComparer.Ordinal))
            problems.Add(new Problem("param.unused_role", $"role '{name}' is given elements but does not appear in the template '{template}'; add it to the template or drop it"));
        var built = new List<TemplateRole>();
        var owner = new Dictionary<int, string>();
        foreach (var (role, amount) in terms)
        {
            if (!roles.TryGetValue(role, out var symbols))
            {
                problems.Add(new Problem("template.unknown_role", $"the template '{template}' uses role '{role}', but no elements are given for it; give its elements (e.g. {role}: Li Na K)"));
                continue;
            }
            if (symbols.Count == 0)
                problems.Add(new Problem("param.empty", $"role '{role}' has no elements; give at least one"));
            var zs = new List<int>();
            foreach (var symbol in symbols)
            {
                if (!Elements.TryGetAtomicNumber(symbol, out var z))
                {
                    problems.Add(UnknownElement(symbol, $"role '{role}'"));
                    continue;
                }
                if (zs.Contains(z))
                    problems.Add(new Problem("param.duplicate_element", $"role '{role}' lists {symbol} twice; list each element once"));
                else if (owner.TryGetValue(z, out var other))
                    problems.Add(new Problem("param.overlapping_roles",
                        $"{symbol} is in roles '{other}' and '{role}'; role element sets must be disjoint so that every composition appears once (build two spaces instead)"));
                else
                {
                    zs.Add(z);
                    owner[z] = role;
                }
            }
            built.Add(new TemplateRole(role, amount, Vec.Of<int>([.. zs])));
        }
        if (problems.Count > 0) return Valid.Fail<CandidateSpace>(problems);

        BigInteger count;
        if (filter is null)
            count = built.Aggregate(BigInteger.One, (c, r) => c * r.AtomicNumbers.Count);
        else
        {
            var states = new Dictionary<SumSet, BigInteger> { [SumSet.Zero] = BigInteger.One };
            foreach (var r in built)
            {
                var next = new Dictionary<SumSet, BigInteger>();
                var reach = r.AtomicNumbers.Select(z => filter.Reachable(z, r.Amount)).ToArray();
                foreach (var (set, n) in states)
                    foreach (var e in reach)
                    {
                        var s = set.Add(e);
                        if (!s.IsEmpty) next[s] = next.GetValueOrDefault(s) + n;
                    }
                states = next;
            }
            count = states.Where(kv => kv.Key.Contains(0)).Aggregate(BigInteger.Zero, (c, kv) => c + kv.Value);
        }
        if (count > long.MaxValue) return Valid.Fail<CandidateSpace>(TooLarge(count));
        return Valid.Ok<CandidateSpace>(new TemplateSpace(template, Vec.Of<TemplateRole>([.. built]), filter, (long)count));
    }

    /// <summary>Parses <c>role [amount]</c> terms: a role is an uppercase ASCII letter then lowercase letters, an amount a whole number.</summary>
    internal static Validation<Problem, (string Role, int Amount)[]> ParseTemplate(string template)
    {
        if (string.IsNullOrWhiteSpace(template))
            return Valid.Fail<(string, int)[]>("template.empty", "the stoichiometry template is empty; write roles with amounts, e.g. A2BX4");
        var terms = new List<(string, int)>();
        var i = 0;
        var t = template.Trim();
        while (i < t.Length)
        {
            if (!char.IsAsciiLetterUpper(t[i]))
                return Valid.Fail<(string, int)[]>("template.unexpected_character",
                    $"the template '{t}' has '{t[i]}' at position {i + 1} where a role name (an uppercase letter, then lowercase letters) must start; write it like A2BX4");
            var start = i++;
            while (i < t.Length && char.IsAsciiLetterLower(t[i])) i++;
            var role = t[start..i];
            var digits = i;
            while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
            var amount = 1;
            if (i > digits && (!int.TryParse(t.AsSpan(digits, i - digits), NumberStyles.None, CultureInfo.InvariantCulture, out amount) || amount < 1 || amount > ChargeNeutrality.MaxAmount))
                return Valid.Fail<(string, int)[]>("template.invalid_amount",
                    $"role '{role}' in the template '{t}' has amount '{t[digits..i]}'; amounts are whole numbers from 1 to {ChargeNeutrality.MaxAmount}");
            if (terms.Any(x => x.Item1 == role))
                return Valid.Fail<(string, int)[]>("template.repeated_role", $"role '{role}' appears twice in the template '{t}'; write each role once with its total amount");
            terms.Add((role, amount));
        }
        return Valid.Ok(terms.ToArray());
    }

    internal static Problem UnknownElement(string symbol, string where)
    {
        var near = CsvTable.Closest(symbol, Enumerable.Range(1, Elements.Count).Select(Elements.Symbol));
        return new Problem("param.unknown_element", $"{where} lists '{symbol}', which is not an element symbol{(near is null ? "" : $" (did you mean '{near}'?)")}; symbols are case-sensitive, e.g. Fe, O");
    }

    internal static Problem TooLarge(BigInteger count) =>
        new("space.too_large", $"the space has {count} candidates, more than {long.MaxValue} (2^63 - 1); use fewer elements or smaller amounts, or split it into several spaces");
}

/// <summary>Every composition of exactly <c>Arity</c> distinct elements from a list, with whole amounts from 1 to <c>MaxAmount</c>,
/// each composition once; built by <see cref="Candidates.Nary"/>.</summary>
/// <remarks>
/// Rule (reduced, each composition once): element subsets are combinations (elements in the order given, indices
/// increasing), so permutations of one set are not repeated; amount tuples with a common divisor above 1 are skipped, so
/// <c>Fe2O2</c> is not listed beside <c>FeO</c> (a multiple of a smaller formula unit). Every listed composition is the
/// reduced formula of itself, and two listed compositions never have the same reduced formula.
/// Order: subsets in lexicographic order of their indices; within a subset, amount tuples in lexicographic order (the last
/// element's amount changing fastest).
/// Count (exact, before enumeration): C(m, n) * sum_{d=1}^{N} mu(d) floor(N/d)^n, m elements, n = arity, N = max amount, mu the
/// Moebius function (the number of n-tuples in 1..N with gcd 1). With a charge filter: sum_d mu(d) * (number of charge-neutral
/// (subset, amounts all multiples of d) pairs), each term counted by a dynamic programme over the elements whose states are
/// (elements chosen, set of reachable charge sums), without enumerating.
/// </remarks>
public sealed record NarySpace : CandidateSpace
{
    internal NarySpace(Vec<int> elements, int arity, int maxAmount, ChargeNeutrality? filter, long count)
    {
        AtomicNumbers = elements;
        Arity = arity;
        MaxAmount = maxAmount;
        Filter = filter;
        Count = count;
    }

    /// <summary>The elements to combine, in the order given.</summary>
    public Vec<int> AtomicNumbers { get; }

    /// <summary>Number of distinct elements in each composition (2 = binaries, 3 = ternaries, ...).</summary>
    public int Arity { get; }

    /// <summary>Largest whole amount of one element.</summary>
    public int MaxAmount { get; }

    /// <summary>The charge-neutrality filter, or null for none.</summary>
    public ChargeNeutrality? Filter { get; }

    /// <inheritdoc/>
    public override long Count { get; }

    /// <inheritdoc/>
    public override string Describe() =>
        $"{Arity}-element compositions of {string.Join(" ", AtomicNumbers.Select(Elements.Symbol))} with amounts 1..{MaxAmount} (reduced, each once){FilterText(Filter)}, {CountText(Count)}";

    /// <inheritdoc/>
    public override IEnumerable<Candidate> Enumerate()
    {
        var m = AtomicNumbers.Count;
        var n = Arity;
        var top = MaxAmount;
        var els = AtomicNumbers.ToArray();
        SumSet[][]? reach = null;
        if (Filter is not null)
        {
            reach = new SumSet[m][];
            for (var e = 0; e < m; e++)
            {
                reach[e] = new SumSet[top + 1];
                for (var a = 1; a <= top; a++) reach[e][a] = Filter.Reachable(els[e], a);
            }
        }
        var subset = new int[n];
        for (var i = 0; i < n; i++) subset[i] = i;
        var amounts = new int[n];
        var prefix = new SumSet[n + 1];
        prefix[0] = SumSet.Zero;
        long index = 0;
        while (true)
        {
            amounts.AsSpan().Fill(1);
            var from = 0;
            while (true)
            {
                var keep = Gcd(amounts) == 1;
                if (keep && reach is not null)
                {
                    for (var i = from; i < n; i++) prefix[i + 1] = prefix[i].Add(reach[subset[i]][amounts[i]]);
                    from = n;
                    keep = prefix[n].Contains(0);
                }
                if (keep)
                {
                    var z = new int[n];
                    var a = new double[n];
                    var total = 0;
                    for (var i = 0; i < n; i++)
                    {
                        z[i] = els[subset[i]];
                        a[i] = amounts[i];
                        total += amounts[i];
                    }
                    yield return new Candidate(index++, null, new Composition(z, a, total), Vec<double>.Empty);
                }
                var p = n - 1;
                while (p >= 0 && amounts[p] == top) amounts[p--] = 1;
                if (p < 0) break;
                amounts[p]++;
                from = Math.Min(from, p);
            }
            var q = n - 1;
            while (q >= 0 && subset[q] == m - n + q) q--;
            if (q < 0) yield break;
            subset[q]++;
            for (var i = q + 1; i < n; i++) subset[i] = subset[i - 1] + 1;
        }
    }

    private static int Gcd(int[] a)
    {
        var g = a[0];
        for (var i = 1; i < a.Length && g != 1; i++)
        {
            var b = a[i];
            while (b != 0) (g, b) = (b, g % b);
        }
        return g;
    }

    /// <summary>Checks the parameters and counts the space.</summary>
    internal static Validation<Problem, CandidateSpace> Create(IReadOnlyList<string> elements, int arity, int maxAmount, ChargeNeutrality? filter)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var problems = new List<Problem>();
        var zs = new List<int>();
        foreach (var symbol in elements)
        {
            if (!Elements.TryGetAtomicNumber(symbol, out var z)) problems.Add(TemplateSpace.UnknownElement(symbol, "the element list"));
            else if (zs.Contains(z)) problems.Add(new Problem("param.duplicate_element", $"the element list has {symbol} twice; list each element once"));
            else zs.Add(z);
        }
        if (elements.Count == 0) problems.Add(new Problem("param.empty", "the element list is empty; give at least as many elements as the arity"));
        if (arity < 1 || (problems.Count == 0 && arity > zs.Count))
            problems.Add(new Problem("param.out_of_range", $"arity {arity} is not allowed with {zs.Count} elements; use 1 to {Math.Max(1, zs.Count)} (3 for ternaries)"));
        if (maxAmount < 1 || maxAmount > ChargeNeutrality.MaxAmount)
            problems.Add(new Problem("param.out_of_range", $"maximum amount {maxAmount} is not allowed; use 1 to {ChargeNeutrality.MaxAmount}"));
        if (problems.Count > 0) return Valid.Fail<CandidateSpace>(problems);

        var mu = Mobius(maxAmount);
        BigInteger count = 0;
        if (filter is null)
        {
            BigInteger tuples = 0;
            for (var d = 1; d <= maxAmount; d++)
                if (mu[d] != 0) tuples += mu[d] * BigInteger.Pow(maxAmount / d, arity);
            count = Combinatorics.Binomial(zs.Count, arity) * tuples;
        }
        else
        {
            for (var d = 1; d <= maxAmount; d++)
                if (mu[d] != 0) count += mu[d] * NeutralCount(zs, arity, d, maxAmount / d, filter);
        }
        if (count > long.MaxValue) return Valid.Fail<CandidateSpace>(TemplateSpace.TooLarge(count));
        return Valid.Ok<CandidateSpace>(new NarySpace(Vec.Of<int>([.. zs]), arity, maxAmount, filter, (long)count));
    }

    /// <summary>Number of (arity-subset, amounts in {d, 2d, ..., steps*d}) pairs that are charge-neutral.</summary>
    private static BigInteger NeutralCount(List<int> zs, int arity, int d, int steps, ChargeNeutrality filter)
    {
        var m = zs.Count;
        var states = new Dictionary<(int, SumSet), BigInteger> { [(0, SumSet.Zero)] = BigInteger.One };
        for (var e = 0; e < m; e++)
        {
            var reach = new SumSet[steps];
            for (var t = 1; t <= steps; t++) reach[t - 1] = filter.Reachable(zs[e], d * t);
            var next = new Dictionary<(int, SumSet), BigInteger>();
            var left = m - e - 1;
            foreach (var ((chosen, set), n) in states)
            {
                if (chosen + left >= arity) next[(chosen, set)] = next.GetValueOrDefault((chosen, set)) + n;
                if (chosen == arity) continue;
                foreach (var r in reach)
                {
                    var s = set.Add(r);
                    if (!s.IsEmpty) next[(chosen + 1, s)] = next.GetValueOrDefault((chosen + 1, s)) + n;
                }
            }
            states = next;
        }
        return states.Where(kv => kv.Key.Item1 == arity && kv.Key.Item2.Contains(0)).Aggregate(BigInteger.Zero, (c, kv) => c + kv.Value);
    }

    /// <summary>The Moebius function mu(0..n) by a sieve.</summary>
    private static int[] Mobius(int n)
    {
        var mu = new int[n + 1];
        var composite = new bool[n + 1];
        var primes = new List<int>();
        if (n >= 1) mu[1] = 1;
        for (var i = 2; i <= n; i++)
        {
            if (!composite[i])
            {
                primes.Add(i);
                mu[i] = -1;
            }
            foreach (var p in primes)
            {
                if (i * p > n) break;
                composite[i * p] = true;
                if (i % p == 0)
                {
                    mu[i * p] = 0;
                    break;
                }
                mu[i * p] = -mu[i];
            }
        }
        return mu;
    }
}

/// <summary>Exact counting helpers.</summary>
internal static class Combinatorics
{
    /// <summary>C(n, k), exact; 0 when k is outside 0..n.</summary>
    public static BigInteger Binomial(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        k = Math.Min(k, n - k);
        BigInteger c = 1;
        for (var i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }
}
