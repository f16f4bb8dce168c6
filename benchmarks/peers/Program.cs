// Side-by-side peers of Pure.Materials' tree learners on the same Magpie features and official Matbench folds:
// ML.NET 6.0.0 FastForest, FastTree and LightGBM trainers, and LightGBM 4.7.0's own C API (the LightGBM NuGet package
// ships lib_lightgbm only; it is called here through P/Invoke, as its Python and R packages do).
//
// Input: a CSV written by `pure-materials featurize` (input columns first, then the features), e.g.
//   pure-materials featurize --data matbench_expt_gap --formula-column composition --featurizers magpie --out F.csv
// Feature columns are all columns except the target, `fold` and the known input columns (mbid, id, composition,
// spg_num, crys_sys). Empty cells are missing; like the scikit-learn scripts, each training fold's column means fill
// them (fitted on the training rows only). Prints per-fold and mean MAE and the wall seconds of each model's 5 fits +
// predictions (data conversion included). A True/False target (expt_is_metal) is binary classification, scored by accuracy
// (probability above 0.5), with the LightGBM C API only (objective=binary).
//
// Run: dotnet run -c Release --project benchmarks/peers -- F.csv "gap expt" [models] [seed]
//   models: comma-separated from fastforest, fastforest-full, fasttree, mlnet-lightgbm, lightgbm, lightgbm-rf
//   (default fastforest,fasttree,mlnet-lightgbm,lightgbm)
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

static class Program
{
    static readonly HashSet<string> InputColumns = new(StringComparer.Ordinal) { "mbid", "id", "composition", "spg_num", "crys_sys", "fold" };

