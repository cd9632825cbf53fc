"""The numpy MiniLM forward: the same numbers as transformers' BertModel, whatever the batch."""

from __future__ import annotations

import math

import numpy as np
import pytest

from classifier.bert import BadWeights, Bert, gelu
from classifier.encoder import Encoder, model_dir

TEXTS = [
    "Entity List additions of Chinese AI chip developers",
    "China imposes export controls on gallium and germanium items; exports need a licence from MOFCOM.",
    "Huawei Technologies Co., Ltd.",
    "x",
]


@pytest.fixture(scope="module")
def encoder():
    return Encoder(layers=3)


def test_gelu_is_the_exact_erf_gelu():
    x = np.linspace(-12, 12, 24001, dtype=np.float32)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    assert np.abs(gelu(x.copy()) - exact).max() < 1e-6


@pytest.mark.parametrize("layers", [3, 6])
def test_hidden_states_equal_transformers_bert(encoder, layers):
    import torch
    import transformers

    reference = transformers.BertModel.from_pretrained(str(model_dir()), add_pooling_layer=False).eval()
    reference.encoder.layer = reference.encoder.layer[:layers]
    ids = encoder.token_ids(TEXTS, 48)
    width = max(map(len, ids))
    input_ids = np.zeros((len(ids), width), np.int64)
    mask = np.zeros((len(ids), width), np.float32)
    for row, tokens in enumerate(ids):
        input_ids[row, : len(tokens)], mask[row, : len(tokens)] = tokens, 1
    with torch.inference_mode():
        expected = reference(input_ids=torch.tensor(input_ids), attention_mask=torch.tensor(mask, dtype=torch.long))
    ours = Bert(model_dir() / "model.safetensors", layers)(input_ids, mask)
    real = mask.astype(bool)  # padding positions are never pooled
    assert np.abs(ours[real] - expected.last_hidden_state.numpy()[real]).max() < 1e-5


def test_an_item_embeds_the_same_alone_or_among_any_others(encoder):
    together = encoder.encode(TEXTS * 20, max_length=48)
    reversed_ = encoder.encode(list(reversed(TEXTS * 7)), max_length=48)[::-1]
    alone = np.vstack([encoder.encode([text], max_length=48) for text in TEXTS])
    one_thread = Encoder(layers=3, threads=1).encode(TEXTS, max_length=48)
    assert np.array_equal(together[: len(TEXTS)], alone)
    assert np.array_equal(together[-len(TEXTS) :], alone)
    assert np.array_equal(reversed_[: len(TEXTS)], alone)
    assert np.array_equal(one_thread, alone)
    assert np.allclose(np.linalg.norm(alone, axis=1), 1.0, atol=1e-6)


def test_long_texts_are_cut_to_the_same_tokens_as_the_whole_text(encoder):
    long = " ".join(TEXTS * 40)
    whole = encoder.tokenizer.encode(long).ids
    assert encoder.token_ids([long], 48) == [whole[:47] + whole[-1:]]
    assert encoder.token_ids(["x" * 2000], 16) == [encoder.tokenizer.encode("x" * 2000).ids]  # one long word


def test_asking_for_more_layers_than_the_weights_hold_is_refused():
    with pytest.raises(BadWeights, match="holds 6 encoder layers, not the 7"):
        Bert(model_dir() / "model.safetensors", 7)
