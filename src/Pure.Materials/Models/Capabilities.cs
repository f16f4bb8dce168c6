using Pure.Materials.Core;

namespace Pure.Materials.Models;

/// <summary>A fitted model that gives a standard deviation with each prediction.</summary>
public interface IPredictsStd
{
    /// <summary>Predicts means (the model's ordinary predictions, bit for bit) and standard deviations.</summary>
    /// <param name="x">Features, shape (n_samples, n_features), as the model was fitted on (transformed when inside a pipeline).</param>
    /// <returns>Means and standard deviations in target units, length n_samples each, std &gt;= 0.</returns>
    (double[] Mean, double[] Std) PredictWithStd(Matrix x);
}

/// <summary>A fitted model with impurity-based feature importances (scikit-learn <c>feature_importances_</c>).</summary>
public interface IHasFeatureImportances
{
    /// <summary><c>feature_importances_</c>: shape (n_features,), non-negative, summing to 1 (or all 0 for a single-leaf model).</summary>
    IReadOnlyList<double> FeatureImportances { get; }
}

/// <summary>A fitted linear model: prediction = x . Coef + Intercept.</summary>
public interface IHasCoefficients
{
    /// <summary><c>coef_</c>: shape (n_features,), in target units per feature unit (of the features the model saw).</summary>
    IReadOnlyList<double> Coef { get; }

    /// <summary><c>intercept_</c>, in target units.</summary>
    double Intercept { get; }
}

/// <summary>A fitted model trained epoch by epoch, with its training loss after each epoch.</summary>
public interface IHasLossCurve
{
    /// <summary>The training loss after each epoch, length n_iter.</summary>
    IReadOnlyList<double> LossHistory { get; }
}
