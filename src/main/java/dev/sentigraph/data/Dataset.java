package dev.sentigraph.data;

/**
 * A loaded dataset: padded splits ready for training, the unpadded ids they came from (for lengths and
 * decoding), and the vocabulary.
 *
 * @param numWords the vocabulary bound in force (ids at or above it are OOV)
 * @param wordIndex word ranks; null when an npz came without its word index
 */
public record Dataset(PaddedSequences train, PaddedSequences test, TokenSequences rawTrain, TokenSequences rawTest,
    WordIndex wordIndex, DataSettings settings, int numWords, String origin) {}
