using System.CommandLine;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Cli;

/// <summary>Every option that more than one verb takes, declared once: one name and one description each, so the same thing has
/// the same name and the same help text in every verb. A verb builds its options from these factories (a fresh instance per verb,
/// since defaults can differ: <c>--model</c> is rf for cv and ridge for select); options that only one verb takes are declared in
/// that verb. <c>CliOptionTests</c> checks that every option name shared by several verbs has one description.</summary>
internal static class Options
{
    public static Option<string> Data() => new("--data")
    {
        Description = "CSV file, or a bundled dataset name (" + string.Join(", ", BundledData.Names) + ").",
        Required = true,
    };

    /// <summary><c>--target</c>; required by the supervised verbs, optional for pca, cluster and select.</summary>
    public static Option<string> Target() => new("--target") { Description = TargetText, Required = true };

    /// <summary>Optional <c>--target</c> (pca, cluster, select).</summary>
    public static Option<string?> OptionalTarget() => new("--target") { Description = TargetText };

    private const string TargetText =
        "Target column: numbers for regression, booleans or text labels for classification (cv, search, learning-curve, explain). pca and cluster only colour their plots by it; " +
        "select needs it for correlation, rfe and model; active proposes the rows where it is empty.";

    public static Option<string?> FormulaColumn(string? @default = null)
    {
        var o = new Option<string?>("--formula-column") { Description = "Column of chemical formulas, featurized with --featurizers (magpie by default; predict uses the model's featurizers)." };
        if (@default is not null) o.DefaultValueFactory = _ => @default;
        return o;
    }

    public static Option<string?> Featurizers() => new("--featurizers")
    {
        Description = "Comma-separated composition featurizers, columns in this order: " + string.Join(", ", CompositionFeaturizers.Names) +
                      ". Default: magpie when --formula-column is given and --feature-columns is not.",
    };

    /// <summary><c>--quiet</c>: only the one-line summary on stdout.</summary>
    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print only the one-line summary (the files under --out are written as usual)." };

    /// <summary><c>--png-dpi</c> (every verb): a PNG copy of every SVG figure at this resolution.</summary>
    public static Option<int?> PngDpi() => new("--png-dpi")
    {
        Description = $"Also write every SVG figure as a PNG beside it (FILE.png), at this many dots per inch ({Png.MinDpi} to {Png.MaxDpi}; 300 for print), drawn with Svg.Skia/SkiaSharp and the bundled DejaVu Sans.",
        Recursive = true,
    };

    /// <summary><c>--json</c>: report.json on stdout instead of the tables.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the run's report.json (schema pure-materials.report/1) on stdout instead of the tables; progress stays on stderr." };

    /// <summary><c>--structures</c> (featurize, cv): crystal structures instead of a CSV of formulas.</summary>
    public static Option<string?> Structures() => new("--structures")
    {
        Description = "Crystal structures instead of a CSV: a Matbench/pymatgen JSON file, a CIF/POSCAR/XYZ file, a directory of them, or matbench_phonons " +
                      "(bundled, with its fold column). --featurizers then takes " + string.Join(", ", Pure.Materials.Featurize.Structural.StructureFeaturizers.Names) +
                      " (coulomb and sine-coulomb take matminer's options after a colon: :sort_eigenvalues=false for matminer's column order, :diag_elems=false)" +
                      " and any composition featurizer (of each structure's composition); cv uses every feature unless --feature-columns selects some.",
    };

    /// <summary><c>--molecular-cations</c>: molecular cations the formulas hold, read as their elements.</summary>
    public static Option<string?> MolecularCations() => new("--molecular-cations")
    {
        Description = "Molecular cations the formulas hold, read as their elements (as matminer users expand them before featurizing): MA (methylammonium, CH3NH3), " +
                      "FA (formamidinium, CH(NH2)2), or SYMBOL=FORMULA (e.g. GA=C(NH2)3), comma-separated; e.g. --molecular-cations MA,FA reads MAPbI3 as C H6 N Pb I3. " +
                      "A symbol counts only as written in capitals and not followed by a lowercase letter (FAs stays F + As). Default: none.",
    };

