using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Cnn.Functional.MLNet;

/// <summary>
/// One network transformer in a saved model's zip, under <c>CnnFunctional/&lt;n&gt;/</c>: <c>transformer.json</c> (its kind
/// and settings: columns, batch size, class labels), <c>graph.json</c> (the graph as <see cref="Graph.ToJson"/> writes
/// it) and <c>weights.bin</c> (parameters and buffers in TorchSharp's <c>module.save</c> format).
/// </summary>
internal static class NetworkEntry
{
    public const string Folder = "CnnFunctional/";
    public const string Format = "cnn-functional-mlnet-transformer";
    public const int Version = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>A transformer's settings as saved.</summary>
    internal sealed record Document(string Format, int Version, string Kind, string FeatureColumn, int BatchSize,
        ClassLabelsDocument? ClassLabels, string? OutputColumn);

    public static void Write(ZipArchive zip, int index, NetworkTransformer transformer)
    {
        var folder = $"{Folder}{index}/";
        var document = transformer switch
        {
            CnnScoringTransformer scorer => new Document(Format, Version, "scorer", scorer.FeatureColumnName, scorer.BatchSize,
                ((ScoreMapping)scorer.Mapping).Classes?.ToDocument(), null),
            CnnCodesTransformer codes => new Document(Format, Version, "codes", codes.FeatureColumnName, codes.BatchSize, null, codes.OutputColumnName),
            _ => throw new ArgumentException($"no saved form for {transformer.GetType().Name}", nameof(transformer)),
        };
        WriteText(zip, folder + "transformer.json", JsonSerializer.Serialize(document, Json));
        WriteText(zip, folder + "graph.json", transformer.Network.Graph.ToJson());
        using var weights = zip.CreateEntry(folder + "weights.bin", CompressionLevel.Fastest).Open();
        transformer.Network.WriteWeights(weights);
    }

    /// <exception cref="CnnModelException">An entry is missing or damaged.</exception>
    public static NetworkTransformer Read(ZipArchive zip, int index, string source)
    {
        var folder = $"{Folder}{index}/";
        Document document;
        Graph graph;
        try
        {
            document = JsonSerializer.Deserialize<Document>(ReadText(zip, folder + "transformer.json", source), Json)
                ?? throw new CnnModelException($"'{source}': {folder}transformer.json is empty");
            graph = Graph.FromJson(ReadText(zip, folder + "graph.json", source));
        }
        catch (Exception e) when (e is JsonException or GraphException)
        {
            throw new CnnModelException($"'{source}': the network saved under {folder} is damaged: {e.Message}", e);
        }
        if (document.Format != Format || document.Version != Version)
            throw new CnnModelException($"'{source}': {folder}transformer.json is \"{document.Format}\" version {document.Version}; this library reads \"{Format}\" version {Version}");
        var weightsEntry = zip.GetEntry(folder + "weights.bin") ?? throw new CnnModelException($"'{source}' has no {folder}weights.bin");
        CnnNetwork network;
        try
        {
            using var weights = weightsEntry.Open();
            network = CnnNetwork.Read(graph, weights);
        }
        catch (Exception e) when (e is not CnnModelException)
        {
            throw new CnnModelException($"'{source}': the weights in {folder}weights.bin do not load into graph '{graph.Name}': {e.Message}", e);
        }
        try
        {
            return document.Kind switch
            {
                "scorer" => new CnnScoringTransformer(
                    new ScoreMapping(network, document.FeatureColumn, document.BatchSize, document.ClassLabels is null ? null : ClassLabels.FromDocument(document.ClassLabels)),
                    training: null, transfer: null),
                "codes" => new CnnCodesTransformer(new CodesMapping(network, document.FeatureColumn,
                    document.OutputColumn ?? throw new CnnModelException($"'{source}': the codes transformer under {folder} has no output column"), document.BatchSize)),
                _ => throw new CnnModelException($"'{source}': {folder}transformer.json has the unknown kind \"{document.Kind}\""),
            };
        }
        catch (Exception e)
        {
            network.Dispose();
            if (e is CnnModelException) throw;
            throw new CnnModelException($"'{source}': the transformer saved under {folder} is damaged: {e.Message}", e);
        }
    }

    private static void WriteText(ZipArchive zip, string name, string text)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        entry.Write(Encoding.UTF8.GetBytes(text));
    }

    private static string ReadText(ZipArchive zip, string name, string source)
    {
        var entry = zip.GetEntry(name) ?? throw new CnnModelException($"'{source}' has no {name}");
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
