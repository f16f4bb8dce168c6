using LanguageExt;

namespace Pure.Materials.Core;

/// <summary>One stage of a seeded experiment: a function from a random stream to a value (or problems) and the stream left over.</summary>
/// <typeparam name="T">What the stage produces.</typeparam>
/// <param name="Apply">The stage itself; pure: the same <see cref="Rng"/> always gives the same result.</param>
/// <remarks>
/// Steps compose with LINQ (<c>from x in a from y in b select ...</c>); a whole featurize, split, scale, fit, evaluate
/// experiment is one <see cref="Step{T}"/> run once with one seed through <see cref="Run(long)"/>.
/// Composition stops at the first failing stage (stages depend on each other); checks inside one stage collect
/// all problems with <c>Validation</c>.
/// </remarks>
public sealed record Step<T>(Func<Rng, Validation<Problem, (T Value, Rng Next)>> Apply)
{
    /// <summary>Maps the value of a step.</summary>
    /// <param name="f">A pure function.</param>
    /// <returns>A step producing <c>f(value)</c>.</returns>
    public Step<U> Select<U>(Func<T, U> f) =>
        new(rng => Apply(rng).Map(r => (f(r.Value), r.Next)));

    /// <summary>Chains a step that depends on this one's value (LINQ <c>from ... from ...</c>).</summary>
    /// <param name="bind">Builds the next step from this value.</param>
    /// <param name="project">Combines both values.</param>
    /// <returns>The chained step.</returns>
    public Step<V> SelectMany<U, V>(Func<T, Step<U>> bind, Func<T, U, V> project) =>
        new(rng => Apply(rng).Bind(r => bind(r.Value).Apply(r.Next).Map(u => (project(r.Value, u.Value), u.Next))));

    /// <summary>Chains a step that depends on this one's value.</summary>
    /// <param name="bind">Builds the next step from this value.</param>
    /// <returns>The chained step.</returns>
    public Step<U> Bind<U>(Func<T, Step<U>> bind) => SelectMany(bind, (_, u) => u);

    /// <summary>Runs the experiment once from a seed.</summary>
    /// <param name="seed">The seed, recorded by reports so the run can be repeated.</param>
    /// <returns>The experiment's value or every problem of the first failing stage.</returns>
    public Validation<Problem, T> Run(long seed) => Apply(Rng.FromSeed(seed)).Map(r => r.Value);
}

/// <summary>Builds and runs <see cref="Step{T}"/> values.</summary>
public static class Step
{
    /// <summary>Lifts a value that needs no randomness and cannot fail.</summary>
    /// <param name="value">The value.</param>
    /// <returns>A step that returns <paramref name="value"/> and leaves the stream untouched.</returns>
    public static Step<T> Of<T>(T value) => new(rng => Valid.Ok((value, rng)));

    /// <summary>Lifts a validated value that needs no randomness.</summary>
    /// <param name="value">A success or the problems of a stage.</param>
    /// <returns>A step that returns the value or fails with its problems.</returns>
    public static Step<T> From<T>(Validation<Problem, T> value) => new(rng => value.Map(v => (v, rng)));

    /// <summary>Lifts a validated computation that needs no randomness, run only when the step runs.</summary>
    /// <param name="compute">The computation.</param>
    /// <returns>A step that runs <paramref name="compute"/>.</returns>
    public static Step<T> From<T>(Func<Validation<Problem, T>> compute) => new(rng => compute().Map(v => (v, rng)));

    /// <summary>Lifts a seeded computation: it receives its own stream split from the experiment's, so other stages' draws do not depend on how many numbers it draws.</summary>
    /// <param name="compute">The computation, given its private stream.</param>
    /// <returns>A step that runs <paramref name="compute"/> on a split stream.</returns>
    public static Step<T> Random<T>(Func<Rng, Validation<Problem, T>> compute) => new(rng =>
    {
        var (rest, mine) = rng.Split();
        return compute(mine).Map(v => (v, rest));
    });
}
