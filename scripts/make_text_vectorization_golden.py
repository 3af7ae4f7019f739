#!/usr/bin/env python3
"""Golden fixture for sentigraph's TextVectorization adapt (the `text-cnn` preset), made by Keras itself.

Keras 3's TextVectorization(standardize="lower_and_strip_punctuation", split="whitespace") is adapted on small
made-up reviews built to test the awkward cases: ties in count (broken by the words' UTF-8 bytes, high to low,
where U+1F600 sorts above U+FF5A although its UTF-16 form sorts below), non-ASCII capitals (tf.strings.lower
lowers A-Z only), U+0085 inside a word (aclImdb has it), punctuation and `<br />`, tabs and newlines, the text
"[UNK]", and max_tokens cutting through a run of equal counts. Writes the texts, each setting's vocabulary and
the ids of every text (output_sequence_length 8) to src/test/resources/golden/text/adapt.json; the Java test
TextCnnPresetTest adapts on the same texts and must match every word in order and every id.

Run from the repo root:  $PYTHON scripts/make_text_vectorization_golden.py
(PYTHON: a venv with tensorflow-cpu / keras 3)
"""
import json
import os

import numpy as np
import tensorflow as tf
import keras

OUT = "src/test/resources/golden/text/adapt.json"


def texts():
    rng = np.random.RandomState(14)
    words = ["film", "movie", "plot", "actor", "great", "awful", "b", "a", "c", "ab", "ba", "zz", "z"]
    out = [
        "A great film. A GREAT film!", "\u00c9COLE \u00e9cole \u00c9cole", "fact\u0085 fact\u2026 don't dont",
        "The plot<br /><br />was thin\tand\nslow", "[UNK] unk [unk]", "\uff5a \U0001F600 \u00e9 e \u00ff",
        "\U0001F600 \uff5a \u00ff \u00e9 e", "(parenthetical) {braces} ~tilde~ under_score back\\slash",
        "  leading and trailing spaces  ", "",
    ]
    for _ in range(30):
        n = rng.randint(1, 12)
        out.append(" ".join(words[i] for i in rng.randint(0, len(words), size=n)))
    return out


def main():
    data = texts()
    settings = []
    for max_tokens in (None, 12, 7):
        layer = keras.layers.TextVectorization(max_tokens=max_tokens, output_mode="int", output_sequence_length=8)
        layer.adapt(tf.data.Dataset.from_tensor_slices(data).batch(7))
        ids = layer(tf.constant(data)).numpy().tolist()
        settings.append({"max_tokens": max_tokens, "vocabulary": layer.get_vocabulary(), "ids": ids})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"keras": keras.__version__, "standardize": "lower_and_strip_punctuation",
                   "output_sequence_length": 8, "texts": data, "settings": settings}, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(data)} texts, vocabularies of {[len(s['vocabulary']) for s in settings]} words")


if __name__ == "__main__":
    main()
