using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// Random invalid convolutions — a stride that does not tile, a stride of zero or less, negative padding, a
/// kernel larger than the padded input, groups that do not divide the channels — are reported as
/// <see cref="GraphError"/>s that name the node, by <see cref="Graph.Validate"/> and by <see cref="Graph.Infer"/>
/// (as a <see cref="GraphException"/>), never as another exception.
/// </summary>
public class InvalidConfigProperties
{
    /// <summary>Words the error for each defect must contain, so that the error is the right one.</summary>
    private static string Says(ConvDefect defect) => defect switch
    {
        ConvDefect.NonTilingStride => "is not an integer",
        ConvDefect.NonPositiveStride => "stride must be at least 1",
        ConvDefect.NegativePadding => "padding must be at least 0",
        ConvDefect.KernelLargerThanInput => "is larger than the padded input",
        _ => "does not divide input channels",
    };

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 500)]
    public Property Invalid_configurations_are_graph_errors_that_name_the_node(InvalidConvConfig invalid)
    {
        const string path = "stage2/block1/conv";
        var graph = invalid.Config.ToGraph(invalid.Config.ToConv(), path);
        var audit = new ExceptionAudit();
        IReadOnlyList<GraphError> errors = [];
        audit.Run("Validate", () => errors = graph.Validate());
        GraphException? thrown = null;
        var inferred = audit.Run("Infer", () =>
        {
            try { graph.Infer(); }
            catch (GraphException e) { thrown = e; throw; }
        });

        audit.Require(errors.Count > 0, "Validate reported no error");
        audit.Require(!inferred && thrown is not null, "Infer did not throw GraphException");
        audit.Require(thrown is null || thrown.Errors.SequenceEqual(errors), "Infer's errors differ from Validate's");
        audit.Require(errors.All(e => e.Path == path && e.LayerKind == "conv" && e.ToString().StartsWith(path + ": ", StringComparison.Ordinal)),
            $"an error does not name {path}: {string.Join("; ", errors)}");
        audit.Require(thrown is null || thrown.Message.Contains(path, StringComparison.Ordinal), $"the exception's message does not name {path}");
        audit.Require(errors.Any(e => e.Message.Contains(Says(invalid.Defect), StringComparison.Ordinal)),
            $"no error says \"{Says(invalid.Defect)}\": {string.Join("; ", errors)}");
        return audit.ToProperty().Collect(invalid.Defect);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 200)]
    public Property The_generators_make_exactly_the_defect_they_name(InvalidConvConfig invalid, ConvConfig valid)
    {
        var defects = invalid.Config.Defects();
        return (invalid.Config.IsWellFormed && defects.SequenceEqual([invalid.Defect])).Label($"defects {string.Join(", ", defects)}")
            .And((valid.IsWellFormed && valid.Defects().Count == 0).Label($"the valid configuration has defects {string.Join(", ", valid.Defects())}"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 100)]
    public Property Shrinking_ends(InvalidConvConfig invalid, ConvConfig valid)
    {
        // Follow the first shrink step by step (what FsCheck does while a property keeps failing): it must end.
        var steps = 0;
        for (var c = invalid; c is not null && steps < 1000; steps++)
            c = ConvConfigShrinker.ShrinkInvalid(c).FirstOrDefault();
        var validSteps = 0;
        for (var c = valid; c is not null && validSteps < 1000; validSteps++)
            c = ConvConfigShrinker.ShrinkValid(c).FirstOrDefault();
        return (steps < 1000 && validSteps < 1000).Label($"shrinking did not end: {steps}, {validSteps} steps");
    }
}