    public static Option<string?> FeatureColumns() => new("--feature-columns")
    {
        Description = "Comma-separated numeric columns used as features (alone or beside the featurizers' columns); * and ? are globs, e.g. \"MagpieData*\" " +
                      "(a glob never matches the target, formula, id or fold column).",
    };

    /// <summary><c>--categorical-columns</c>: columns one-hot encoded by a pipeline step fitted on training rows only.</summary>
    public static Option<string?> CategoricalColumns() => new("--categorical-columns")
    {
        Description = "Comma-separated columns holding categories (e.g. crys_sys, or a space-group number spg_num), one-hot encoded as the pipeline's first step " +
                      "with the categories of the training rows only (scikit-learn OneHotEncoder, handle_unknown=ignore: a category the training rows lack is all zeros; " +
                      "a missing cell is a category of its own, 'nan'); output columns are named COLUMN_VALUE (crys_sys_cubic). They are used as features beside " +
                      "--feature-columns. A --feature-columns column whose cells are all text is encoded the same way without being named here (said on stderr).",
    };

    /// <summary><c>--categorical-encoding</c>: how the categorical columns are encoded (onehot or ordinal), default <paramref name="defaultValue"/>.</summary>
    public static Option<string> CategoricalEncoding(string defaultValue = "onehot") => new("--categorical-encoding")
    {
        Description = "How categorical columns (--categorical-columns, or text --feature-columns) are encoded, fitted on the training rows only: onehot (one column " +
                      "per category, scikit-learn OneHotEncoder(handle_unknown=ignore); any model) or ordinal (one column of codes 0..k-1 of the sorted categories, " +
                      "unknown and missing cells -1: scikit-learn OrdinalEncoder(handle_unknown=use_encoded_value, unknown_value=-1, encoded_missing_value=-1); " +
                      $"for trees: the width and memory stay those of the numeric features). Default {defaultValue}.",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>The accepted values of <c>--categorical-encoding</c>.</summary>
    public const string CategoricalEncodings = "onehot, ordinal";

    /// <summary>Reads <c>--categorical-encoding</c>, adding a one-line <c>param.invalid_value</c> to <paramref name="problems"/> for another value.</summary>
    public static Pure.Materials.Scale.CategoricalEncoding ParseCategoricalEncoding(string text, List<Pure.Materials.Core.Problem> problems)
    {
        switch (text)
        {
            case "onehot": return Pure.Materials.Scale.CategoricalEncoding.OneHot;
            case "ordinal": return Pure.Materials.Scale.CategoricalEncoding.Ordinal;
            default:
                problems.Add(new Pure.Materials.Core.Problem("param.invalid_value", $"--categorical-encoding {text} is not accepted; use one of: {CategoricalEncodings}"));
                return Pure.Materials.Scale.CategoricalEncoding.OneHot;
        }
    }

    public static Option<string?> IdColumn() => new("--id-column")
    {
        Description = "Column of row identifiers (default: mbid, id, material_id or Index when present, else the row number).",
    };

    public static Option<string> Impute() => new("--impute")
    {
        Description = "Missing feature values: mean (column means fitted on the training rows) or none.",
        DefaultValueFactory = _ => "mean",
    };

    /// <summary><c>--scale</c>: no default (the learner's default) for the supervised verbs, <c>standard</c> for pca, cluster and select.</summary>
    public static Option<string?> Scale(string? @default = null)
    {
        var o = new Option<string?>("--scale")
        {
            Description = "Feature scaling: standard (zero mean, unit variance), minmax or none (pca, cluster, select: standard or none). " +
                          "Default: the learner's (standard for linear and kernel models, none for trees); standard for pca, cluster and select.",
        };
        if (@default is not null) o.DefaultValueFactory = _ => @default;
        return o;
    }

    public static Option<string> Model(string @default = "rf") => new("--model") { Description = ModelText, DefaultValueFactory = _ => @default };

    /// <summary><c>--task</c> (cv and fit): classification or regression; default detected from the target.</summary>
    public static Option<string?> Task() => new("--task")
    {
        Description = "classification (models: " + string.Join(", ", Classifiers.Names) + ", and cgcnn on --structures with 2 classes; confusion matrix, accuracy, ROC-AUC, ...) or regression. Default: classification for a boolean target (True/False) or text labels (e.g. cubic, tetragonal; names kept in the report) when every value is a plausible label (not a decimal comma like 2,1, not a number with a unit like 2.1 eV, not a typo in a True/False column: those are reported at the cell), else regression; whole numbers (e.g. 0/1 labels of a structure file) stay regression unless --task classification (they are usually counts or space-group numbers, not class codes).",
    };

    /// <summary><c>--select</c>: a feature-selection step (cv refits it inside each fold; fit on the training rows).</summary>
    public static Option<string?> Select() => new("--select")
    {
        Description = "Feature selection fitted on the training rows only (cv: inside each training fold): variance[:THRESHOLD], correlation:K, rfe:K or model[:THRESHOLD] (rfe and model rank features with --model).",
    };

    /// <summary><c>--chunk-size</c> of the streaming verbs (featurize, screen).</summary>
    public static Option<int> ChunkSize() => new("--chunk-size")
    {
        Description = "Rows (featurize) or candidates (screen) featurized in parallel and processed per chunk; memory is bounded by about two chunks (plus screen's top list).",
        DefaultValueFactory = _ => 4096,
    };

    /// <summary><c>--goal</c> (active, screen): whether high or low target values are wanted; the default differs by verb.</summary>
    public static Option<string> Goal(string @default) => new("--goal")
    {
        Description = "min or max: whether low or high target values are wanted (active: the value to find; screen: the ranking's direction).",
        DefaultValueFactory = _ => @default,
    };

    /// <summary><c>--beta</c> (active, screen): UCB's weight of the standard deviation.</summary>
    public static Option<double> Beta() => new("--beta") { Description = "UCB's weight of the standard deviation: mean + beta * std when maximising, mean - beta * std when minimising.", DefaultValueFactory = _ => 2.0 };

    /// <summary><c>--top</c> (explain, screen): how many to show or keep.</summary>
    public static Option<int> Top() => new("--top") { Description = "How many to keep: the features in shap.svg (explain), the best candidates written (screen).", DefaultValueFactory = _ => 20 };

    /// <summary><c>--model</c> of predict: the model file fit wrote (required).</summary>
    public static Option<string> ModelFile() => new("--model") { Description = ModelText, Required = true };

    private static readonly string ModelText =
        "Learner. Regression: " + string.Join(", ", Learners.Names) + ". Classification (boolean or text-label target): " + string.Join(", ", Classifiers.Names) +
        ". select's rfe and model rank features with it. Parameters of each: pure-materials models NAME. For predict: the model file fit wrote (model.pmm).";

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Model parameter with scikit-learn's name, key=value; repeat per parameter (e.g. --set n_estimators=500); `pure-materials models NAME` lists them.",
        DefaultValueFactory = _ => [],
    };

