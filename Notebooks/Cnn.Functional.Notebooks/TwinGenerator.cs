using System.Text;
using System.Text.RegularExpressions;

namespace Cnn.Functional.Notebooks;

/// <summary>A notebook cannot be turned into a file-based app; the message names the notebook, the cell and why.</summary>
public sealed class TwinException(string message) : Exception(message);

/// <summary>
/// Generates a notebook's twin: the same program as a .NET 10 file-based app (<c>dotnet run Notebooks/NN-topic.cs</c>).
/// <list type="bullet">
/// <item><c>#r "kit/X.dll"</c> becomes <c>#:project</c> of the repository project that builds X; <c>#r "nuget: P, V"</c>
/// becomes <c>#:package P@V</c>.</item>
/// <item><c>using</c> directives move to the top (C# wants them before statements); markdown cells become comments;
/// cells tagged <c>notebook-only</c> are left out (they prepare the kit, which the twin does not need).</item>
/// <item><c>display(…)</c> is the notebook's; the twin defines one that prints text and saves a chart as an offline
/// HTML page in a temporary folder.</item>
/// </list>
/// Notebooks therefore keep to what both forms accept: no trailing-expression results (use display), no type
/// declarations, no variable declared twice, no magic commands.
/// </summary>
public static partial class TwinGenerator
{
    public static string Generate(NotebookDocument notebook, string root)
    {
        var fileName = Path.GetFileName(notebook.Path);
        var twinName = Path.ChangeExtension(fileName, ".cs");
        var directives = new List<string>();
        var usings = new List<string>();
        var body = new StringBuilder();
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            var number = i + 1;
            if (cell.Kind == "markdown")
            {
                body.Append('\n');
                foreach (var line in cell.Source.TrimEnd().Split('\n')) body.Append(line.Length == 0 ? "//" : "// " + line).Append('\n');
                continue;
            }
            if (!cell.IsCode) continue;
            if (cell.NotebookOnly)
            {
                body.Append($"\n// (cell {number} runs only in the notebook: it prepares the kit that #r loads; here #:project does that)\n");
                continue;
            }
            body.Append($"\n// cell {number}\n");
            var code = new List<string>();
            foreach (var line in cell.Source.TrimEnd().Split('\n'))
            {
                var trimmed = line.Trim();
                if (Reference().Match(trimmed) is { Success: true } reference)
                {
                    var directive = Directive(reference.Groups["target"].Value, root, fileName, number);
                    if (!directives.Contains(directive)) directives.Add(directive);
                }
                else if (trimmed.StartsWith("#!", StringComparison.Ordinal) || trimmed.StartsWith("#i ", StringComparison.Ordinal))
                    throw new TwinException($"{fileName}, cell {number}: the magic command '{trimmed}' has no twin; keep notebooks to plain C#");
                else if (UsingDirective().IsMatch(trimmed))
                {
                    if (!usings.Contains(trimmed)) usings.Add(trimmed);
                }
                else code.Add(line.TrimEnd());
            }
            // The lines taken out (#r, using) leave gaps: no blank line at either end, and none doubled.
            var kept = code.Where((line, j) => line.Length > 0 || (j > 0 && code[j - 1].Length > 0)).SkipWhile(l => l.Length == 0).ToList();
            while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
            foreach (var line in kept) body.Append(line).Append('\n');
        }

        var text = new StringBuilder();
        text.Append($"""
            // Generated from {fileName} by the notebook tool: do not edit; edit the notebook and regenerate with
            //   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
            // Run it (from the repository root) with
            //   dotnet run Notebooks/{twinName}
            // Markdown cells are comments; display(…) prints text and saves charts as HTML pages in a temporary folder.

            """);
        foreach (var d in directives) text.Append(d).Append('\n');
        text.Append('\n');
        foreach (var u in usings) text.Append(u).Append('\n');
        text.Append(body);
        text.Append($$"""

            // What display(…) does outside a notebook.
            void display(object? value) => NotebookDisplay.Show(value);

            file static class NotebookDisplay
            {
                private static int charts;

                public static void Show(object? value)
                {
                    if (value is Plotly.NET.GenericChart chart)
                    {
                        var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "{{Path.GetFileNameWithoutExtension(fileName)}}");
                        var path = Path.Combine(folder, $"chart-{++charts}.html");
                        new Cnn.Functional.Charts.HtmlReport($"{{Path.GetFileNameWithoutExtension(fileName)}}, chart {charts}").Chart(chart).Save(path);
                        Console.WriteLine($"[chart {charts}: {path}]");
                    }
                    else Console.WriteLine(value);
                }
            }

            """);
        return text.ToString();
    }

    private static string Directive(string target, string root, string notebook, int cell)
    {
        if (NugetReference().Match(target) is { Success: true } package)
            return $"#:package {package.Groups["name"].Value}@{package.Groups["version"].Value}";
        var assembly = Path.GetFileNameWithoutExtension(target);
        var project = Directory.EnumerateFiles(root, assembly + ".csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .FirstOrDefault()
            ?? throw new TwinException($"{notebook}, cell {cell}: #r \"{target}\" names no project of this repository; reference third-party packages with #r \"nuget: Name, Version\"");
        return "#:project " + Path.GetRelativePath(Repository.NotebookFolder(root), project).Replace(Path.DirectorySeparatorChar, '/');
    }

    [GeneratedRegex("""^#r\s+"(?<target>[^"]+)"\s*$""")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^nuget:\s*(?<name>[^,\s]+)\s*,\s*(?<version>[^\s]+)$")]
    private static partial Regex NugetReference();

    // `using X;`, `using static X.Y;` and `using A = B.C;`, but not the statements `using var x = …;` or `using (…)`.
    [GeneratedRegex(@"^using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?;$")]
    private static partial Regex UsingDirective();
}
