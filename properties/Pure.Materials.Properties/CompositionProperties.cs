using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Properties;

/// <summary>Properties of <see cref="Composition"/> and the formula parser.</summary>
public class CompositionProperties
{
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

    [Property(MaxTest = 2000)]
    public bool Parse_NeverThrows_OnArbitraryStrings(string s) => IsWellFormed(Composition.Parse(s));

    [Property(MaxTest = 2000)]
    public Property Parse_NeverThrows_OnFormulaLikeStrings(FormulaText text)
    {
        var v = Composition.Parse(text.Value);
        return IsWellFormed(v).Classify(v.IsSuccess, "parses");
    }

    [Property(MaxTest = 200, MaxRejected = 100_000)]
    public Property WhatParses_RoundTripsThroughItsFormula(TokenFormulaText text)
    {
        // Only token strings that parse say anything here; the others are discarded (==>) and 200 that parse are checked
        // (FsCheck fails the property as exhausted if it cannot find them).
        var v = Composition.Parse(text.Value);
        return Prop.When(v.IsSuccess, () => v.Match(c => Composition.Parse(c.Formula).Match(again => again.Equals(c), _ => false), _ => false));
    }

    [Property(MaxTest = 50)]
    public bool Parse_NeverThrows_OnLongNestedStrings(LongFormulaText text) => IsWellFormed(Composition.Parse(text.Value));

    [Property(MaxTest = 2000)]
    public bool Parse_AgreesWithTheGrammarModel_OnGeneratedValidFormulas(ValidFormulaCase t)
    {
        var expected = Composition.FromAmounts(t.Atoms).OrThrow();
        var parsed = Composition.Parse(t.Formula).OrThrow();
        return parsed.Equals(expected) && parsed.AtomicNumbers.SequenceEqual(expected.AtomicNumbers);
    }

    [Property(MaxTest = 2000)]
    public bool Formula_ParsesBackToTheSameComposition_InTheSameOrder(AnyComposition composition)
    {
        var c = composition.Value;
        var again = Composition.Parse(c.Formula).OrThrow();
        return again.Equals(c) && again.AtomicNumbers.SequenceEqual(c.AtomicNumbers) && again.Amounts.SequenceEqual(c.Amounts);
    }

    [Property(MaxTest = 2000)]
    public bool Parse_IgnoresTheOrderOfElements_AndSpacesBetweenThem(AnyComposition composition, RngSeed orderSeed)
    {
        var c = composition.Value;
        var order = Generators.Shuffled(c.Count, orderSeed.Value);
        var tight = Composition.Parse(Write(c, order, "")).OrThrow();
        var spaced = Composition.Parse(Write(c, order, " ")).OrThrow();
        return tight.Equals(c) && spaced.Equals(c) && tight.GetHashCode() == c.GetHashCode() && tight.ReducedFormula == c.ReducedFormula;
    }

    [Property(MaxTest = 2000)]
    public bool ReducedFormula_IsInvariantToWholeMultiplesAndOrder(WholeAmounts composition, WholeMultiple multiple, RngSeed orderSeed)
    {
        var (c, k) = (composition.Value, multiple.Value);
        var order = Generators.Shuffled(c.Count, orderSeed.Value);
        var scaled = Composition.FromAmounts(order.Select(i => (c.AtomicNumbers[i], c.Amounts[i] * k))).OrThrow();
        return scaled.ReducedFormula == c.ReducedFormula;
    }

    [Property(MaxTest = 2000)]
    public bool ReducedFormula_AlwaysParses(AnyComposition composition) => Composition.Parse(composition.Value.ReducedFormula).IsSuccess;

    [Property(MaxTest = 2000)]
    public bool ReducedFormula_IsIdempotent_ForWholeCompositions(WholeAmounts composition)
    {
        var c = composition.Value;
        var reduced = Composition.Parse(c.ReducedFormula).OrThrow();
        return reduced.ReducedFormula == c.ReducedFormula;
    }

    [Property(MaxTest = 500)]
    public bool GroupMultiplier_MultipliesEveryAmount(WholeAmounts composition, GroupMultiple multiple)
    {
        var (c, k) = (composition.Value, multiple.Value);
        var grouped = Composition.Parse($"({c.Formula}){k.ToString(CultureInfo.InvariantCulture)}").OrThrow();
        var expected = Composition.FromAmounts(c.AtomicNumbers.Zip(c.Amounts.Select(a => a * k))).OrThrow();
        return grouped.Equals(expected);
    }

    [Property(MaxTest = 2000)]
    public bool Fractions_SumToOne(AnyComposition composition)
    {
        var c = composition.Value;
        return Math.Abs(c.AtomicNumbers.Sum(c.FractionOf) - 1) < 1e-12;
    }
}
