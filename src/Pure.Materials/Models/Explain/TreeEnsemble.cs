using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Trees;

namespace Pure.Materials.Models.Explain;

/// <summary>A fitted tree model seen as <c>f(x) = Offset + Scale * sum_t tree_t(x)</c>, the form every explanation here works on.</summary>
/// <param name="Trees">The trees, in the model's order.</param>
/// <param name="Scale">Weight of each tree: <c>1/T</c> for forests, 1 for a single tree and for gradient boosting.</param>
/// <param name="Offset">Constant term: 0 for forests and trees, the baseline for gradient boosting.</param>
/// <param name="NFeatures">Number of features the model was fitted on.</param>
/// <param name="ImpurityImportances">Impurity-based importances summing to 1 (forests and trees), or <c>null</c> (gradient boosting).</param>
public sealed record TreeEnsemble(IReadOnlyList<RegressionTree> Trees, double Scale, double Offset, int NFeatures, double[]? ImpurityImportances)
{
    /// <summary>Views a fitted model of this library as a tree ensemble.</summary>
    /// <param name="model">A <see cref="RandomForestModel"/>, <see cref="ExtraTreesModel"/>, <see cref="DecisionTreeModel"/> or
    /// <see cref="HistGradientBoostingModel"/> (e.g. <see cref="Predictor.Model"/>), or a <see cref="RandomForestClassifierModel"/>
    /// (explained in units of the probability of its last class, <c>Classes[^1]</c>: the positive class of a binary problem).</param>
    /// <returns>The view, or <c>explain.unsupported_model</c> for any other model.</returns>
    public static Validation<Problem, TreeEnsemble> From(object model) => model switch
    {
        RandomForestModel m => Valid.Ok(new TreeEnsemble(m.Trees, 1.0 / m.TreeCount, 0.0, m.NFeatures, m.FeatureImportances)),
        ExtraTreesModel m => Valid.Ok(new TreeEnsemble(m.Trees, 1.0 / m.Trees.Count, 0.0, m.NFeatures, m.FeatureImportances)),
        DecisionTreeModel m => Valid.Ok(new TreeEnsemble([m.Tree], 1.0, 0.0, m.NFeatures, m.Tree.FeatureImportances.ToArray())),
        RandomForestClassifierModel m => Valid.Ok(new TreeEnsemble(m.TreesForClass(m.Classes.Count - 1), 1.0 / m.Trees.Count, 0.0, m.NFeatures, m.FeatureImportances)),
        HistGradientBoostingModel m => Valid.Ok(new TreeEnsemble(m.Trees, 1.0, m.Baseline, m.NFeatures, null)),
        _ => Valid.Fail<TreeEnsemble>("explain.unsupported_model",
            $"model of type {model?.GetType().Name ?? "null"} is not a tree model; TreeSHAP needs rf, extra-trees, tree or gbm; fix: choose one of these models"),
    };

    /// <summary>Predicts one row: <c>Offset + Scale * sum_t tree_t(x)</c>, trees summed in order.</summary>
    /// <param name="row">Feature values, length <see cref="NFeatures"/>.</param>
    /// <returns>The prediction.</returns>
    public double Predict(ReadOnlySpan<double> row)
    {
        var sum = 0.0;
        foreach (var t in Trees) sum += t.Predict(row);
        return Offset + Scale * sum;
    }
}
