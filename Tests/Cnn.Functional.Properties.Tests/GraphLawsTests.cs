using Cnn.Functional.Dsl;
using Cnn.Functional.Properties;

namespace Cnn.Functional.Tests;

/// <summary>Every law against every node of a network (what <c>cnnf laws</c> prints), on LeNet-5 and a residual net.</summary>
[Collection("Laws")]
public class GraphLawsTests
{
    private static readonly LawOptions Few = new() { Cases = 10, Seed = 7 };

    [Fact]
    public void LeNet5s_convolutions_pools_and_head_obey_their_laws()
    {
        var report = GraphLaws.Check(LeNet.LeNet5(), Few);
        LawStatus Status(string path, Law law) => report.Results.Single(r => r.Path == path && r.Result.Law == law.Name).Result.Status;
        Assert.Equal(LawStatus.Holds, Status("conv1", Laws.TranslationEquivariance));
        Assert.Equal(LawStatus.Holds, Status("conv1", Laws.ConvBackprop));
        Assert.Equal(LawStatus.Holds, Status("conv2", Laws.Adjoint));
        Assert.Equal(LawStatus.Holds, Status("pool1", Laws.MaxPoolSwitches));
        Assert.Equal(LawStatus.Holds, Status("pool1", Laws.WindowPermutationInvariance));
        Assert.Equal(LawStatus.Holds, Status("fc1", Laws.Linearity));
        Assert.Equal(LawStatus.NotApplicable, Status("relu1", Laws.Linearity));
        Assert.Equal(LawStatus.Holds, Status(GraphLaws.WholeGraph, Laws.FullyConvolutionalEquivalence));
        Assert.Equal(0, report.Violated);
        // Every node gets every node law; the whole graph gets the graph law.
        Assert.Equal(LeNet.LeNet5().Nodes.Count * (Laws.All.Count - GraphLaws.GraphLevel.Count) + GraphLaws.GraphLevel.Count, report.Results.Count);
        Assert.Equal(2, report.Measurements.Count);
    }

    [Fact]
    public void A_resnets_identity_blocks_are_the_identity_with_zeroed_branches_and_its_projections_are_not_in_scope()
    {
        var graph = ResNet.ResNet18().Truncate("layer2/0/add");
        var report = GraphLaws.Check(graph, Few, [Laws.ZeroResidualIdentity]);
        var adds = report.Results.Where(r => r.Kind == "add").ToDictionary(r => r.Path, r => r.Result);
        Assert.Equal(LawStatus.Holds, adds["layer1/0/add"].Status);
        Assert.Equal(LawStatus.Holds, adds["layer1/1/add"].Status);
        Assert.Equal(LawStatus.NotApplicable, adds["layer2/0/add"].Status);
        Assert.Contains("projection", adds["layer2/0/add"].Reason);
    }
}
