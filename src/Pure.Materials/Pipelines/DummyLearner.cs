using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Baseline;

namespace Pure.Materials.Pipelines;

public static partial class Learners
{
    /// <summary><c>dummy</c>: scikit-learn <c>DummyRegressor</c> declared once for the registry (<see cref="Learners.Registry"/>): the baseline to beat.</summary>
    public static LearnerSpec<DummyRegressorOptions, Learner> DummySpec { get; } = Regressor("dummy", "DummyRegressor",
        "predicts one value learned from the targets alone (mean, median, a quantile or a constant)", new DummyRegressorOptions(),
        [
            Parameter.Choice<DummyRegressorOptions, DummyStrategy>("strategy", "what every prediction is",
                [("mean", DummyStrategy.Mean), ("median", DummyStrategy.Median), ("quantile", DummyStrategy.Quantile),
                 ("constant", DummyStrategy.Constant)], o => o.Strategy, (o, v) => o with { Strategy = v }),
            Parameter.OptionalFloat<DummyRegressorOptions>("quantile", "[0, 1] or None", "the quantile for strategy=quantile", o => o.Quantile, (o, v) => o with { Quantile = v }),
            Parameter.OptionalFloat<DummyRegressorOptions>("constant", "a number or None", "the prediction for strategy=constant (target units)", o => o.Constant, (o, v) => o with { Constant = v }),
        ],
        (o, x, y, _) => DummyRegressor.Fit(o, x, y), DummyRegressor.Predict, ScaleStrategy.None,
        m => new StateNode().Float("constant_", m.Value),
        (o, r) => r.Float("constant_") is var v && r.Ok ? Valid.Ok(new DummyRegressorModel(o, v)) : Valid.Fail<DummyRegressorModel>(r.Problems));
}
