using System.Globalization;
using Xunit.Abstractions;

namespace Cnn.Functional.Notebooks.Tests;

/// <summary>Every notebook runs headless in the C# kernel without a failing cell and shows its key results.</summary>
[Collection(NotebookCollection.Name)]
public class NotebookTests(NotebookFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Names => new(Repository.Notebooks(Builds.Root).Select(p => Path.GetFileNameWithoutExtension(p)));

    [Theory]
    [MemberData(nameof(Names))]
    public void Notebook_runs_and_shows_its_key_results(string name)
    {
        var run = fixture.Run(name);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {run.Elapsed.TotalSeconds:0.0} s (kit build {fixture.KitBuild.TotalSeconds:0.0} s, once)"));
        KeyOutputs.Check(name, run.Text);
        var figures = run.Displays("application/vnd.plotly.v1+json").ToList();
        Assert.Equal(KeyOutputs.Charts[name], figures.Count);
        // Each chart is a figure and, where chromium is installed (scripts/setup.sh installs it), its picture.
        if (File.Exists("/usr/bin/chromium")) Assert.Equal(figures.Count, run.Displays("image/png").Count());
        Assert.All(figures, f => Assert.Contains("\"data\":[", f));
    }

    [Fact]
    public void A_failing_cell_is_reported_with_the_notebook_the_cell_number_and_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cnnf-failing-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
              {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["Console.WriteLine(\"fine\");"]},
              {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["throw new InvalidOperationException(\"boom\");"]}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        try
        {
            var e = Assert.Throws<NotebookCellException>(() => NotebookRunner.RunAsync(NotebookDocument.Read(path)).GetAwaiter().GetResult());
            Assert.Equal(3, e.Cell);
            Assert.StartsWith($"{Path.GetFileNameWithoutExtension(path)}, cell 3: System.InvalidOperationException: boom", e.Message);
            Assert.Contains("--- cell 3 ---\nthrow new InvalidOperationException(\"boom\");", e.Message);

            File.WriteAllText(path, File.ReadAllText(path).Replace("throw new InvalidOperationException(\\\"boom\\\");", "int x = \\\"text\\\";"));
            var compile = Assert.Throws<NotebookCellException>(() => NotebookRunner.RunAsync(NotebookDocument.Read(path)).GetAwaiter().GetResult());
            Assert.Contains("cell 3: (1,9): error CS0029", compile.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
