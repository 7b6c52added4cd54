package io.mocoj.zoo.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.model.ChatMessage;
import io.mocoj.train.TrainingExample;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.Zoo;
import io.mocoj.zoo.formats.Format;
import io.mocoj.zoo.formats.FormatRows;
import java.util.List;

public class Inspect {
    public static void main(String[] a) {
        LocalModel m = Zoo.shipped().load("base", 1);
        System.out.println("ctx " + m.contextLength());
        for (Format f : Format.values()) {
            int max = 0; long sum = 0; int n = 0; int over = 0;
            for (Skill s : Format.skillsOf(f)) {
                for (TrainingExample e : FormatRows.rows(f, s, 1, 20)) {
                    var c = (TrainingExample.Completion) e;
                    int t = m.encodeChat(List.of(ChatMessage.user(c.prompt()), ChatMessage.assistant(c.completion())), false).length;
                    max = Math.max(max, t); sum += t; n++; if (t > m.contextLength()) over++;
                }
            }
            var ex = (TrainingExample.Completion) FormatRows.rows(f, Skill.SORT.ordinal() < 99 && f.supports(Skill.SORT) ? Skill.SORT : Skill.KBQA, 1, 1).get(0);
            System.out.printf("== %s  mean %.0f max %d over %d/%d%n%s%n--> %s%n", f, sum / (double) n, max, over, n, ex.prompt(), ex.completion());
        }
    }
}
