package dev.sentigraph.format;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.data.OutputMode;

/**
 * What a caller asks of a model file beyond its path, in the part that decides what is opened (the library's
 * {@code LoadOptions} carry it, with the text-encoding settings that apply afterwards).
 *
 * @param checkpoint a run folder's checkpoint (default: best, else latest); refused by every other kind
 * @param signature a SavedModel's signature key (default {@code serving_default}, or the only one)
 * @param inputName a SavedModel input, for signatures with several
 * @param seqLen the length to run a model of any length at (default: each batch's longest row)
 * @param kerasGraph keep a Keras SavedModel on Keras' own graph instead of handing over to sentigraph's
 * @param execution threads and batch chains of the model's sessions
 * @param features what the float vector a model's Dense layers read is, made from token ids ({@code multi_hot}:
 *     "Deep Learning with Python"'s {@code vectorize_sequences}, or {@code count}); null: the model file must say
 *     (a per-word TextVectorization), else such a model is refused
 */
public record OpenRequest(String checkpoint, String signature, String inputName, Integer seqLen, boolean kerasGraph,
    ExecutionOptions execution, OutputMode features) {}
