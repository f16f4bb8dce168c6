using MathNet.Numerics;

namespace Pure.Materials.Active;

/// <summary>Whether the search looks for the lowest or the highest target value.</summary>
public enum Goal
{
    /// <summary>Look for the lowest value (e.g. the most stable compound, lowest decomposition energy).</summary>
    Minimize,
    /// <summary>Look for the highest value.</summary>
    Maximize,
}

/// <summary>An acquisition function: how a candidate's predicted mean and std become a score (higher is picked first).</summary>
public abstract record Acquisition
{
    private Acquisition() { }

    /// <summary>Expected improvement over the best value found, with exploration margin <paramref name="Xi"/> (target units, &gt;= 0).</summary>
    /// <param name="Xi">Margin xi; default 0.01.</param>
    public sealed record ExpectedImprovement(double Xi = 0.01) : Acquisition;

    /// <summary>Probability of improving on the best value found by more than <paramref name="Xi"/>.</summary>
    /// <param name="Xi">Margin xi; default 0.01.</param>
    public sealed record ProbabilityOfImprovement(double Xi = 0.01) : Acquisition;

    /// <summary>Upper confidence bound mu + beta sigma (for <see cref="Goal.Minimize"/>: the lower bound mu - beta sigma, negated).</summary>
    /// <param name="Beta">Weight of sigma, &gt;= 0; default 2.</param>
    public sealed record UpperConfidenceBound(double Beta = 2.0) : Acquisition;

    /// <summary>Predictive variance only (pure exploration, for learning a model rather than optimising).</summary>
    public sealed record MaxVariance : Acquisition;

    /// <summary>Uniform random choice from the pool (the baseline); scores are ignored.</summary>
    public sealed record Random : Acquisition;

    /// <summary>Short name: <c>ei</c>, <c>pi</c>, <c>ucb</c>, <c>maxvar</c>, <c>random</c>.</summary>
    public string Name => this switch
    {
        ExpectedImprovement => "ei",
        ProbabilityOfImprovement => "pi",
        UpperConfidenceBound => "ucb",
        MaxVariance => "maxvar",
        _ => "random",
    };
}

/// <summary>Evaluates acquisition functions; all are finite for sigma = 0.</summary>
/// <remarks>
/// With improvement I = mu - best - xi (maximise) or best - mu - xi (minimise) and Z = I / sigma:
/// EI = I Phi(Z) + sigma phi(Z) (= max(I, 0) when sigma = 0), PI = Phi(Z) (= 1 if I &gt; 0 else 0 when sigma = 0),
/// UCB = mu + beta sigma (maximise) or -(mu - beta sigma) (minimise), max-variance = sigma^2.
/// EI &gt;= 0 and PI in [0, 1] always. Phi uses erfc (MathNet.Numerics), accurate in the tails.
/// Source: Jones, Schonlau and Welch, J. Global Optim. 13, 455 (1998) (EI); Kushner (1964) (PI);
/// Srinivas et al., ICML 2010 (GP-UCB); Lookman et al., npj Comput. Mater. 5, 21 (2019) (materials design).
/// </remarks>
public static class Acquisitions
{
    /// <summary>Scores one candidate.</summary>
    /// <param name="acquisition">The function.</param>
    /// <param name="goal">Minimise or maximise.</param>
    /// <param name="mu">Predicted mean, target units.</param>
    /// <param name="sigma">Predicted std, &gt;= 0 (negative values are treated as 0).</param>
    /// <param name="best">Best value observed so far.</param>
    /// <returns>The score (higher is better); 0 for <see cref="Acquisition.Random"/>.</returns>
    public static double Score(Acquisition acquisition, Goal goal, double mu, double sigma, double best)
    {
        sigma = Math.Max(sigma, 0.0);
        double Improvement(double xi) => goal == Goal.Maximize ? mu - best - xi : best - mu - xi;
        switch (acquisition)
        {
            case Acquisition.ExpectedImprovement ei:
            {
                var imp = Improvement(ei.Xi);
                if (sigma == 0) return Math.Max(imp, 0.0);
                var z = imp / sigma;
                return Math.Max(imp * Cdf(z) + sigma * Pdf(z), 0.0);
            }
            case Acquisition.ProbabilityOfImprovement pi:
            {
                var imp = Improvement(pi.Xi);
                if (sigma == 0) return imp > 0 ? 1.0 : 0.0;
                return Cdf(imp / sigma);
            }
            case Acquisition.UpperConfidenceBound ucb:
                return goal == Goal.Maximize ? mu + ucb.Beta * sigma : -(mu - ucb.Beta * sigma);
            case Acquisition.MaxVariance:
                return sigma * sigma;
            default:
                return 0.0;
        }
    }

    /// <summary>Scores every candidate.</summary>
    /// <param name="acquisition">The function.</param>
    /// <param name="goal">Minimise or maximise.</param>
    /// <param name="mu">Predicted means, length n.</param>
    /// <param name="sigma">Predicted stds, length n.</param>
    /// <param name="best">Best value observed so far.</param>
    /// <returns>Scores, length n.</returns>
    public static double[] Score(Acquisition acquisition, Goal goal, IReadOnlyList<double> mu, IReadOnlyList<double> sigma, double best) =>
        mu.Select((m, i) => Score(acquisition, goal, m, sigma[i], best)).ToArray();

    /// <summary>Standard normal CDF Phi(z) = erfc(-z / sqrt 2) / 2.</summary>
    /// <param name="z">The argument.</param>
    /// <returns>Phi(z) in [0, 1].</returns>
    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>Standard normal density phi(z).</summary>
    /// <param name="z">The argument.</param>
    /// <returns>phi(z) &gt;= 0.</returns>
    public static double Pdf(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
}
