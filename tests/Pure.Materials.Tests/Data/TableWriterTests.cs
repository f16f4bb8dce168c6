using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Data;

/// <summary>TableWriter: CSV and Parquet twins hold the same cells, across row groups, with NaN as empty / null.</summary>
public class TableWriterTests
{
    private static readonly OutputColumn[] Columns =
        [new("id", ColumnKind.Text), new("formula", ColumnKind.Text), new("y_pred", ColumnKind.Number), new("rank", ColumnKind.Integer)];

    private static byte[] Write(TableFormat format, int rows)
    {
        using var stream = new MemoryStream();
        using (var table = TableWriter.Create(stream, format, Columns))
        {
            for (var i = 0; i < rows; i++)
            {
                table.Text("r" + i.ToString(CultureInfo.InvariantCulture));
                table.Text(i % 7 == 0 ? "a, \"quoted\" Ångström" : i % 11 == 0 ? null : "Fe2O3");
                table.Number(i % 5 == 0 ? double.NaN : i % 13 == 0 ? double.PositiveInfinity : Math.Sqrt(i) * 1e-3);
                table.Integer(-i * 1_000_000_007L);
                table.EndRow();
            }
            Assert.Equal(rows, table.Rows);
            table.Complete();
        }
        return stream.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TableWriter.ParquetRowGroupRows)]
    [InlineData(TableWriter.ParquetRowGroupRows * 2 + 3)]
    public void ParquetCells_EqualCsvCells_AcrossRowGroups(int rows)
    {
        var csv = Csv.Read(new StreamReader(new MemoryStream(Write(TableFormat.Csv, rows))), "csv").OrThrow();
        var parquet = ParquetTables.Read(new MemoryStream(Write(TableFormat.Parquet, rows)), "parquet").OrThrow();
        Assert.Equal(["id", "formula", "y_pred", "rank"], parquet.Header);
        Assert.Equal(csv.Header, parquet.Header);
        Assert.Equal(rows, parquet.Rows.Count);
        for (var i = 0; i < rows; i++) Assert.Equal(csv.Rows[i], parquet.Rows[i]);
        Assert.Equal("", parquet.Rows[0][2]); // NaN is null
    }

    [Fact]
    public void EmptyTable_IsAValidParquetFileWithTheSchema()
    {
        var parquet = ParquetTables.Read(new MemoryStream(Write(TableFormat.Parquet, 0)), "parquet").OrThrow();
        Assert.Equal(["id", "formula", "y_pred", "rank"], parquet.Header);
        Assert.Empty(parquet.Rows);
    }

    [Fact]
    public void WrongCells_AreProgrammingErrors_NotSilentColumns()
    {
        using var stream = new MemoryStream();
        using var table = TableWriter.Create(stream, TableFormat.Csv, Columns);
        Assert.Throws<InvalidOperationException>(() => table.Number(1)); // the first column is text
        table.Text("a");
        Assert.Throws<InvalidOperationException>(() => table.EndRow()); // a row with too few cells
        Assert.Throws<ArgumentException>(() => TableWriter.Create(stream, TableFormat.Csv, [new("a", ColumnKind.Text), new("a", ColumnKind.Number)]));
    }

    [Fact]
    public void NotParquet_IsAProblem_NotAnException()
    {
        var result = ParquetTables.Read(new MemoryStream("id,y\n1,2\n"u8.ToArray()), "p.parquet");
        Assert.Equal("parquet.unreadable", Assert.Single(result.Problems()).Code);
    }

    [Theory]
    [InlineData("out.parquet", TableFormat.Parquet)]
    [InlineData("OUT.PQ", TableFormat.Parquet)]
    [InlineData("out.csv", TableFormat.Csv)]
    [InlineData("out", TableFormat.Csv)]
    public void FormatOf_FollowsTheExtension(string path, TableFormat expected) => Assert.Equal(expected, TableWriter.FormatOf(path));
}
