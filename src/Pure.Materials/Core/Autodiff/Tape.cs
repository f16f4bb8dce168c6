namespace Pure.Materials.Core.Autodiff;

/// <summary>A value recorded on a <see cref="Tape"/>: a tensor and how it was computed. Build them with <see cref="Tape.Parameter"/>,
/// <see cref="Tape.Constant"/> and the operations of <see cref="Ops"/>.</summary>
public sealed class Var
{
    internal Var(Tape tape, int id, Tensor value, bool requiresGrad)
    {
        Tape = tape;
        Id = id;
        Value = value;
        RequiresGrad = requiresGrad;
    }

    /// <summary>The tape this value belongs to.</summary>
    public Tape Tape { get; }

    /// <summary>Position on the tape (creation order).</summary>
    public int Id { get; }

    /// <summary>The computed tensor.</summary>
    public Tensor Value { get; }

    /// <summary>True when a gradient flows to this value (a parameter, or computed from one).</summary>
    public bool RequiresGrad { get; }

    /// <summary>The shape of <see cref="Value"/>.</summary>
    public IReadOnlyList<int> Shape => Value.Shape;

    /// <summary>The element type of <see cref="Value"/> (and of its gradient).</summary>
    public DType DType => Value.DType;

    /// <inheritdoc/>
    public override string ToString() => $"Var #{Id} {Value}";
}

/// <summary>Reverse-mode automatic differentiation: the forward pass records each operation on a tape; <see cref="Backward"/>
/// walks the tape from the last operation to the first and accumulates every input's gradient.</summary>
/// <remarks>
/// Values are float64 or float32 (<see cref="DType"/>); a gradient has its value's element type, and an operation's inputs share
/// one type (<see cref="Ops.Cast"/> converts, its gradient converted back).
/// One tape per forward pass (a mini-batch); it is not thread-safe (the operations themselves run in parallel inside).
/// Determinism: gradients are accumulated in reverse creation order, and every operation's backward rule uses fixed-order
/// loops (no reduction whose order depends on the vector width or the thread count), so the same inputs give the same bits on
/// any CPU. Source: the reverse-mode formulation of Griewank &amp; Walther, <i>Evaluating Derivatives</i> (2008), ch. 3; the
/// tape design of PyTorch's autograd (Paszke et al., 2017).
/// </remarks>
public sealed class Tape
{
    private readonly List<Node> _nodes = [];

    /// <summary>A delegate that adds the contribution of an output gradient to its inputs' gradients.</summary>
    /// <param name="gradOutput">The gradient of the loss with respect to the operation's output (its shape).</param>
    /// <param name="gradInputs">One accumulator per input, in input order: null for an input that needs no gradient,
    /// else an array of the input's length to add into.</param>
    internal delegate void BackwardRule<T>(T[] gradOutput, T[]?[] gradInputs);

    /// <summary>A backward rule whose inputs may differ in element type from its output (<see cref="Ops.Cast"/>): arrays of each
    /// value's own type.</summary>
    internal delegate void MixedBackwardRule(System.Array gradOutput, System.Array?[] gradInputs);

    private sealed record Node(Var Output, Var[] Inputs, MixedBackwardRule? Rule);

    /// <summary>Records a tensor that gradients flow to (a weight, a bias).</summary>
    /// <param name="value">Its value.</param>
    /// <returns>The recorded value.</returns>
    public Var Parameter(Tensor value) => Add(value, [], null, requiresGrad: true);

    /// <summary>Records a tensor that gradients do not flow to (inputs, targets, masks).</summary>
    /// <param name="value">Its value.</param>
    /// <returns>The recorded value.</returns>
    public Var Constant(Tensor value) => Add(value, [], null, requiresGrad: false);

    /// <summary>Number of values recorded.</summary>
    public int Count => _nodes.Count;

