package dev.sentigraph.serve;

import com.google.protobuf.ByteString;
import dev.sentigraph.Predictions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;

/**
 * TensorFlow's {@code TensorProto} to and from what a served model takes and gives: rows of token ids (any numeric
 * dtype, whole numbers, in {@code tensor_content} or the typed {@code *_val} fields, as TensorFlow's
 * {@code Tensor::FromProto} reads them) or review strings ({@code string_val}), and the probabilities out.
 */
final class GrpcTensors {
  private GrpcTensors() {}

  /**
   * The instances of an input tensor: {@code int[]} rows of a {@code [n, length]} numeric tensor, or the
   * {@code String}s of a {@code [n]} or {@code [n, 1]} string tensor.
   *
   * @throws HttpError 400 (INVALID_ARGUMENT) saying what is wrong
   */
  static List<Object> instances(String input, TensorProto t) {
    long[] shape = t.getTensorShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
    if (t.getTensorShape().getUnknownRank() || shape.length == 0 || shape.length > 2) {
      throw HttpError.badRequest("input '" + input + "' has shape " + describe(shape) + ": expected [batch, length]"
          + " token ids or [batch] review strings");
    }
    for (long d : shape) {
      if (d < 0) {
        throw HttpError.badRequest("input '" + input + "' has shape " + describe(shape) + ": every size must be known");
      }
    }
    int rows = Math.toIntExact(shape[0]);
    if (t.getDtype() == DataType.DT_STRING) {
      if (shape.length == 2 && shape[1] != 1) {
        throw HttpError.badRequest("input '" + input + "' is a string tensor of shape " + describe(shape)
            + ": expected one review per row, [batch] or [batch, 1]");
      }
      if (t.getStringValCount() != rows) {
        throw HttpError.badRequest("input '" + input + "' has " + t.getStringValCount() + " string_val values for "
            + rows + " rows");
      }
      List<Object> out = new ArrayList<>(rows);
      for (ByteString s : t.getStringValList()) {
        out.add(s.toStringUtf8());
      }
      return out;
    }
    if (shape.length != 2) {
      throw HttpError.badRequest("input '" + input + "' has shape " + describe(shape) + ": token ids are [batch, length]");
    }
    int length = Math.toIntExact(shape[1]);
    long count = (long) rows * length;
    if (count > Integer.MAX_VALUE) {
      throw HttpError.badRequest("input '" + input + "' is too large: " + describe(shape));
    }
    long[] ids = values(input, t, (int) count);
    List<Object> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      int[] row = new int[length];
      for (int j = 0; j < length; j++) {
        long id = ids[r * length + j];
        if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
          throw HttpError.badRequest("input '" + input + "' row " + r + " token " + j + " is " + id
              + ": outside any vocabulary");
        }
        row[j] = (int) id;
      }
      out.add(row);
    }
    return out;
  }

  /** The tensor's values as whole numbers, from whichever field holds them. */
  private static long[] values(String input, TensorProto t, int count) {
    long[] out = new long[count];
    ByteString content = t.getTensorContent();
    boolean raw = !content.isEmpty();
    switch (t.getDtype()) {
      case DT_INT32, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16 -> {
        if (raw) {
          int width = switch (t.getDtype()) {
            case DT_INT32 -> 4;
            case DT_INT16, DT_UINT16 -> 2;
            default -> 1;
          };
          ByteBuffer b = rawBuffer(input, content, count, width);
          for (int i = 0; i < count; i++) {
            out[i] = switch (t.getDtype()) {
              case DT_INT32 -> b.getInt();
              case DT_INT16 -> b.getShort();
              case DT_UINT16 -> b.getShort() & 0xFFFF;
              case DT_INT8 -> b.get();
              default -> b.get() & 0xFF;
            };
          }
        } else {
          fill(input, t.getIntValCount(), count, i -> t.getIntVal(i), out);
        }
      }
      case DT_INT64 -> {
        if (raw) {
          ByteBuffer b = rawBuffer(input, content, count, 8);
          for (int i = 0; i < count; i++) {
            out[i] = b.getLong();
          }
        } else {
          fill(input, t.getInt64ValCount(), count, t::getInt64Val, out);
        }
      }
      case DT_FLOAT, DT_DOUBLE -> {
        double[] d = new double[count];
        if (raw) {
          boolean single = t.getDtype() == DataType.DT_FLOAT;
          ByteBuffer b = rawBuffer(input, content, count, single ? 4 : 8);
          for (int i = 0; i < count; i++) {
            d[i] = single ? b.getFloat() : b.getDouble();
          }
        } else if (t.getDtype() == DataType.DT_FLOAT) {
          long[] bits = new long[count];
          fill(input, t.getFloatValCount(), count, i -> Double.doubleToRawLongBits(t.getFloatVal(i)), bits);
          for (int i = 0; i < count; i++) {
            d[i] = Double.longBitsToDouble(bits[i]);
          }
        } else {
          long[] bits = new long[count];
          fill(input, t.getDoubleValCount(), count, i -> Double.doubleToRawLongBits(t.getDoubleVal(i)), bits);
          for (int i = 0; i < count; i++) {
            d[i] = Double.longBitsToDouble(bits[i]);
          }
        }
        for (int i = 0; i < count; i++) {
          if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > Integer.MAX_VALUE) {
            throw HttpError.badRequest(String.format(Locale.ROOT, "input '%s' value %d is %s: token ids are whole"
                + " numbers", input, i, d[i]));
          }
          out[i] = (long) d[i];
        }
      }
      default -> throw HttpError.badRequest("input '" + input + "' has dtype " + t.getDtype().name()
          + ": expected token ids (DT_INT32, DT_INT64, DT_FLOAT, ...) or review strings (DT_STRING)");
    }
    return out;
  }

  private interface Value {
    long at(int i);
  }

  /** TensorFlow's rule for typed values: all of them, or one repeated for every element, or none for zeros. */
  private static void fill(String input, int given, int count, Value value, long[] out) {
    if (given == count) {
      for (int i = 0; i < count; i++) {
        out[i] = value.at(i);
      }
    } else if (given == 1) {
      java.util.Arrays.fill(out, value.at(0));
    } else if (given != 0 || count != 0) {
      throw HttpError.badRequest("input '" + input + "' has " + given + " values for " + count + " elements");
    }
  }

  private static ByteBuffer rawBuffer(String input, ByteString content, int count, int width) {
    if (content.size() != (long) count * width) {
      throw HttpError.badRequest("input '" + input + "' has " + content.size() + " bytes of tensor_content for "
          + count + " elements of " + width + " bytes");
    }
    return content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A {@code [n, 1]} float tensor of probabilities, typed ({@code float_val}) or packed ({@code tensor_content}). */
  static TensorProto outputs(Predictions p, boolean tensorContent) {
    int width = p.output().width();
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(
        TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(p.size()))
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(width)));
    ByteBuffer b = ByteBuffer.allocate(p.size() * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < p.size(); i++) {
      for (float f : p.values(i)) {
        if (tensorContent) {
          b.putFloat(f);
        } else {
          t.addFloatVal(f);
        }
      }
    }
    if (tensorContent) {
      t.setTensorContent(ByteString.copyFrom(b.array()));
    }
    return t.build();
  }

  private static String describe(long[] shape) {
    return java.util.Arrays.toString(shape);
  }
}
