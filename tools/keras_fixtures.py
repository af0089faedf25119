"""Keras 3 fixtures for cuseq's tests, and the check of cuseq's .keras files in Keras.

Run through tools/make_keras_fixtures.sh (it makes the virtualenv). Modes:
  fixtures OUT_DIR        small .keras models (random weights, biases too) with
                          their inputs and Keras' predictions (<name>.json), a
                          .weights.h5, and a model with a layer cuseq lacks
  fine_foods DATA OUT_DIR a sentiment model trained in Keras on the fine-food
                          reviews, with its keras_preprocessing Tokenizer (JSON)
  check DIR               every <name>.keras written by cuseq in DIR is loaded by
                          keras.saving.load_model and run on <name>.json's input;
                          prints the largest difference from cuseq's predictions
"""

import csv
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

layers = keras.layers


def tensor_json(array):
    array = np.asarray(array)
    dtype = "int32" if array.dtype.kind in "iu" else "float32"
    values = array.astype(np.int64 if dtype == "int32" else np.float64).ravel().tolist()
    return {"shape": list(array.shape), "dtype": dtype, "data": values}


def json_tensor(entry):
    dtype = np.int32 if entry["dtype"] == "int32" else np.float32
    return np.asarray(entry["data"], dtype=dtype).reshape(entry["shape"])


def randomize(model, rng):
    """Every weight (biases too) drawn anew, so that the order of each is tested."""
    for layer in model.layers:
        weights = layer.get_weights()
        if weights:
            layer.set_weights([rng.normal(0, 0.4, w.shape).astype(w.dtype) for w in weights])


def padded_ids(rng, rows, steps, vocabulary):
    """Ids in [1, vocabulary) with some rows left-padded by zeros, as pad_sequences does."""
    ids = rng.integers(1, vocabulary, size=(rows, steps)).astype(np.int32)
    for row in range(0, rows, 2):
        ids[row, : rng.integers(1, steps - 1)] = 0
    return ids


def fixture_models(rng):
    ids = padded_ids(rng, 6, 8, 30)
    yield "lstm", keras.Sequential(
        [keras.Input((8,), dtype="int32"), layers.Embedding(30, 6, mask_zero=True),
         layers.LSTM(5), layers.Dense(1, activation="sigmoid")]), ids
    yield "gru", keras.Sequential(
        [keras.Input((8,), dtype="int32"), layers.Embedding(30, 6),
         layers.GRU(5, return_sequences=True), layers.GRU(4, go_backwards=True),
         layers.Dense(3, activation="softmax")]), ids
    yield "bidirectional", keras.Sequential(
        [keras.Input((8,), dtype="int32"), layers.Embedding(30, 6, mask_zero=True),
         layers.Bidirectional(layers.LSTM(4, return_sequences=True)),
         layers.Bidirectional(layers.GRU(3), merge_mode="sum"), layers.Dense(2)]), ids
    long_ids = padded_ids(rng, 5, 16, 30)
    yield "conv1d", keras.Sequential(
        [keras.Input((16,), dtype="int32"), layers.Embedding(30, 6),
         layers.Conv1D(8, 3, padding="same", activation="relu"), layers.MaxPooling1D(2),
         layers.Conv1D(5, 2, strides=2), layers.AveragePooling1D(2, padding="same"),
         layers.Conv1D(4, 2, padding="causal", dilation_rate=2, activation="tanh"),
         layers.GlobalMaxPooling1D(), layers.Dense(3, activation="softmax")]), long_ids
    series = rng.normal(0, 1, size=(4, 7, 3)).astype(np.float32)
    inputs = keras.Input((7, 3))
    hidden = layers.SimpleRNN(6, return_sequences=True)(inputs)
    hidden = layers.Dropout(0.2)(hidden)
    hidden = layers.Conv1D(4, 3, activation="sigmoid", use_bias=False)(hidden)
    hidden = layers.GlobalAveragePooling1D()(hidden)
    hidden = layers.Dense(5)(hidden)
    hidden = layers.Activation("tanh")(hidden)
    flat = layers.Flatten()(layers.Reshape((5, 1))(hidden))
    yield "functional_unsupported_reshape", keras.Model(inputs, layers.Dense(1)(flat)), series
    hidden = layers.SimpleRNN(6, return_sequences=True)(inputs)
    hidden = layers.Dropout(0.2)(hidden)
    hidden = layers.Conv1D(4, 3, activation="sigmoid", use_bias=False)(hidden)
    hidden = layers.Flatten()(hidden)
    hidden = layers.Dense(5)(hidden)
    hidden = layers.Activation("tanh")(hidden)
    yield "functional", keras.Model(inputs, layers.Dense(1)(hidden)), series
    yield "unsupported_groups", keras.Sequential(
        [keras.Input((6, 4)), layers.Conv1D(4, 3, groups=2)]), series
    yield "unsupported_reset_after", keras.Sequential(
        [keras.Input((7, 3)), layers.GRU(2, reset_after=False)]), series


