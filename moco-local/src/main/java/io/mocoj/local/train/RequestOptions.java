package io.mocoj.local.train;

import io.mocoj.train.FineTuneRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Applies a {@link FineTuneRequest}'s named options to the local trainer's configuration. */
final class RequestOptions {
    private RequestOptions() {}

    static void apply(FineTuneRequest r, TrainingConfig.Builder b) {
        Map<String, Object> o = r.options();
        if (o.isEmpty()) return;
        if (r.loraRank() > 0) {
            LoraConfig lora = LoraConfig.of(r.loraRank());
            if (o.containsKey("lora_alpha")) lora = lora.withAlpha(number(o, "lora_alpha"));
            if (o.containsKey("lora_dropout")) lora = lora.withDropout(number(o, "lora_dropout"));
            if (o.containsKey("lora_targets")) lora = lora.withTargets(targets(o.get("lora_targets")));
            b.lora(lora);
        } else {
            for (String k : List.of("lora_alpha", "lora_dropout", "lora_targets")) {
                if (o.containsKey(k)) throw new IllegalArgumentException("fine-tuning option '" + k + "' needs LoRA (rank > 0); this request is full fine-tuning");
            }
        }
        for (Map.Entry<String, Object> e : o.entrySet()) {
            String k = e.getKey();
            switch (k) {
                case "lora_alpha", "lora_dropout", "lora_targets" -> { }
                case "group_size" -> b.groupSize(whole(o, k));
                case "prompts_per_step" -> b.promptsPerStep(whole(o, k));
                case "max_completion_tokens" -> b.maxCompletionTokens(whole(o, k));
                case "temperature" -> b.temperature(number(o, k));
                case "weight_decay" -> b.weightDecay(number(o, k));
                case "schedule" -> b.schedule(TrainingConfig.Schedule.valueOf(String.valueOf(e.getValue()).toUpperCase(Locale.ROOT)));
                case "warmup_steps" -> b.warmupSteps(whole(o, k));
                case "batch_tokens" -> b.batchTokens(whole(o, k));
                case "micro_batch_tokens" -> b.microBatchTokens(whole(o, k));
                case "max_length" -> b.maxLength(whole(o, k));
                case "checkpoint_every" -> b.checkpointEvery(whole(o, k));
                case "dpo_beta" -> b.dpoBeta(number(o, k));
                default -> throw new IllegalArgumentException("the local trainer does not know fine-tuning option '" + k + "'");
            }
        }
    }

    private static double number(Map<String, Object> o, String k) {
        if (o.get(k) instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("fine-tuning option '" + k + "' must be a number, was " + o.get(k));
    }

    private static int whole(Map<String, Object> o, String k) {
        double v = number(o, k);
        if (v != Math.rint(v)) throw new IllegalArgumentException("fine-tuning option '" + k + "' must be a whole number, was " + v);
        return (int) v;
    }

    private static Set<LoraConfig.Target> targets(Object v) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("fine-tuning option 'lora_targets' must be a non-empty list of q, k, v, o, gate, up, down; was " + v);
        }
        Set<LoraConfig.Target> out = EnumSet.noneOf(LoraConfig.Target.class);
        for (Object t : list) out.add(LoraConfig.Target.parse(String.valueOf(t)));
        return out;
    }
}
