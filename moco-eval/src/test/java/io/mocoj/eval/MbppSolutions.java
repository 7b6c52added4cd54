package io.mocoj.eval;

import java.util.Map;

/** Hand-written correct solutions for a few mbpp test items (the data files carry no gold code). */
final class MbppSolutions {
    private MbppSolutions() {}

    static final Map<String, String> BY_ID = Map.of(
            "872", "def check_subset(outer, inner):\n    return all(item in outer for item in inner)\n",
            "893", "def Extract(lists):\n    return [sub[-1] for sub in lists]\n",
            "818", "def lower_ctr(text):\n    return sum(1 for ch in text if ch.islower())\n",
            "736", "import bisect\n\ndef left_insertion(values, x):\n    return bisect.bisect_left(values, x)\n",
            "76", "def count_Squares(m, n):\n    if n > m:\n        m, n = n, m\n    return sum((m - k) * (n - k) for k in range(n))\n",
            "114", "from collections import Counter\n\ndef assign_freq(items):\n    counts = Counter(items)\n"
                    + "    return str([(*t, c) for t, c in counts.items()])\n");
}
