#!/usr/bin/env python3
"""keras.io's "Text classification with Transformer", made small, as a SavedModel with Keras' predictions.

Writes into savedmodels/transformer/:
  export/      Keras 3 `model.export()`: Input(shape=(MAXLEN,)) with no dtype (float32 ids, as on keras.io) ->
               TokenAndPositionEmbedding -> TransformerBlock -> GlobalAveragePooling1D -> Dense(relu) ->
               Dense(1, sigmoid). The custom embedding layer holds a token table [VOCAB, EMBED] and a position table
               [MAXLEN, EMBED]. Created in keras.io's order (token table first), the export lists the position
               table's variable first, so a loader that takes the first `embeddings` variable takes the wrong one.
  golden.json  token rows (ids up to VOCAB - 1, most past MAXLEN) and Keras' probabilities (full precision)

Run from the repo root:  $PYTHON scripts/make_transformer_savedmodel.py
"""
import json
import os
import shutil

import numpy as np
import keras
from keras import layers, ops

VOCAB, MAXLEN, EMBED, HEADS, FF = 2000, 40, 16, 2, 16
ROOT = os.path.join("savedmodels", "transformer")


@keras.saving.register_keras_serializable(package="sentigraph")
class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim, self.num_heads, self.ff_dim, self.rate = embed_dim, num_heads, ff_dim, rate
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.dropout1(self.att(inputs, inputs), training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.dropout2(self.ffn(out1), training=training)
        return self.layernorm2(out1 + ffn_output)

    def get_config(self):
        return {**super().get_config(), "embed_dim": self.embed_dim, "num_heads": self.num_heads,
                "ff_dim": self.ff_dim, "rate": self.rate}


@keras.saving.register_keras_serializable(package="sentigraph")
class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.maxlen, self.vocab_size, self.embed_dim = maxlen, vocab_size, embed_dim
        # keras.io's order; model.export() then puts the position table's handle first in the graph
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        positions = self.pos_emb(ops.arange(start=0, stop=ops.shape(x)[-1], step=1))
        return self.token_emb(x) + positions

    def get_config(self):
        return {**super().get_config(), "maxlen": self.maxlen, "vocab_size": self.vocab_size,
                "embed_dim": self.embed_dim}


def model():
    inputs = layers.Input(shape=(MAXLEN,))
    x = TokenAndPositionEmbedding(MAXLEN, VOCAB, EMBED)(inputs)
    x = TransformerBlock(EMBED, HEADS, FF)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(8, activation="relu")(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def data(n, rng):
    """Sentiment carried by ids anywhere in the vocabulary: 'good' ids in [1000, 1500), 'bad' in [1500, 2000)."""
    x = rng.randint(3, VOCAB, size=(n, MAXLEN))
    y = ((x >= 1000) & (x < 1500)).sum(1) > ((x >= 1500) & (x < 2000)).sum(1)
    return x.astype("float32"), y.astype("float32")


def main():
    keras.utils.set_random_seed(7)
    rng = np.random.RandomState(7)
    x, y = data(400, rng)
    m = model()
    m.compile(optimizer="adam", loss="binary_crossentropy")
    m.fit(x, y, epochs=2, batch_size=32, verbose=0)
    probe, _ = data(5, rng)
    probe[0, :10] = 0  # a padded row
    probe[1, -1] = VOCAB - 1  # the token table's last row
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    m.export(os.path.join(ROOT, "export"), verbose=False)
    p = m.predict(probe, verbose=0)[:, 0]
    with open(os.path.join(ROOT, "golden.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "seq_len": MAXLEN, "tokens": probe.astype(int).tolist(),
                   "probabilities": p.astype(float).tolist()}, f)
    print("transformer saved")


if __name__ == "__main__":
    main()
