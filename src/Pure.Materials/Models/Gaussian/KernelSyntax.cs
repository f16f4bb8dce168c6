using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Gaussian;

/// <summary>Parses kernel expressions such as <c>constant*ard+white(1e-2)</c> for the command line and learner settings.</summary>
/// <remarks>
/// Grammar: <c>sum := product ('+' product)*</c>, <c>product := power ('*' power)*</c>, <c>power := atom ('**' number)?</c>,
/// <c>atom := number | name ('(' args ')')? | '(' sum ')'</c>, <c>args := (number | key '=' value) (',' ...)*</c>.
/// Names (case-insensitive): <c>constant</c>/<c>c</c> (value), <c>rbf</c> (isotropic length scale), <c>ard</c> (RBF with one
/// length scale per feature, all starting at the value), <c>matern</c> and <c>matern_ard</c> (length scale, <c>nu=</c>0.5|1.5|2.5,
/// default 1.5), <c>rq</c> (length scale, <c>alpha=</c>), <c>expsine</c> (length scale, <c>periodicity=</c>), <c>white</c>
/// (noise level), <c>dot</c> (sigma_0). Limits: 1,000 characters, 64 kernels, parentheses 32 deep. Every kernel also takes <c>bounds=fixed</c> or <c>lower=</c>/<c>upper=</c> applied to all of its
/// hyper-parameters (default 1e-5 and 1e5). A bare number is a constant kernel. Defaults: every value 1, white 1.
/// </remarks>
public static class KernelSyntax
{
    /// <summary>Parses a kernel expression.</summary>
    /// <param name="text">The expression, e.g. <c>constant*ard+white</c> or <c>1.0*matern(0.5, nu=2.5)+white(1e-3, lower=1e-8)</c>.</param>
    /// <param name="nFeatures">Number of features (length of ARD length scales), &gt;= 1.</param>
    /// <returns>The kernel, or <c>param.invalid_kernel</c> naming the position and what was expected, or the limit exceeded.</returns>
    public static Validation<Problem, Kernel> Parse(string text, int nFeatures)
    {
        if (text.Length > MaxLength)
            return Valid.Fail<Kernel>("param.invalid_kernel",
                $"kernel expression of {text.Length} characters is longer than the {MaxLength} allowed; write a shorter one (e.g. constant*ard+white)");
        var p = new Parser(text, nFeatures);
        try
        {
            var k = p.Sum();
            p.SkipSpace();
            if (p.Pos < text.Length) throw p.Error("an operator (+, *, **) or the end");
            return Valid.Ok(k);
        }
        catch (FormatException e)
        {
            return Valid.Fail<Kernel>("param.invalid_kernel", e.Message);
        }
    }

    /// <summary>Longest expression accepted, in characters.</summary>
    public const int MaxLength = 1000;

    /// <summary>Deepest nesting of parentheses accepted (the parser recurses once per level).</summary>
    public const int MaxDepth = 32;

    /// <summary>Most kernels (names or numbers) in one expression: each adds hyper-parameters to optimise.</summary>
    public const int MaxTerms = 64;

    private sealed class Parser(string text, int nFeatures)
    {
        public int Pos;
        private int _depth;
        private int _terms;

        public FormatException Error(string expected) =>
            new($"kernel '{text}': expected {expected} at position {Pos + 1}, found '{(Pos < text.Length ? text[Pos..Math.Min(text.Length, Pos + 8)] : "end")}'; " +
                "example: constant*ard+white (names: constant, rbf, ard, matern, matern_ard, rq, expsine, white, dot)");

        private string Short() => text.Length <= 40 ? text : text[..37] + "...";

        public void SkipSpace() { while (Pos < text.Length && char.IsWhiteSpace(text[Pos])) Pos++; }

