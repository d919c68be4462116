using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// Runs operations that may refuse their input and records every exception that is not a
/// <see cref="GraphException"/> — the library's promise is that bad input never surfaces as anything else.
/// </summary>
internal sealed class ExceptionAudit
{
    private readonly List<string> failures = [];

    /// <summary>Runs <paramref name="action"/>; true when it succeeded, false when it threw <see cref="GraphException"/>.</summary>
    public bool Run(string what, Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (GraphException)
        {
            return false;
        }
        catch (Exception e)
        {
            failures.Add($"{what} threw {e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
            return false;
        }
    }

    /// <summary>Runs <paramref name="function"/>; its result, or default when it threw.</summary>
    public T? Get<T>(string what, Func<T> function) where T : class
    {
        T? result = null;
        Run(what, () => { result = function(); });
        return result;
    }

    /// <summary>Records a broken invariant.</summary>
    public void Require(bool condition, string message)
    {
        if (!condition) failures.Add(message);
    }

    /// <summary>Passes when nothing was recorded; the label lists what was, and <paramref name="context"/> (e.g. the graph in full).</summary>
    public Property ToProperty(string? context = null) =>
        (failures.Count == 0).Label(failures.Count == 0 || context is null ? string.Join("\n", failures) : string.Join("\n", failures) + "\nin:\n" + context);

    /// <summary>Every node of <paramref name="graph"/> with its layer's hyperparameters (a graph's ToString shows kinds only).</summary>
    public static string Describe(Graph graph) =>
        $"{graph.Name}, outputs [{string.Join(", ", graph.Outputs.Items)}]:\n" +
        string.Join("\n", graph.Nodes.Select(n => n is null ? "  (null node)" : $"  {n.Path} ← [{string.Join(", ", n.Inputs.Items)}]{(n.Trainable ? "" : " frozen")}: {n.Layer}"));
}
