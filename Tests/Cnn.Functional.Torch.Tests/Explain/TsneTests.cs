using System.Diagnostics;
using Cnn.Functional.Torch;
using Xunit.Abstractions;

namespace Cnn.Functional.Tests.Explain;

/// <summary>t-SNE on data with known clusters: every point's nearest neighbours in the plane are of its own cluster.</summary>
public class TsneTests(ITestOutputHelper output)
{
    // `clusters` Gaussian blobs (σ = 1) in 20-D with centres 8 apart along separate axes.
    private static (List<float[]> Points, int[] Labels) Blobs(int clusters, int perCluster, int seed)
    {
        var random = new Random(seed);
        var points = new List<float[]>();
        var labels = new List<int>();
        for (var c = 0; c < clusters; c++)
            for (var i = 0; i < perCluster; i++)
            {
                var p = new float[20];
                for (var d = 0; d < p.Length; d++) p[d] = (float)Gaussian(random);
                p[c] += 8;
                points.Add(p);
                labels.Add(c);
            }
        return (points, labels.ToArray());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // The fraction of each point's 5 nearest neighbours in the embedding that share its label.
    private static double Purity(Embedding e, int[] labels)
    {
        var same = 0;
        for (var i = 0; i < e.Count; i++)
        {
            var nearest = Enumerable.Range(0, e.Count).Where(j => j != i)
                .OrderBy(j => Math.Pow(e.X[i] - e.X[j], 2) + Math.Pow(e.Y[i] - e.Y[j], 2)).Take(5);
            same += nearest.Count(j => labels[j] == labels[i]);
        }
        return same / (5.0 * e.Count);
    }

    [Fact]
    public void Exact_tsne_separates_known_clusters()
    {
        var (points, labels) = Blobs(4, 50, seed: 1);
        var clock = Stopwatch.StartNew();
        var e = Tsne.Embed(points, new TsneOptions(Perplexity: 20, Iterations: 500, Method: TsneMethod.Exact));
        var purity = Purity(e, labels);
        output.WriteLine($"exact, 200 points: purity {purity:P1}, KL {e.KullbackLeibler:F3}, {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(TsneMethod.Exact, e.Method);
        Assert.True(purity > 0.98, $"purity {purity:P1}");
        Assert.InRange(e.KullbackLeibler, 0, 2);
    }

    [Fact]
    public void Barnes_hut_tsne_separates_known_clusters_of_a_thousand_points_and_more()
    {
        var (points, labels) = Blobs(5, 240, seed: 2);
        var clock = Stopwatch.StartNew();
        var e = Tsne.Embed(points, new TsneOptions(Iterations: 500));
        var purity = Purity(e, labels);
        output.WriteLine($"Barnes–Hut, 1,200 points: purity {purity:P1}, KL {e.KullbackLeibler:F3}, {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(TsneMethod.BarnesHut, e.Method);
        Assert.True(purity > 0.98, $"purity {purity:P1}");
    }

    [Fact]
    public void Barnes_hut_agrees_with_the_exact_gradient_on_the_same_points()
    {
        var (points, labels) = Blobs(3, 40, seed: 3);
        var options = new TsneOptions(Perplexity: 10, Iterations: 400);
        var exact = Tsne.Embed(points, options with { Method = TsneMethod.Exact });
        var tree = Tsne.Embed(points, options with { Method = TsneMethod.BarnesHut, Theta = 0.2 });
        output.WriteLine($"KL exact {exact.KullbackLeibler:F3}, Barnes–Hut {tree.KullbackLeibler:F3}");
        Assert.True(Purity(tree, labels) > 0.98);
        Assert.True(Math.Abs(exact.KullbackLeibler - tree.KullbackLeibler) < 0.25, $"KL {exact.KullbackLeibler:F3} vs {tree.KullbackLeibler:F3}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_embedding()
    {
        var (points, _) = Blobs(2, 20, seed: 4);
        var options = new TsneOptions(Perplexity: 5, Iterations: 100);
        Assert.Equal(Tsne.Embed(points, options), Tsne.Embed(points, options));
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        var (points, _) = Blobs(2, 10, seed: 5);
        var tooPerplexed = Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Embed(points, new TsneOptions(Perplexity: 30)));
        Assert.Contains("(N − 1)/3", tooPerplexed.Message);
        points[3] = new float[3];
        Assert.Contains("same, non-zero dimension", Assert.Throws<ArgumentException>(() => Tsne.Embed(points, new TsneOptions(Perplexity: 2))).Message);
        Assert.Throws<ArgumentException>(() => Tsne.Embed([new float[2], new float[2]]));
        points[3] = [float.NaN, .. new float[19]];
        Assert.Contains("not finite", Assert.Throws<ArgumentException>(() => Tsne.Embed(points, new TsneOptions(Perplexity: 2))).Message);
    }
}
