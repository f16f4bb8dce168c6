using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Screening;

namespace Pure.Materials.Properties;

/// <summary>Properties of candidate spaces (<see cref="Candidates"/>): template, n-ary and site-mixed spaces, with and without
/// the charge-neutrality filter.</summary>
[Properties(MaxTest = 300)]
public class ScreeningProperties
{
    [Property]
    public bool Enumeration_IsDeterministic_SameInputsGiveTheSameSpaceAndSequence(CandidateSpaceCase c)
    {
        var (one, two) = (c.Build(), c.Build());
        return one.Equals(two) && one.Enumerate().SequenceEqual(two.Enumerate()) && one.Enumerate().SequenceEqual(one.Enumerate());
    }

    [Property]
    public bool Count_EqualsTheNumberEnumerated_AndIndicesRunFromZero(CandidateSpaceCase c)
    {
        var space = c.Build();
        long expected = 0;
        foreach (var candidate in space.Enumerate())
            if (candidate.Index != expected++) return false;
        return expected == space.Count;
    }

    [Property]
    public bool Enumeration_HasNoDuplicates(CandidateSpaceCase c)
    {
        var all = c.Build().Enumerate().ToArray();
        return all.Select(x => (object?)x.Composition ?? x.Features).Distinct().Count() == all.Length
               && all.Where(x => x.Composition is not null).Select(x => x.Composition!.ReducedFormula).Distinct().Count() == all.Count(x => x.Composition is not null);
    }

    [Property]
    public bool EveryCandidate_SatisfiesTheTemplateAndTheFilter(CandidateSpaceCase c) => c.Build().Enumerate().All(c.Satisfies);

    [Property]
    public Property Filter_KeepsExactlyTheBalancedCandidates_InTheUnfilteredOrder(CandidateSpaceCase c) =>
        Prop.When(c.Filter is not null, () =>
        {
            var kept = c.Build();
            var ok = kept.Enumerate().Select(x => x.Composition!).SequenceEqual(
                c.Unfiltered!().Enumerate().Select(x => x.Composition!).Where(x => c.Filter!.IsBalanced(x).OrThrow()));
            return ok.Classify(kept.Count == 0, "filter keeps none").Classify(kept.Count > 0 && kept.Count < c.Unfiltered!().Count, "filter keeps some")
                .Classify(kept.Count > 0 && kept.Count == c.Unfiltered!().Count, "filter keeps all");
        });

    [Property(MaxTest = 100)]
    public Property Csv_OfASpacesFormulas_ReadsBackAsTheSameCandidates_TwiceTheSame(CandidateSpaceCase c) =>
        Prop.When(c.Unfiltered is not null, () =>
        {
            var space = c.Build();
            var text = "id,formula\n" + string.Concat(space.Enumerate().Select(x => $"m{x.Index},{x.Composition!.Formula}\n"));
            var read = Candidates.FromCsv(() => new StringReader(text), "generated.csv", "formula", "id");
            if (space.Count == 0) return read.Problems().Select(p => p.Code).SequenceEqual(["csv.no_rows"]);
            var csv = read.OrThrow();
            var expected = space.Enumerate().Select(x => (x.Index, $"m{x.Index}", x.Composition)).ToArray();
            return csv.Count == space.Count
                   && csv.Enumerate().Select(x => (x.Index, x.Name!, x.Composition)).SequenceEqual(expected)
                   && csv.Enumerate().SequenceEqual(csv.Enumerate());
        });
}