    static int Main(string[] args)
    {
        if (args is ["--defaults"])
        {
            // The trainers' option defaults as the 6.0.0 assemblies hold them (read by reflection, not from documentation).
            foreach (var options in new object[] { new FastForestRegressionTrainer.Options(), new FastTreeRegressionTrainer.Options(), new LightGbmRegressionTrainer.Options() })
            {
                Console.WriteLine(options.GetType().FullName);
                foreach (var field in options.GetType().GetFields().OrderBy(f => f.Name, StringComparer.Ordinal))
                    Console.WriteLine($"  {field.Name} = {field.GetValue(options)}");
            }
            return 0;
        }
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: Pure.Materials.Peers FEATURES.csv TARGET [models] [seed]");
            return 2;
        }
        string path = args[0], target = args[1];
        string[] models = (args.Length > 2 ? args[2] : "fastforest,fasttree,mlnet-lightgbm,lightgbm").Split(',', StringSplitOptions.RemoveEmptyEntries);
        int seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        var (x, y, fold, names, binary) = Read(path, target);
        Console.WriteLine($"{path}: {x.Length} rows x {names.Length} features, target '{target}'{(binary ? " (True/False: binary classification, accuracy)" : "")}, folds {string.Join(",", fold.Distinct().Order())}, seed {seed}, {Environment.ProcessorCount} cores");
        if (binary && models.Any(m => m != "lightgbm"))
        {
            Console.Error.WriteLine("a True/False target is run with the LightGBM C API only: pass models = lightgbm");
            return 2;
        }
        var folds = fold.Distinct().Order().ToArray();
        foreach (string model in models)
        {
            var maes = new List<double>();
            var watch = Stopwatch.StartNew();
            foreach (int k in folds)
            {
                int[] train = Enumerable.Range(0, x.Length).Where(i => fold[i] != k).ToArray();
                int[] test = Enumerable.Range(0, x.Length).Where(i => fold[i] == k).ToArray();
                var (xTrain, xTest) = Impute(x, train, test);
                double[] yTrain = train.Select(i => y[i]).ToArray();
                double[] prediction = model switch
                {
                    "lightgbm" => LightGbmNative.FitPredict(xTrain, yTrain, xTest, $"objective={(binary ? "binary" : "regression")} seed={seed} num_threads={Environment.ProcessorCount} verbosity=-1", 100),
                    // LightGBM's random-forest mode: bagging is required (fraction < 1 and a frequency); 100 trees of up to
                    // 4,096 leaves with one row per leaf, the nearest to a full-depth forest LightGBM's leaf-wise growth allows.
                    "lightgbm-rf" => LightGbmNative.FitPredict(xTrain, yTrain, xTest, $"objective=regression boosting=rf bagging_freq=1 bagging_fraction=0.632 feature_fraction=1.0 num_leaves=4096 min_data_in_leaf=1 min_sum_hessian_in_leaf=0 seed={seed} num_threads={Environment.ProcessorCount} verbosity=-1", 100),
                    _ => MlNet(model, xTrain, yTrain, xTest, seed),
                };
                double mae = 0;
                for (int t = 0; t < test.Length; t++)
                    mae += binary ? ((prediction[t] > 0.5 ? 1.0 : 0.0) == y[test[t]] ? 1 : 0) : Math.Abs(prediction[t] - y[test[t]]);
                maes.Add(mae / test.Length);
            }
            watch.Stop();
            Console.WriteLine($"{model,-16} per-fold {(binary ? "accuracy" : "MAE")} {string.Join(" ", maes.Select(m => m.ToString("F4", CultureInfo.InvariantCulture)))}  mean {maes.Average().ToString("F4", CultureInfo.InvariantCulture)}  {watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        }
        return 0;
    }

    sealed class Row
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    static double[] MlNet(string model, double[][] xTrain, double[] yTrain, double[][] xTest, int seed)
    {
        var ml = new MLContext(seed);
        int width = xTrain[0].Length;
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        IDataView View(double[][] rows, double[]? labels) => ml.Data.LoadFromEnumerable(
            rows.Select((r, i) => new Row { Label = labels is null ? 0f : (float)labels[i], Features = r.Select(v => (float)v).ToArray() }).ToList(), schema);
        IEstimator<ITransformer> trainer = model switch
        {
            // ML.NET 6.0.0 defaults: 100 trees, 20 leaves, at least 10 rows per leaf; FastForest bags rows and features.
            "fastforest" => ml.Regression.Trainers.FastForest(),
            // "Full-leaf" forest: trees as large as the data allows (one row per leaf), the other defaults kept.
            "fastforest-full" => ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options { NumberOfLeaves = 4096, MinimumExampleCountPerLeaf = 1, NumberOfTrees = 100 }),
            "fasttree" => ml.Regression.Trainers.FastTree(),
            "mlnet-lightgbm" => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { Seed = seed, NumberOfThreads = Environment.ProcessorCount }),
            _ => throw new ArgumentException($"unknown model '{model}': use fastforest, fastforest-full, fasttree, mlnet-lightgbm, lightgbm, lightgbm-rf"),
        };
        var fitted = trainer.Fit(View(xTrain, yTrain));
        var scored = fitted.Transform(View(xTest, null));
        return scored.GetColumn<float>("Score").Select(v => (double)v).ToArray();
    }

    static (double[][] Train, double[][] Test) Impute(double[][] x, int[] train, int[] test)
    {
        int width = x[0].Length;
        var mean = new double[width];
        for (int j = 0; j < width; j++)
        {
            double sum = 0; int count = 0;
            foreach (int i in train) if (!double.IsNaN(x[i][j])) { sum += x[i][j]; count++; }
            mean[j] = count > 0 ? sum / count : 0;
        }
        double[][] Fill(int[] rows) => rows.Select(i => x[i].Select((v, j) => double.IsNaN(v) ? mean[j] : v).ToArray()).ToArray();
        return (Fill(train), Fill(test));
    }

    static (double[][] X, double[] Y, int[] Fold, string[] Names, bool Binary) Read(string path, string target)
    {
        using var reader = new StreamReader(path);
        string[] header = SplitCsv(reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file"));
        int targetIndex = Array.IndexOf(header, target);
        int foldIndex = Array.IndexOf(header, "fold");
        if (targetIndex < 0 || foldIndex < 0) throw new InvalidDataException($"{path}: needs columns '{target}' and 'fold'");
        int[] featureIndex = Enumerable.Range(0, header.Length).Where(j => j != targetIndex && !InputColumns.Contains(header[j])).ToArray();
        var x = new List<double[]>(); var y = new List<double>(); var fold = new List<int>();
        bool binary = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string[] cells = SplitCsv(line);
            x.Add(featureIndex.Select(j => cells[j].Length == 0 ? double.NaN : double.Parse(cells[j], CultureInfo.InvariantCulture)).ToArray());
            string label = cells[targetIndex];
            if (label.Equals("True", StringComparison.OrdinalIgnoreCase)) y.Add(1);
            else if (label.Equals("False", StringComparison.OrdinalIgnoreCase)) y.Add(0);
            else { binary = false; y.Add(double.Parse(label, CultureInfo.InvariantCulture)); }
            fold.Add(int.Parse(cells[foldIndex], CultureInfo.InvariantCulture));
        }
        return (x.ToArray(), y.ToArray(), fold.ToArray(), featureIndex.Select(j => header[j]).ToArray(), binary && y.Count > 0);
    }

    static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells.ToArray();
    }
}

