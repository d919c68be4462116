using System.Text.RegularExpressions;

namespace Cnn.Functional.Tests;

/// <summary>The README's list of <c>cnnf</c> subcommands is the one <c>cnnf --help</c> prints.</summary>
public class ReadmeCommandListTests
{
    [Fact]
    public void The_README_names_every_subcommand_and_counts_them()
    {
        var (code, help, _) = Cnnf.Run("--help");
        Assert.Equal(0, code);
        var commands = help[help.IndexOf("Commands:", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Select(l => Regex.Match(l, @"^  (\w+) ")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("fuzz", commands);

        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Cnn.Functional.sln"))) root = Path.GetDirectoryName(root)!;
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r", "");
        var sentence = Regex.Match(readme, @"`cnnf` has (\w+) subcommands, each with `--help` and `--json`: ([^.]+)\.");
        Assert.True(sentence.Success, "the README's sentence listing cnnf's subcommands");
        var listed = Regex.Matches(sentence.Groups[2].Value, "`(\\w+)`").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(commands.Order(), listed.Order());
        string[] numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
        Assert.Equal(numbers[commands.Count], sentence.Groups[1].Value);
    }
}
