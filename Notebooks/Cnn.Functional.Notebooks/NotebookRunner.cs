using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Cnn.Functional.Notebooks;

/// <summary>A cell failed: the message names the notebook, the cell (counted from 1 over all cells) and the error.</summary>
public sealed class NotebookCellException(string notebook, int cell, string source, string error)
    : Exception($"{notebook}, cell {cell}: {error}\n--- cell {cell} ---\n{source.TrimEnd()}")
{
    public string Notebook { get; } = notebook;
    public int Cell { get; } = cell;
    public string Error { get; } = error;
}

/// <summary>An executed notebook: the document with its new outputs, and how long each cell took.</summary>
public sealed record NotebookRun(NotebookDocument Document, IReadOnlyList<TimeSpan> CellTimes, TimeSpan Elapsed)
{
    /// <summary>Everything the code cells printed and displayed as text, in order: what a check looks for.</summary>
    public string Text => string.Join("\n", Document.Cells.SelectMany(c => c.Outputs).Select(o => o.Text));

    /// <summary>The displays of <paramref name="mimeType"/>, e.g. the Plotly figures or their pictures.</summary>
    public IEnumerable<string> Displays(string mimeType) =>
        Document.Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Where(d => d.Data.ContainsKey(mimeType)).Select(d => d.Data[mimeType]);
}

/// <summary>
/// Executes a notebook headless in .NET Interactive's C# kernel, cell by cell, as VS Code would: a fresh kernel per
/// notebook, the notebook's folder as working directory (so <c>#r "kit/…"</c> resolves as it does in an editor), and
/// every output recorded. The first cell that fails stops the run with a <see cref="NotebookCellException"/>.
/// </summary>
public static class NotebookRunner
{
    public static async Task<NotebookRun> RunAsync(NotebookDocument notebook, TimeSpan? cellTimeout = null)
    {
        var timeout = cellTimeout ?? TimeSpan.FromMinutes(5);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(notebook.Path))!;
        var previous = Environment.CurrentDirectory;
        var clock = Stopwatch.StartNew();
        Environment.CurrentDirectory = folder;
        try
        {
            using var kernel = CreateKernel();
            var outputs = new List<IReadOnlyList<CellOutput>>();
            var times = new List<TimeSpan>();
            for (var i = 0; i < notebook.Cells.Count; i++)
            {
                var cell = notebook.Cells[i];
                if (!cell.IsCode)
                {
                    outputs.Add([]);
                    times.Add(TimeSpan.Zero);
                    continue;
                }
                var cellClock = Stopwatch.StartNew();
                outputs.Add(await RunCellAsync(kernel, notebook.Name, i + 1, cell.Source, timeout));
                times.Add(cellClock.Elapsed);
            }
            return new NotebookRun(notebook.WithOutputs(outputs), times, clock.Elapsed);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    private static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((k, packages) =>
            {
                k.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            }, forceRestore: false)
            .UseKernelHelpers()
            .UseValueSharing();
        return new CompositeKernel { csharp }.Also(k => k.DefaultKernelName = csharp.Name);
    }

    private static async Task<IReadOnlyList<CellOutput>> RunCellAsync(Kernel kernel, string notebook, int number, string source, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        KernelCommandResult result;
        try
        {
            result = await kernel.SendAsync(new SubmitCode(source, "csharp"), cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new NotebookCellException(notebook, number, source, $"did not finish within {timeout.TotalSeconds:0} s");
        }
        var outputs = new List<CellOutput>();
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case CommandFailed failed:
                    // A compilation error's message is the diagnostics; a run-time error also needs its stack.
                    throw new NotebookCellException(notebook, number, source,
                        failed.Exception is null or CodeSubmissionCompilationErrorException ? failed.Message : failed.Exception.ToString());
                case StandardOutputValueProduced stdout:
                    AppendStream(outputs, "stdout", Plain(stdout));
                    break;
                case StandardErrorValueProduced stderr:
                    AppendStream(outputs, "stderr", Plain(stderr));
                    break;
                case ReturnValueProduced value:
                    outputs.Add(Display(value, isResult: true));
                    break;
                case DisplayedValueProduced value:
                    outputs.Add(Display(value, isResult: false));
                    break;
            }
        }
        if (cancel.IsCancellationRequested)
            throw new NotebookCellException(notebook, number, source, $"did not finish within {timeout.TotalSeconds:0} s");
        return outputs;
    }

    private static string Plain(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? e.FormattedValues.FirstOrDefault()?.Value ?? "";

    // Console writes arrive in pieces; a notebook shows one stream block per run of them, as Jupyter stores it.
    private static void AppendStream(List<CellOutput> outputs, string name, string text)
    {
        if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name) outputs[^1] = last with { Value = last.Value + text };
        else outputs.Add(new StreamOutput(name, text));
    }

    private static DisplayOutput Display(DisplayEvent e, bool isResult) =>
        new(e.FormattedValues.Where(v => v.MimeType is not null && !v.SuppressDisplay).ToDictionary(v => v.MimeType, v => v.Value), isResult);

    private static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
