using Cnn.Functional.Dsl;

namespace Cnn.Functional.Cli;

/// <summary>Where a MODEL argument comes from: a zoo name, or the path of a graph saved as JSON.</summary>
internal static class ModelSource
{
    public const string Help = "A zoo model (" + "see 'cnnf summary --list'" + ") or the path of a graph saved as JSON.";

    /// <exception cref="GraphException">Neither a zoo model nor a readable graph file.</exception>
    public static Graph Load(string model)
    {
        if (ModelZoo.Contains(model)) return ModelZoo.Get(model);
        if (File.Exists(model) || model.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return GraphJson.ReadFile(model);
        throw new GraphException(new GraphError("MODEL", "model",
            $"unknown model '{model}': not a zoo model ({string.Join(", ", ModelZoo.Names)}) and not a graph file"));
    }
}
