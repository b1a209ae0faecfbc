namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The tests that switch <see cref="ScratchNet.Kernels.Gemm.WideBlocks"/> off and on: one collection, so they run one after
/// another. Run side by side, one could save the switch while another had it off and "restore" it off for good, and the
/// test that the switch is on by default where 512-bit vectors are fast would then fail.
/// </summary>
[CollectionDefinition(nameof(WideBlocksSwitch))]
public sealed class WideBlocksSwitch;
