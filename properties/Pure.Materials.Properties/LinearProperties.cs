using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.KernelMethods;
using Pure.Materials.Models.Linear;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>Losses have the gradients they claim, solutions are optimal, the lasso zeroes out, kernels are PSD, metrics stay in range.</summary>
public class LinearProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(200);

    /// <summary>Central differences of f at theta, step h.</summary>
    private static double[] FiniteDifference(Func<double[], double> f, double[] theta, double h = 1e-6)
    {
        var g = new double[theta.Length];
        for (var j = 0; j < theta.Length; j++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            g[j] = (f(plus) - f(minus)) / (2 * h);
        }
        return g;
    }

    private static bool Near(IReadOnlyList<double> a, IReadOnlyList<double> b, double tol, double scale) =>
        a.Count == b.Count && Enumerable.Range(0, a.Count).All(j => Math.Abs(a[j] - b[j]) <= tol * (scale + Math.Abs(b[j])));

    private static Gen<(Matrix X, double[] Y, double[] W, double B, double Alpha)> LinearCase { get; } =
        from x in Generators.Design
        from y in Generators.SmallVector(x.Rows)
        from w in Generators.SmallVector(x.Cols)
        from b in Gen.Choose(-3000, 3000)
        from alpha in Gen.Elements(0.0, 0.1, 1.0, 10.0)
        select (x, y, w, b / 1000.0, alpha);

    [Fact]
    public void MseAndRidgeLossGradient_EqualsCentralDifferences()
    {
        Check.One(Runs, Prop.ForAll(LinearCase.ToArbitrary(), c =>
        {
            var (dw, db) = GradientDescent.Gradient(c.X, c.Y, c.W, c.B, c.Alpha);
            var fd = FiniteDifference(t => GradientDescent.Loss(c.X, c.Y, t.AsSpan(0, c.W.Length), t[^1], c.Alpha), [.. c.W, c.B]);
            return Near([.. dw, db], fd, 1e-6, 1.0);
        }));
    }

    [Fact]
    public void RidgeObjective_AtTheSolution_IsAtMostAtRandomPerturbations()
    {
        var gen = from c in LinearCase
                  from dw in Generators.SmallVector(c.X.Cols)
                  from db in Gen.Choose(-1000, 1000)
                  select (c, dw, db / 1000.0);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (c, dw, db) = t;
            var alpha = Math.Max(c.Alpha, 1e-3);
            var m = Ridge.Fit(new RidgeOptions { Alpha = alpha }, c.X, c.Y);
            if (m.IsFail) return true; // a singular design is a Problem, covered by unit tests
            var model = m.OrThrow();
            double Objective(IReadOnlyList<double> w, double b) =>
                2 * c.X.Rows * GradientDescent.Loss(c.X, c.Y, w.ToArray(), b, 0) + alpha * w.Sum(v => v * v);
            var best = Objective(model.Coef, model.Intercept);
            var other = Objective(model.Coef.Select((v, j) => v + dw[j]).ToArray(), model.Intercept + db);
            return best <= other + 1e-9 * (1 + Math.Abs(other));
        }));
    }

    [Fact]
    public void Lasso_WithAlphaAtLeastAlphaMax_GivesAllZeroCoefficients()
    {
        Check.One(Runs, Prop.ForAll(LinearCase.ToArbitrary(), c =>
        {
            // alpha_max = max_j |x_cj . y_c| / n: the smallest alpha whose solution is w = 0 (scikit-learn's _alpha_grid).
            var n = c.X.Rows;
            var yMean = c.Y.Average();
            var alphaMax = Enumerable.Range(0, c.X.Cols).Max(j =>
            {
                var col = c.X.Column(j);
                var mean = col.Average();
                return Math.Abs(Enumerable.Range(0, n).Sum(i => (col[i] - mean) * (c.Y[i] - yMean))) / n;
            });
            var m = Lasso.Fit(new LassoOptions { Alpha = alphaMax * 1.0001 + 1e-12 }, c.X, c.Y).OrThrow();
            return m.Coef.All(v => v == 0.0) && Math.Abs(m.Intercept - yMean) <= 1e-12 * (1 + Math.Abs(yMean));
        }));
    }

    private static Gen<(Matrix X, int[] Y, int K, double[] Theta, double C)> LogisticCase { get; } =
        from x in Generators.Design
        from k in Gen.Elements(2, 3, 4)
        from y in Generators.ClassIndices(x.Rows, k)
        from theta in Generators.SmallVector((k == 2 ? 1 : k) * (x.Cols + 1))
        from c in Gen.Elements(0.01, 1.0, 10.0)
        select (x, y, k, theta, c);

    [Fact]
    public void LogisticAndCrossEntropyLossGradient_EqualsCentralDifferences()
    {
        Check.One(Runs, Prop.ForAll(LogisticCase.ToArbitrary(), c =>
        {
            var o = new LogisticRegressionOptions { C = c.C };
            var (_, g) = LogisticRegression.Loss(o, c.X, c.Y, c.K, c.Theta);
            var fd = FiniteDifference(t => LogisticRegression.Loss(o, c.X, c.Y, c.K, t).Value, c.Theta);
            return Near(g, fd, 1e-5, c.C * c.X.Rows);
        }));
    }

    [Fact]
    public void KernelMatrices_AreSymmetricPositiveSemiDefinite()
    {
        var gen = from x in Generators.Design
                  from kind in Gen.Elements(KernelKind.Linear, KernelKind.Polynomial, KernelKind.Rbf, KernelKind.Laplacian)
                  from gamma in Gen.Elements<double?>(null, 0.01, 0.5, 3.0)
                  from degree in Gen.Choose(1, 4)
                  from coef0 in Gen.Elements(0.0, 1.0, 2.5)
                  select (x, new KernelOptions { Kind = kind, Gamma = gamma, Degree = degree, Coef0 = coef0 });
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (x, o) = t;
            var k = Kernels.Compute(o, x, x);
            var n = k.Rows;
            var symmetric = Enumerable.Range(0, n).All(i => Enumerable.Range(0, n).All(j => k[i, j] == k[j, i]));
            var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => k[i, j]);
            var eig = m.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(v => v.Real).ToArray();
            var scale = Enumerable.Range(0, n).Sum(i => Math.Abs(k[i, i])) + 1e-300;
            return symmetric && eig.Min() >= -1e-10 * scale;
        }));
    }

    [Fact]
    public void ClassificationMetrics_StayInTheirRanges_RocAucUndefinedOnlyWhenAClassIsAbsent()
    {
        var gen = from n in Gen.Choose(2, 60)
                  from k in Gen.Elements(2, 3)
                  from yTrue in Generators.ClassIndices(n, k)
                  from yPred in Gen.ArrayOf(Gen.Choose(0, k - 1), n)
                  from raw in Gen.ArrayOf(Gen.Choose(0, 1000), n * k)
                  select (k, yTrue, yPred, raw);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (k, yTrue, yPred, raw) = t;
            var n = yTrue.Length;
            var proba = Matrix.Build(n, k, (i, j) =>
            {
                var s = Enumerable.Range(0, k).Sum(c => raw[i * k + c] + 1.0);
                return (raw[i * k + j] + 1.0) / s;
            });
            var s = ClassificationMetrics.Classification(Enumerable.Range(0, k).ToArray(), yTrue, yPred, proba).OrThrow();
            bool Unit(double v) => v >= 0 && v <= 1;
            return Unit(s.Accuracy) && Unit(s.Precision) && Unit(s.Recall) && Unit(s.Specificity) && Unit(s.F1) && Unit(s.BalancedAccuracy)
                && (double.IsNaN(s.RocAuc) ? Enumerable.Range(0, k).Any(c => !yTrue.Contains(c)) : Unit(s.RocAuc)) && s.LogLoss >= 0 && s.Confusion.Total == n;
        }));
    }
}
