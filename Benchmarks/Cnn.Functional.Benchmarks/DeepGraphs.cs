namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Deep graphs to time the summary on, built directly with the Graph API (the zoo grows in a later issue):
/// a ResNet with bottleneck blocks (He et al., 2015) — [3, 8, 36, 3] blocks is ResNet-152's layout.
/// </summary>
internal static class DeepGraphs
{
    public static Graph BottleneckResNet(string name, int[] blocks, int classes = 1000)
    {
        var g = Graph.Create(name, Shape.Image(3, 224, 224))
            .Then("stem/conv", Layers.Conv(64, 7, stride: 2, padding: 3, bias: false, rounding: Rounding.Floor))
            .Then("stem/bn", Layers.BatchNorm())
            .Then("stem/relu", Layers.Relu())
            .Then("stem/pool", Layers.MaxPool(3, stride: 2, padding: 1, rounding: Rounding.Floor));
        var width = 64;
        for (var stage = 0; stage < blocks.Length; stage++, width *= 2)
        {
            for (var block = 0; block < blocks[stage]; block++)
            {
                var scope = $"stage{stage + 1}/block{block + 1}";
                var input = g.Last;
                var stride = stage > 0 && block == 0 ? 2 : 1;
                g = g.Then($"{scope}/conv1", Layers.Conv(width, 1, bias: false))
                    .Then($"{scope}/bn1", Layers.BatchNorm())
                    .Then($"{scope}/relu1", Layers.Relu())
                    .Then($"{scope}/conv2", Layers.Conv(width, 3, stride: stride, padding: 1, bias: false, rounding: Rounding.Floor))
                    .Then($"{scope}/bn2", Layers.BatchNorm())
                    .Then($"{scope}/relu2", Layers.Relu())
                    .Then($"{scope}/conv3", Layers.Conv(width * 4, 1, bias: false))
                    .Then($"{scope}/bn3", Layers.BatchNorm());
                var main = g.Last;
                var shortcut = input;
                if (block == 0)
                {
                    g = g.AddNode($"{scope}/shortcut/conv", Layers.Conv(width * 4, 1, stride: stride, bias: false, rounding: Rounding.Floor), input)
                        .Then($"{scope}/shortcut/bn", Layers.BatchNorm());
                    shortcut = g.Last;
                }
                g = g.AddNode($"{scope}/add", Layers.Add(), main, shortcut)
                    .Then($"{scope}/relu", Layers.Relu());
            }
        }
        return g.Then("head/pool", Layers.GlobalAvgPool())
            .Then("head/fc", Layers.Dense(classes));
    }
}
