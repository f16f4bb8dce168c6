using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>Categorical feature columns on the command line: a text column in <c>--feature-columns</c> is one-hot encoded (said on
/// stderr), <c>--categorical-columns</c> encodes a numeric one (a space-group number), the encoder is fitted per fold and saved with
/// the model, and predict warns about categories the model never saw.</summary>
public class CategoricalCliTests
{
    // y depends on the class of 'kind' (a: 1, b: 2, c: 3, d: 4) plus a small trend in x; 'kind' d appears in fold 2 only.
    private const string Table =
        "id,kind,x,y,fold\n" +
        "r1,a,0.1,1.0,0\nr2,b,0.2,2.1,0\nr3,c,0.3,3.2,0\nr4,a,0.4,1.1,0\nr5,b,0.5,2.0,0\n" +
        "r6,c,0.6,3.1,1\nr7,a,0.7,0.9,1\nr8,b,0.8,2.2,1\nr9,c,0.9,2.9,1\nr10,a,1.0,1.2,1\n" +
        "r11,b,1.1,1.9,2\nr12,c,1.2,3.0,2\nr13,,1.3,1.0,2\nr14,b,1.4,2.1,2\nr15,d,1.5,4.0,2\n";

    private static string Write(string text)
    {
        var dir = CliRun.TempDir("pm-cat-");
        var path = Path.Combine(dir, "t.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Summary(string stdout) => stdout.Split('\n').Single(l => l.StartsWith("mean MAE", StringComparison.Ordinal));

    [Fact]
    public void Cv_EncodesATextFeatureColumn_SaysSo_AndBeatsTheNumericColumnAlone()
    {
        var data = Write(Table);
        var with = CliRun.Run("cv", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--fold-column", "fold", "--model", "ridge");
        Assert.True(with.Exit == 0, with.Err);
        Assert.Contains("note: column 'kind' holds text, so it is read as categories: one-hot encoded with the categories of the training rows only (4 values in the data: a, b, c, d; missing cells are a category 'nan')", with.Err);
        var without = CliRun.Run("cv", "--data", data, "--target", "y", "--feature-columns", "x", "--fold-column", "fold", "--model", "ridge");
        Assert.True(without.Exit == 0, without.Err);
        static double Mae(string s) => double.Parse(Summary(s).Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Mae(with.Out) < 0.5 * Mae(without.Out), $"with kind: {Summary(with.Out)}; x alone: {Summary(without.Out)}");

        // --impute none: a missing category cell is the category 'nan', not a missing number.
        var noImpute = CliRun.Run("cv", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--fold-column", "fold", "--model", "ridge", "--impute", "none");
        Assert.True(noImpute.Exit == 0, noImpute.Err);
        Assert.Equal(Summary(with.Out), Summary(noImpute.Out));
    }

    [Fact]
    public void AColumnMixingNumbersAndText_IsOneProblemAtItsCell_NamingTheFlag()
    {
        var data = Write("kind,x,y\n1,0.1,1\n2,0.2,2\nb,0.3,3\n1,0.4,1\n2,0.5,2\n");
        var r = CliRun.Run("cv", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--folds", "2", "--model", "ridge");
        Assert.Equal(1, r.Exit);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("row 3", line);
        Assert.Contains("'kind'", line);
        Assert.Contains("to one-hot encode the column as categories, name it in --categorical-columns", line);
        // Named, the same column is encoded.
        var named = CliRun.Run("cv", "--data", data, "--target", "y", "--feature-columns", "x", "--categorical-columns", "kind", "--folds", "2", "--model", "ridge");
        Assert.True(named.Exit == 0, named.Err);
        Assert.Contains("note: column 'kind' is categorical (--categorical-columns)", named.Err);
    }

    [Fact]
    public void FitThenPredict_ReproducesCvsFold_AndWarnsAboutACategoryTheModelNeverSaw()
    {
        var data = Write(Table);
        var dir = Path.GetDirectoryName(data)!;
        var model = Path.Combine(dir, "m.pmm");
        string[] common = ["--data", data, "--target", "y", "--feature-columns", "x", "--categorical-columns", "kind", "--fold-column", "fold", "--model", "ridge"];
        var fit = CliRun.Run(["fit", .. common, "--holdout-fold", "2", "--out", model]);
        Assert.True(fit.Exit == 0, fit.Err);
        Assert.Contains("steps: one_hot_encoder, mean_imputer, standard_scaler", fit.Out);
        var predict = CliRun.Run("predict", "--model", model, "--data", data, "--fold-column", "fold", "--fold", "2", "--out", Path.Combine(dir, "p.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        // Fold 2 holds the only 'd' and the only missing cell: neither is a category of the training rows (folds 0 and 1).
        Assert.Contains("warning: row 13 (id 'r13'), column 'kind': 'nan' is not among the 3 categories of 'kind' in the training rows (a, b, c); it is encoded as all zeros", predict.Err);
        Assert.Contains("warning: row 15 (id 'r15'), column 'kind': 'd' is not among the 3 categories of 'kind' in the training rows (a, b, c)", predict.Err);
        var cv = CliRun.Run(["cv", .. common]);
        Assert.True(cv.Exit == 0, cv.Err);
        // predict prints the MAE with every digit; cv's fold-2 row shows it rounded to 4 decimals.
        var mae = double.Parse(predict.Out.Split('\n').Single(l => l.StartsWith("MAE ", StringComparison.Ordinal)).Split(' ')[1].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture);
        var foldRow = cv.Out.Split('\n').Single(l => l.Contains("│ 2 "));
        Assert.Contains(mae.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), foldRow);
    }

    [Fact]
    public void SearchAndLearningCurve_EncodeTheColumn_AndExplainRefusesIt()
    {
        var data = Write(Table);
        var search = CliRun.Run("search", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--folds", "3", "--model", "ridge", "--grid", "alpha=0.1,1");
        Assert.True(search.Exit == 0, search.Err);
        Assert.Contains("note: column 'kind' holds text", search.Err);
        var curve = CliRun.Run("learning-curve", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--folds", "3", "--model", "ridge",
            "--sizes", "0.5,1", "--out", CliRun.TempDir("pm-cat-lc-"));
        Assert.True(curve.Exit == 0, curve.Err);
        var explain = CliRun.Run("explain", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--model", "rf", "--out", CliRun.TempDir("pm-cat-ex-"));
        Assert.Equal(1, explain.Exit);
        Assert.Contains("does not one-hot encode categorical columns yet ('kind')", explain.Err);
    }

    [Fact]
    public void CvWithMlp_RecordsItsLossCurves_ThroughTheOneHotStep_AndTheHeldOutEndIsTheFoldsLoss()
    {
        // The loss-curve recording preprocesses each fold's held-out rows itself: it must one-hot encode them as the pipeline does.
        var data = Write(Table);
        var dir = CliRun.TempDir("pm-cat-mlp-");
        string[] args = ["cv", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--fold-column", "fold", "--model", "mlp",
            "--set", "max_iter=40"];
        var recorded = CliRun.Run([.. args, "--out", dir]);
        Assert.True(recorded.Exit == 0, recorded.Err);
        Assert.True(File.Exists(Path.Combine(dir, "loss.svg")));
        var plain = CliRun.Run(args);
        Assert.True(plain.Exit == 0, plain.Err);
        Assert.Equal(Summary(plain.Out), Summary(recorded.Out));
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        var mse = report.RootElement.GetProperty("metrics").GetProperty("mse").GetProperty("per_fold").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var heldOut = recorded.Out.Split('\n').Where(l => l.StartsWith("fold ", StringComparison.Ordinal) && l.Contains("held-out loss ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.IndexOf("held-out loss ", StringComparison.Ordinal) + 14)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(mse.Length, heldOut.Length);
        // scikit-learn's squared loss is half the mean squared error; printed to 4 decimals.
        for (var k = 0; k < mse.Length; k++) Assert.True(Math.Abs(heldOut[k] - mse[k] / 2) <= 6e-5, $"fold {k}: held-out loss {heldOut[k]}, mse/2 {mse[k] / 2}");
    }

    [Fact]
    public void Ordinal_FitThenPredict_ReproducesCvsFold_SameSeedSameBits_AndWarnsAboutAnUnknownCategory()
    {
        var data = Write(Table);
        var dir = Path.GetDirectoryName(data)!;
        var model = Path.Combine(dir, "m.pmm");
        string[] common = ["--data", data, "--target", "y", "--feature-columns", "x", "--categorical-columns", "kind", "--fold-column", "fold", "--model", "rf",
            "--set", "n_estimators=5", "--categorical-encoding", "ordinal"];
        var fit = CliRun.Run(["fit", .. common, "--holdout-fold", "2", "--out", model]);
        Assert.True(fit.Exit == 0, fit.Err);
        Assert.Contains("steps: ordinal_encoder, mean_imputer", fit.Out);
        Assert.Contains("note: column 'kind' is categorical (--categorical-columns): ordinal encoded", fit.Err);
        var predict = CliRun.Run("predict", "--model", model, "--data", data, "--fold-column", "fold", "--fold", "2", "--out", Path.Combine(dir, "p.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        Assert.Contains("warning: row 15 (id 'r15'), column 'kind': 'd' is not among the 3 categories of 'kind' in the training rows (a, b, c); it is encoded as -1", predict.Err);
        var cvDir = CliRun.TempDir("pm-cat-ord-");
        var cv = CliRun.Run(["cv", .. common, "--out", cvDir]);
        Assert.True(cv.Exit == 0, cv.Err);
        var mae = double.Parse(predict.Out.Split('\n').Single(l => l.StartsWith("MAE ", StringComparison.Ordinal)).Split(' ')[1].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(mae.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), cv.Out.Split('\n').Single(l => l.Contains("│ 2 ")));
        // The ordinal column keeps the input's width (x and kind), where one-hot has one column per category.
        using (var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(cvDir, "report.json"))))
            Assert.Equal(2, report.RootElement.GetProperty("n_features").GetInt32());
        var again = CliRun.TempDir("pm-cat-ord2-");
        Assert.Equal(0, CliRun.Run(["cv", .. common, "--out", again]).Exit);
        Assert.Equal(File.ReadAllBytes(Path.Combine(cvDir, "predictions.csv")), File.ReadAllBytes(Path.Combine(again, "predictions.csv")));
        var oneHot = CliRun.Run(["cv", .. common[..^2]]);
        Assert.True(oneHot.Exit == 0, oneHot.Err);
        Assert.NotEqual(Summary(oneHot.Out), Summary(cv.Out));
    }

    [Theory]
    [InlineData("cv")]
    [InlineData("fit")]
    [InlineData("benchmark")]
    public void BadCategoricalEncoding_IsOneLineProblem_NamingTheAcceptedValues(string verb)
    {
        var data = Write(Table);
        string[] args = verb switch
        {
            "benchmark" => ["benchmark", "--tasks", "jdft2d", "--space-group", "--out", CliRun.TempDir("pm-cat-bad-")],
            "fit" => ["fit", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--out", Path.Combine(CliRun.TempDir("pm-cat-bad-"), "m.pmm")],
            _ => ["cv", "--data", data, "--target", "y", "--feature-columns", "kind,x", "--folds", "2"],
        };
        var (exit, _, err) = CliRun.Run([.. args, "--categorical-encoding", "one-hot"]);
        Assert.Equal(1, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("--categorical-encoding one-hot is not accepted; use one of: onehot, ordinal", line);
        Assert.Contains("[param.invalid_value]", line);
    }
}
