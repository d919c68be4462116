using System.Reflection;

namespace Cnn.Functional.Dsl;

/// <summary>
/// Marks a parameterless static method returning <see cref="Graph"/> as a zoo model reachable by name
/// (torchvision's lower-case name where torchvision has the model).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ZooModelAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>The architecture zoo by name, for code, the command line and saved configurations.</summary>
public static class ModelZoo
{
    private sealed record Entry(string Name, string Description, MethodInfo Build);

    // Every [ZooModel] method of this assembly, in name order. Each family's file registers its own models.
    private static readonly Entry[] Models = typeof(ModelZoo).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
        .Select(m => (Method: m, Attribute: m.GetCustomAttribute<ZooModelAttribute>()))
        .Where(x => x.Attribute is not null)
        .Select(x => new Entry(x.Attribute!.Name, x.Attribute.Description, x.Method))
        .OrderBy(e => e.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The names of the zoo's models.</summary>
    public static IReadOnlyList<string> Names => Models.Select(m => m.Name).ToList();

    /// <summary>A one-line description of each model, by name, in name order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Descriptions =>
        Models.Select(m => new KeyValuePair<string, string>(m.Name, m.Description)).ToList();

    /// <summary>The model called <paramref name="name"/> (case, '-' and '_' ignored: "LeNet-5" is "lenet5").</summary>
    /// <exception cref="GraphException">No model has that name; the message lists the known ones.</exception>
    public static Graph Get(string name)
    {
        var key = Normalise(name);
        foreach (var model in Models)
            if (Normalise(model.Name) == key)
                return Invoke(model);
        throw new GraphException(new GraphError(name ?? "", "zoo", $"unknown model '{name}'; known models: {string.Join(", ", Names)}"));
    }

    /// <summary>True when the zoo has a model called <paramref name="name"/>.</summary>
    public static bool Contains(string name) => Models.Any(m => Normalise(m.Name) == Normalise(name));

    private static Graph Invoke(Entry model)
    {
        var arguments = model.Build.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : throw new InvalidOperationException(
            $"zoo model {model.Name}: parameter {p.Name} needs a default")).ToArray();
        try
        {
            return (Graph)model.Build.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is GraphException inner)
        {
            throw inner;
        }
    }

    private static string Normalise(string? name) =>
        new string((name ?? "").Where(c => c is not ('-' or '_' or ' ')).ToArray()).ToLowerInvariant();
}