def write_fixtures(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(14)
    for name, model, x in fixture_models(rng):
        randomize(model, rng)
        model.save(os.path.join(out, name + ".keras"))
        if "unsupported" in name:
            continue
        predictions = model.predict(x, verbose=0)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({"keras_version": keras.__version__, "input": tensor_json(x),
                       "output": tensor_json(predictions)}, f)
        if name == "lstm":
            model.save_weights(os.path.join(out, name + ".weights.h5"))
        print(f"{name}: {x.shape} -> {predictions.shape}")
    write_tokenizer_fixture(out)


def write_tokenizer_fixture(out):
    """Keras' own Tokenizer (keras_preprocessing) and the ids it gives."""
    from keras_preprocessing.text import Tokenizer

    texts = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; the END.",
             "Ünïcode wörds stay whole", "the the the"]
    tokenizer = Tokenizer(num_words=6, oov_token="<oov>")
    tokenizer.fit_on_texts(texts)
    probe = ["the cat and the dog", "mat homework zebra", "ünïcode"]
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        f.write(tokenizer.to_json())
    with open(os.path.join(out, "tokenizer_expected.json"), "w") as f:
        json.dump({"fitted_on": texts, "texts": probe,
                   "sequences": tokenizer.texts_to_sequences(probe),
                   "tfidf": tokenizer.texts_to_matrix(probe, mode="tfidf").tolist()}, f)


def fine_food_reviews(path, split):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["split"] == split]
    return [row["review"] for row in rows], np.array(
        [[1.0 if row["score"] == "great" else 0.0] for row in rows], dtype=np.float32)


def write_fine_foods(data, out):
    """The model a Keras user trains and hands to a C++ program (the predict example)."""
    from keras_preprocessing.text import Tokenizer  # Keras 3 dropped it; this is its code

    pad_sequences = keras.utils.pad_sequences
    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(14)
    texts, labels = fine_food_reviews(data, "train")
    test_texts, test_labels = fine_food_reviews(data, "test")
    tokenizer = Tokenizer(num_words=2000, oov_token="<unk>")
    tokenizer.fit_on_texts(texts)
    x = pad_sequences(tokenizer.texts_to_sequences(texts), maxlen=100)
    test_x = pad_sequences(tokenizer.texts_to_sequences(test_texts), maxlen=100)
    model = keras.Sequential([keras.Input((100,), dtype="int32"), layers.Embedding(2000, 16),
                              layers.Bidirectional(layers.GRU(16)),
                              layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    model.fit(x, labels, epochs=4, batch_size=32, validation_split=0.2, verbose=2)
    loss, accuracy = model.evaluate(test_x, test_labels, verbose=0)
    model.save(os.path.join(out, "model.keras"))
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        f.write(tokenizer.to_json())
    samples = ["Great coffee, I will buy it again!", "Stale and tasteless, a waste of money.",
               "ok"]
    ids = pad_sequences(tokenizer.texts_to_sequences(samples), maxlen=100)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "texts": samples,
                   "ids": tensor_json(ids),
                   "probabilities": tensor_json(model.predict(ids, verbose=0)),
                   "test_accuracy": accuracy, "test_loss": loss}, f)
    print(f"fine foods: Keras test accuracy {accuracy:.3f}, loss {loss:.3f}")


def check_cuseq_files(directory):
    worst = 0.0
    names = sorted(n[: -len(".keras")] for n in os.listdir(directory) if n.endswith(".keras"))
    if not names:
        sys.exit(f"no .keras files in {directory}")
    for name in names:
        with open(os.path.join(directory, name + ".json")) as f:
            case = json.load(f)
        model = keras.saving.load_model(os.path.join(directory, name + ".keras"))
        predictions = model.predict(json_tensor(case["input"]), verbose=0)
        expected = json_tensor(case["output"])
        difference = float(np.max(np.abs(predictions - expected)))
        worst = max(worst, difference)
        print(f"{name}: Keras {keras.__version__} loads cuseq's file; {predictions.shape}, "
              f"largest difference from cuseq's predictions {difference:.3g}")
    print(f"all {len(names)} files: largest difference {worst:.3g}")
    if worst > 1e-5:
        sys.exit("predictions differ")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "fixtures" and len(sys.argv) == 3:
        write_fixtures(sys.argv[2])
    elif mode == "fine_foods" and len(sys.argv) == 4:
        write_fine_foods(sys.argv[2], sys.argv[3])
    elif mode == "check" and len(sys.argv) == 3:
        check_cuseq_files(sys.argv[2])
    else:
        sys.exit(__doc__)
