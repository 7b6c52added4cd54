"""
PyTorch CPU counterpart of moco-local's TrainBenchmark: a random SmolLM2-135M-shaped llama
(hidden 576, 30 layers, 9 heads / 3 KV heads, FFN 1536, vocabulary 49152, tied embeddings),
SFT steps of 4096 tokens (16 sequences of 256, the first 16 tokens of each masked) as 4
micro-batches of 1024 tokens with gradient accumulation, AdamW; LoRA rank 16 (alpha 32) on the
seven projections, or full fine-tuning. float32, torch.set_num_threads(N).

  /usr/bin/python3 train_bench.py --mode lora|full [--threads 2] [--steps 3] [--batch-tokens 4096 (256, 512 or a multiple of 1024)]
Prints seconds and tokens/s per step (the first includes warm-up) and the peak RSS.
"""
import argparse
import math
import resource
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--mode", default="lora")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--steps", type=int, default=3)
p.add_argument("--batch-tokens", type=int, default=4096)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
D, L, H, KV, FF, V, HD = 576, 30, 9, 3, 1536, 49152, 64
R, ALPHA = 16, 32.0


class Lin(torch.nn.Module):
    def __init__(self, out, inp, lora):
        super().__init__()
        self.w = torch.nn.Parameter(torch.randn(out, inp) / math.sqrt(inp), requires_grad=not lora)
        self.lora = lora
        if lora:
            self.a = torch.nn.Parameter(torch.empty(R, inp).uniform_(-1 / math.sqrt(inp), 1 / math.sqrt(inp)))
            self.b = torch.nn.Parameter(torch.zeros(out, R))

    def forward(self, x):
        y = x @ self.w.T
        if self.lora:
            y = y + (ALPHA / R) * ((x @ self.a.T) @ self.b.T)
        return y


def rope(x, pos):
    half = HD // 2
    inv = 100000.0 ** (-torch.arange(half, dtype=torch.float32) * 2 / HD)
    th = pos[:, None].float() * inv[None, :]
    c, s = th.cos()[None, :, None, :], th.sin()[None, :, None, :]
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x0 * c - x1 * s, x0 * s + x1 * c], dim=-1).flatten(-2)


class Block(torch.nn.Module):
    def __init__(self, lora):
        super().__init__()
        self.n1 = torch.nn.Parameter(torch.ones(D), requires_grad=not lora)
        self.n2 = torch.nn.Parameter(torch.ones(D), requires_grad=not lora)
        self.q, self.k, self.v = Lin(H * HD, D, lora), Lin(KV * HD, D, lora), Lin(KV * HD, D, lora)
        self.o = Lin(D, H * HD, lora)
        self.g, self.u, self.d = Lin(FF, D, lora), Lin(FF, D, lora), Lin(D, FF, lora)

    def forward(self, x, pos):
        B, T, _ = x.shape
        h = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.n1
        q = rope(self.q(h).view(B, T, H, HD), pos).transpose(1, 2)
        k = rope(self.k(h).view(B, T, KV, HD), pos).transpose(1, 2).repeat_interleave(H // KV, dim=1)
        v = self.v(h).view(B, T, KV, HD).transpose(1, 2).repeat_interleave(H // KV, dim=1)
        att = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, "scaled_dot_product_attention") else \
            torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(HD) + torch.triu(torch.full((T, T), float("-inf")), 1), -1) @ v
        x = x + self.o(att.transpose(1, 2).reshape(B, T, H * HD))
        h = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.n2
        return x + self.d(F.silu(self.g(h)) * self.u(h))


class Model(torch.nn.Module):
    def __init__(self, lora):
        super().__init__()
        self.emb = torch.nn.Parameter(torch.randn(V, D) * 0.02, requires_grad=not lora)
        self.norm = torch.nn.Parameter(torch.ones(D), requires_grad=not lora)
        self.blocks = torch.nn.ModuleList([Block(lora) for _ in range(L)])

    def forward(self, ids):
        x = self.emb[ids]
        pos = torch.arange(ids.shape[1])
        for b in self.blocks:
            x = b(x, pos)
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.norm
        return x @ self.emb.T


m = Model(a.mode == "lora")
params = [q for q in m.parameters() if q.requires_grad]
opt = torch.optim.AdamW(params, lr=2e-4, weight_decay=0.0)
for step in range(a.steps):
    t0 = time.time()
    opt.zero_grad()
    for micro in range(max(1, a.batch_tokens // 1024)):
        ids = torch.randint(0, V, (max(1, min(4, a.batch_tokens // 256)), 256))
        logits = m(ids)[:, 15:-1]
        loss = F.cross_entropy(logits.reshape(-1, V), ids[:, 16:].reshape(-1)) / max(1, a.batch_tokens // 1024)
        loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    dt = time.time() - t0
    print("step %d: %.1f s, %.1f tokens/s (%d-token batch)" % (step + 1, dt, a.batch_tokens / dt, a.batch_tokens), flush=True)
print("mode %s threads %d torch %s peak RSS %d kB" % (a.mode, a.threads, torch.__version__,
                                                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
