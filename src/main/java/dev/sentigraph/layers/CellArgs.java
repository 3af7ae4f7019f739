package dev.sentigraph.layers;

/**
 * The arguments every Keras recurrent cell takes, read once: activations, bias and the three initializers
 * (kernel glorot_uniform, recurrent orthogonal, bias zeros by default).
 */
record CellArgs(Activation activation, Activation recurrentActivation, boolean useBias, InitializerSpec kernelInit,
    InitializerSpec recurrentInit, InitializerSpec biasInit) {

  static CellArgs read(LayerArgs args, boolean gated) {
    return new CellArgs(
        args.getActivation("activation", Activation.TANH),
        gated ? args.getActivation("recurrent_activation", Activation.SIGMOID) : null,
        args.getBoolean("use_bias", true),
        args.getInitializer("kernel_initializer", InitializerSpec.GLOROT_UNIFORM),
        args.getInitializer("recurrent_initializer", InitializerSpec.ORTHOGONAL),
        args.getInitializer("bias_initializer", InitializerSpec.ZEROS));
  }
}
