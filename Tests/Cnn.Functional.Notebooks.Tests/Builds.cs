namespace Cnn.Functional.Notebooks.Tests;

/// <summary>
/// One build at a time: the kit and the first twin both build the repository's libraries, and two MSBuild runs writing
/// the same bin/ folders at once fail on locked files.
/// </summary>
public static class Builds
{
    public static readonly SemaphoreSlim Gate = new(1, 1);

    public static string Root { get; } = Repository.Root(AppContext.BaseDirectory);

    public static async Task<T> OneAtATime<T>(Func<T> build)
    {
        await Gate.WaitAsync();
        try
        {
            return build();
        }
        finally
        {
            Gate.Release();
        }
    }
}
