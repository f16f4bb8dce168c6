using System.Xml.Linq;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>cv with linear-gd writes loss.svg, cluster writes its map, and report shows both.</summary>
public class LossAndClusterCliTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Cli_CvWithLinearGdWritesLoss_ClusterWritesItsMap_AndTheReportShowsBoth()
    {
        var dir = CliRun.TempDir("pm-loss-");
        string[] data = ["--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En"];
        var cv = CliRun.Run(["cv", .. data, "--target", "Band Gap", "--target-unit", "eV", "--model", "linear-gd", "--set", "max_iter=200", "--folds", "3", "--out", dir]);
        Assert.True(cv.Exit == 0, cv.Err + cv.Out);
        Assert.Contains("fold 2: 200 epochs", cv.Out);
        var loss = XDocument.Load(Path.Combine(dir, "loss.svg"));
        Assert.Equal(3, loss.Descendants(Svg + "polyline").Count(e => (string?)e.Attribute("class") == "validation"));
        Assert.Equal(200, loss.Descendants(Svg + "polyline").First().Attribute("points")!.Value.Split(' ').Length);
        var cluster = CliRun.Run(["cluster", .. data, "--k", "3", "--seed", "1", "--out", dir]);
        Assert.True(cluster.Exit == 0, cluster.Err + cluster.Out);
        var map = XDocument.Load(Path.Combine(dir, "cluster.svg"));
        Assert.Equal(512, map.Descendants(Svg + "circle").Count(c => ((string?)c.Attribute("class") ?? "").StartsWith("cluster-", StringComparison.Ordinal)));
        Assert.Equal(3, map.Descendants(Svg + "path").Count(e => (string?)e.Attribute("class") == "centre"));
        Assert.Equal(0, CliRun.Run("report", dir).Exit);
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Contains("Loss (loss.svg)", html);
        Assert.Contains("Cluster (cluster.svg)", html);
        var ridgeDir = CliRun.TempDir("pm-ridge-");
        Assert.Equal(0, CliRun.Run(["cv", .. data, "--target", "Band Gap", "--model", "ridge", "--folds", "3", "--out", ridgeDir]).Exit);
        Assert.False(File.Exists(Path.Combine(ridgeDir, "loss.svg")));
    }
}
