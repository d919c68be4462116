// Generated from 05-visualising.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/05-visualising.cs
// Markdown cells are comments; display(…) prints text and saves charts as HTML pages in a temporary folder.
#:project ../Core.CSharp/Cnn.Functional.Graph/Cnn.Functional.Graph.csproj
#:project ../Core.CSharp/Cnn.Functional.Torch/Cnn.Functional.Torch.csproj
#:project ../Dsl/Cnn.Functional.Dsl/Cnn.Functional.Dsl.csproj
#:project ../Core.CSharp/Cnn.Functional.Charts/Cnn.Functional.Charts.csproj

using Cnn.Functional;
using Cnn.Functional.Dsl;
using Cnn.Functional.Charts;
using Plotly.NET.CSharp;
using Cnn.Functional.Torch;
using TorchSharp;

// # 5. Visualising and understanding a trained CNN
//
// The lecture's ways of looking inside a network, each one call on a trained, lowered graph:
//
// * the first layer's **filters**, and the **activations** they produce on an image;
// * **saliency** (Simonyan et al. 2014): $\left|\partial S_c / \partial I\right|$, how much each pixel moves the class score;
// * **Grad-CAM** (Selvaraju et al. 2017): the last convolutional maps $A^k$ weighted by their pooled gradients,
//   $L^c = \mathrm{ReLU}\big(\sum_k \alpha_k^c A^k\big)$ with $\alpha_k^c = \frac{1}{Z}\sum_{ij} \partial S_c / \partial A^k_{ij}$;
// * **occlusion** (Zeiler & Fergus 2014): the class probability as a grey square slides over the image;
// * **t-SNE** of the CNN codes (van der Maaten & Hinton 2008): images close in the code space land close in the plane.

// (cell 2 runs only in the notebook: it prepares the kit that #r loads; here #:project does that)

// cell 3
// A notebook host lists no native libraries: TorchSharp finds libtorch next to its assembly (kit/runtimes/) when
// asked to load it explicitly, before the first layer is created.
TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

// Charts are stored as Plotly figures (drawn by JupyterLab and VS Code) plus a PNG picture (shown by GitHub).
NotebookFormatters.RegisterFigures();

// cell 4
// LeNet-5 trained for one epoch on the first 5,000 training images: a few seconds to a minute on two cores, and
// enough to make the pictures below meaningful (the full set and three epochs reach about 87%, see the README).
var data = FashionMnist.Load(limit: 5_000);
torch.manual_seed(1);
var module = GraphModule.Create(ModelZoo.Get("lenet5"));
var trainer = new Trainer(module, new TrainingOptions { Epochs = 1, LearningRate = 2e-3, BatchEventInterval = 0 });
var training = trainer.Fit(data.Train);
var evaluation = trainer.Evaluate(data.Test);
Console.WriteLine($"LeNet-5: {module.Graph.Parameters:N0} parameters, trained {training.History[0].Seconds:0.0} s; test accuracy {evaluation.Accuracy:P1} on {evaluation.Count:N0} images");
var names = FashionMnist.ClassNames.Items.ToArray();

// ## Filters and activations
//
// The six $5 \times 5$ filters of `conv1`, and what they make of a test image after the ReLU:

// cell 6
display(Plot.Filters(Filters.Of(module)));
var image = data.Test.Images[0];
var label = (int)data.Test.Labels[0].item<long>();
display(Plot.Activations(Activations.Of(module, image, "relu1")));

// ## Where is the evidence?
//
// For the same image (its true class and the network's guess in the first chart's title), the three attributions of
// the predicted class:

// cell 8
var picture = Picture.FromTensor(image);
var predicted = ModelEvaluation.Predict(module, image).Class;
Console.WriteLine($"test image 0: {names[label]}, predicted {names[predicted]}");
display(Plot.Image(picture, $"{names[label]} → {names[predicted]}"));
display(Plot.Saliency(picture, Saliency.Map(module, image, predicted)));
display(Plot.ClassActivation(picture, GradCam.Map(module, image, predicted), $"Grad-CAM at {GradCam.LastSpatialNode(module.Graph)}"));
display(Plot.Occlusion(picture, Occlusion.Map(module, image, predicted, stride: 2)));

// ## CNN codes
//
// The 84 values of `relu4` (the layer before the classifier) for 400 test images, embedded in the plane by t-SNE
// (Barnes–Hut). Classes form clusters; shirts, T-shirts and pullovers overlap, as in the confusion matrix.

// cell 10
var codes = CnnCodes.Of(module, data.Test, "relu4", limit: 400);
var embedding = Tsne.Embed(codes, new TsneOptions(Perplexity: 30, Iterations: 500));
Console.WriteLine($"{codes.Count} codes of dimension {codes.Dimension}; t-SNE KL divergence {embedding.KullbackLeibler:0.00}");
display(Plot.Embedding(embedding, "t-SNE of the CNN codes at relu4"));

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "05-visualising");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"05-visualising, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
