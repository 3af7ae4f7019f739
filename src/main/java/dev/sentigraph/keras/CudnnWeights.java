package dev.sentigraph.keras;

import java.util.Arrays;

/**
 * The weights of a Keras 2 {@code CuDNNLSTM} / {@code CuDNNGRU} layer turned into those of the Keras LSTM /
 * {@code GRU(reset_after=True)} that computes the same, as Keras 2 converted them when loading CuDNN weights into
 * LSTM / GRU: per gate (Keras' order, i f c o and z r h, in both layouts) the input kernel is transposed and
 * re-read in Fortran order and the recurrent kernel transposed; LSTM's input and recurrent biases (8 * units) are
 * summed, GRU's 6 * units bias becomes (2, 3 * units). Like Keras 2, a stored bias of CuDNN's shape says which
 * layout a file holds.
 */
final class CudnnWeights {
  private CudnnWeights() {}

  /**
   * Whether a recurrent layer whose Keras bias has shape {@code kerasBias} and recurrent kernel {@code
   * kerasRecurrent} ({@code [units, gates * units]}) finds its bias stored as CuDNN's: 8 * units for LSTM,
   * 6 * units for GRU.
   */
  static boolean storedAsCudnn(long[] kerasRecurrent, long[] kerasBias, long[] storedBias) {
    if (kerasRecurrent.length != 2 || storedBias.length != 1 || kerasRecurrent[0] == 0) {
      return false;
    }
    long units = kerasRecurrent[0];
    long gates = kerasRecurrent[1] / units;
    boolean lstm = gates == 4 && Arrays.equals(kerasBias, new long[] {4 * units});
    boolean gru = gates == 3 && Arrays.equals(kerasBias, new long[] {2, 3 * units});
    return (lstm || gru) && storedBias[0] == 2 * gates * units;
  }

  /** The input kernel ({@code [inputDim, gates * units]}, row-major) in Keras' layout. */
  static float[] kernel(float[] cudnn, int inputDim, int units, int gates) {
    int cols = gates * units;
    float[] out = new float[cudnn.length];
    for (int g = 0; g < gates; g++) {
      // the gate's block, read row-major, fills Keras' block column by column
      for (int i = 0; i < inputDim; i++) {
        for (int j = 0; j < units; j++) {
          int flat = j * inputDim + i;
          out[i * cols + g * units + j] = cudnn[(flat / units) * cols + g * units + flat % units];
        }
      }
    }
    return out;
  }

  /** The recurrent kernel ({@code [units, gates * units]}) with each gate's square block transposed. */
  static float[] recurrentKernel(float[] cudnn, int units, int gates) {
    int cols = gates * units;
    float[] out = new float[cudnn.length];
    for (int g = 0; g < gates; g++) {
      for (int a = 0; a < units; a++) {
        for (int b = 0; b < units; b++) {
          out[a * cols + g * units + b] = cudnn[b * cols + g * units + a];
        }
      }
    }
    return out;
  }

  /** LSTM: input plus recurrent bias (4 * units); GRU: the same values, read as (2, 3 * units). */
  static float[] bias(float[] cudnn, int units, int gates) {
    if (gates == 3) {
      return cudnn.clone();
    }
    float[] out = new float[gates * units];
    for (int i = 0; i < out.length; i++) {
      out[i] = cudnn[i] + cudnn[out.length + i];
    }
    return out;
  }
}
