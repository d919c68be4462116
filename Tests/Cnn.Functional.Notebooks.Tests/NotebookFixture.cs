using System.Diagnostics;

namespace Cnn.Functional.Notebooks.Tests;

/// <summary>
/// Every notebook executed once through the runner, in order (the kernel's working directory is process-wide, so
/// notebooks cannot run side by side), after building the kit they load. A notebook that fails keeps its exception,
/// so its own test reports it and the others still run.
/// </summary>
public sealed class NotebookFixture : IAsyncLifetime
{
    public Dictionary<string, NotebookRun> Runs { get; } = [];

    public Dictionary<string, Exception> Failures { get; } = [];

    public TimeSpan KitBuild { get; private set; }

    public async Task InitializeAsync()
    {
        // Timed inside the gate: the wait for a twin's build is not the kit's.
        KitBuild = await Builds.OneAtATime(() =>
        {
            var clock = Stopwatch.StartNew();
            Repository.BuildKit(Builds.Root);
            return clock.Elapsed;
        });
        foreach (var path in Repository.Notebooks(Builds.Root))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            try
            {
                Runs[name] = await NotebookRunner.RunAsync(NotebookDocument.Read(path));
            }
            catch (Exception e) when (e is NotebookCellException or InvalidDataException)
            {
                Failures[name] = e;
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public NotebookRun Run(string name) =>
        Failures.TryGetValue(name, out var failure) ? throw new Xunit.Sdk.XunitException(failure.Message)
        : Runs.TryGetValue(name, out var run) ? run
        : throw new Xunit.Sdk.XunitException($"no notebook {name}.ipynb in Notebooks/");
}

[CollectionDefinition(Name)]
public sealed class NotebookCollection : ICollectionFixture<NotebookFixture>
{
    public const string Name = "Notebooks";
}
