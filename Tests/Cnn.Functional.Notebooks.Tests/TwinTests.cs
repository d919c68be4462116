using System.Globalization;
using Xunit.Abstractions;

namespace Cnn.Functional.Notebooks.Tests;

/// <summary>Every twin runs with <c>dotnet run</c> and prints what its notebook shows; the committed twins are the generated ones.</summary>
[Collection(TwinCollection.Name)]
public class TwinTests(TwinFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Names => NotebookTests.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Twin_runs_and_prints_the_key_results(string name)
    {
        var run = fixture.Runs[name];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}.cs: build {run.Build.TotalSeconds:0.0} s, run {run.Run.TotalSeconds:0.0} s"));
        Assert.True(run.ExitCode == 0, $"dotnet run Notebooks/{name}.cs exited with {run.ExitCode}:\n{run.Error}\n{run.Output}");
        KeyOutputs.Check(name, run.Output);
        // Charts are saved as pages the twin names, one line each.
        var charts = run.Output.Split('\n').Where(l => l.StartsWith("[chart ", StringComparison.Ordinal)).ToList();
        Assert.Equal(KeyOutputs.Charts[name], charts.Count);
        var page = charts[0][(charts[0].IndexOf(": ", StringComparison.Ordinal) + 2)..^1];
        Assert.True(File.Exists(page), $"the twin says it saved {page}");
        Assert.Contains("Plotly.newPlot", File.ReadAllText(page));
    }
}
