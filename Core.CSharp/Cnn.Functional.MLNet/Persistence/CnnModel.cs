using System.IO.Compression;
using Cnn.Functional.Torch;
using Microsoft.ML;

namespace Cnn.Functional.MLNet;

/// <summary>A saved model that cannot be read or written; the message names the file and the reason.</summary>
public sealed class CnnModelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A loaded pipeline and the schema of the data it was fitted on (what <c>mlContext.Model.Load</c> returns).</summary>
public sealed record LoadedModel(ITransformer Model, DataViewSchema InputSchema) : IDisposable
{
    /// <summary>Disposes the pipeline's transformers (and so its networks).</summary>
    public void Dispose() => (Model as IDisposable)?.Dispose();
}

/// <summary>
/// Saving and loading fitted pipelines that hold CNN transformers, in ML.NET's own model format.
/// <para>
/// ML.NET's model format is closed to other assemblies, so a network transformer cannot save itself. <see cref="Save(MLContext, ITransformer, DataViewSchema, string)"/>
/// therefore saves the pipeline with <c>mlContext.Model.Save</c>, each network transformer replaced by a stateless
/// <c>CustomMapping</c> marker (contract name <c>Cnn.Functional.MLNet.Network</c>), and adds each network's graph
/// (JSON), weights and settings to the same zip under <c>CnnFunctional/&lt;n&gt;/</c>, entries ML.NET ignores.
/// <see cref="Load(MLContext, string)"/> loads the pipeline with <c>mlContext.Model.Load</c> and puts each network back
/// in its marker's place. Everything a loaded model needs is in its own file, read by the call that loads it: there
/// is no registry, so any number of models load side by side, in one context or several, on any threads.
/// </para>
/// <para>
/// Load such a model with <see cref="Load(MLContext, string)"/>, not <c>mlContext.Model.Load</c>: that refuses, saying so
/// (it could restore the markers, not the networks). Pipelines without networks load either way.
/// </para>
/// </summary>
/// <example><code>
/// CnnModel.Save(mlContext, model, train.Schema, "fashion.zip");
/// using var loaded = CnnModel.Load(new MLContext(), "fashion.zip");
/// var predictions = loaded.Model.Transform(test);
/// </code></example>
public static class CnnModel
{
    /// <summary>The entry holding the SHA-256 of every other entry of a saved model (<see cref="ZipChecksums"/>); checked before loading.</summary>
    public const string ChecksumEntry = "CnnFunctional/sha256.txt";

    /// <summary>Saves <paramref name="model"/> (fitted on data of <paramref name="inputSchema"/>) to the zip file <paramref name="path"/>.</summary>
    /// <exception cref="CnnModelException">The file cannot be written.</exception>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = File.Create(path);
            Save(mlContext, model, inputSchema, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CnnModelException($"cannot write the model to '{path}': {e.Message}", e);
        }
    }

    /// <summary>Saves <paramref name="model"/> to <paramref name="stream"/> (written from its current position).</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        var networks = new List<NetworkTransformer>();
        var marked = ChainWalker.Rewrite(model, t =>
        {
            if (t is not NetworkTransformer network) return null;
            networks.Add(network);
            return NetworkMarker.Create(mlContext);
        });
        using var buffer = new MemoryStream();
        mlContext.Model.Save(marked, inputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            if (zip.Entries.Any(e => e.FullName.StartsWith(NetworkEntry.Folder, StringComparison.Ordinal)))
                throw new CnnModelException($"ML.NET's model already has entries under {NetworkEntry.Folder}");
            for (var i = 0; i < networks.Count; i++) NetworkEntry.Write(zip, i, networks[i]);
            // Every entry, ML.NET's too: .NET does not check an entry's CRC when reading, so without this a flipped byte
            // loaded as a different weight (found by flipping bytes, issue 9).
            ZipChecksums.Write(zip, ChecksumEntry, ZipChecksums.Of(zip, ChecksumEntry));
        }
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    /// <summary>Loads a model saved by <see cref="Save(MLContext, ITransformer, DataViewSchema, string)"/> (or any ML.NET model) from <paramref name="path"/>.</summary>
    /// <exception cref="CnnModelException">The file is missing, or its networks are missing or damaged.</exception>
    public static LoadedModel Load(MLContext mlContext, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new CnnModelException($"no model at '{path}'");
        using var file = File.OpenRead(path);
        return Load(mlContext, file, path);
    }

    /// <summary>Loads a model from a readable, seekable <paramref name="stream"/>.</summary>
    public static LoadedModel Load(MLContext mlContext, Stream stream) => Load(mlContext, stream, "the model stream");

    private static LoadedModel Load(MLContext mlContext, Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("the model stream must be seekable (copy it to a MemoryStream first)", nameof(stream));
        var start = stream.Position;
        mlContext.ComponentCatalog.RegisterAssembly(typeof(NetworkMarkerFactory).Assembly);
        string? damage;
        try
        {
            using (var checking = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true)) damage = ZipChecksums.Verify(checking, ChecksumEntry);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new CnnModelException($"'{source}' is not a readable model zip: {e.Message}", e);
        }
        if (damage is not null) throw new CnnModelException($"'{source}' is damaged: {damage}");
        stream.Position = start;
        DataViewSchema schema = null!;
        ITransformer model;
        try
        {
            model = NetworkMarker.Loading(() => mlContext.Model.Load(stream, out schema));
        }
        // A damaged zip fails inside ML.NET with whatever its readers meet (found by flipping bytes: InvalidDataException,
        // FormatException, InvalidOperationException, EndOfStreamException, …): all of it means the file is not a model.
        catch (Exception e) when (e is not (CnnModelException or OutOfMemoryException))
        {
            throw new CnnModelException($"'{source}' is not a readable ML.NET model: {e.Message}", e);
        }
        var markers = ChainWalker.Leaves(model).Count(NetworkMarker.IsMarker);
        if (markers == 0) return new LoadedModel(model, schema);
        stream.Position = start;
        var networks = new List<NetworkTransformer>();
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            for (var i = 0; i < markers; i++) networks.Add(NetworkEntry.Read(zip, i, source));
            if (zip.GetEntry($"{NetworkEntry.Folder}{markers}/graph.json") is not null)
                throw new CnnModelException($"'{source}' holds more networks than its pipeline has places for ({markers})");
        }
        catch (Exception e)
        {
            foreach (var n in networks) n.Dispose();
            (model as IDisposable)?.Dispose();
            // A damaged entry (a bad compression method, a CRC mismatch, a truncated stream) is a damaged file.
            if (e is InvalidDataException or IOException)
                throw new CnnModelException($"'{source}': the networks under {NetworkEntry.Folder} are damaged: {e.Message}", e);
            throw;
        }
        var next = 0;
        var restored = ChainWalker.Rewrite(model, t => NetworkMarker.IsMarker(t) ? networks[next++] : null);
        return new LoadedModel(restored, schema);
    }
}
