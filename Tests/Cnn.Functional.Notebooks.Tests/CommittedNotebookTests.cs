namespace Cnn.Functional.Notebooks.Tests;

/// <summary>
/// What is committed: notebooks stored with their outputs (so a viewer shows results without running anything), small
/// enough to keep in git, and twins that are exactly what the generator makes of them. Cheap: nothing is executed.
/// </summary>
public class CommittedNotebookTests
{
    public static TheoryData<string> Names => NotebookTests.Names;

    private static NotebookDocument Read(string name) => NotebookDocument.Read(Path.Combine(Repository.NotebookFolder(Builds.Root), name + ".ipynb"));

    [Fact]
    public void There_are_the_eight_notebooks_of_the_lecture_each_with_a_twin()
    {
        Assert.Equal(["01-convolution", "02-pooling", "03-architectures", "04-training", "05-visualising", "06-adversarial", "07-transfer", "08-laws"],
            Repository.Notebooks(Builds.Root).Select(p => Path.GetFileNameWithoutExtension(p)));
        Assert.All(Repository.Notebooks(Builds.Root), p => Assert.True(File.Exists(Repository.TwinPath(p)), $"{p} has no twin"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_committed_twin_is_the_generated_one(string name)
    {
        var notebook = Read(name);
        var committed = File.ReadAllText(Repository.TwinPath(notebook.Path));
        Assert.True(TwinGenerator.Generate(notebook, Builds.Root) == committed,
            $"Notebooks/{name}.cs differs from what its notebook generates: run 'dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins'");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_committed_notebook_carries_its_executed_outputs(string name)
    {
        var notebook = Read(name);
        var code = notebook.Cells.Where(c => c.IsCode).ToList();
        Assert.NotEmpty(code);
        Assert.All(notebook.Cells.SelectMany(c => c.Outputs), o => Assert.IsNotType<ErrorOutput>(o));
        var text = string.Join("\n", notebook.Cells.SelectMany(c => c.Outputs).Select(o => o.Text));
        // The stored outputs show the same key results a fresh run must show.
        KeyOutputs.Check(name, text);
        var charts = notebook.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Where(d => d.Data.ContainsKey("application/vnd.plotly.v1+json")).ToList();
        Assert.Equal(KeyOutputs.Charts[name], charts.Count);
        // GitHub shows only pictures: every stored chart has one, and none carries plotly.js (3.6 MB) with it.
        Assert.All(charts, c => Assert.True(c.Data.ContainsKey("image/png"), "a chart without its PNG"));
        Assert.DoesNotContain(notebook.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>(), d => d.Data.Values.Any(v => v.Length > 400_000));
        var size = new FileInfo(notebook.Path).Length;
        Assert.True(size < 1_000_000, $"{name}.ipynb is {size:N0} bytes; keep it under 1 MB");
        Assert.All(code.Where(c => !c.NotebookOnly), c => Assert.DoesNotContain("#!", c.Source));
    }
}