/// <summary>LightGBM 4.7.0's C API (lib_lightgbm from the LightGBM NuGet package), the calls its Python package makes.</summary>
static class LightGbmNative
{
    const string Lib = "lib_lightgbm";
    const int Float64 = 1, Float32 = 0, PredictNormal = 0;

    [DllImport(Lib)] static extern int LGBM_DatasetCreateFromMat(double[] data, int dataType, int nrow, int ncol, int isRowMajor, string parameters, IntPtr reference, out IntPtr dataset);
    [DllImport(Lib)] static extern int LGBM_DatasetSetField(IntPtr dataset, string field, float[] data, int count, int type);
    [DllImport(Lib)] static extern int LGBM_DatasetFree(IntPtr dataset);
    [DllImport(Lib)] static extern int LGBM_BoosterCreate(IntPtr dataset, string parameters, out IntPtr booster);
    [DllImport(Lib)] static extern int LGBM_BoosterUpdateOneIter(IntPtr booster, out int finished);
    [DllImport(Lib)] static extern int LGBM_BoosterPredictForMat(IntPtr booster, double[] data, int dataType, int nrow, int ncol, int isRowMajor, int predictType, int startIteration, int numIteration, string parameter, out long length, double[] result);
    [DllImport(Lib)] static extern int LGBM_BoosterFree(IntPtr booster);
    [DllImport(Lib)] static extern IntPtr LGBM_GetLastError();

    static void Check(int code)
    {
        if (code != 0) throw new InvalidOperationException("LightGBM: " + Marshal.PtrToStringAnsi(LGBM_GetLastError()));
    }

    static double[] RowMajor(double[][] x)
    {
        int width = x[0].Length;
        var flat = new double[x.Length * width];
        for (int i = 0; i < x.Length; i++) Array.Copy(x[i], 0, flat, i * width, width);
        return flat;
    }

    public static double[] FitPredict(double[][] xTrain, double[] yTrain, double[][] xTest, string parameters, int iterations)
    {
        int width = xTrain[0].Length;
        Check(LGBM_DatasetCreateFromMat(RowMajor(xTrain), Float64, xTrain.Length, width, 1, parameters, IntPtr.Zero, out IntPtr dataset));
        try
        {
            Check(LGBM_DatasetSetField(dataset, "label", yTrain.Select(v => (float)v).ToArray(), yTrain.Length, Float32));
            Check(LGBM_BoosterCreate(dataset, parameters, out IntPtr booster));
            try
            {
                for (int t = 0; t < iterations; t++)
                {
                    Check(LGBM_BoosterUpdateOneIter(booster, out int finished));
                    if (finished != 0) break;
                }
                var result = new double[xTest.Length];
                Check(LGBM_BoosterPredictForMat(booster, RowMajor(xTest), Float64, xTest.Length, width, 1, PredictNormal, 0, -1, "", out long length, result));
                if (length != xTest.Length) throw new InvalidOperationException($"LightGBM returned {length} predictions for {xTest.Length} rows");
                return result;
            }
            finally { LGBM_BoosterFree(booster); }
        }
        finally { LGBM_DatasetFree(dataset); }
    }
}