    public static Option<int?> Folds() => new("--folds") { Description = "Seeded shuffled k-fold with K folds (default 5)." };

    public static Option<string?> FoldColumn() => new("--fold-column") { Description = "Column of predefined test folds 0..K-1 (Matbench: fold)." };

    public static Option<double?> TestFraction() => new("--test-fraction") { Description = "One seeded train/test split with this fraction of the rows held out as the test set." };

    public static Option<string?> Groups() => new("--groups")
    {
        Description = "Group k-fold: keep the rows of one group in one fold; 'reduced-formula' (polymorphs together) or a column name.",
    };

    public static Option<bool> Stratify() => new("--stratify")
    {
        Description = "Stratified k-fold for class targets (boolean or whole numbers): each fold keeps the class ratios. With --groups: stratified group k-fold.",
    };

    /// <summary><c>--representative K</c>: k-means clusters of the features; each split keeps every cluster's share on both sides.</summary>
    public static Option<int?> Representative() => new("--representative")
    {
        Description = "Representative split: cluster the standardised features into K k-means clusters and draw training and test rows from every cluster " +
                      "in proportion (with --test-fraction F: one held-out split; else --folds K folds, default 5). Every cluster needs 2 rows (held out) or K rows (folds).",
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Seed of every random choice (bootstrap, feature sampling, shuffled folds, initial designs); the same seed gives the same results.",
        DefaultValueFactory = _ => 0,
    };

