using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cnn.Functional.Notebooks;

/// <summary>Where the notebooks are, and the kit they load with #r.</summary>
public static partial class Repository
{
    /// <summary>The repository root: the nearest folder above <paramref name="start"/> (default: the current one) holding Cnn.Functional.sln.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above holds it.</exception>
    public static string Root(string? start = null)
    {
        for (var folder = new DirectoryInfo(start ?? Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Cnn.Functional.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException($"no Cnn.Functional.sln in {start ?? Environment.CurrentDirectory} or above: run from inside the repository");
    }

    public static string NotebookFolder(string root) => Path.Combine(root, "Notebooks");

    /// <summary>Every <c>Notebooks/NN-topic.ipynb</c>, in their numbered order.</summary>
    public static IReadOnlyList<string> Notebooks(string root) =>
        Directory.GetFiles(NotebookFolder(root), "*.ipynb").Where(p => NumberedName().IsMatch(Path.GetFileName(p))).Order(StringComparer.Ordinal).ToList();

    /// <summary>The twin of a notebook: the same name with <c>.cs</c>.</summary>
    public static string TwinPath(string notebookPath) => Path.ChangeExtension(notebookPath, ".cs");

    /// <summary>
    /// Builds the kit (Notebooks/kit/: the repository's libraries and their dependencies, what the notebooks #r), so a
    /// run always sees the current sources. Up to date, this takes a few seconds.
    /// </summary>
    /// <exception cref="InvalidOperationException">The build failed; the message holds the end of its output.</exception>
    public static void BuildKit(string root)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in (string[])["build", Path.Combine("Notebooks", "Cnn.Functional.Notebooks.Kit"), "-c", "Release", "-nologo", "-v", "q"]) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var text = output.Result + error.Result;
            throw new InvalidOperationException($"building the notebook kit failed (exit code {process.ExitCode}):\n{(text.Length > 4000 ? text[^4000..] : text)}");
        }
    }

    [GeneratedRegex(@"^\d\d-[a-z0-9-]+\.ipynb$")]
    private static partial Regex NumberedName();
}
