namespace Cnn.Functional.Tests;

/// <summary>
/// The README's examples are the code the tests run: each example block of README.md must equal, line for line up to
/// indentation, the region of a test between <c>// ---- README: …</c> (or <c>// ---- as in README.md ----</c>) and
/// <c>// ----</c>. The block's leading <c>using</c>/<c>open</c> lines stand for the test file's own, which must
/// contain them. Edit one without the other and this fails.
/// </summary>
public class ReadmeDriftTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && File.Exists(Path.Combine(dir.FullName, "Cnn.Functional.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no README.md with Cnn.Functional.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The fenced code blocks of README.md under the heading <paramref name="heading"/> (up to the next one of its level), by language.</summary>
    internal static List<(string Language, string[] Lines)> Blocks(string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md"));
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"README.md has no heading '{heading}'");
        var level = heading.TakeWhile(c => c == '#').Count();
        var blocks = new List<(string, string[])>();
        for (var i = start + 1; i < lines.Length; i++)
        {
            var hashes = lines[i].TakeWhile(c => c == '#').Count();
            if (hashes > 0 && hashes <= level && lines[i].Length > hashes && lines[i][hashes] == ' ') break;
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length == 3) continue;
            var end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
            blocks.Add((lines[i][3..].Trim(), lines[(i + 1)..end]));
            i = end;
        }
        return blocks;
    }

    /// <summary>The lines of <paramref name="file"/> between the line <paramref name="marker"/> and the next <c>// ----</c>.</summary>
    internal static string[] Region(string file, string marker)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, file));
        var start = Array.FindIndex(lines, l => l.Trim() == marker);
        Assert.True(start >= 0, $"{file} has no line '{marker}'");
        var end = Array.FindIndex(lines, start + 1, l => l.Trim() == "// ----");
        return lines[(start + 1)..end];
    }

    // Indentation removed (the least of the non-blank lines), trailing spaces and outer blank lines dropped.
    internal static string Dedent(IEnumerable<string> lines)
    {
        var kept = lines.Select(l => l.TrimEnd()).ToList();
        while (kept.Count > 0 && kept[0].Length == 0) kept.RemoveAt(0);
        while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        var indent = kept.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", kept.Select(l => l.Length == 0 ? l : l[indent..]));
    }

    // The block's code without its leading imports, and those imports.
    private static (string Code, string[] Imports) Split(string[] block, string keyword)
    {
        var imports = block.TakeWhile(l => l.StartsWith(keyword, StringComparison.Ordinal) || l.Trim().Length == 0).ToArray();
        return (Dedent(block.Skip(imports.Length)), imports.Where(l => l.Trim().Length > 0).ToArray());
    }

    private static void Same(string[] block, string keyword, string testFile, string marker)
    {
        var (code, imports) = Split(block, keyword);
        Assert.Equal(Dedent(Region(testFile, marker)), code);
        var source = File.ReadAllLines(Path.Combine(Root, testFile)).Select(l => l.Trim()).ToHashSet();
        foreach (var import in imports) Assert.Contains(import.Trim(), source);
    }

    [Fact]
    public void The_quick_start_in_csharp_and_fsharp_is_the_code_the_tests_run()
    {
        var blocks = Blocks("## A first network");
        Assert.Equal(["csharp", "fsharp"], blocks.Select(b => b.Language));
        Same(blocks[0].Lines, "using ", "Tests/Cnn.Functional.Charts.Tests/ReadmeQuickStartTests.cs", "// ---- README: quick start ----");
        Same(blocks[1].Lines, "open ", "Tests/Cnn.Functional.FSharp.Tests/ReadmeTests.fs", "// ---- README: quick start ----");
    }

    [Fact]
    public void The_explain_example_is_the_code_its_test_runs()
    {
        var block = Blocks("## Looking inside a trained network").First(b => b.Language == "csharp");
        Same(block.Lines, "using ", "Tests/Cnn.Functional.Charts.Tests/ReadmeExampleTests.cs", "// ---- as in README.md ----");
    }

    [Fact]
    public void Indentation_and_outer_blank_lines_do_not_count_but_inner_indentation_does() =>
        Assert.Equal("a\n  b", Dedent(["", "    a", "      b  ", ""]));
}
