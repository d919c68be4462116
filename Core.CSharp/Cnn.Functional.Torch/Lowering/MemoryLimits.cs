using System.Globalization;

namespace Cnn.Functional.Torch;

/// <summary>
/// How much memory lowering a graph and running it may ask for, checked with 64-bit overflow-checked arithmetic
/// from the inferred shapes <em>before</em> any tensor is allocated: a 10⁹-channel convolution or a
/// 100,000 × 100,000 input is refused with a <see cref="GraphException"/> naming the node and the numbers, instead of
/// libtorch trying to allocate terabytes (and the process dying or swapping).
/// </summary>
/// <param name="MaxParameterBytes">The most bytes the graph's float32 parameters and buffers may take.</param>
/// <param name="MaxActivationBytes">
/// The most bytes one forward pass's activations may take: every node's float32 output for the whole batch (what a
/// training step keeps for backpropagation). Checked for one example when the graph is lowered and for the actual batch
/// before every forward pass.
/// </param>
public sealed record MemoryLimits(long MaxParameterBytes, long MaxActivationBytes)
{
    private const long BytesPerValue = sizeof(float);

    /// <summary>
    /// The limits from the memory available to this process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: the
    /// machine's memory, or the container's limit): activations up to all of it, parameters up to a quarter of it, because
    /// training keeps each parameter four times (the weight, its gradient and Adam's two moments).
    /// </summary>
    public static MemoryLimits Default { get; } = FromAvailable(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>Limits derived from <paramref name="availableBytes"/> as <see cref="Default"/> derives them from the process's memory.</summary>
    public static MemoryLimits FromAvailable(long availableBytes) =>
        new(Math.Max(availableBytes / 4, 1), Math.Max(availableBytes, 1));

    /// <summary>Refuses a graph whose parameters, or whose activations for one example, exceed the limits.</summary>
    /// <exception cref="GraphException">A limit is exceeded, or a count overflows 64 bits; names the largest node and the numbers.</exception>
    internal void CheckGraph(InferredGraph graph)
    {
        CheckLimits(graph.Graph.Name);
        var (parameters, largestParameters) = Total(graph, n => checked(n.Info.Parameters + n.Info.Buffers), "parameters and buffers");
        var parameterBytes = Bytes(graph, parameters, largestParameters, "parameters and buffers");
        if (parameterBytes > MaxParameterBytes)
            throw Refuse(graph, largestParameters, n => checked(n.Info.Parameters + n.Info.Buffers),
                $"the graph's {Count(parameters)} parameters and buffers need {Count(parameterBytes)} bytes as float32, more than the limit of {Count(MaxParameterBytes)} bytes (MemoryLimits.MaxParameterBytes)",
                "parameters");
        CheckActivations(graph, ActivationsPerExample(graph), 1);
    }

    /// <summary>The values of one example's forward pass: every node's output, and the largest scratch copy a node makes while it runs.</summary>
    /// <param name="Elements">The sum of every node's output elements.</param>
    /// <param name="Largest">The index of the node with the largest output.</param>
    /// <param name="Scratch">The largest number of values a node allocates besides its output (its padded input).</param>
    /// <param name="ScratchNode">The index of that node, or −1.</param>
    internal sealed record ActivationCount(long Elements, int Largest, long Scratch, int ScratchNode);

    /// <summary>Every node's output elements for one example, summed; the node with the largest output; no scratch memory yet.</summary>
    /// <exception cref="GraphException">The sum overflows 64 bits.</exception>
    internal static ActivationCount ActivationsPerExample(InferredGraph graph)
    {
        var (elements, largest) = Total(graph, n => Elements(n.OutputShape), "activation elements");
        return new ActivationCount(elements, largest, 0, -1);
    }

    /// <summary>Refuses a forward pass of <paramref name="batch"/> examples whose activations exceed the limit.</summary>
    /// <exception cref="GraphException">The activations of the batch exceed <see cref="MaxActivationBytes"/> or overflow 64 bits.</exception>
    internal void CheckActivations(InferredGraph graph, ActivationCount perExample, long batch)
    {
        long values, bytes;
        try
        {
            values = checked(perExample.Elements + perExample.Scratch);
            bytes = checked(values * batch * BytesPerValue);
        }
        catch (OverflowException)
        {
            values = bytes = long.MaxValue;
        }
        if (bytes <= MaxActivationBytes) return;
        var total = values == long.MaxValue ? "more than 2⁶³" : Count(values);
        var message = $"a forward pass of {Count(batch)} example{(batch == 1 ? "" : "s")} needs {total} activation values per example, " +
            $"{(bytes == long.MaxValue ? "more than 2⁶³ bytes" : Count(bytes) + " bytes")} as float32, more than the limit of {Count(MaxActivationBytes)} bytes (MemoryLimits.MaxActivationBytes)";
        if (perExample.Scratch > perExample.Elements)
        {
            var node = graph.Nodes[perExample.ScratchNode];
            throw new GraphException(new GraphError(node.Path, node.Node.Layer.Kind,
                $"{message}; most of it is this node's padded copy of its input {node.InputShapes[0]}: {(perExample.Scratch == long.MaxValue ? "more than 2⁶³" : Count(perExample.Scratch))} values per example",
                "use less padding (a smaller dilated kernel with 'same' padding), or pass larger MemoryLimits to GraphModule.Create if the machine has the memory"));
        }
        throw Refuse(graph, perExample.Largest, n => Elements(n.OutputShape), message, "output values per example");
    }

    private void CheckLimits(string name)
    {
        if (MaxParameterBytes < 1 || MaxActivationBytes < 1)
            throw new GraphException(new GraphError(name, "limits", $"memory limits must be at least 1 byte; got {MaxParameterBytes} and {MaxActivationBytes}"));
    }

    private static (long Total, int Largest) Total(InferredGraph graph, Func<InferredNode, long> count, string what)
    {
        long total = 0;
        var largest = 0;
        long most = -1;
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            long n;
            try
            {
                n = count(graph.Nodes[i]);
                total = checked(total + n);
            }
            catch (OverflowException)
            {
                var node = graph.Nodes[i];
                throw new GraphException(new GraphError(node.Path, node.Node.Layer.Kind,
                    $"the graph's {what} up to this node ({node.OutputShape}) overflow a 64-bit count"));
            }
            if (n > most) (most, largest) = (n, i);
        }
        return (total, largest);
    }

    private static long Bytes(InferredGraph graph, long count, int largest, string what)
    {
        try
        {
            return checked(count * BytesPerValue);
        }
        catch (OverflowException)
        {
            var node = graph.Nodes[largest];
            throw new GraphException(new GraphError(node.Path, node.Node.Layer.Kind,
                $"the graph's {Count(count)} {what} need more than 2⁶³ bytes as float32"));
        }
    }

    private static long Elements(Shape shape)
    {
        long n = 1;
        foreach (var d in shape.Dims) n = checked(n * d);
        return n;
    }

    private static GraphException Refuse(InferredGraph graph, int largest, Func<InferredNode, long> count, string message, string unit)
    {
        var node = graph.Nodes[largest];
        return new GraphException(new GraphError(node.Path, node.Node.Layer.Kind,
            $"{message}; the largest node is this one, {node.Node.Layer.Kind} with output {node.OutputShape} and {Count(count(node))} {unit}",
            "shrink the layer or the input, or pass larger MemoryLimits to GraphModule.Create if the machine has the memory"));
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
