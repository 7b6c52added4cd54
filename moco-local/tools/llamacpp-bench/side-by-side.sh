#!/usr/bin/env bash
# moco-local and llama.cpp (node-llama-cpp) on the same files, interleaved in one run:
# for each weight type, moco-local then llama.cpp, then moco-local again, each on the same file,
# same threads, prompt and decode lengths; the load average is printed before every run.
#   tools/llamacpp-bench/side-by-side.sh [threads=2] [prompt=128] [decode=64] [runs=3] [types...]
# Run from moco-local/ after
#   mvn -q -pl moco-local -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
# JAVA (default: java on PATH, must be 21+), CP (the class path), JVM_OPTS (default: -Xmx2g -Xms64m -XX:+UseSerialGC;
# the JVM's defaults, G1 with an initial heap of 1/64 of RAM, add ~200 MB of peak RSS here) and NODE_LLAMA_CPP may be set.
# Types: F32 F16 Q8_0 Q4_0 Q4_K Q6_K Q4_K_M (K-quant files are quantised from random F32 weights by KQuantizer).
set -euo pipefail
threads=${1:-2}; prompt=${2:-128}; decode=${3:-64}; runs=${4:-3}
shift $(( $# < 4 ? $# : 4 )) || true
types=("$@"); [ ${#types[@]} -eq 0 ] && types=(F32 F16 Q8_0 Q4_0 Q4_K Q6_K Q4_K_M)
jvm=(${JVM_OPTS:--Xmx2g -Xms64m -XX:+UseSerialGC})
java=${JAVA:-java}
here=$(cd "$(dirname "$0")" && pwd)
cp=${CP:-"target/test-classes:target/classes:$(cat target/cp.txt)"}
jrun() { "$java" "${jvm[@]}" --add-modules jdk.incubator.vector -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    io.mocoj.local.bench.LocalBenchmark "$@" 2>&1 | grep -v "^WARNING: Using incubator"; }
echo "JVM options: ${jvm[*]}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%F %H:%M UTC')"
for t in "${types[@]}"; do
    file=$(jrun --type "$t" --write-only | sed -n 's/^MODEL //p')
    echo "== $t ($file) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    jrun --type "$t" --threads "$threads" --prompt "$prompt" --decode "$decode" --runs "$runs" | grep RESULT
    echo "   load: $(cut -d' ' -f1-3 /proc/loadavg)"
    node "$here/bench.mjs" "$file" "$threads" "$prompt" "$decode" "$runs" | grep RESULT
    echo "   load: $(cut -d' ' -f1-3 /proc/loadavg)"
    jrun --type "$t" --threads "$threads" --prompt "$prompt" --decode "$decode" --runs "$runs" | grep RESULT
done
