using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Evaluate;

public class ApplicabilityTests
{
    [Fact]
    public void FeaturesOutOfRange_CountsFeaturesOutsideTheTrainingMinAndMax_IgnoringNaN()
    {
        // Training ranges: column 0 in [1, 3], column 1 in [10, 10] (NaN ignored), column 2 in [-1, 1].
        var train = Matrix.Build(3, 3, (i, j) => j switch { 0 => i + 1, 1 => i == 1 ? double.NaN : 10, _ => i - 1 });
        var fresh = Matrix.Build(4, 3, (i, j) => (i, j) switch
        {
            (0, 0) => 2, (0, 1) => 10, (0, 2) => 0,          // inside everywhere
            (1, 0) => 3, (1, 1) => 10, (1, 2) => 1,          // on the bounds: inside
            (2, 0) => 0.5, (2, 1) => 11, (2, 2) => 0,        // two outside
            _ => j == 0 ? double.NaN : 5,                    // NaN never counts; 5 is outside in columns 1 and 2
        });
        Assert.Equal([0, 0, 2, 2], Applicability.FeaturesOutOfRange(train, fresh));
    }

    [Fact]
    public void UnseenElements_ListsElementsNoTrainingCompositionContains_InFormulaOrder()
    {
        static Composition C(string f) => Composition.Parse(f).OrThrow();
        var unseen = Applicability.UnseenElements([C("Fe2O3"), C("NaCl")], [C("FeCl3"), C("XeF2O"), C("CsPbI3")]);
        Assert.Equal([], unseen[0]);
        Assert.Equal(["Xe", "F"], unseen[1]);
        Assert.Equal(["Cs", "Pb", "I"], unseen[2]);
    }
}
