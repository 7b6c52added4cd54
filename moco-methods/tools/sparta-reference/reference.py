#!/usr/bin/env python3
"""Reference values for EloRatingsTest / Exp3Test, computed independently of the Java code from the
update rules as MoCo's SPARTA documents them (RatingSystem.update_ratings_from_judges, _exp3_probs,
_update_exp3_weights, _exp3_reward). Plain Python 3 (math only). Run: python3 reference.py"""
import math

def elo(duels, models, K0=10.0, Kmin=5.0, window=10, mindev=0.1, eps=0.01, decay=0.9, steps=10, scale=20.0, weights=None):
    r = {m: {"score": 100.0, "deviation": 0.5} for m in models}
    hist = {m: [] for m in models}
    count = 0
    out = []
    for a, b, verdicts in duels:
        count += 1
        K = max(Kmin, K0 * decay ** (count / steps))
        num = den = 0.0
        for judge, sa, sb in verdicts:
            if judge in (a, b):
                continue
            w = r[judge]["score"]
            wa = (weights or {}).get(a, 1.0)
            wb = (weights or {}).get(b, 1.0)
            num += w * (sa * wa - sb * wb)
            den += w
        if den == 0:
            out.append({m: dict(v) for m, v in r.items()})
            continue
        d = num / den
        deltas = {}
        for i, mi in enumerate([a, b]):
            mj = b if i == 0 else a
            Ri, Rj = r[mi]["score"], r[mj]["score"]
            si, sj = r[mi]["deviation"], r[mj]["deviation"]
            c = math.sqrt(si ** 2 + sj ** 2) or 1e-6
            pf = 0.5 * (1 + math.erf((Ri - Rj) / (math.sqrt(2) * c)))
            pb = 0.5 * (1 + math.erf((Rj - Ri) / (math.sqrt(2) * c)))
            delta = K * (d if i == 0 else -d) * math.tanh(si) * max(abs(pf - pb), eps) / scale
            new = max(10.0, Ri + delta)
            deltas[mi] = new - Ri
            r[mi]["score"] = new
        for m, dl in deltas.items():
            hist[m] = (hist[m] + [dl])[-window:]
            if len(hist[m]) >= 2:
                mean = sum(hist[m]) / len(hist[m])
                std = math.sqrt(sum((x - mean) ** 2 for x in hist[m]) / len(hist[m]))
                r[m]["deviation"] = max(std, mindev)
        out.append({m: dict(v) for m, v in r.items()})
    return out

def exp3_probs(w, gamma):
    s = sum(w)
    p = [max(0.0, (1 - gamma) * x / s + gamma / len(w)) for x in w]
    t = sum(p)
    return [x / t for x in p]

def exp3_update(w, gamma, credits):
    p = exp3_probs(w, gamma)
    K = len(w)
    est = [0.0] * K
    for arm, reward in credits:
        est[arm] += reward / p[arm]
    lw = [math.log(max(x, 1e-12)) + e / K for x, e in zip(w, est)]
    m = max(lw)
    return [math.exp(x - m) for x in lw]

def leader_reward(score, pair, it, total, thr=3.0, wd=0.3, wp=0.7, g0=0.6, g1=0.15, sigma=0.15):
    diff = 0.0 if score < thr else (10 - score) / (10 - thr)
    tau = it / max(total - 1, 1)
    target = g1 + (g0 - g1) * (1 - tau)
    gap = abs(pair[0] - pair[1]) / 9.0
    fit = math.exp(-((gap - target) ** 2) / (2 * sigma ** 2))
    return (wd * diff + wp * fit) / (wd + wp)

if __name__ == "__main__":
    duels = [("a", "b", [("c", 8, 4)]), ("a", "c", [("b", 3, 9)]), ("b", "c", [("a", 7, 7)]), ("c", "a", [("b", 10, 1)])]
    for i, snap in enumerate(elo(duels, ["a", "b", "c"])):
        print("elo after duel", i + 1, {m: (round(v["score"], 12), round(v["deviation"], 12)) for m, v in snap.items()})
    w = [1.0, 1.0, 1.0, 1.0]
    print("exp3 initial", exp3_probs(w, 0.2))
    w = exp3_update(w, 0.2, [(1, 0.5)])
    print("exp3 after arm1 r=0.5", w, exp3_probs(w, 0.2))
    w = exp3_update(w, 0.2, [(1, 0.2), (3, 1.0), (3, 0.4)])
    print("exp3 after round 2", w, exp3_probs(w, 0.2))
    print("leader reward", leader_reward(5, (5, 8), 0, 1), leader_reward(8, (5, 8), 0, 1), leader_reward(2, (2, 9), 1, 3), leader_reward(9, (9, 9), 2, 3))
