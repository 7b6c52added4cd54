"""
PyTorch reference for Co-LLM's joint objective in moco-local's trainer (objective DEFERRAL).

On each F32 fixture of make_train_reference.py (same packed batch, same fixed LoRA adapters), in
float64: the deferral head z = w.h + b on the final hidden state (after output_norm) of every
target position, and the loss

    mean_j  -log( (1 - sigmoid(z_j)) * p_model(y_j) + sigmoid(z_j) * q_j )

with the frozen mentor's log-probabilities log q_j fixed by formula. The whole expression is
written with torch's own ops (logsigmoid, logsumexp over the two explanations, as Co-LLM's
DeferralTrainerV1 writes it) and differentiated by autograd: the loss and the gradients of every
LoRA tensor and of the head's weight and bias go to <fixture>.deferral.json beside the fixtures.
DeferralReferenceTest reads that JSON; it needs no Python.

Fixed values (DeferralReferenceTest computes the same formulas in Java, double then float):
  head weight  w_i = 0.3 sin(0.37 i + 1),  bias b = -0.2
  mentor       log q_j = -0.5 - 2 (1 + sin(1.3 j)) / 2

Usage (Debian's python3-torch, CPU):  /usr/bin/python3 make_deferral_reference.py
"""
import json
import os

import numpy as np
import torch

import gguf_f32
import make_train_reference as mtr

torch.set_default_dtype(torch.float64)


def head_values(dim):
    i = np.arange(dim, dtype=np.float64)
    return (0.3 * np.sin(0.37 * i + 1)).astype(np.float32).astype(np.float64), float(np.float32(-0.2))


def mentor_logq(n):
    j = np.arange(n, dtype=np.float64)
    return (-0.5 - (1 + np.sin(1.3 * j))).astype(np.float32).astype(np.float64)


def main():
    for rel in mtr.FIXTURES:
        path = os.path.join(mtr.RES, rel)
        md, t = gguf_f32.load(path)
        vocab = t["token_embd.weight"].shape[0]
        rng = np.random.default_rng(12)  # the batch of make_train_reference.py
        lens, prompts = [7, 5, 9, 6], [2, 3, 2, 4]
        seqs = [[int(x) for x in rng.integers(0, vocab, size=n)] for n in lens]
        b = mtr.pack(seqs, prompts)
        m = mtr.Model(path)
        m.add_lora()
        hf = m.final_hidden(b["tokens"], np.array(b["positions"]), np.array(b["seqStart"]), b["targetPos"])
        out = m.params["token_embd.weight"] if m.tied else m.params["output.weight"]
        lp = torch.log_softmax(hf @ out.T, dim=-1)[torch.arange(len(b["targetPos"])), torch.tensor(b["targetToken"])]
        wv, bv = head_values(hf.shape[1])
        w = torch.tensor(wv, requires_grad=True)
        bias = torch.tensor(bv, requires_grad=True)
        z = hf @ w + bias
        logq = torch.tensor(mentor_logq(len(b["targetPos"])))
        both = torch.stack([torch.nn.functional.logsigmoid(-z) + lp, torch.nn.functional.logsigmoid(z) + logq], dim=-1)
        loss = -torch.logsumexp(both, dim=-1).mean()
        loss.backward()
        grads = []
        for name, (A, B) in m.lora.items():
            grads.append(mtr.grad_summary(name[:-len(".weight")] + ".weight.lora_a", A.grad))
            grads.append(mtr.grad_summary(name[:-len(".weight")] + ".weight.lora_b", B.grad))
        grads.append(mtr.grad_summary("collm.deferral.weight", w.grad))
        g = float(bias.grad)
        grads.append(dict(name="collm.deferral.bias", norm=abs(g), indices=[0], values=[g]))
        result = dict(fixture=os.path.basename(rel), torch=torch.__version__, dtype="float64",
                      lora=dict(rank=mtr.LORA_RANK, alpha=mtr.LORA_ALPHA, targets=mtr.TARGETS),
                      head="w_i = 0.3 sin(0.37 i + 1), b = -0.2", mentor="log q_j = -0.5 - (1 + sin(1.3 j))",
                      batch=b, loss=float(loss), meanDeferral=float(torch.sigmoid(z).mean()), gradients=grads)
        dst = os.path.join(mtr.RES, "fixtures", "reference", os.path.basename(rel).replace(".gguf", ".deferral.json"))
        with open(dst, "w") as f:
            json.dump(result, f, indent=1)
        print("wrote", dst, "loss", result["loss"], "mean deferral", result["meanDeferral"])


if __name__ == "__main__":
    main()
