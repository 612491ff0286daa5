namespace MLNet.Subspace.Models.Activations;

/// <summary>One node of an ONNX graph, as <see cref="OnnxActivationSource.ListNodes(string)"/> reports it.</summary>
/// <param name="Name">The layer name the source uses: the node's name, or its first output's name when the node has none.</param>
/// <param name="OpType">The operator, e.g. "Conv", "Relu", "Gemm".</param>
/// <param name="Output">The node's first output tensor (what is read as the layer's activation).</param>
/// <param name="Shape">Per-input shape of that output (batch dimension dropped) where the file or a probe run gives it; null where unknown.</param>
public sealed record OnnxNode(string Name, string OpType, string Output, int[]? Shape);
