using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Cnn.Functional.MLNet;

/// <summary>
/// What stands in a saved ML.NET model where a network transformer was: a <c>CustomMapping</c> with the contract
/// name <see cref="ContractName"/>, which ML.NET saves and loads by itself (through the public
/// <see cref="CustomMappingFactoryAttributeAttribute"/> route). It adds no column and carries no state: the network it
/// stands for is in the same zip, under <c>CnnFunctional/&lt;n&gt;/</c>, n counting the markers depth-first, and
/// <see cref="CnnModel.Load(MLContext, string)"/> puts the network back in its place.
/// </summary>
internal static class NetworkMarker
{
    public const string ContractName = "Cnn.Functional.MLNet.Network";

    private static readonly AsyncLocal<bool> loadingThroughCnnModel = new();

    /// <summary>A marker transformer to save in a network's place.</summary>
    public static ITransformer Create(MLContext context)
    {
        var estimator = context.Transforms.CustomMapping<NetworkMarkerInput, NetworkMarkerOutput>(NetworkMarkerFactory.Unreplaced, ContractName);
        return estimator.Fit(context.Data.LoadFromEnumerable(Array.Empty<NetworkMarkerInput>()));
    }

    public static bool IsMarker(ITransformer transformer) => transformer is CustomMappingTransformer<NetworkMarkerInput, NetworkMarkerOutput>;

    /// <summary>
    /// Runs <paramref name="load"/> (ML.NET's <c>Model.Load</c>) with markers allowed on this call's logical thread only:
    /// a flag, not a registry — two loads in parallel, or two models loaded side by side, share nothing.
    /// </summary>
    public static T Loading<T>(Func<T> load)
    {
        var previous = loadingThroughCnnModel.Value;
        loadingThroughCnnModel.Value = true;
        try
        {
            return load();
        }
        finally
        {
            loadingThroughCnnModel.Value = previous;
        }
    }

    internal static bool IsLoadingThroughCnnModel => loadingThroughCnnModel.Value;
}

/// <summary>The marker reads no column.</summary>
public sealed class NetworkMarkerInput;

/// <summary>The marker adds no column.</summary>
public sealed class NetworkMarkerOutput;

/// <summary>
/// The factory ML.NET finds by <see cref="NetworkMarker.ContractName"/> when it loads a model. Loaded by
/// <c>mlContext.Model.Load</c> alone it refuses, with a message saying how to load the model, because the network's
/// weights are not where ML.NET looks; <see cref="CnnModel.Load(MLContext, string)"/> lets it through and then replaces it.
/// </summary>
[CustomMappingFactoryAttribute(NetworkMarker.ContractName)]
public sealed class NetworkMarkerFactory : CustomMappingFactory<NetworkMarkerInput, NetworkMarkerOutput>
{
    public override Action<NetworkMarkerInput, NetworkMarkerOutput> GetMapping()
    {
        if (!NetworkMarker.IsLoadingThroughCnnModel)
            throw new InvalidOperationException(
                "This model holds a Cnn.Functional network, whose graph and weights ML.NET's Model.Load cannot restore by itself. " +
                "Load it with Cnn.Functional.MLNet.CnnModel.Load(mlContext, path) instead of mlContext.Model.Load.");
        return Unreplaced;
    }

    /// <summary>The marker's mapping, which never runs in a model loaded by <see cref="CnnModel"/> (the marker is replaced).</summary>
    internal static void Unreplaced(NetworkMarkerInput input, NetworkMarkerOutput output) =>
        throw new InvalidOperationException(
            "a Cnn.Functional network marker was asked for data: the model was not loaded with CnnModel.Load, which puts the network in its place");
}