    /// <summary><c>--out</c>: a directory for every verb but <c>featurize</c>, which writes one CSV file.</summary>
    public static Option<string?> Out() => new("--out") { Description = OutText };

    /// <summary>Required <c>--out</c> (featurize).</summary>
    public static Option<string> RequiredOut() => new("--out") { Description = OutText, Required = true };

    private const string OutText =
        "Where results go: a directory (report.json, predictions.csv, plots and tables, by verb); for featurize, one file (the input columns, then the features); " +
        "for fit, the model file (e.g. model.pmm); for predict, one file (id, formula, y_pred, y_std, applicability); " +
        "for benchmark, a directory (default benchmark) with benchmark.json, benchmark.csv and one cv directory per task; " +
        "for screen and merge, the ranked file, or - for CSV on standard output (every message then goes to stderr). " +
        "A featurize, predict, screen or merge file ending in .parquet (or .pq) is written as Apache Parquet, any other as CSV.";

    public static Option<string> TargetUnit() => new("--target-unit")
    {
        Description = "Unit of the target for plot axes and colour bars (e.g. eV).",
        DefaultValueFactory = _ => "",
    };

    public static Option<string> OnError() => new("--on-error")
    {
        Description = "A row with a problem (bad formula, wrong field count, non-numeric or missing target, bad feature cell): " +
                      "stop (report every such row, write nothing) or skip (leave the rows out, list them in the skipped-rows report).",
        DefaultValueFactory = _ => "stop",
    };

    public static Option<string?> SkippedReport() => new("--skipped-report")
    {
        Description = "With --on-error skip: CSV listing the skipped rows. Default: OUT/skipped_rows.csv with an --out directory, OUT.skipped.csv for featurize, " +
                      "else warnings on stderr.",
    };

    public static Option<string> Metric() => new("--metric")
    {
        Description = "Metric: a report key (regression: " + string.Join(", ", CrossValidationReport.MetricKeys) + "; classification: " +
                      string.Join(", ", ClassificationReport.MetricKeys) + ") or a scikit-learn scoring name (neg_mean_absolute_error, accuracy, roc_auc, neg_log_loss, ...). " +
                      "Default: mae for a continuous target, accuracy for classes.",
        DefaultValueFactory = _ => "mae",
    };

    /// <summary><c>--method</c> of <c>cluster</c> and <c>select</c>.</summary>
    public static Option<string> Method(string @default) => new("--method")
    {
        Description = "cluster: kmeans or dbscan; select: variance, correlation, rfe or model.",
        DefaultValueFactory = _ => @default,
    };

    /// <summary><c>--k</c> of <c>cluster</c> (number of clusters) and <c>select</c> (features kept).</summary>
    public static Option<int> ClusterK() => new("--k") { Description = KText, DefaultValueFactory = _ => 8 };

    /// <summary><c>--k</c> of <c>select</c>: optional.</summary>
    public static Option<int?> SelectK() => new("--k") { Description = KText };

    private const string KText =
        "cluster: number of k-means clusters (default 8). select: features kept (correlation: top K by |r| with the target; rfe: n_features_to_select; model: max_features).";
}

