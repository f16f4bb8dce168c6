using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>Properties of <see cref="Composition"/> and the formula parser.</summary>
public class CompositionProperties
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(2000);
    private static readonly Config Some = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>A parse result is either a composition or exactly one formula problem without row/column.</summary>
    private static bool IsWellFormed(Validation<Problem, Composition> v) =>
        v.Match(
            Succ: c => c.Count > 0 && c.Amounts.All(a => a > 0 && double.IsFinite(a)) && double.IsFinite(c.TotalAmount),
            Fail: ps => ps.Count == 1 && ps.Head.Code.StartsWith("formula.", StringComparison.Ordinal)
                        && ps.Head.Message.Length > 0 && ps.Head.Row is null && ps.Head.Column is null);

    /// <summary>Writes the elements of <paramref name="c"/> in the given order, amounts in round-trip form.</summary>
    private static string Write(Composition c, IEnumerable<int> order, string separator) =>
        string.Join(separator, order.Select(k =>
            Elements.Symbol(c.AtomicNumbers[k]) + Composition.FormatRoundTrip(c.Amounts[k])));

    [Fact]
    public void Parse_NeverThrows_OnArbitraryStrings() =>
        Check.One(Many, Prop.ForAll(ArbMap.Default.ArbFor<string>(), s => IsWellFormed(Composition.Parse(s))));

    [Fact]
    public void Parse_NeverThrows_OnFormulaLikeStrings_AndWhatParsesRoundTrips() =>
        Check.One(Many, Prop.ForAll(Generators.FormulaLikeString.Or(Generators.FormulaTokenString).ToArbitrary(), s =>
        {
            var v = Composition.Parse(s);
            return IsWellFormed(v) && v.Match(c => Composition.Parse(c.Formula).Match(again => again.Equals(c), _ => false), _ => true);
        }));

    [Fact]
    public void Parse_NeverThrows_OnLongNestedStrings() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(50),
            Prop.ForAll(Generators.FormulaTokenString.Resize(4000).ToArbitrary(), s => IsWellFormed(Composition.Parse(s))));

    [Fact]
    public void Parse_AgreesWithTheGrammarModel_OnGeneratedValidFormulas() =>
        Check.One(Many, Prop.ForAll(Generators.ValidFormula.ToArbitrary(), t =>
        {
            var expected = Composition.FromAmounts(t.Atoms).OrThrow();
            var parsed = Composition.Parse(t.Formula).OrThrow();
            return parsed.Equals(expected) && parsed.AtomicNumbers.SequenceEqual(expected.AtomicNumbers);
        }));

    [Fact]
    public void Formula_ParsesBackToTheSameComposition_InTheSameOrder() =>
        Check.One(Many, Prop.ForAll(Generators.Composition.ToArbitrary(), c =>
        {
            var again = Composition.Parse(c.Formula).OrThrow();
            return again.Equals(c) && again.AtomicNumbers.SequenceEqual(c.AtomicNumbers) && again.Amounts.SequenceEqual(c.Amounts);
        }));

    [Fact]
    public void Parse_IgnoresTheOrderOfElements_AndSpacesBetweenThem() =>
        Check.One(Many, Prop.ForAll(
            Generators.Composition.SelectMany(c => Gen.Shuffle(Enumerable.Range(0, c.Count)).Select(order => (c, order))).ToArbitrary(),
            t =>
            {
                var (c, order) = t;
                var tight = Composition.Parse(Write(c, order, "")).OrThrow();
                var spaced = Composition.Parse(Write(c, order, " ")).OrThrow();
                return tight.Equals(c) && spaced.Equals(c) && tight.GetHashCode() == c.GetHashCode()
                       && tight.ReducedFormula == c.ReducedFormula;
            }));

    [Fact]
    public void ReducedFormula_IsInvariantToWholeMultiplesAndOrder() =>
        Check.One(Many, Prop.ForAll(
            Generators.WholeComposition
                .SelectMany(c => Gen.Choose(1, 50).SelectMany(k => Gen.Shuffle(Enumerable.Range(0, c.Count)).Select(order => (c, k, order))))
                .ToArbitrary(),
            t =>
            {
                var (c, k, order) = t;
                var scaled = Composition.FromAmounts(order.Select(i => (c.AtomicNumbers[i], c.Amounts[i] * k))).OrThrow();
                return scaled.ReducedFormula == c.ReducedFormula;
            }));

    [Fact]
    public void ReducedFormula_AlwaysParses_AndIsIdempotentForWholeCompositions()
    {
        Check.One(Many, Prop.ForAll(Generators.Composition.ToArbitrary(), c => Composition.Parse(c.ReducedFormula).IsSuccess));
        Check.One(Many, Prop.ForAll(Generators.WholeComposition.ToArbitrary(), c =>
        {
            var reduced = Composition.Parse(c.ReducedFormula).OrThrow();
            return reduced.ReducedFormula == c.ReducedFormula;
        }));
    }

    [Fact]
    public void GroupMultiplier_MultipliesEveryAmount() =>
        Check.One(Some, Prop.ForAll(
            Generators.WholeComposition.SelectMany(c => Gen.Choose(2, 9).Select(k => (c, k))).ToArbitrary(),
            t =>
            {
                var (c, k) = t;
                var grouped = Composition.Parse($"({c.Formula}){k.ToString(CultureInfo.InvariantCulture)}").OrThrow();
                var expected = Composition.FromAmounts(c.AtomicNumbers.Zip(c.Amounts.Select(a => a * k))).OrThrow();
                return grouped.Equals(expected);
            }));

    [Fact]
    public void Fractions_SumToOne() =>
        Check.One(Many, Prop.ForAll(Generators.Composition.ToArbitrary(), c =>
            Math.Abs(c.AtomicNumbers.Sum(c.FractionOf) - 1) < 1e-12));
}
