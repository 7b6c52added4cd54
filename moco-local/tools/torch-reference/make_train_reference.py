"""
PyTorch reference for moco-local's trainer (io.mocoj.local.train).

Loads an F32 fixture GGUF into an equivalent PyTorch llama/qwen2/qwen3 module (float64), runs the
forward pass, the loss and the backward pass on fixed packed batches, and writes the losses and
gradients (per tensor: L2 norm and the values at a few fixed flat indices) as JSON beside the
fixtures. Java tests (TorchReferenceTest) read that JSON; they need no Python.

Cases (every fixture):
  sft_full  full fine-tuning, SFT loss (mean NLL over the scored tokens), gradients of every tensor
  sft_lora  LoRA rank 4, alpha 8 on q,k,v,o,gate,up,down with fixed non-zero A and B
  dpo_lora  two chosen/rejected pairs, beta 0.5, reference log-probs from the base model
  grpo_lora one group of four completions with fixed rewards, clipped ratio (eps 0.2) against fixed
            "old" log-probs, k3 KL (beta 0.1) against fixed reference log-probs

Usage (Debian's python3-torch, CPU):  /usr/bin/python3 make_train_reference.py
"""
import json
import math
import os
import sys

import numpy as np
import torch

import gguf_f32

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "..", "..", "src", "test", "resources")
FIXTURES = ["fixtures/tiny-qwen2-bpe-f32.gguf", "engine-fixtures/tiny-qwen3-f32.gguf",
            "engine-fixtures/tiny-llama-ropescale-f32.gguf"]
TARGETS = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
LORA_RANK, LORA_ALPHA = 4, 8.0
DPO_BETA, GRPO_EPS, GRPO_BETA = 0.5, 0.2, 0.1
GRPO_REWARDS = [1.0, 0.0, 0.5, 0.0]
torch.set_default_dtype(torch.float64)


def lora_values(index, rows, cols, kind):
    """Deterministic LoRA values; TorchReferenceTest computes the same formula in Java (double, then float)."""
    i = np.arange(rows * cols, dtype=np.float64)
    if kind == "a":
        v = 0.05 * np.sin(0.7 * i + index)
    else:
        v = 0.05 * np.cos(0.3 * i + index)
    return v.astype(np.float32).astype(np.float64).reshape(rows, cols)


