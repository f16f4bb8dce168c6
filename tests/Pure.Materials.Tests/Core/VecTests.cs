using Pure.Materials.Core;
using Xunit;

namespace Pure.Materials.Tests.Core;

/// <summary>Vec and Matrix are immutable and compare by content, so records that hold them compare by content.</summary>
public class VecTests
{
    private sealed record Holder(IReadOnlyList<double> Values);

    [Fact]
    public void Of_CopiesItsInput()
    {
        var a = new[] { 1.0, 2.0, 3.0 };
        var v = Vec<double>.Of(a);
        a[0] = 99;
        Assert.Equal(1.0, v[0]);
        Assert.Equal([1.0, 2.0, 3.0], v.ToArray());
    }

    [Fact]
    public void ToArray_ReturnsACopy()
    {
        var v = Vec.Of<double>([1.0, 2.0]);
        var copy = v.ToArray();
        copy[1] = -5;
        Assert.Equal(2.0, v[1]);
    }

    [Fact]
    public void Own_DoesNotCopy()
    {
        var a = new[] { 1.0, 2.0 };
        var v = Vec.Own(a);
        Assert.True(v.Span == a.AsSpan());
    }

    [Fact]
    public void Equals_IsStructural_WithNaNEqualToNaN()
    {
        var a = Vec<double>.Of([1.0, double.NaN, -0.0]);
        var b = Vec<double>.Of([1.0, double.NaN, 0.0]);
        Assert.True(a.Equals(b));
        Assert.True(a == b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_IsFalse_ForDifferentValuesLengthsOrTypes()
    {
        var a = Vec<double>.Of([1.0, 2.0]);
        Assert.NotEqual(a, Vec<double>.Of([1.0, 2.5]));
        Assert.NotEqual(a, Vec<double>.Of([1.0, 2.0, 3.0]));
        Assert.False(a.Equals((object)new[] { 1.0, 2.0 }));
        Assert.False(a.Equals((object)Vec<float>.Of([1f, 2f])));
        Assert.False(a.Equals(null));
        Assert.True(a != Vec<double>.Of([2.0, 1.0]));
    }

    [Fact]
    public void NestedVectors_CompareByContent()
    {
        var a = Vec.Of<Vec<double>>([Vec.Of<double>([1.0, 2.0]), Vec.Of<double>([double.NaN])]);
        var b = Vec.Of<Vec<double>>([Vec.Of<double>([1.0, 2.0]), Vec.Of<double>([double.NaN])]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Vec.Of<Vec<double>>([Vec.Of<double>([1.0, 2.0]), Vec.Of<double>([0.0])]));
    }

    [Fact]
    public void Nested_CopiesArrays_AndKeepsInnerVecs()
    {
        var inner = Vec.Of<double>([3.0]);
        var rows = new List<IReadOnlyList<double>> { new[] { 1.0, 2.0 }, inner };
        var v = Vec.Nested(rows);
        ((double[])rows[0])[0] = -1;
        Assert.Equal(1.0, v[0][0]);
        Assert.Same(inner, v[1]);
        Assert.Equal(Vec.Nested<double>([new[] { 1.0, 2.0 }, new[] { 3.0 }]), v);
    }

    [Fact]
    public void RecordHoldingVec_HasValueEquality()
    {
        var a = new Holder(Vec.Of<double>([1.0, double.NaN]));
        var b = new Holder(Vec.Of<double>([1.0, double.NaN]));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new Holder(new[] { 1.0, double.NaN }));
    }

    [Fact]
    public void From_ReusesAVec_AndCopiesOtherLists()
    {
        var v = Vec.Of<int>([1, 2]);
        Assert.Same(v, Vec.From<int>(v));
        var list = new List<int> { 3, 4 };
        var w = Vec.From<int>(list);
        list[0] = 0;
        Assert.Equal([3, 4], w.ToArray());
        Assert.Equal(Vec.Of<int>([5, 6]), Vec.From<int>(new System.Collections.ObjectModel.ReadOnlyCollection<int>([5, 6])));
        Assert.Same(Vec<int>.Empty, Vec.From<int>(Array.Empty<int>()));
    }

    [Fact]
    public void CollectionExpression_BuildsAVec()
    {
        Vec<double> v = [1.0, 2.0];
        Assert.Equal(2, v.Count);
        Assert.Equal(Vec.Of<double>([1.0, 2.0]), v);
    }

    [Fact]
    public void Enumeration_VisitsElementsInOrder()
    {
        var v = Vec.Of<int>([3, 1, 2]);
        var seen = new List<int>();
        foreach (var x in v) seen.Add(x);
        Assert.Equal([3, 1, 2], seen);
        Assert.Equal([3, 1, 2], ((IEnumerable<int>)v).ToList());
        Assert.Equal("Vec[3] { 3, 1, 2 }", v.ToString());
    }

    [Fact]
    public void NestedArrays_CompareByContent_AndCopyTheirInput()
    {
        var src = new[] { new[] { 1, 0 }, new[] { 0, 2 } };
        var a = Vec.NestedArrays<int>(src);
        var b = Vec.NestedArrays<int>([[1, 0], [0, 2]]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Same(a, Vec.NestedArrays(a));
        src[0][0] = 7;
        Assert.Equal(1, a[0][0]);
        a[1][1] = 9; // the indexer hands out a copy: the stored rows cannot be changed
        Assert.Equal(2, a[1][1]);
        Assert.Equal(2, Vec.Row(a, 1)[1]);
        Assert.NotEqual(a, Vec.NestedArrays<int>([[1, 0], [0, 3]]));
    }

    [Fact]
    public void ImplicitSpan_AndAsSpan_ReadWithoutCopy()
    {
        var v = Vec.Of<double>([1.0, 2.0]);
        ReadOnlySpan<double> s = v;
        Assert.True(s == v.Span);
        Assert.True(Vec.AsSpan<double>(v) == v.Span);
        Assert.Equal(3.0, Vec.AsSpan<double>(new List<double> { 3.0 })[0]);
        Assert.True(v.Memory.Span == v.Span);
    }

    [Fact]
    public void Matrix_Equals_IsStructural_WithNaNEqualToNaN()
    {
        var a = Matrix.FromRowMajor(2, 2, [1.0, double.NaN, 3.0, 4.0]);
        var b = Matrix.FromRowMajor(2, 2, [1.0, double.NaN, 3.0, 4.0]);
        Assert.True(a.Equals(b));
        Assert.True(a == b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Matrix.FromRowMajor(2, 2, [1.0, double.NaN, 3.0, 5.0]));
        Assert.NotEqual(a, Matrix.FromRowMajor(1, 4, [1.0, double.NaN, 3.0, 4.0]));
        Assert.False(a.Equals(null));
    }
}