        private bool Accept(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, Pos, token, 0, token.Length) != 0) return false;
            if (token == "*" && Pos + 1 < text.Length && text[Pos + 1] == '*') return false;
            Pos += token.Length;
            return true;
        }

        public Kernel Sum()
        {
            var k = Product();
            while (Accept("+")) k = k + Product();
            return k;
        }

        private Kernel Product()
        {
            var k = Power();
            while (Accept("*")) k = k * Power();
            return k;
        }

        private Kernel Power()
        {
            var k = Atom();
            if (Accept("**")) k = k.Pow(Number());
            return k;
        }

        private double Number()
        {
            SkipSpace();
            var start = Pos;
            while (Pos < text.Length && (char.IsDigit(text[Pos]) || text[Pos] is '.' or 'e' or 'E' or '-' or '+')
                   && !(text[Pos] is '+' or '-' && Pos > start && text[Pos - 1] is not ('e' or 'E'))) Pos++;
            if (!double.TryParse(text.AsSpan(start, Pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                Pos = start;
                throw Error("a number");
            }
            return v;
        }

        private Kernel Atom()
        {
            SkipSpace();
            if (++_terms > MaxTerms)
                throw new FormatException($"kernel '{Short()}' has more than {MaxTerms} kernels; a composite kernel needs a few (e.g. constant*ard+white)");
            if (Accept("("))
            {
                if (++_depth > MaxDepth)
                    throw new FormatException($"kernel '{Short()}' nests parentheses more than {MaxDepth} deep (at position {Pos}); remove the extra parentheses");
                var k = Sum();
                if (!Accept(")")) throw Error("')'");
                _depth--;
                return k;
            }
            if (Pos < text.Length && (char.IsDigit(text[Pos]) || text[Pos] == '.')) return new ConstantKernel { ConstantValue = Number() };
            var start = Pos;
            while (Pos < text.Length && (char.IsLetterOrDigit(text[Pos]) || text[Pos] == '_')) Pos++;
            var name = text[start..Pos].ToLowerInvariant();
            if (name.Length == 0) throw Error("a kernel name or a number");
            var positional = new List<double>();
            var named = new Dictionary<string, string>();
            if (Accept("("))
            {
                if (!Accept(")"))
                {
                    do
                    {
                        SkipSpace();
                        var s = Pos;
                        while (Pos < text.Length && (char.IsLetter(text[Pos]) || text[Pos] == '_')) Pos++;
                        if (Pos > s && Accept("="))
                        {
                            var key = text[s..Pos].TrimEnd('=').Trim().ToLowerInvariant();
                            SkipSpace();
                            var vs = Pos;
                            while (Pos < text.Length && text[Pos] is not (',' or ')')) Pos++;
                            named[key] = text[vs..Pos].Trim();
                        }
                        else { Pos = s; positional.Add(Number()); }
                    } while (Accept(","));
                    if (!Accept(")")) throw Error("',' or ')'");
                }
            }
            double V(int i, string key, double fallback)
            {
                if (named.TryGetValue(key, out var t))
                    return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw Error($"{key}= a positive number");
                return i < positional.Count ? positional[i] : fallback;
            }
            var bounds = Bounds.Default;
            if (named.TryGetValue("bounds", out var b))
                bounds = b == "fixed" ? Bounds.Fixed : throw Error("bounds=fixed");
            if (named.ContainsKey("lower") || named.ContainsKey("upper"))
                bounds = new Bounds(V(99, "lower", 1e-5), V(99, "upper", 1e5));
            foreach (var key in named.Keys.Where(k => k is not ("bounds" or "lower" or "upper" or "nu" or "alpha" or "periodicity" or "length_scale" or "value" or "noise_level" or "sigma_0")))
                throw Error($"a known argument instead of '{key}'");
            double Ls(double fallback) => V(0, "length_scale", fallback);
            return name switch
            {
                "constant" or "c" => new ConstantKernel { ConstantValue = V(0, "value", 1.0), ConstantValueBounds = bounds },
                "rbf" => new RbfKernel { LengthScale = [Ls(1.0)], LengthScaleBounds = bounds },
                "ard" => new RbfKernel { LengthScale = Enumerable.Repeat(Ls(1.0), nFeatures).ToArray(), LengthScaleBounds = bounds },
                "matern" or "matern_ard" => new MaternKernel
                {
                    LengthScale = Enumerable.Repeat(Ls(1.0), name == "matern" ? 1 : nFeatures).ToArray(),
                    LengthScaleBounds = bounds,
                    Nu = V(99, "nu", 1.5) is var nu && nu is 0.5 or 1.5 or 2.5 ? nu : throw Error("nu=0.5, 1.5 or 2.5"),
                },
                "rq" => new RationalQuadraticKernel { LengthScale = Ls(1.0), Alpha = V(99, "alpha", 1.0), LengthScaleBounds = bounds, AlphaBounds = bounds },
                "expsine" => new ExpSineSquaredKernel { LengthScale = Ls(1.0), Periodicity = V(99, "periodicity", 1.0), LengthScaleBounds = bounds, PeriodicityBounds = bounds },
                "white" => new WhiteKernel { NoiseLevel = V(0, "noise_level", 1.0), NoiseLevelBounds = bounds },
                "dot" => new DotProductKernel { Sigma0 = V(0, "sigma_0", 1.0), Sigma0Bounds = bounds },
                _ => throw Error("a kernel name (constant, rbf, ard, matern, matern_ard, rq, expsine, white, dot)"),
            };
        }
    }
}