class Model:
    def __init__(self, path):
        md, t = gguf_f32.load(path)
        self.md = md
        a = md["general.architecture"]
        g = lambda k, d=None: md.get(a + "." + k, d)
        self.arch = a
        self.dim = g("embedding_length")
        self.layers = g("block_count")
        self.heads = g("attention.head_count")
        self.kv_heads = g("attention.head_count_kv", self.heads)
        self.head_dim = g("attention.key_length", self.dim // self.heads)
        self.eps = float(np.float32(g("attention.layer_norm_rms_epsilon")))
        self.rope_base = float(np.float32(g("rope.freq_base", 10000.0)))
        self.rope_dims = g("rope.dimension_count", self.head_dim)
        factor = g("rope.scaling.factor", 0.0)
        self.freq_scale = 1.0 if not factor else float(np.float32(1.0 / factor))
        self.neox = a != "llama"
        self.params = {k: torch.tensor(v.astype(np.float64), requires_grad=True) for k, v in t.items()
                       if k != "rope_freqs.weight"}
        self.rope_freqs = t.get("rope_freqs.weight")
        self.tied = "output.weight" not in self.params
        self.lora = {}

    def add_lora(self):
        n = 0
        for l in range(self.layers):
            for tname in TARGETS:
                w = self.params["blk.%d.%s.weight" % (l, tname)]
                out, inp = w.shape
                A = torch.tensor(lora_values(n, LORA_RANK, inp, "a"), requires_grad=True)
                B = torch.tensor(lora_values(n, out, LORA_RANK, "b"), requires_grad=True)
                self.lora["blk.%d.%s.weight" % (l, tname)] = (A, B)
                n += 1

    def rms(self, x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * w

    def linear(self, name, x):
        y = x @ self.params[name + ".weight"].T
        if name + ".bias" in self.params:
            y = y + self.params[name + ".bias"]
        if name + ".weight" in self.lora:
            A, B = self.lora[name + ".weight"]
            y = y + (LORA_ALPHA / LORA_RANK) * ((x @ A.T) @ B.T)
        return y

    def rope(self, x, pos):
        # x: [T, heads, head_dim]
        half = self.rope_dims // 2
        i = np.arange(half, dtype=np.float64)
        # the engine computes base^(-2/n) in float and multiplies up step by step; mirror it in float32
        scale = np.float32(self.rope_base ** (-2.0 / self.rope_dims))
        inv = np.empty(half, dtype=np.float32)
        f = np.float32(1.0)
        for k in range(half):
            inv[k] = f
            f = np.float32(f * scale)
        theta = np.outer(pos.astype(np.float32), inv).astype(np.float32)
        if self.rope_freqs is not None:
            theta = (theta / self.rope_freqs.astype(np.float32)).astype(np.float32)
        theta = (theta * np.float32(self.freq_scale)).astype(np.float32)
        cos = torch.tensor(np.cos(theta.astype(np.float64)).astype(np.float32).astype(np.float64))[:, None, :]
        sin = torch.tensor(np.sin(theta.astype(np.float64)).astype(np.float32).astype(np.float64))[:, None, :]
        if self.neox:
            x0, x1 = x[..., :half], x[..., half:2 * half]
        else:
            x0, x1 = x[..., 0:2 * half:2], x[..., 1:2 * half:2]
        r0 = x0 * cos - x1 * sin
        r1 = x0 * sin + x1 * cos
        out = x.clone()
        if self.neox:
            out = torch.cat([r0, r1, x[..., 2 * half:]], dim=-1)
        else:
            inter = torch.stack([r0, r1], dim=-1).reshape(x.shape[0], x.shape[1], 2 * half)
            out = torch.cat([inter, x[..., 2 * half:]], dim=-1)
        return out

    def logp(self, tokens, pos, seq_start, target_pos, target_tok):
        hf = self.final_hidden(tokens, pos, seq_start, target_pos)
        out = self.params["token_embd.weight"] if self.tied else self.params["output.weight"]
        logits = hf @ out.T
        lp = torch.log_softmax(logits, dim=-1)
        return lp[torch.arange(len(target_pos)), torch.tensor(target_tok)]

    def final_hidden(self, tokens, pos, seq_start, target_pos):
        """The final hidden state (after output_norm) at each target position."""
        T = len(tokens)
        hd = self.head_dim
        emb = self.params["token_embd.weight"]
        x = emb[torch.tensor(tokens)]
        idx = np.arange(T)
        allowed = (seq_start[None, :] == seq_start[:, None]) & (idx[None, :] <= idx[:, None])
        mask = torch.tensor(np.where(allowed, 0.0, -np.inf))
        group = self.heads // self.kv_heads
        for l in range(self.layers):
            p = "blk.%d." % l
            h = self.rms(x, self.params[p + "attn_norm.weight"])
            q = self.linear(p + "attn_q", h).reshape(T, self.heads, hd)
            k = self.linear(p + "attn_k", h).reshape(T, self.kv_heads, hd)
            v = self.linear(p + "attn_v", h).reshape(T, self.kv_heads, -1)
            if p + "attn_q_norm.weight" in self.params:
                q = self.rms(q, self.params[p + "attn_q_norm.weight"])
                k = self.rms(k, self.params[p + "attn_k_norm.weight"])
            q = self.rope(q, pos)
            k = self.rope(k, pos)
            k = k.repeat_interleave(group, dim=1)
            v = v.repeat_interleave(group, dim=1)
            s = torch.einsum("thd,shd->hts", q, k) / math.sqrt(hd) + mask
            a = torch.softmax(s, dim=-1)
            att = torch.einsum("hts,shd->thd", a, v).reshape(T, -1)
            x = x + self.linear(p + "attn_output", att)
            h = self.rms(x, self.params[p + "ffn_norm.weight"])
            x = x + self.linear(p + "ffn_down", torch.nn.functional.silu(self.linear(p + "ffn_gate", h)) * self.linear(p + "ffn_up", h))
        return self.rms(x[torch.tensor(target_pos)], self.params["output_norm.weight"])


def pack(seqs, prompt_lens):
    tokens, pos, start, tpos, ttok, tseq = [], [], [], [], [], []
    for i, (s, pl) in enumerate(zip(seqs, prompt_lens)):
        at = len(tokens)
        for p, tok in enumerate(s):
            tokens.append(tok)
            pos.append(p)
            start.append(at)
            if p >= pl:
                tpos.append(at + p - 1)
                ttok.append(tok)
                tseq.append(i)
    return dict(tokens=tokens, positions=pos, seqStart=start, targetPos=tpos, targetToken=ttok, targetSeq=tseq,
                sequences=len(seqs))


def grad_summary(name, g):
    flat = g.detach().reshape(-1).numpy()
    n = flat.size
    idx = sorted(set([0, 1, 2, n // 2, n // 2 + 1, n - 1] + [(i * 7919 + 13) % n for i in range(6)]))
    return dict(name=name, norm=float(np.linalg.norm(flat)), indices=idx, values=[float(flat[i]) for i in idx])


def run_case(path, case, batch, extra):
    m = Model(path)
    if case != "sft_full":
        m.add_lora()
    b = batch
    lp = m.logp(b["tokens"], np.array(b["positions"]), np.array(b["seqStart"]), b["targetPos"], b["targetToken"])
    seq = torch.tensor(b["targetSeq"])
    out = {}
    if case.startswith("sft"):
        loss = -lp.mean()
    elif case == "dpo_lora":
        sums = torch.zeros(b["sequences"]).index_add(0, seq, lp)
        ref = torch.tensor(extra["refLogp"])
        z = DPO_BETA * ((sums[0::2] - ref[0::2]) - (sums[1::2] - ref[1::2]))
        loss = -torch.nn.functional.logsigmoid(z).mean()
    else:
        r = torch.tensor(GRPO_REWARDS)
        adv = (r - r.mean()) / (r.std() + 1e-4)
        j = torch.arange(len(b["targetPos"]), dtype=torch.float64)
        old = lp.detach() + 0.3 * torch.sin(j + 1)
        ref = lp.detach() + 0.1 * torch.cos(j + 1)
        a = adv[seq]
        ratio = torch.exp(lp - old)
        pg = -torch.min(ratio * a, torch.clamp(ratio, 1 - GRPO_EPS, 1 + GRPO_EPS) * a)
        kl = torch.exp(ref - lp) - (ref - lp) - 1
        per_tok = pg + GRPO_BETA * kl
        counts = torch.zeros(b["sequences"]).index_add(0, seq, torch.ones_like(lp))
        loss = (torch.zeros(b["sequences"]).index_add(0, seq, per_tok) / counts).mean()
        out["advantages"] = adv.tolist()
    loss.backward()
    out["loss"] = float(loss)
    grads = []
    if case == "sft_full":
        for name, p in m.params.items():
            grads.append(grad_summary(name, p.grad))
    else:
        for name, (A, B) in m.lora.items():
            grads.append(grad_summary(name[:-len(".weight")] + ".weight.lora_a", A.grad))
            grads.append(grad_summary(name[:-len(".weight")] + ".weight.lora_b", B.grad))
    out["gradients"] = grads
    return out


def main():
    for rel in FIXTURES:
        path = os.path.join(RES, rel)
        md, t = gguf_f32.load(path)
        vocab = t["token_embd.weight"].shape[0]
        rng = np.random.default_rng(12)
        lens, prompts = [7, 5, 9, 6], [2, 3, 2, 4]
        seqs = [[int(x) for x in rng.integers(0, vocab, size=n)] for n in lens]
        batch = pack(seqs, prompts)
        base = Model(path)
        lp = base.logp(batch["tokens"], np.array(batch["positions"]), np.array(batch["seqStart"]), batch["targetPos"],
                       batch["targetToken"]).detach()
        ref = torch.zeros(batch["sequences"]).index_add(0, torch.tensor(batch["targetSeq"]), lp).tolist()
        result = dict(fixture=os.path.basename(rel), torch=torch.__version__, dtype="float64",
                      lora=dict(rank=LORA_RANK, alpha=LORA_ALPHA, targets=TARGETS), dpoBeta=DPO_BETA,
                      grpo=dict(eps=GRPO_EPS, beta=GRPO_BETA, rewards=GRPO_REWARDS, oldOffset="0.3*sin(j+1)",
                                refOffset="0.1*cos(j+1)"),
                      batch=batch, baseLogp=lp.tolist(), refLogp=ref, cases={})
        for case in ["sft_full", "sft_lora", "dpo_lora", "grpo_lora"]:
            result["cases"][case] = run_case(path, case, batch, dict(refLogp=ref))
        out = os.path.join(RES, "fixtures", "reference", os.path.basename(rel).replace(".gguf", ".train.json"))
        with open(out, "w") as f:
            json.dump(result, f, indent=1)
        print("wrote", out, {k: v["loss"] for k, v in result["cases"].items()})


if __name__ == "__main__":
    main()
