namespace MLNet.Subspace.Models;

/// <summary>The file format of a weights file.</summary>
public enum WeightsFormat
{
    /// <summary>Decide from the content: a zip archive is a PyTorch <c>torch.save(state_dict)</c> file, an 8-byte length followed by '{' is safetensors, anything else is TorchSharp's format.</summary>
    Auto,

    /// <summary>TorchSharp's <c>Module.save</c> format.</summary>
    TorchSharp,

    /// <summary>A PyTorch <c>state_dict</c> saved with <c>torch.save</c> (zip format, PyTorch 1.6 or later).</summary>
    PyTorch,

    /// <summary>A safetensors file.</summary>
    Safetensors,
}