/// <summary>The options of the verbs that fit a supervised pipeline on a table (cv, search, learning-curve, explain), built from
/// <see cref="Options"/>, and the <see cref="CvArgs"/> read from a parse. cv-only options are added when <c>cvOnly</c> is set;
/// <c>--on-error</c> and <c>--skipped-report</c> when <c>onError</c> is set.</summary>
internal sealed class SupervisedOptions
{
    private readonly Option<string> _data = Options.Data();
    private readonly Option<string> _target = Options.Target();
    private readonly Option<string?> _formula = Options.FormulaColumn();
    private readonly Option<string?> _featurizers = Options.Featurizers();
    private readonly Option<string?> _featureColumns = Options.FeatureColumns();
    private readonly Option<string?> _idColumn = Options.IdColumn();
    private readonly Option<string?> _categorical = Options.CategoricalColumns();
    private readonly Option<string> _encoding = Options.CategoricalEncoding();
    private readonly Option<string?> _cations = Options.MolecularCations();
    private readonly Option<string> _impute = Options.Impute();
    private readonly Option<string?> _scale = Options.Scale();
    private readonly Option<string> _model = Options.Model();
    private readonly Option<string[]> _set = Options.Set();
    private readonly Option<int?> _folds = Options.Folds();
    private readonly Option<string?> _foldColumn = Options.FoldColumn();
    private readonly Option<double?> _testFraction = Options.TestFraction();
    private readonly Option<long> _seed = Options.Seed();
    private readonly Option<string?> _out = Options.Out();
    private readonly Option<string> _unit = Options.TargetUnit();
    private readonly Option<string?> _groups = Options.Groups();
    private readonly Option<bool> _stratify = Options.Stratify();
    private readonly Option<int?> _representative = Options.Representative();
    private readonly Option<bool>? _loo;
    private readonly Option<string?>? _task;
    private readonly Option<string?>? _select;
    private readonly Option<string>? _onError;
    private readonly Option<string?>? _skippedReport;
    private readonly Option<bool>? _quiet;
    private readonly Option<bool>? _json;

    /// <summary>The <c>--data</c> option (cv makes it optional: <c>--structures</c> is the other input).</summary>
    public Option<string> Data => _data;

    public SupervisedOptions(bool cvOnly = false, bool onError = false)
    {
        if (cvOnly)
        {
            _loo = new Option<bool>("--loo") { Description = "Leave-one-out cross-validation (one split per row)." };
            _task = Options.Task();
            _select = Options.Select();
            _quiet = Options.Quiet();
            _json = Options.Json();
        }
        if (onError)
        {
            _onError = Options.OnError();
            _skippedReport = Options.SkippedReport();
        }
    }

    /// <summary>Adds the options to <paramref name="command"/>, in help order.</summary>
    public Command AddTo(Command command)
    {
        Option?[] all =
        [
            _data, _target, _formula, _featurizers, _featureColumns, _categorical, _encoding, _idColumn, _cations, _impute, _scale, _model, _set, _folds, _foldColumn, _testFraction,
            _seed, _out, _unit, _groups, _stratify, _representative, _loo, _task, _select, _onError, _skippedReport, _quiet, _json,
        ];
        foreach (var o in all)
            if (o is not null) command.Add(o);
        return command;
    }

    /// <summary>The arguments of one parse.</summary>
    public CvArgs Read(ParseResult r) => new(
        r.GetValue(_data)!, r.GetValue(_target)!, r.GetValue(_formula), r.GetValue(_featurizers), r.GetValue(_featureColumns), r.GetValue(_idColumn),
        r.GetValue(_impute)!, r.GetValue(_scale), r.GetValue(_model)!, r.GetValue(_set) ?? [], r.GetValue(_folds), r.GetValue(_foldColumn),
        r.GetValue(_testFraction), r.GetValue(_seed), r.GetValue(_out), r.GetValue(_unit)!, r.GetValue(_groups), r.GetValue(_stratify),
        _loo is null ? false : r.GetValue(_loo), _task is null ? null : r.GetValue(_task), _select is null ? null : r.GetValue(_select),
        _onError is null ? "stop" : r.GetValue(_onError)!, _skippedReport is null ? null : r.GetValue(_skippedReport))
    {
        Quiet = _quiet is not null && r.GetValue(_quiet),
        Json = _json is not null && r.GetValue(_json),
        MolecularCations = r.GetValue(_cations),
        Representative = r.GetValue(_representative),
        CategoricalColumns = r.GetValue(_categorical),
        CategoricalEncoding = r.GetValue(_encoding)!,
    };
}
