using Cnn.Functional.Torch;
using Microsoft.ML;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The ML.NET faces of this library, as extension methods on ML.NET's catalogs:
/// <c>mlContext.MulticlassClassification.Trainers.Cnn(graph, …)</c> trains a CNN as a multiclass trainer,
/// <c>mlContext.Transforms.CnnCodes(network, nodePath)</c> turns a trained CNN into a featurizer, and
/// <c>mlContext.Data.LoadFromDataset(dataset)</c> offers a <see cref="Dataset"/> (e.g. Fashion-MNIST read from its IDX
/// files) as an <see cref="IDataView"/>.
/// </summary>
public static class CnnCatalog
{
    /// <summary>
    /// A CNN trainer with the common settings; every other one is in the options overload. The label must be a key
    /// (<c>MapValueToKey</c>), the features a known-size Single vector of the graph's input shape.
    /// </summary>
    /// <param name="catalog">The multiclass trainers' catalog.</param>
    /// <param name="graph">The network, e.g. <c>ModelZoo.Get("lenet5")</c>; its output gives one score per class.</param>
    /// <param name="labelColumnName">The key label column.</param>
    /// <param name="featureColumnName">The feature vector column.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="batchSize">Examples per training step.</param>
    /// <param name="learningRate">The optimiser's (Adam's) learning rate.</param>
    /// <exception cref="GraphException">The graph has errors or is not a classifier with one input.</exception>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, Graph graph,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = 10, int batchSize = 64, double learningRate = 1e-3)
    {
        var defaults = new CnnTrainerOptions();
        return catalog.Cnn(graph, defaults with
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Training = defaults.Training with { Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate },
        });
    }

    /// <summary>A CNN trainer with every setting of <paramref name="options"/>.</summary>
    /// <exception cref="GraphException">The graph has errors or is not a classifier with one input.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, Graph graph, CnnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(graph, options);
    }

    /// <summary>
    /// A featurizer adding the activations of the node at <paramref name="nodePath"/> of a trained
    /// <paramref name="network"/> (e.g. LeNet-5's <c>relu4</c>, its 84 penultimate values) as the vector column
    /// <paramref name="outputColumnName"/>. The fitted transformer holds its own copy of the network, cut after that node.
    /// </summary>
    /// <exception cref="GraphException">No node of the network has that path.</exception>
    public static CnnCodesEstimator CnnCodes(this TransformsCatalog catalog, CnnNetwork network, string nodePath,
        string outputColumnName = "Codes", string featureColumnName = "Features", int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnCodesEstimator(network, nodePath, outputColumnName, featureColumnName, batchSize);
    }

    /// <summary>
    /// <paramref name="dataset"/> as an <see cref="IDataView"/> with the columns <c>Features</c> (a Single vector with the
    /// example's dimensions, e.g. [1, 28, 28]), <c>Label</c> (the class number, UInt32: map it with <c>MapValueToKey</c>)
    /// and <c>ClassName</c> (Text). The view reads the dataset's tensors in place through handles of its own, so it stays valid after the dataset is disposed.
    /// </summary>
    public static IDataView LoadFromDataset(this DataOperationsCatalog catalog, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DatasetDataView(dataset);
    }
}
