using Pure.Materials.Core;
using Xunit;

namespace Pure.Materials.Tests.Core;

public class RngStepTests
{
    [Fact]
    public void SameSeed_GivesSameDraws_DifferentSeed_Different()
    {
        static double[] Draw(long seed)
        {
            var r = Rng.FromSeed(seed);
            var xs = new double[10];
            for (var i = 0; i < xs.Length; i++) (xs[i], r) = r.NextDouble();
            return xs;
        }
        Assert.Equal(Draw(42), Draw(42));
        Assert.NotEqual<double>(Draw(42), Draw(43));
    }

    [Fact]
    public void Rng_IsAValue_DrawingDoesNotChangeIt()
    {
        var r = Rng.FromSeed(7);
        var (a, _) = r.NextUInt64();
        var (b, _) = r.NextUInt64();
        Assert.Equal(a, b);
    }

    [Fact]
    public void SplitMany_StreamsAreDistinct_AndIndependentOfLaterUse()
    {
        var (streams, _) = Rng.FromSeed(1).SplitMany(8);
        Assert.Equal(8, streams.Select(s => s.NextUInt64().Value).Distinct().Count());
        var (again, _) = Rng.FromSeed(1).SplitMany(8);
        Assert.Equal(streams, again);
    }

    [Fact]
    public void NextInt_StaysInRange_AndCoversIt()
    {
        var r = Rng.FromSeed(3);
        var seen = new bool[7];
        for (var i = 0; i < 1000; i++)
        {
            int v;
            (v, r) = r.NextInt(7);
            Assert.InRange(v, 0, 6);
            seen[v] = true;
        }
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public void Step_LinqQuery_RunsOnce_AndRandomStagesDoNotShiftEachOther()
    {
        var draw = Step.Random(rng => Valid.Ok(rng.NextDouble().Value));
        var withTwo = from a in draw from b in draw select (a, b);
        var withExtra = from a in draw from skipped in Step.Random(rng => Valid.Ok(rng.SplitMany(100).Streams.Length)) from b in draw select (a, b);
        var (a1, b1) = withTwo.Run(5).OrThrow();
        var (a2, _) = withExtra.Run(5).OrThrow();
        Assert.Equal(a1, a2);            // the first stage is unaffected by what follows
        Assert.NotEqual(a1, b1);         // each stage has its own stream
        Assert.Equal(withTwo.Run(5).OrThrow(), withTwo.Run(5).OrThrow());
    }

    [Fact]
    public void Step_StopsAtFirstFailingStage()
    {
        var ran = false;
        var q = from a in Step.From(Valid.Fail<int>("x.fail", "first stage failed"))
                from b in Step.From(() => { ran = true; return Valid.Ok(1); })
                select a + b;
        var p = Assert.Single(q.Run(0).Problems());
        Assert.Equal("x.fail", p.Code);
        Assert.False(ran);
    }
}
