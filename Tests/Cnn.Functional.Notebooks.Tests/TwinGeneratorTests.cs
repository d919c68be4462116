namespace Cnn.Functional.Notebooks.Tests;

/// <summary>The generator's rules on a small notebook: references, usings, markdown, notebook-only cells, magic commands.</summary>
public class TwinGeneratorTests
{
    private static string Generate(string cells)
    {
        var path = Path.Combine(Path.GetTempPath(), $"99-rules-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, $$"""{"cells": [{{cells}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
        try
        {
            return TwinGenerator.Generate(NotebookDocument.Read(path), Builds.Root);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void References_become_directives_usings_move_up_markdown_becomes_comments()
    {
        var twin = Generate("""
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "\n", "Text."]},
            {"cell_type": "code", "metadata": {"tags": ["notebook-only"]}, "execution_count": null, "outputs": [], "source": ["Console.WriteLine(\"kit\");"]},
            {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["#r \"kit/Cnn.Functional.Graph.dll\"\n", "#r \"nuget: Some.Package, 1.2.3\"\n", "using Cnn.Functional;\n", "using var scope = Make();\n", "Console.WriteLine(1);"]},
            {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["using static System.Math;\n", "display(Abs(-1));"]}
            """);
        var lines = twin.Split('\n');
        Assert.StartsWith("// Generated from 99-rules-", lines[0]);
        Assert.Contains("#:project ../Core.CSharp/Cnn.Functional.Graph/Cnn.Functional.Graph.csproj", lines);
        Assert.Contains("#:package Some.Package@1.2.3", lines);
        Assert.True(Array.IndexOf(lines, "using static System.Math;") < Array.IndexOf(lines, "// # Title"), "usings go before every statement");
        Assert.Contains("using var scope = Make();", lines);   // a using statement stays where it is
        Assert.Contains("// Text.", lines);
        Assert.Contains("//", lines);
        Assert.DoesNotContain("Console.WriteLine(\"kit\");", twin);
        Assert.Contains("// (cell 2 runs only in the notebook", twin);
        Assert.Contains("void display(object? value) => NotebookDisplay.Show(value);", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("#r ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_magic_command_or_an_unknown_assembly_has_no_twin_and_says_where()
    {
        var magic = Assert.Throws<TwinException>(() => Generate("""{"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["#!time\n", "1"]}"""));
        Assert.Contains(", cell 1: the magic command '#!time' has no twin", magic.Message);
        var unknown = Assert.Throws<TwinException>(() => Generate("""{"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["#r \"kit/Nowhere.dll\""]}"""));
        Assert.Contains("cell 1: #r \"kit/Nowhere.dll\" names no project of this repository", unknown.Message);
    }
}
