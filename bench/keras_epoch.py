#!/usr/bin/env python3
"""bench/epoch_bench.cpp's epoch in Keras 3: the reference a Keras user has.

Embedding(10000, 32) -> {LSTM(32) | Bidirectional(GRU(32)) | Conv1D(64, 5,
relu) -> GlobalMaxPooling1D} -> Dense(1, sigmoid), Adam, binary
cross-entropy, accuracy, batch 32, on the first 1,280 training reviews of
data/small_fine_foods.csv tokenized as cuseq's (and Keras 2's) Tokenizer
does: ASCII lower case, Keras' filter characters, words ranked by count
(ties by first appearance), the 9,999 most frequent kept, padded and
truncated at the front to 100 ids. The id checksum is the C++ bench's.
Each epoch is timed from on_epoch_begin to on_epoch_end after one warm-up
epoch (JIT compilation); writes Google Benchmark JSON named
BM_Epoch_keras/model:<0|1|2>/gpu:0 with the median epoch.
    KERAS_BACKEND=jax python3 bench/keras_epoch.py --model 0 --out keras.json
"""
import argparse
import collections
import csv
import json
import os
import statistics
import time

NUM_WORDS, MAXLEN, ROWS, BATCH = 10000, 100, 1280, 32
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
SPLIT = str.maketrans({c: " " for c in FILTERS})


def words_of(text):
    return [w for w in text.translate(ASCII_LOWER).translate(SPLIT).split(" ") if w]


def reviews(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["split"] == "train"]
    counts = collections.Counter()
    for row in rows:
        counts.update(words_of(row["review"]))  # Counter keeps first-seen order on ties
    ranked = sorted(counts, key=lambda w: -counts[w])  # stable
    index = {w: i + 1 for i, w in enumerate(ranked) if i + 1 < NUM_WORDS}
    ids, labels = [], []
    for row in rows[:ROWS]:
        sequence = [index[w] for w in words_of(row["review"]) if w in index][-MAXLEN:]
        ids.append([0] * (MAXLEN - len(sequence)) + sequence)
        labels.append([1.0 if row["score"] == "great" else 0.0])
    checksum = float(sum(v * (i % 997 + 1) for i, v in enumerate(x for r in ids for x in r)))
    return ids, labels, checksum


def model_of(which, keras):
    layers = keras.layers
    middle = {
        0: [layers.LSTM(32)],
        1: [layers.Bidirectional(layers.GRU(32))],
        2: [layers.Conv1D(64, 5, activation="relu"), layers.GlobalMaxPooling1D()],
    }[which]
    model = keras.Sequential([keras.Input((MAXLEN,), dtype="int32"),
                              layers.Embedding(NUM_WORDS, 32), *middle,
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=int, default=0, choices=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs after the warm-up")
    parser.add_argument("--data", default="data/small_fine_foods.csv")
    parser.add_argument("--out", default="keras_epoch.json")
    args = parser.parse_args()
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import keras
    import numpy as np

    ids, labels, checksum = reviews(args.data)
    x, y = np.asarray(ids, dtype="int32"), np.asarray(labels, dtype="float32")
    keras.utils.set_random_seed(0)
    model = model_of(args.model, keras)

    class EpochTimer(keras.callbacks.Callback):
        seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    timer = EpochTimer()
    history = model.fit(x, y, batch_size=BATCH, epochs=1 + args.epochs, verbose=0,
                        callbacks=[timer])
    epoch_ms = 1000.0 * statistics.median(timer.seconds[1:])
    result = {
        "context": {"library": "keras %s (%s backend)" % (keras.__version__, keras.backend.backend())},
        "benchmarks": [{
            "name": "BM_Epoch_keras/model:%d/gpu:0" % args.model,
            "run_type": "iteration",
            "iterations": args.epochs,
            "real_time": epoch_ms,
            "cpu_time": epoch_ms,
            "time_unit": "ms",
            "ids_checksum": checksum,
            "last_loss": history.history["loss"][-1],
        }],
    }
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)
    print(json.dumps(result["benchmarks"][0]))


if __name__ == "__main__":
    main()
