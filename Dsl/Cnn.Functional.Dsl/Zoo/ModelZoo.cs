namespace Cnn.Functional.Dsl;

/// <summary>The architecture zoo by name, for the command line and saved configurations.</summary>
public static class ModelZoo
{
    private static readonly (string Name, string Description, Func<Graph> Build)[] Models =
    [
        ("lenet5", "LeNet-5, modern form: 1×28×28 input, conv 6-16, dense 120-84-10 (61,706 parameters)", () => LeNet.LeNet5()),
    ];

    /// <summary>The names of the zoo's models.</summary>
    public static IReadOnlyList<string> Names => Models.Select(m => m.Name).ToList();

    /// <summary>A one-line description of each model, by name.</summary>
    public static IReadOnlyDictionary<string, string> Descriptions => Models.ToDictionary(m => m.Name, m => m.Description);

    /// <summary>The model called <paramref name="name"/> (case and '-' or '_' ignored: "LeNet-5" is "lenet5").</summary>
    /// <exception cref="GraphException">No model has that name; the message lists the known ones.</exception>
    public static Graph Get(string name)
    {
        var key = Normalise(name);
        foreach (var model in Models)
            if (Normalise(model.Name) == key)
                return model.Build();
        throw new GraphException(new GraphError(name, "zoo", $"unknown model '{name}'; known models: {string.Join(", ", Names)}"));
    }

    /// <summary>True when the zoo has a model called <paramref name="name"/>.</summary>
    public static bool Contains(string name) => Models.Any(m => Normalise(m.Name) == Normalise(name));

    private static string Normalise(string name) =>
        new string((name ?? "").Where(c => c is not ('-' or '_' or ' ')).ToArray()).ToLowerInvariant();
}