    /// <summary>Records an operation's output; the output and every input hold <typeparamref name="T"/>.</summary>
    internal Var Record<T>(Tensor value, Var[] inputs, BackwardRule<T> rule) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var dtype = Tensor.DTypeOf<T>();
        if (value.DType != dtype) throw new ArgumentException($"an operation in {typeof(T).Name} gave a {value.DType} value");
        foreach (var input in inputs)
            if (input.DType != dtype) throw new ArgumentException($"Var #{input.Id} is {input.DType} in a {dtype} operation; convert with Ops.Cast");
        return RecordMixed(value, inputs, (g, grads) =>
        {
            var typed = new T[]?[grads.Length];
            for (var j = 0; j < grads.Length; j++) typed[j] = (T[]?)grads[j];
            rule((T[])g, typed);
        });
    }

    /// <summary>Records an operation's output whose inputs may have other element types.</summary>
    internal Var RecordMixed(Tensor value, Var[] inputs, MixedBackwardRule rule)
    {
        foreach (var input in inputs)
            if (!ReferenceEquals(input.Tape, this)) throw new ArgumentException($"Var #{input.Id} belongs to another tape; build a forward pass on one tape");
        var requires = inputs.Any(i => i.RequiresGrad);
        return Add(value, inputs, requires ? rule : null, requires);
    }

    private Var Add(Tensor value, Var[] inputs, MixedBackwardRule? rule, bool requiresGrad)
    {
        var v = new Var(this, _nodes.Count, value, requiresGrad);
        _nodes.Add(new Node(v, inputs, rule));
        return v;
    }

    /// <summary>The gradient of a one-value <paramref name="loss"/> with respect to every value on the tape that requires one.</summary>
    /// <param name="loss">A value with exactly one element (a scalar loss), recorded on this tape.</param>
    /// <returns>The gradients; <see cref="Gradients.Of"/> gives zeros for a value the loss does not depend on.</returns>
    /// <exception cref="ArgumentException">The loss has more than one value or belongs to another tape.</exception>
    public Gradients Backward(Var loss)
    {
        if (!ReferenceEquals(loss.Tape, this)) throw new ArgumentException("the loss belongs to another tape", nameof(loss));
        if (loss.Value.Length != 1) throw new ArgumentException($"the loss must have one value, not shape {Tensor.Describe(loss.Shape)}; reduce it (Ops.Mean or Ops.Sum)", nameof(loss));
        var grads = new System.Array?[_nodes.Count];
        if (loss.RequiresGrad) grads[loss.Id] = loss.DType == DType.Float64 ? new[] { 1.0 } : new[] { 1.0f };
        for (var k = loss.Id; k >= 0; k--)
        {
            var node = _nodes[k];
            if (grads[k] is not { } g || node.Rule is null) continue;
            var inputs = new System.Array?[node.Inputs.Length];
            for (var j = 0; j < inputs.Length; j++)
            {
                var input = node.Inputs[j];
                if (!input.RequiresGrad) continue;
                inputs[j] = grads[input.Id] ??= input.Value.NewZeros();
            }
            node.Rule(g, inputs);
        }
        return new Gradients(this, grads);
    }

    internal Var NodeAt(int id) => _nodes[id].Output;
}

/// <summary>The gradients of one <see cref="Tape.Backward"/> call.</summary>
public sealed class Gradients
{
    private readonly Tape _tape;
    private readonly System.Array?[] _grads;

    internal Gradients(Tape tape, System.Array?[] grads)
    {
        _tape = tape;
        _grads = grads;
    }

    /// <summary>d loss / d <paramref name="v"/>, in <paramref name="v"/>'s shape and element type (zeros when the loss does not depend on it).</summary>
    /// <param name="v">A value recorded on the same tape.</param>
    /// <returns>The gradient tensor.</returns>
    /// <exception cref="ArgumentException">The value belongs to another tape.</exception>
    public Tensor Of(Var v)
    {
        if (!ReferenceEquals(v.Tape, _tape)) throw new ArgumentException("the value belongs to another tape", nameof(v));
        var g = v.Id < _grads.Length ? _grads[v.Id] : null;
        return g switch
        {
            null => Tensor.Zeros(v.DType, [.. v.Shape]),
            double[] d => Tensor.From(d, [.. v.Shape]),
            _ => Tensor.From((float[])g, [.. v.Shape]),
        };
    }

    /// <summary>The gradient's own array (no copy; zeros when the loss does not depend on it): for a caller that owns the tape and
    /// drops it after reading.</summary>
    internal T[] ArrayOf<T>(Var v)
    {
        if (!ReferenceEquals(v.Tape, _tape)) throw new ArgumentException("the value belongs to another tape", nameof(v));
        return (T[])((v.Id < _grads.Length ? _grads[v.Id] : null) ?? v.Value.NewZeros());
    }
}
